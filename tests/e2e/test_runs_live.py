"""Runs watched live against the real engine: the API, a Temporal dev server and a Journey
worker in one thread, the designer in Chromium. One run waits for an event, so the canvas shows
it waiting with its deadline, and is cancelled from the run view; another calls a real webhook
receiver on loopback, and its step turns from running to done when the receiver answers."""

import json
import time
import uuid

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.test_designer import _new_journey
from tests.support.http_receiver import HttpReceiver, Reply
from tests.support.journeys import linear_journey


def test_a_real_run_waits_live_on_the_canvas_and_is_cancelled(engine_page: Page) -> None:
    page = engine_page
    _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    _publish_and_start(page, "u-live", {"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}]})
    expect(page.get_by_test_id("run-view")).to_be_visible()
    expect(page.get_by_test_id("run-status")).to_have_text("waiting")
    expect(page.get_by_test_id("node-start")).to_have_attribute("data-run-status", "completed")
    expect(page.get_by_test_id("node-wait_order")).to_have_attribute("data-run-status", "waiting")
    expect(page.get_by_test_id("node-run-wait_order")).to_contain_text("until")

    page.get_by_test_id("run-cancel").click()
    expect(page.get_by_test_id("run-status")).to_have_text("cancelled")
    expect(page.get_by_test_id("run-cancel")).to_be_hidden()
    page.get_by_test_id("run-back").click()
    expect(page.get_by_test_id("run-row").first).to_contain_text("cancelled")


def test_the_webhook_step_turns_green_when_the_receiver_answers(
    engine_page: Page, engine_url: str, http_receiver: HttpReceiver
) -> None:
    page = engine_page
    key = f"hook-{uuid.uuid4().hex[:8]}"
    path = f"/e2e/{key}"
    http_receiver.reply(path, Reply(200, body={"ok": True}, delay=2.0))
    config = {"url": http_receiver.url(path), "body": {"user": "{{ user.id }}"}}
    call = {"id": "call", "type": "webhook", "config": config}
    journey = linear_journey(key, [call, {"id": "done", "type": "end"}])
    assert httpx.post(f"{engine_url}/api/v1/journeys", json=journey, timeout=10).status_code == 201

    page.goto(f"/journeys/{key}")
    _publish_and_start(page, "u-hook")

    # The receiver holds the call for 2 s: the step is not done before it answers, then it is.
    _until_received(http_receiver, path)
    assert page.get_by_test_id("node-call").get_attribute("data-run-status") != "completed"
    expect(page.get_by_test_id("node-call")).to_have_attribute("data-run-status", "completed")
    expect(page.get_by_test_id("run-status")).to_have_text("completed")
    [request] = http_receiver.requests(path)
    assert json.loads(request.body) == {"user": "u-hook"}
    assert request.headers["idempotency-key"]


def _publish_and_start(page: Page, user: str, trigger_input: dict[str, object] | None = None) -> None:
    """Publish the open journey, then start a run for ``user`` from the runs panel."""
    expect(page.get_by_test_id("problems-empty")).to_be_visible()
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-message").fill("First")
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("published-version")).to_be_visible()
    page.get_by_test_id("runs-open").click()
    page.get_by_test_id("run-user").fill(user)
    if trigger_input is not None:
        page.get_by_test_id("run-input").fill(json.dumps(trigger_input))
    page.get_by_test_id("run-start").click()


def _until_received(receiver: HttpReceiver, path: str, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not receiver.requests(path):
        assert time.monotonic() < deadline, f"nothing reached {path} within {within:g} s"
        time.sleep(0.02)
