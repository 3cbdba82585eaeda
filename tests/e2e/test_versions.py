"""A journey's life in the designer: its published versions (listed, looked at read only,
restored into the draft), pausing, resuming and archiving it, and the journeys list's
duplicate and archive."""

import uuid
from typing import Any

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer


def _document(key: str, note: str) -> dict[str, Any]:
    """On ``signed_up``, log a line (labelled ``note``), then end."""
    return {
        "dsl_version": "1",
        "key": key,
        "name": f"Versions {key}",
        "nodes": [
            {"id": "signed_up", "type": "trigger", "config": {"kind": "event", "event": "signed_up"}},
            {"id": "note", "type": "log", "name": note, "config": {"message": "hello"}},
            {"id": "done", "type": "end"},
        ],
        "edges": [{"source": "signed_up", "target": "note"}, {"source": "note", "target": "done"}],
    }


def _created(api: httpx.Client, *, publish: bool) -> str:
    key = f"life-{uuid.uuid4().hex[:8]}"
    assert api.post("/journeys", json=_document(key, "First label")).status_code == 201
    if publish:
        assert api.post(f"/journeys/{key}/publish", json={"message": "by the API"}).status_code == 201
    return key


def _publish(page: Page, message: str, version: int) -> None:
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-message").fill(message)
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("toast").filter(has_text=f"Published version {version}")).to_be_visible()


def _label(page: Page, text: str) -> None:
    page.get_by_test_id("node-note").click()
    page.get_by_test_id("inspector-name").fill(text)


def _offset(page: Page, node: str, other: str) -> tuple[float, float]:
    """Where ``node`` is from ``other`` on the screen (a pan of the canvas moves both alike)."""
    one = page.get_by_test_id(f"node-{node}").bounding_box()
    two = page.get_by_test_id(f"node-{other}").bounding_box()
    assert one is not None
    assert two is not None
    return one["x"] - two["x"], one["y"] - two["y"]


def test_versions_are_listed_opened_read_only_and_restored_into_the_draft(
    page: Page, live_server: LiveServer
) -> None:
    with live_server.api() as api:
        key = _created(api, publish=False)
    page.goto(f"/journeys/{key}")
    _publish(page, "First: a plain log line", 1)
    _label(page, "Second label")
    _publish(page, "Second: a better label", 2)
    _label(page, "Unsaved label")
    expect(page.get_by_test_id("save-state")).to_have_text("Unsaved changes")

    page.get_by_test_id("versions-open").click()
    panel = page.get_by_test_id("versions-panel")
    expect(panel.get_by_test_id("version-message")).to_have_text(
        ["Second: a better label", "First: a plain log line"]
    )
    expect(page.get_by_test_id("version-row-2")).to_contain_text("live")
    expect(page.get_by_test_id("version-row-1")).not_to_contain_text("live")
    expect(page.get_by_test_id("version-row-1").get_by_test_id("version-time")).to_contain_text("Published")

    # Version 1 on the canvas: marked, and no gesture changes it.
    page.get_by_test_id("version-open-1").click()
    expect(page.get_by_test_id("version-banner")).to_have_text("Version 1 — read only")
    expect(page.get_by_test_id("save-state")).to_have_text("Unsaved changes")
    for hidden in ("save", "publish", "undo", "tidy", "add-note", "json-open"):
        expect(page.get_by_test_id(hidden)).to_be_hidden()
    expect(page.locator("[data-testid^='edge-insert-']")).to_have_count(0)
    expect(page.get_by_test_id("palette-item-log")).to_be_disabled()
    node = page.get_by_test_id("node-note")
    node.click()
    expect(page.get_by_test_id("inspector-name")).to_have_value("First label")
    expect(page.get_by_test_id("inspector-name")).to_be_disabled()
    expect(page.get_by_test_id("delete-node")).to_be_disabled()
    before = _offset(page, "note", "done")
    box = node.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 40, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 240, box["y"] + 220, steps=10)
    page.mouse.up()
    page.keyboard.press("Delete")
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("toast").filter(has_text="read only")).to_be_visible()
    expect(node).to_be_visible()
    assert _offset(page, "note", "done") == before
    with live_server.api() as api:
        draft = api.get(f"/journeys/{key}").json()
    assert (draft["revision"], draft["draft"]["nodes"][1]["name"]) == (2, "Second label")

    # Back to the draft as it was left, unsaved edit included.
    page.get_by_test_id("version-back").click()
    expect(page.get_by_test_id("version-banner")).to_be_hidden()
    node.click()
    expect(page.get_by_test_id("inspector-name")).to_have_value("Unsaved label")
    expect(page.get_by_test_id("inspector-name")).to_be_enabled()

    # Restoring is one undoable change of the draft, saved by the usual save.
    page.get_by_test_id("versions-open").click()
    page.get_by_test_id("version-open-1").click()
    page.get_by_test_id("version-restore").click()
    expect(page.get_by_test_id("version-banner")).to_be_hidden()
    expect(page.get_by_test_id("save-state")).to_have_text("Unsaved changes")
    node.click()
    expect(page.get_by_test_id("inspector-name")).to_have_value("First label")
    page.get_by_test_id("undo").click()
    node.click()
    expect(page.get_by_test_id("inspector-name")).to_have_value("Unsaved label")
    page.get_by_test_id("redo").click()
    node.click()
    expect(page.get_by_test_id("inspector-name")).to_have_value("First label")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("save-state")).to_have_text("Saved (revision 3)")
    with live_server.api() as api:
        saved = api.get(f"/journeys/{key}").json()
        first = api.get(f"/journeys/{key}/versions/1").json()
    assert saved["draft"] == first["document"]
    assert saved["published_version"] == 2


def test_pause_resume_and_archive_from_the_header(page: Page, live_server: LiveServer) -> None:
    with live_server.api() as api:
        key = _created(api, publish=True)
    page.goto(f"/journeys/{key}")
    status = page.get_by_test_id("journey-status")
    expect(status).to_have_text("active")

    page.get_by_test_id("journey-pause").click()
    expect(status).to_have_text("paused")
    with live_server.api() as api:
        assert api.get(f"/journeys/{key}").json()["status"] == "paused"
    page.get_by_test_id("journey-resume").click()
    expect(status).to_have_text("active")
    with live_server.api() as api:
        assert api.get(f"/journeys/{key}").json()["status"] == "active"

    # Archiving asks first; cancelling leaves the journey as it was.
    page.get_by_test_id("journey-archive").click()
    expect(page.get_by_test_id("archive-dialog")).to_contain_text("cannot be undone")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("archive-dialog")).to_be_hidden()
    expect(status).to_have_text("active")
    page.get_by_test_id("journey-archive").click()
    page.get_by_test_id("archive-confirm").click()
    expect(status).to_have_text("archived")
    for gone in ("journey-pause", "journey-resume", "journey-archive"):
        expect(page.get_by_test_id(gone)).to_be_hidden()
    with live_server.api() as api:
        assert api.get(f"/journeys/{key}").json()["status"] == "archived"


def test_a_refused_pause_is_explained(page: Page, live_server: LiveServer) -> None:
    with live_server.api() as api:
        key = _created(api, publish=True)
    page.goto(f"/journeys/{key}")
    expect(page.get_by_test_id("journey-status")).to_have_text("active")
    with live_server.api() as api:
        assert api.delete(f"/journeys/{key}").status_code == 204

    page.get_by_test_id("journey-pause").click()

    expect(page.get_by_test_id("toast").filter(has_text="Could not pause")).to_contain_text(
        "an archived journey cannot be paused"
    )
    expect(page.get_by_test_id("journey-status")).to_have_text("archived")


def test_the_list_shows_each_journey_and_duplicates_and_archives_one(
    page: Page, live_server: LiveServer
) -> None:
    with live_server.api() as api:
        key = _created(api, publish=True)
        original = api.get(f"/journeys/{key}").json()
    page.goto("/")
    row = page.get_by_test_id(f"journey-row-{key}")
    expect(row).to_contain_text(f"Versions {key}")
    expect(row).to_contain_text("active")
    expect(row).to_contain_text("v1")
    expect(row.get_by_test_id("runs-in-progress")).to_have_text("0")

    page.get_by_test_id(f"duplicate-{key}").click()
    dialog = page.get_by_test_id("duplicate-dialog")
    expect(page.get_by_test_id("duplicate-key")).to_have_value(f"{key}-copy")
    expect(page.get_by_test_id("duplicate-name")).to_have_value(f"Versions {key} (copy)")
    page.get_by_test_id("duplicate-key").fill(key)
    expect(dialog).to_contain_text("This key is taken")
    expect(page.get_by_test_id("duplicate-confirm")).to_be_disabled()
    page.get_by_test_id("duplicate-key").fill(f"{key}-copy")
    page.get_by_test_id("duplicate-name").fill("The copy")
    page.get_by_test_id("duplicate-confirm").click()
    copy_row = page.get_by_test_id(f"journey-row-{key}-copy")
    expect(copy_row).to_contain_text("The copy")
    expect(copy_row).to_contain_text("draft")
    expect(page).to_have_url(f"{live_server.url}/")
    with live_server.api() as api:
        copy = api.get(f"/journeys/{key}-copy").json()
    assert (copy["status"], copy["published_version"]) == ("draft", None)
    assert copy["draft"] == {**original["draft"], "key": f"{key}-copy", "name": "The copy"}

    page.get_by_test_id(f"archive-{key}").click()
    expect(page.get_by_test_id("archive-dialog")).to_be_visible()
    page.get_by_test_id("archive-confirm").click()
    expect(row).to_contain_text("archived")
    expect(page.get_by_test_id(f"archive-{key}")).to_have_count(0)
    expect(page).to_have_url(f"{live_server.url}/")
    with live_server.api() as api:
        assert api.get(f"/journeys/{key}").json()["status"] == "archived"
        assert api.get(f"/journeys/{key}-copy").json()["status"] == "draft"
