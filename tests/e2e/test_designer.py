"""A person's first journey in the designer: draw it, connect branches, fill forms, fix what
validation reports, save, publish; and the safety nets (undo, conflicts, blocked publishing)."""

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer


def _new_journey(page: Page, name: str, template: str = "blank") -> str:
    page.goto("/")
    page.get_by_test_id("new-journey").click()
    page.get_by_test_id("new-journey-name").fill(name)
    key = page.get_by_test_id("new-journey-key").input_value()
    page.get_by_test_id(f"template-{template}").click()
    page.get_by_test_id("create-journey").click()
    expect(page.get_by_test_id("editor")).to_be_visible()
    return key


def _drop(page: Page, node_type: str, x: int, y: int) -> None:
    """Drag a step from the palette onto the canvas at (x, y) of the canvas."""
    page.get_by_test_id(f"palette-item-{node_type}").drag_to(
        page.get_by_test_id("canvas"), target_position={"x": x, "y": y}
    )


def _connect(page: Page, source: str, target: str) -> None:
    """Drag from handle ``source`` to handle ``target`` (React Flow needs many small moves)."""
    start = page.get_by_test_id(f"handle-{source}").bounding_box()
    end = page.get_by_test_id(f"handle-{target}").bounding_box()
    assert start is not None
    assert end is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=15)
    page.mouse.up()


def _problems(page: Page) -> list[str]:
    return page.get_by_test_id("problem").all_inner_texts()


def test_draw_configure_save_and_publish_a_journey(page: Page, live_server: LiveServer) -> None:
    key = _new_journey(page, f"Welcome {uuid.uuid4().hex[:6]}")
    expect(page.get_by_test_id("node-start")).to_be_visible()

    _drop(page, "condition", 400, 230)
    _drop(page, "send_email", 680, 140)
    _drop(page, "end", 860, 360)
    for node in ("condition", "send_email", "end"):
        expect(page.get_by_test_id(f"node-{node}")).to_be_visible()

    _connect(page, "start-out", "condition-in")
    _connect(page, "condition-true", "send_email-in")
    _connect(page, "send_email-out", "end-in")
    expect(page.locator(".react-flow__edge")).to_have_count(3)

    # The email has no recipient yet and the condition's false branch leads nowhere.
    expect(page.get_by_test_id("node-badge-send_email")).to_be_visible()
    expect(page.get_by_test_id("node-badge-condition")).to_be_visible()
    expect(page.get_by_test_id("publish")).to_be_disabled()
    expect(page.get_by_test_id("publish-blocked")).to_be_visible()
    assert any("branch 'false' is not connected" in text for text in _problems(page))

    _connect(page, "condition-false", "end-in")
    expect(page.locator(".react-flow__edge")).to_have_count(4)

    # An expression that does not compile shows at its field and on the node, then goes away.
    page.get_by_test_id("node-condition").click()
    expression = page.get_by_test_id("field-cfg-condition_expression")
    expression.fill("user.vip ==")
    expect(page.get_by_test_id("node-inspector")).to_contain_text("does not compile")
    expression.fill("has(user.vip) && user.vip")
    expect(page.get_by_test_id("node-badge-condition")).to_be_hidden()

    page.get_by_test_id("node-send_email").click()
    expect(page.get_by_test_id("node-inspector")).to_contain_text("to is required")
    page.get_by_test_id("field-cfg-send_email_to").fill("{{ user.email }}")
    page.get_by_test_id("field-cfg-send_email_subject").fill("Welcome, {{ user.first_name }}")
    page.get_by_test_id("inspector-name").fill("Welcome email")
    expect(page.get_by_test_id("node-inspector")).to_contain_text("needs a body")
    page.get_by_test_id("field-cfg-send_email_text").fill("Hi {{ user.first_name }}, welcome aboard.")
    expect(page.get_by_test_id("node-badge-send_email")).to_be_hidden()
    expect(page.get_by_test_id("problems-empty")).to_be_visible()

    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved (revision 2)")
    with live_server.api() as api:
        saved = api.get(f"/journeys/{key}").json()
    assert saved["issues"] == []
    draft = saved["draft"]
    assert {node["id"]: node["type"] for node in draft["nodes"]} == {
        "start": "trigger",
        "condition": "condition",
        "send_email": "send_email",
        "end": "end",
    }
    email = next(node for node in draft["nodes"] if node["id"] == "send_email")
    assert email["name"] == "Welcome email"
    assert email["config"]["to"] == "{{ user.email }}"
    branches = {(edge["source"], edge.get("branch"), edge["target"]) for edge in draft["edges"]}
    assert branches == {
        ("start", None, "condition"),
        ("condition", "true", "send_email"),
        ("condition", "false", "end"),
        ("send_email", None, "end"),
    }

    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-message").fill("First version")
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("toast").filter(has_text="Published version 1")).to_be_visible()
    expect(page.get_by_test_id("journey-status")).to_have_text("active")
    with live_server.api() as api:
        assert api.get(f"/journeys/{key}").json()["published_version"] == 1


def test_undo_redo_and_delete(page: Page) -> None:
    _new_journey(page, f"Undo {uuid.uuid4().hex[:6]}")
    _drop(page, "log", 500, 250)
    expect(page.get_by_test_id("node-log")).to_be_visible()
    page.get_by_test_id("canvas").click(position={"x": 100, "y": 500})
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("node-log")).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    expect(page.get_by_test_id("node-log")).to_be_visible()
    page.get_by_test_id("node-log").click()
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("node-log")).to_have_count(0)
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("node-log")).to_be_visible()

    page.get_by_test_id("node-log").click()
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(page.get_by_test_id("node-log_2")).to_be_visible()


def test_a_stale_save_shows_the_conflict_dialog(page: Page, live_server: LiveServer) -> None:
    key = _new_journey(page, f"Conflict {uuid.uuid4().hex[:6]}")
    _drop(page, "end", 500, 250)
    with live_server.api() as api:
        theirs = api.get(f"/journeys/{key}").json()["draft"]
        theirs["name"] = "Changed elsewhere"
        assert api.put(f"/journeys/{key}", json=theirs).status_code == 200
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("conflict-dialog")).to_be_visible()
    page.get_by_test_id("conflict-reload").click()
    expect(page.get_by_test_id("journey-title")).to_have_text("Changed elsewhere")
    expect(page.get_by_test_id("node-end")).to_have_count(0)


def test_a_template_opens_with_every_step(page: Page) -> None:
    _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    for node in ("start", "wait_order", "is_vip", "vip_mail", "mail", "ordered", "reminded"):
        expect(page.get_by_test_id(f"node-{node}")).to_be_visible()
    expect(page.get_by_test_id("handle-wait_order-timeout")).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(7)
    expect(page.get_by_test_id("problems-empty")).to_be_visible()
    expect(page.get_by_test_id("publish")).to_be_enabled()
    page.get_by_test_id("node-mail").click()
    expect(page.get_by_test_id("node-inspector")).to_contain_text("Retries and errors")
    page.get_by_test_id("node-is_vip").click()
    expect(page.get_by_test_id("node-inspector")).not_to_contain_text("Retries and errors")
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")
    page.get_by_test_id("tidy").click()
    expect(page.get_by_test_id("save-state")).to_have_text("Unsaved changes")
    page.get_by_test_id("palette-search").fill("webhook")
    expect(page.locator("[data-testid^=palette-item-]")).to_have_count(1)
