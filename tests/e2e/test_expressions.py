"""Expressions in the designer: CodeMirror fields that complete the run's context, and the
condition builder whose CEL the server validates."""

import uuid
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer


def _journey(key: str) -> dict[str, Any]:
    """An event trigger, a webhook, a condition after it, and an email that reads user.email."""
    return {
        "key": key,
        "name": "Expressions",
        "nodes": [
            {"id": "start", "type": "trigger", "config": {"kind": "event", "event": "cart_updated"}},
            {"id": "crm", "type": "webhook", "config": {"url": "http://127.0.0.1:9/crm"}},
            {"id": "is_vip", "type": "condition", "config": {"expression": "has(user.vip) && user.vip"}},
            {
                "id": "mail",
                "type": "send_email",
                "config": {"to": "{{ user.email }}", "subject": "Hi", "text": "Cart {{ input.cart_id }}"},
            },
            {"id": "done", "type": "end"},
        ],
        "edges": [
            {"id": "e1", "source": "start", "target": "crm"},
            {"id": "e2", "source": "crm", "target": "is_vip"},
            {"id": "e3", "source": "is_vip", "target": "mail", "branch": "true"},
            {"id": "e4", "source": "is_vip", "target": "done", "branch": "false"},
            {"id": "e5", "source": "mail", "target": "done"},
        ],
    }


def _open(page: Page, live_server: LiveServer) -> str:
    key = f"expr-{uuid.uuid4().hex[:8]}"
    with live_server.api() as api:
        assert api.post("/journeys", json=_journey(key)).status_code == 201
    page.goto(f"/journeys/{key}")
    expect(page.get_by_test_id("editor")).to_be_visible()
    return key


def _options(page: Page) -> list[str]:
    return page.locator(".cm-tooltip-autocomplete .cm-completionLabel").all_inner_texts()


def test_typing_user_dot_offers_the_context_and_inserts_the_choice(
    page: Page, live_server: LiveServer
) -> None:
    _open(page, live_server)
    page.get_by_test_id("node-is_vip").click()
    field = page.get_by_test_id("field-cfg-is_vip_expression")
    expect(field).to_have_text("has(user.vip) && user.vip")
    field.click()
    page.keyboard.press("Control+a")
    page.keyboard.type("user.")

    popup = page.locator(".cm-tooltip-autocomplete")
    expect(popup).to_be_visible()
    # user.id always; the attributes are the ones this journey reads (now only the email's
    # user.email: the text typed over has(user.vip)), nothing invented.
    expect(popup.locator(".cm-completionLabel")).to_have_text(["email", "id"])
    popup.get_by_text("email", exact=True).click()
    expect(field).to_have_text("user.email")

    # Upstream nodes and their known outputs; downstream ones are not offered.
    page.keyboard.type(' != "" && nodes.')
    expect(popup.locator(".cm-completionLabel")).to_have_text(["crm"])
    popup.get_by_text("crm", exact=True).click()
    page.keyboard.type(".s")
    expect(popup.locator(".cm-completionLabel")).to_have_text(["status"])
    popup.get_by_text("status", exact=True).click()
    page.keyboard.type(" == 200")
    expect(field).to_have_text('user.email != "" && nodes.crm.status == 200')
    expect(page.get_by_test_id("node-badge-is_vip")).to_be_hidden()

    # Single line: Enter adds no line; Ctrl+Z undoes typing in the field, not on the canvas.
    page.keyboard.press("Enter")
    expect(field.locator(".cm-line")).to_have_count(1)
    expect(page.get_by_test_id("redo")).to_be_disabled()
    page.keyboard.press("Control+z")
    expect(field).not_to_have_text('user.email != "" && nodes.crm.status == 200')
    expect(field).to_contain_text('user.email != ""')
    expect(page.get_by_test_id("redo")).to_be_disabled()


def test_templates_complete_only_inside_braces(page: Page, live_server: LiveServer) -> None:
    key = _open(page, live_server)
    page.get_by_test_id("node-mail").click()
    subject = page.get_by_test_id("field-cfg-mail_subject")
    subject.click()
    page.keyboard.press("End")
    page.keyboard.type(" trigger.")
    expect(page.locator(".cm-tooltip-autocomplete")).to_have_count(0)
    page.keyboard.type(" {{ trigger.properties.")
    popup = page.locator(".cm-tooltip-autocomplete")
    expect(popup.locator(".cm-completionLabel")).to_have_text(["cart_id"])
    popup.get_by_text("cart_id", exact=True).click()
    page.keyboard.type(" }}")
    expect(subject).to_have_text("Hi trigger. {{ trigger.properties.cart_id }}")

    # JSON whose strings are templates (a webhook body) completes inside its templates too.
    page.get_by_test_id("node-crm").click()
    body = page.get_by_test_id("field-cfg-crm_body")
    body.click()
    page.keyboard.type('{"who": "{{ us')
    expect(popup.locator(".cm-completionLabel")).to_have_text(["user"])
    popup.get_by_text("user", exact=True).click()
    page.keyboard.type(".")
    expect(popup.locator(".cm-completionLabel")).to_have_text(["email", "id", "vip"])
    popup.get_by_text("id", exact=True).click()
    page.keyboard.type(' }}"}')
    expect(body).to_contain_text('{"who": "{{ user.id }}"}')
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")
    with live_server.api() as api:
        saved = api.get(f"/journeys/{key}").json()["draft"]
    crm = next(node for node in saved["nodes"] if node["id"] == "crm")
    assert crm["config"]["body"] == {"who": "{{ user.id }}"}


def test_a_condition_built_with_the_builder_validates_and_survives_switching(
    page: Page, live_server: LiveServer
) -> None:
    key = _open(page, live_server)
    page.get_by_test_id("node-is_vip").click()
    field_id = "field-cfg-is_vip_expression"

    # has(...) is beyond the builder: it says so and the expression stays as it is, in CEL.
    page.get_by_test_id(f"{field_id}-mode-builder").click()
    expect(page.get_by_test_id(f"{field_id}-mode-message")).to_contain_text("stays in CEL")
    expect(page.get_by_test_id(field_id)).to_have_text("has(user.vip) && user.vip")

    page.get_by_test_id(field_id).fill("user.tier == 'gold'")
    page.get_by_test_id(f"{field_id}-mode-builder").click()
    builder = page.get_by_test_id(f"{field_id}-builder")
    expect(builder).to_be_visible()
    expect(page.get_by_test_id(f"{field_id}-mode-message")).to_have_count(0)
    expect(builder.get_by_test_id("rule")).to_have_count(1)
    expect(builder.get_by_test_id("fields")).to_have_value("user.tier")
    expect(builder.get_by_test_id("value-editor")).to_have_value("gold")

    builder.get_by_test_id("add-rule").first.click()
    expect(builder.get_by_test_id("rule")).to_have_count(2)
    second = builder.get_by_test_id("rule").nth(1)
    second.get_by_test_id("fields").fill("nodes.crm.status")
    second.get_by_test_id("operators").select_option("<")
    second.get_by_test_id("value-editor").fill("300")
    builder.get_by_test_id("combinators").first.select_option("or")
    expected = 'user.tier == "gold" || nodes.crm.status < 300'
    expect(page.get_by_test_id(f"{field_id}-preview")).to_have_text(expected)

    # The server validates the builder's CEL: no problem on the node, none in the journey.
    expect(page.get_by_test_id("node-badge-is_vip")).to_be_hidden()
    expect(page.get_by_test_id("problems-empty")).to_be_visible()

    page.get_by_test_id(f"{field_id}-mode-cel").click()
    expect(page.get_by_test_id(field_id)).to_have_text(expected)
    page.get_by_test_id(f"{field_id}-mode-builder").click()
    expect(page.get_by_test_id(f"{field_id}-builder").get_by_test_id("rule")).to_have_count(2)
    page.get_by_test_id(f"{field_id}-mode-cel").click()
    expect(page.get_by_test_id(field_id)).to_have_text(expected)

    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")
    with live_server.api() as api:
        saved = api.get(f"/journeys/{key}").json()
        assert saved["issues"] == []
        condition = next(node for node in saved["draft"]["nodes"] if node["id"] == "is_vip")
        assert condition["config"]["expression"] == expected
        assert api.post("/validate", json=saved["draft"]).json() == {"valid": True, "issues": []}


def test_a_trigger_filter_completes_the_event_being_tested(page: Page, live_server: LiveServer) -> None:
    _open(page, live_server)
    page.get_by_test_id("node-start").click()
    field = page.get_by_test_id("field-cfg-start_filter")
    field.click()
    page.keyboard.type("event.")
    popup = page.locator(".cm-tooltip-autocomplete .cm-completionLabel")
    expect(popup).to_have_text(["id", "name", "properties", "timestamp", "user_id"])
    page.get_by_text("properties", exact=True).click()
    expect(field).to_have_text("event.properties")
    expect(page.get_by_test_id("field-cfg-start_filter-mode-builder")).to_be_visible()
