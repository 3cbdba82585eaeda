"""Sticky notes on the canvas and the document as JSON: a note survives a save and a reload;
the JSON view edits, refuses bad syntax, exports and imports the very document that is saved."""

import json
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import FloatRect, Locator, Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_designer import _new_journey


def _saved_draft(live_server: LiveServer, key: str) -> dict[str, Any]:
    with live_server.api() as api:
        response = api.get(f"/journeys/{key}")
        response.raise_for_status()
        draft: dict[str, Any] = response.json()["draft"]
        return draft


def _save(page: Page) -> None:
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved (revision")


def _box(locator: Locator) -> FloatRect:
    box = locator.bounding_box()
    assert box is not None
    return box


def _drag(page: Page, x: float, y: float, dx: float, dy: float) -> None:
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=12)
    page.mouse.up()


def _json_text(page: Page) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(page.get_by_test_id("json-text").input_value())
    return value


def test_a_note_is_saved_and_comes_back(page: Page, live_server: LiveServer) -> None:
    key = _new_journey(page, f"Notes {uuid.uuid4().hex[:6]}")
    page.get_by_test_id("add-note").click()
    note = page.get_by_test_id("note-note_1")
    expect(note).to_be_visible()
    note.get_by_test_id("note-note_1-text").fill("Ask legal about the wording")
    page.get_by_test_id("note-note_1-colour-blue").click()
    expect(note).to_have_attribute("data-colour", "blue")

    # Moved by its top edge, resized by its corner handle; each gesture is one undo step.
    before = _box(note)
    _drag(page, before["x"] + 40, before["y"] + 5, 120, 60)
    moved = _box(note)
    assert moved["x"] > before["x"] + 80
    assert moved["width"] == before["width"]
    corner = page.locator(".react-flow__node-note .react-flow__resize-control.handle.bottom.right")
    corner_box = _box(corner)
    _drag(page, corner_box["x"] + corner_box["width"] / 2, corner_box["y"] + corner_box["height"] / 2, 90, 45)
    assert _box(note)["width"] > moved["width"] + 60
    page.get_by_test_id("undo").click()
    expect(note).to_have_js_property("offsetWidth", 220)
    page.get_by_test_id("redo").click()

    # A frame around the selected step, labelled in place.
    expect(page.get_by_test_id("add-frame")).to_be_disabled()
    page.get_by_test_id("node-start").click()
    page.get_by_test_id("add-frame").click()
    page.get_by_test_id("group-group_1-text").fill("Entry")
    _save(page)

    saved, frame = _saved_draft(live_server, key)["annotations"]
    assert frame["kind"] == "group"
    assert frame["text"] == "Entry"
    assert frame["nodes"] == ["start"]
    assert saved["id"] == "note_1"
    assert saved["kind"] == "note"
    assert saved["text"] == "Ask legal about the wording"
    assert saved["color"] == "blue"
    assert saved["size"]["width"] > 280
    assert saved["size"]["height"] > 170

    page.reload()
    expect(page.get_by_test_id("note-note_1-text")).to_have_value("Ask legal about the wording")
    expect(page.get_by_test_id("note-note_1")).to_have_attribute("data-colour", "blue")
    expect(page.get_by_test_id("group-group_1-text")).to_have_value("Entry")
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved (revision")
    # The note is no step: nothing to connect, and validation speaks only of the lone trigger.
    expect(page.get_by_test_id("note-note_1").locator(".react-flow__handle")).to_have_count(0)
    expect(page.get_by_test_id("problem")).to_have_count(1)
    expect(page.get_by_test_id("problem")).to_contain_text("path_without_end")

    # Deleting it is one undo step.
    page.get_by_test_id("note-note_1").click(position={"x": 6, "y": 6})
    page.get_by_test_id("note-note_1-delete").click()
    expect(page.get_by_test_id("note-note_1")).to_have_count(0)
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("note-note_1-text")).to_have_value("Ask legal about the wording")

    # The server still checks a note's shape, and Problems says so.
    page.get_by_test_id("note-note_1-text").fill("x" * 10_001)
    expect(page.get_by_test_id("problem")).to_have_count(2)
    expect(page.get_by_test_id("problem").filter(has_text="annotations.0.text")).to_have_count(1)


def test_edit_the_document_as_json(page: Page, live_server: LiveServer) -> None:
    key = _new_journey(page, f"Json {uuid.uuid4().hex[:6]}")
    page.get_by_test_id("json-open").click()
    doc = _json_text(page)
    assert doc["key"] == key
    start = next(node for node in doc["nodes"] if node["id"] == "start")
    start["name"] = "Signed up via JSON"
    page.get_by_test_id("json-text").fill(json.dumps(doc, indent=2))
    page.get_by_test_id("json-apply").click()
    expect(page.get_by_test_id("node-start")).to_contain_text("Signed up via JSON")
    expect(page.get_by_test_id("save-state")).to_have_text("Unsaved changes")

    # A syntax error says where, and changes nothing.
    broken = '{\n  "key": "x",\n  "name": "Broken"\n  "nodes": []\n}'
    page.get_by_test_id("json-text").fill(broken)
    page.get_by_test_id("json-apply").click()
    expect(page.get_by_test_id("json-error")).to_contain_text("line 4, column 3")
    expect(page.get_by_test_id("json-text")).to_be_focused()
    assert page.get_by_test_id("json-text").evaluate("area => area.selectionStart") == broken.index('"nodes"')
    expect(page.get_by_test_id("json-error")).to_contain_text("Nothing was changed")
    expect(page.get_by_test_id("node-start")).to_contain_text("Signed up via JSON")
    # So does a document the canvas cannot draw as it is.
    page.get_by_test_id("json-text").fill(json.dumps({**doc, "nodes": [{"type": "end"}]}))
    page.get_by_test_id("json-apply").click()
    expect(page.get_by_test_id("json-error")).to_contain_text("Node #1 has no id")
    expect(page.get_by_test_id("node-start")).to_contain_text("Signed up via JSON")
    page.get_by_test_id("json-revert").click()
    assert _json_text(page)["nodes"][0]["name"] == "Signed up via JSON"

    # Applying is one undo step.
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("node-start")).not_to_contain_text("Signed up via JSON")
    page.get_by_test_id("redo").click()
    expect(page.get_by_test_id("node-start")).to_contain_text("Signed up via JSON")
    _save(page)

    with page.expect_download() as download_info:
        page.get_by_test_id("json-export").click()
    download = download_info.value
    assert download.suggested_filename == f"{key}.json"
    exported = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert exported == _saved_draft(live_server, key)


def test_import_a_document_from_a_file(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    key = _new_journey(page, f"Import {uuid.uuid4().hex[:6]}")
    imported = {
        "dsl_version": "1",
        "key": "someone-elses",
        "name": "Imported journey",
        "nodes": [
            {"id": "begin", "type": "trigger", "config": {"kind": "manual"}, "position": {"x": 0, "y": 0}},
            {"id": "finish", "type": "end", "name": "All done", "position": {"x": 320, "y": 0}},
        ],
        "edges": [{"id": "e1", "source": "begin", "target": "finish"}],
        "annotations": [
            {"id": "why", "kind": "note", "text": "Imported note", "position": {"x": 0, "y": -220}},
            {
                "id": "frame",
                "kind": "group",
                "text": "Everything",
                "position": {"x": -40, "y": -40},
                "size": {"width": 640, "height": 200},
                "nodes": ["begin", "finish"],
            },
        ],
    }
    path = tmp_path / "other.json"
    path.write_text(json.dumps(imported), encoding="utf-8")

    page.get_by_test_id("json-open").click()
    page.get_by_test_id("json-import-file").set_input_files(str(path))
    expect(page.get_by_test_id("node-finish")).to_contain_text("All done")
    expect(page.get_by_test_id("node-start")).to_have_count(0)
    expect(page.get_by_test_id("note-why-text")).to_have_value("Imported note")
    expect(page.get_by_test_id("group-frame-text")).to_have_value("Everything")
    expect(page.get_by_test_id("json-notice")).to_contain_text(f"loaded as '{key}'")
    assert _json_text(page)["key"] == key

    _save(page)
    draft = _saved_draft(live_server, key)
    assert draft["key"] == key
    assert draft["name"] == "Imported journey"
    assert draft["annotations"] == imported["annotations"]
    page.reload()
    expect(page.get_by_test_id("group-frame-text")).to_have_value("Everything")
