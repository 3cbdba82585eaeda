"""The canvas following what happens: per-step run counts of the published version (real runs,
against the API with a Temporal dev server and a worker), and a test run's lit path following
the draft's edits."""

import json
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.test_designer import _connect, _new_journey

# A manual start that fails at "boom" when asked to, and otherwise waits a day at "hold".
FAIL_OR_HOLD = {
    "dsl_version": "1",
    "name": "Stats",
    "nodes": [
        {"id": "start", "type": "trigger", "config": {"kind": "manual"}},
        {"id": "check", "type": "condition", "config": {"expression": "trigger.properties.fail == true"}},
        {"id": "boom", "type": "end", "config": {"status": "failed", "reason": "asked to fail"}},
        {"id": "hold", "type": "wait_for_event", "config": {"event": "never", "timeout": "P1D"}},
        {"id": "done", "type": "end", "config": {"status": "completed"}},
    ],
    "edges": [
        {"source": "start", "target": "check"},
        {"source": "check", "target": "boom", "branch": "true"},
        {"source": "check", "target": "hold", "branch": "false"},
        {"source": "hold", "target": "done", "branch": "event"},
        {"source": "hold", "target": "done", "branch": "timeout"},
    ],
}


# Runs started by the API are seen at the next poll (every 5 s) after their run record is written.
POLLED = 20_000
CART = {"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}]}


def _counts(page: Page, node: str, entered: int, now: int, failed: int) -> None:
    expect(page.get_by_test_id(f"node-stats-{node}-entered")).to_have_text(f"{entered} in")
    expect(page.get_by_test_id(f"node-stats-{node}-now")).to_have_text(f"{now} now")
    expect(page.get_by_test_id(f"node-stats-{node}-failed")).to_have_text(f"{failed} failed")


def test_stats_show_each_steps_runs_of_the_published_version(engine_page: Page, engine_url: str) -> None:
    page = engine_page
    key = f"stats-{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=f"{engine_url}/api/v1", timeout=10) as api:
        assert api.post("/journeys", json={**FAIL_OR_HOLD, "key": key}).status_code == 201
        page.goto(f"/journeys/{key}")
        expect(page.get_by_test_id("node-hold")).to_be_visible()

        # Off by default; on an unpublished journey it says why there is nothing to count.
        expect(page.get_by_test_id("stats-notice")).to_be_hidden()
        page.get_by_test_id("stats-toggle").click()
        expect(page.get_by_test_id("stats-unpublished")).to_contain_text("not published")
        expect(page.get_by_test_id("node-stats-start")).to_be_hidden()

        page.get_by_test_id("publish").click()
        page.get_by_test_id("publish-message").fill("First")
        page.get_by_test_id("publish-confirm").click()
        expect(page.get_by_test_id("stats-summary")).to_contain_text("Version 1: 0 runs")
        _counts(page, "start", 0, 0, 0)

        # Runs started elsewhere show up by themselves: the overlay polls while it is on.
        failing = api.post(f"/journeys/{key}/runs", json={"user_id": "u-fail", "input": {"fail": True}})
        holding = api.post(f"/journeys/{key}/runs", json={"user_id": "u-hold", "input": {"fail": False}})
        assert failing.status_code == holding.status_code == 201, (failing.text, holding.text)
        expect(page.get_by_test_id("stats-summary")).to_contain_text("Version 1: 2 runs", timeout=POLLED)
        _counts(page, "start", 2, 0, 0)
        _counts(page, "check", 2, 0, 0)
        _counts(page, "boom", 1, 0, 1)
        _counts(page, "hold", 1, 1, 0)
        _counts(page, "done", 0, 0, 0)
        expect(page.get_by_test_id("node-stats-boom-failed")).to_have_class("jn-stat fail failed")
        expect(page.get_by_test_id("node-stats-hold-failed")).to_have_class("jn-stat fail")

        # Cancelling from the run view makes the stats stale: nobody is at "hold" any more.
        page.get_by_test_id("runs-open").click()
        page.get_by_test_id("run-row").filter(has_text="u-hold").click()
        page.get_by_test_id("run-cancel").click()
        expect(page.get_by_test_id("run-status")).to_have_text("cancelled")
        expect(page.get_by_test_id("node-stats-hold-now")).to_have_text("0 now", timeout=POLLED)

        page.get_by_test_id("stats-toggle").click()
        expect(page.get_by_test_id("stats-notice")).to_be_hidden()
        expect(page.get_by_test_id("node-stats-start")).to_be_hidden()


def test_a_test_runs_path_follows_the_edits(page: Page) -> None:
    _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    expect(page.get_by_test_id("problems-empty")).to_be_visible()
    page.get_by_test_id("simulate-open").click()
    vip = {"id": "u1", "email": "vip@example.com", "lifetime_value": 900}
    page.get_by_test_id("simulate-user").fill(json.dumps(vip))
    page.get_by_test_id("simulate-input").fill(json.dumps(CART))
    page.get_by_test_id("simulate-run").click()
    expect(page.get_by_test_id("node-vip_mail")).to_have_attribute("data-path", "on")
    expect(page.get_by_test_id("node-mail")).to_have_attribute("data-path", "off")
    expect(page.locator(".react-flow__edge.on-path")).to_have_count(4)

    # Deleting a step on the path takes it, and its edges, off the lit path.
    page.get_by_test_id("node-vip_mail").click()
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("node-vip_mail")).to_have_count(0)
    expect(page.locator(".react-flow__edge.on-path")).to_have_count(2)
    # The test ran again on the edited draft, whose "true" branch now leads nowhere: it says so.
    expect(page.get_by_test_id("simulate-rerun-error")).to_contain_text("branch 'true' is not connected")

    # Sending VIPs to the plain reminder: the test runs again by itself and lights the new path.
    _connect(page, "is_vip-true", "mail-in")
    expect(page.get_by_test_id("node-mail")).to_have_attribute("data-path", "on")
    expect(page.get_by_test_id("node-reminded")).to_have_attribute("data-path", "on")
    # Both of is_vip's edges to "mail" (true and false) are lit, as any edge between path neighbours.
    expect(page.locator(".react-flow__edge.on-path")).to_have_count(5)
    expect(page.get_by_test_id("simulate-stale")).to_be_hidden()
    expect(page.get_by_test_id("simulate-rerun-error")).to_be_hidden()
    expect(page.get_by_test_id("simulate-action")).to_contain_text("vip@example.com")
