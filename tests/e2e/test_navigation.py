"""Finding your way in the designer and editing an existing line of steps: Ctrl+K goes to a
step, ``?`` lists the shortcuts, and a step dropped onto an edge (or picked from its "+") is put
between the two steps the edge joined."""

import re
import time
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_designer import _connect, _drop, _new_journey

SELECTED = re.compile(r"(^|\s)selected(\s|$)")


def _edges(live_server: LiveServer, key: str) -> set[tuple[str, str | None, str]]:
    with live_server.api() as api:
        draft = api.get(f"/journeys/{key}").json()["draft"]
    return {(edge["source"], edge.get("branch"), edge["target"]) for edge in draft["edges"]}


def _save(page: Page) -> None:
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved (revision")


def _centre_distance(page: Page, node_id: str) -> float:
    node = page.get_by_test_id(f"node-{node_id}").bounding_box()
    canvas = page.get_by_test_id("canvas").bounding_box()
    assert node is not None
    assert canvas is not None
    dx = node["x"] + node["width"] / 2 - (canvas["x"] + canvas["width"] / 2)
    dy = node["y"] + node["height"] / 2 - (canvas["y"] + canvas["height"] / 2)
    return float((dx * dx + dy * dy) ** 0.5)


def _wait_centred(page: Page, node_id: str) -> None:
    deadline = time.monotonic() + 5
    while _centre_distance(page, node_id) > 5:
        assert time.monotonic() < deadline, (
            f"{node_id} is not centred: {_centre_distance(page, node_id)} px off"
        )
        page.wait_for_timeout(50)


def _on_edge(page: Page, edge_id: str) -> tuple[int, int]:
    """A point of the canvas on the drawn edge, a third of the way along (clear of its "+").

    Validation first settles: the banner of errors above the canvas would move it.
    """
    expect(page.get_by_test_id("problems-empty")).to_be_visible()
    path = page.get_by_test_id(f"rf__edge-{edge_id}").locator(".react-flow__edge-path")
    point = path.evaluate(
        """path => {
            const at = path.getPointAtLength(path.getTotalLength() / 3);
            const screen = new DOMPoint(at.x, at.y).matrixTransform(path.getScreenCTM());
            const canvas = document.querySelector("[data-testid=canvas]").getBoundingClientRect();
            return { x: screen.x - canvas.left, y: screen.y - canvas.top };
        }"""
    )
    return round(point["x"]), round(point["y"])


def test_ctrl_k_finds_a_step_and_goes_to_it(page: Page) -> None:
    _new_journey(page, f"Find {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    expect(page.get_by_test_id("node-reminded")).to_be_visible()
    assert _centre_distance(page, "mail") > 5

    page.keyboard.press("Control+k")
    search = page.get_by_test_id("node-search-input")
    expect(search).to_be_focused()
    expect(page.locator("[data-testid^=node-search-result-]")).to_have_count(7)
    search.fill("remind")
    results = page.locator("[data-testid^=node-search-result-]")
    expect(results).to_have_count(3)
    expect(results.first).to_have_attribute("data-testid", "node-search-result-vip_mail")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_test_id("node-search-result-mail")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("node-search")).to_be_hidden()
    expect(page.get_by_test_id("node-mail")).to_have_class(SELECTED)
    expect(page.get_by_test_id("inspector-name")).to_have_value("Reminder")
    _wait_centred(page, "mail")

    # The toolbar button opens it too; Escape closes it without moving anything.
    page.get_by_test_id("node-search-open").click()
    page.get_by_test_id("node-search-input").fill("zzzz")
    expect(page.get_by_test_id("node-search")).to_contain_text("No step matches")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("node-search")).to_be_hidden()
    expect(page.get_by_test_id("node-mail")).to_have_class(SELECTED)

    # A click on a result works as well; the side panel turns back to the inspector.
    page.get_by_test_id("simulate-open").click()
    page.get_by_test_id("node-search-open").click()
    page.get_by_test_id("node-search-input").fill("ordered")
    page.get_by_test_id("node-search-result-ordered").click()
    expect(page.get_by_test_id("inspector-name")).to_have_value("Ordered")
    _wait_centred(page, "ordered")


def test_question_mark_shows_every_shortcut(page: Page) -> None:
    _new_journey(page, f"Keys {uuid.uuid4().hex[:6]}")
    # Typed into a text field, ? is just a character.
    page.get_by_test_id("palette-search").press("?")
    expect(page.get_by_test_id("palette-search")).to_have_value("?")
    expect(page.get_by_test_id("shortcut-sheet")).to_have_count(0)

    page.get_by_test_id("canvas").click(position={"x": 300, "y": 500})
    page.keyboard.press("?")
    sheet = page.get_by_test_id("shortcut-sheet")
    expect(sheet).to_be_visible()
    for shortcut, keys in {
        "save": "CtrlS",
        "undo": "CtrlZ",
        "redo": "CtrlShiftZ",
        "search": "CtrlK",
        "delete": "Del",
        "cut": "CtrlX",
        "duplicate": "CtrlD",
    }.items():
        expect(sheet.get_by_test_id(f"shortcut-{shortcut}")).to_contain_text(keys)
    expect(sheet.locator(".shortcut-row")).to_have_count(13)
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()

    page.get_by_test_id("shortcuts-open").click()
    expect(sheet).to_be_visible()


def test_a_step_dropped_on_an_edge_splits_it_and_undo_joins_it(page: Page, live_server: LiveServer) -> None:
    key = _new_journey(page, f"Split {uuid.uuid4().hex[:6]}")
    _drop(page, "end", 800, 260)
    # The unreachable end shows the banner above the canvas; connect once it has moved the canvas.
    expect(page.get_by_test_id("publish-blocked")).to_be_visible()
    _connect(page, "start-out", "end-in")
    edge = page.get_by_test_id("rf__edge-e-start-end")
    expect(edge).to_have_count(1)

    _drop(page, "log", *_on_edge(page, "e-start-end"))

    expect(page.get_by_test_id("node-log")).to_be_visible()
    expect(page.get_by_test_id("rf__edge-e-start-log")).to_have_count(1)
    expect(page.get_by_test_id("rf__edge-e-log-end")).to_have_count(1)
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    expect(page.get_by_test_id("node-inspector")).to_be_visible()
    _save(page)
    assert _edges(live_server, key) == {("start", None, "log"), ("log", None, "end")}

    page.get_by_test_id("canvas").click(position={"x": 300, "y": 600})
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("node-log")).to_have_count(0)
    expect(page.get_by_test_id("rf__edge-e-start-end")).to_have_count(1)
    expect(page.locator(".react-flow__edge")).to_have_count(1)

    # An end cannot continue the line: dropped on the edge, it is only added.
    _drop(page, "end", *_on_edge(page, "e-start-end"))
    expect(page.get_by_test_id("node-end_2")).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(1)
    expect(page.get_by_test_id("rf__edge-e-start-end")).to_have_count(1)


def test_the_plus_on_an_edge_inserts_a_step_keeping_the_branch(page: Page, live_server: LiveServer) -> None:
    key = _new_journey(page, f"Plus {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    plus = page.get_by_test_id("edge-insert-e-is_vip-mail")
    plus.click()
    picker = page.get_by_test_id("edge-picker")
    expect(picker).to_be_visible()
    expect(picker.get_by_test_id("edge-picker-end")).to_have_count(0)
    expect(picker.get_by_test_id("edge-picker-trigger")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(picker).to_be_hidden()

    plus.click()
    picker.get_by_test_id("edge-picker-delay").click()
    expect(page.get_by_test_id("node-delay")).to_be_visible()
    expect(page.locator(".react-flow__edge")).to_have_count(8)
    _save(page)
    edges = _edges(live_server, key)
    assert ("is_vip", "false", "delay") in edges
    assert ("delay", None, "mail") in edges
    assert ("is_vip", "false", "mail") not in edges

    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("node-delay")).to_have_count(0)
    expect(page.get_by_test_id("rf__edge-e-is_vip-mail")).to_have_count(1)


def test_steps_are_connected_from_the_inspector_without_dragging(page: Page, live_server: LiveServer) -> None:
    key = _new_journey(page, f"Clicks {uuid.uuid4().hex[:6]}")
    page.get_by_test_id("palette-item-condition").click()
    page.get_by_test_id("palette-item-end").click()

    page.get_by_test_id("node-start").click()
    page.get_by_test_id("branch-target-out").select_option("condition")
    page.get_by_test_id("node-condition").click()
    expect(page.get_by_test_id("branch-target-true").locator("option[value=start]")).to_have_count(0)
    page.get_by_test_id("branch-target-true").select_option("end")
    page.get_by_test_id("branch-target-false").select_option("end")
    expect(page.locator(".react-flow__edge")).to_have_count(3)
    page.get_by_test_id("branch-target-false").select_option("")
    expect(page.locator(".react-flow__edge")).to_have_count(2)
    page.get_by_test_id("undo").click()
    expect(page.locator(".react-flow__edge")).to_have_count(3)
    page.get_by_test_id("node-condition").click()
    expect(page.get_by_test_id("branch-target-false")).to_have_value("end")

    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")
    with live_server.api() as api:
        edges = api.get(f"/journeys/{key}").json()["draft"]["edges"]
    assert {(edge["source"], edge.get("branch"), edge["target"]) for edge in edges} == {
        ("start", None, "condition"),
        ("condition", "true", "end"),
        ("condition", "false", "end"),
    }
