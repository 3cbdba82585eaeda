"""Runs in the designer: starting one on the published version, the runs list, and a run
watched live on the canvas from its server-sent events, with its step timeline and cancel.

The e2e API has no engine (no Temporal), so starting a real run answers 503 and the designer
says so in words; the live part is driven by the engine's answers played back through
Playwright's routing (the run JSON exactly as ``GET /runs/{id}`` and the stream give it).
"""

import json
import uuid
from typing import Any

from playwright.sync_api import Page, Route, expect

from tests.e2e.test_designer import _new_journey

CART = {"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}]}


def _publish(page: Page) -> None:
    expect(page.get_by_test_id("problems-empty")).to_be_visible()
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-message").fill("First")
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("published-version")).to_be_visible()


def test_without_the_engine_starting_a_run_says_why(page: Page) -> None:
    _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    page.get_by_test_id("runs-open").click()
    expect(page.get_by_test_id("run-start")).to_be_disabled()
    page.get_by_test_id("runs-close").click()
    _publish(page)
    page.get_by_test_id("runs-open").click()
    expect(page.get_by_test_id("runs-empty")).to_be_visible()
    page.get_by_test_id("run-input").fill("{nope")
    page.get_by_test_id("run-start").click()
    expect(page.get_by_test_id("run-error")).to_contain_text("Trigger input is not valid JSON")
    page.get_by_test_id("run-input").fill(json.dumps(CART))
    page.get_by_test_id("run-start").click()
    error = page.get_by_test_id("run-error")
    expect(error).to_contain_text("the engine is not available")
    expect(error).to_contain_text("the engine is not connected")


def _run(
    key: str, status: str, steps: list[dict[str, Any]], active: list[str], **extra: Any
) -> dict[str, Any]:
    return {
        "run_id": "run-1",
        "journey": key,
        "version": 1,
        "user_id": "u1",
        "status": status,
        "started_at": "2026-01-01T10:00:00Z",
        "finished_at": extra.get("finished_at"),
        "active_nodes": active,
        "steps": steps,
        "error": extra.get("error"),
    }


def _step(node: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"node_id": node, "status": status, "started_at": "2026-01-01T10:00:00Z", "attempts": 1, **extra}


def test_a_run_watched_live_shows_each_step_on_the_canvas(page: Page) -> None:
    key = _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    _publish(page)
    started = _run(key, "running", [_step("start", "running")], ["start"])
    waiting = _run(
        key,
        "waiting",
        [
            _step("start", "completed", output={"name": "manual", "properties": CART}),
            _step(
                "wait_order",
                "waiting",
                started_at="2026-01-01T10:00:01Z",
                waiting_until="2026-01-01T14:00:01Z",
            ),
        ],
        ["wait_order"],
    )
    cancelled = _run(
        key,
        "cancelled",
        [
            _step("start", "completed", output={"name": "manual", "properties": CART}),
            _step("wait_order", "cancelled", started_at="2026-01-01T10:00:01Z"),
        ],
        [],
        finished_at="2026-01-01T10:05:00Z",
    )
    calls: list[str] = []

    def start(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        calls.append(f"start {route.request.post_data}")
        route.fulfill(status=201, json=started)

    def stream(route: Route) -> None:
        body = (
            "".join(f"event: run\ndata: {json.dumps(view)}\n\n" for view in (started, waiting))
            + "event: end\ndata: {}\n\n"
        )
        route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=body)

    def cancel(route: Route) -> None:
        calls.append("cancel")
        route.fulfill(status=202, json={"run_id": "run-1", "status": "cancelling"})

    page.route(f"**/api/v1/journeys/{key}/runs", start)
    page.route("**/api/v1/runs/run-1/stream", stream)
    page.route("**/api/v1/runs/run-1/cancel", cancel)
    page.route(
        "**/api/v1/runs/run-1", lambda route: route.fulfill(json=cancelled if "cancel" in calls else waiting)
    )

    page.get_by_test_id("runs-open").click()
    page.get_by_test_id("run-user").fill("u1")
    page.get_by_test_id("run-input").fill(json.dumps(CART))
    page.get_by_test_id("run-start").click()
    expect(page.get_by_test_id("run-view")).to_be_visible()
    assert json.loads(calls[0].removeprefix("start ")) == {"user_id": "u1", "input": CART}

    # The stream's last word: the trigger done, the wait waiting with its deadline.
    expect(page.get_by_test_id("run-status")).to_have_text("waiting")
    expect(page.get_by_test_id("node-start")).to_have_attribute("data-run-status", "completed")
    expect(page.get_by_test_id("node-wait_order")).to_have_attribute("data-run-status", "waiting")
    expect(page.get_by_test_id("node-run-wait_order")).to_contain_text("until")
    expect(page.get_by_test_id("node-mail")).not_to_have_attribute("data-run-status", "completed")
    expect(page.get_by_test_id("node-mail")).to_have_attribute("data-path", "off")
    steps = page.get_by_test_id("run-step")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("Cart updated")
    expect(steps.nth(1)).to_contain_text("Wait for the order")
    expect(steps.nth(1)).to_contain_text("waiting until")

    page.get_by_test_id("run-cancel").click()
    expect(page.get_by_test_id("run-status")).to_have_text("cancelled")
    expect(page.get_by_test_id("node-wait_order")).to_have_attribute("data-run-status", "cancelled")
    expect(page.get_by_test_id("run-cancel")).to_be_hidden()
    assert "cancel" in calls

    # Run again: the same user and trigger input, watched from the start.
    page.get_by_test_id("run-again").click()
    expect(page.get_by_test_id("run-status")).to_have_text("waiting")
    expect(page.get_by_test_id("node-wait_order")).to_have_attribute("data-run-status", "waiting")
    assert json.loads(calls[-1].removeprefix("start ")) == {"user_id": "u1", "input": CART}

    page.get_by_test_id("run-back").click()
    expect(page.get_by_test_id("node-wait_order")).not_to_have_attribute("data-run-status", "cancelled")


def test_a_failed_step_shows_its_error_on_the_node(page: Page) -> None:
    key = _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    _publish(page)
    failed = _run(
        key,
        "failed",
        [
            _step("start", "completed"),
            _step("wait_order", "completed", started_at="2026-01-01T10:00:01Z", output={"timed_out": True}),
            _step("is_vip", "completed", started_at="2026-01-01T14:00:01Z"),
            _step(
                "mail",
                "failed",
                started_at="2026-01-01T14:00:02Z",
                attempts=5,
                error="SMTP said 550: no such mailbox",
            ),
        ],
        [],
        error="step mail failed",
        finished_at="2026-01-01T14:01:00Z",
    )
    summary = {
        k: failed[k]
        for k in (
            "run_id",
            "journey",
            "version",
            "user_id",
            "status",
            "started_at",
            "finished_at",
            "active_nodes",
        )
    }
    page.route(
        "**/api/v1/runs?*", lambda route: route.fulfill(json={"items": [summary], "next_cursor": None})
    )
    page.route("**/api/v1/runs/run-1", lambda route: route.fulfill(json=failed))
    page.get_by_test_id("runs-open").click()
    page.get_by_test_id("run-row").click()
    expect(page.get_by_test_id("run-status")).to_have_text("failed")
    expect(page.get_by_test_id("node-mail")).to_have_attribute("data-run-status", "failed")
    expect(page.get_by_test_id("node-run-mail")).to_contain_text("no such mailbox")
    expect(page.get_by_test_id("node-run-mail")).to_contain_text("5 attempts")
    expect(page.get_by_test_id("node-is_vip")).to_have_attribute("data-run-status", "completed")
    expect(page.get_by_test_id("run-run-error")).to_contain_text("step mail failed")
    expect(page.get_by_test_id("run-cancel")).to_be_hidden()
