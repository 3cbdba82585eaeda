"""Steps through the clipboard: copied in one journey and pasted into another (with the edges
among them and their branches), cut, duplicated by key and by button, each one undo step."""

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_designer import _new_journey


def _select(page: Page, *nodes: str) -> None:
    page.get_by_test_id(f"node-{nodes[0]}").click()
    for node in nodes[1:]:
        page.get_by_test_id(f"node-{node}").click(modifiers=["Control"])


def test_steps_copied_in_one_journey_paste_into_another_with_their_edges(
    page: Page, live_server: LiveServer
) -> None:
    _new_journey(page, f"Source {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    _select(page, "is_vip", "vip_mail", "mail")
    page.keyboard.press("Control+c")
    expect(page.get_by_test_id("toast").filter(has_text="Copied 3 steps")).to_be_visible()

    key = _new_journey(page, f"Target {uuid.uuid4().hex[:6]}")
    page.get_by_test_id("node-start").click()
    page.keyboard.press("Control+v")
    for node in ("is_vip", "vip_mail", "mail"):
        expect(page.get_by_test_id(f"node-{node}")).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")

    with live_server.api() as api:
        draft = api.get(f"/journeys/{key}").json()["draft"]
    assert {node["id"] for node in draft["nodes"]} == {"start", "is_vip", "vip_mail", "mail"}
    branches = {(edge["source"], edge.get("branch"), edge["target"]) for edge in draft["edges"]}
    assert branches == {("is_vip", "true", "vip_mail"), ("is_vip", "false", "mail")}
    [mail] = [node for node in draft["nodes"] if node["id"] == "vip_mail"]
    assert mail["type"] == "send_email"


def test_cut_duplicate_and_undo(page: Page) -> None:
    _new_journey(page, f"Cut {uuid.uuid4().hex[:6]}", template="abandoned-cart")

    _select(page, "mail")
    page.keyboard.press("Control+x")
    expect(page.get_by_test_id("toast").filter(has_text="Cut 1 step")).to_be_visible()
    expect(page.get_by_test_id("node-mail")).to_have_count(0)
    page.get_by_test_id("node-start").click()
    page.keyboard.press("Control+v")
    expect(page.get_by_test_id("node-mail")).to_be_visible()

    _select(page, "vip_mail")
    page.keyboard.press("Control+d")
    expect(page.get_by_test_id("node-vip_mail_2")).to_be_visible()

    _select(page, "is_vip")
    page.get_by_test_id("duplicate-node").click()
    expect(page.get_by_test_id("node-is_vip_2")).to_be_visible()
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("node-is_vip_2")).to_have_count(0)
    expect(page.get_by_test_id("node-vip_mail_2")).to_be_visible()
