"""The journey's settings form: optional quiet hours stay unset (and unsaved) until turned on,
and only then ask for their start and end."""

import uuid
from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_designer import _new_journey


def _saved(page: Page, live_server: LiveServer, key: str, revision: int) -> dict[str, Any]:
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("save-state")).to_contain_text(f"Saved (revision {revision})")
    with live_server.api() as api:
        saved: dict[str, Any] = api.get(f"/journeys/{key}").json()
    return saved


def test_quiet_hours_stay_unset_until_turned_on(page: Page, live_server: LiveServer) -> None:
    key = _new_journey(page, f"Quiet {uuid.uuid4().hex[:6]}")
    form = page.get_by_test_id("settings-form")
    toggle = form.locator("#settings_quiet_hours__anyof_select")
    expect(toggle).to_have_value("0")
    expect(form.locator("#settings_quiet_hours_start")).to_have_count(0)

    # Changing another setting saves that setting only: no half-made quiet hours, no issue about them.
    # (The form counts a change as the person's once a field has had focus, as a click gives it.)
    form.locator("#settings_reentry").focus()
    form.locator("#settings_reentry").select_option("once")
    saved = _saved(page, live_server, key, 2)
    assert saved["draft"]["settings"] == {"reentry": "once"}
    assert not [issue for issue in saved["issues"] if "quiet_hours" in (issue.get("path") or "")]

    toggle.select_option(label="On")
    form.locator("#settings_quiet_hours_start").fill("21:00")
    form.locator("#settings_quiet_hours_end").fill("08:00")
    saved = _saved(page, live_server, key, 3)
    assert saved["draft"]["settings"]["quiet_hours"] == {"start": "21:00", "end": "08:00", "timezone": "UTC"}

    toggle.select_option(label="Off")
    expect(form.locator("#settings_quiet_hours_start")).to_have_count(0)
    saved = _saved(page, live_server, key, 4)
    assert saved["draft"]["settings"].get("quiet_hours") is None
