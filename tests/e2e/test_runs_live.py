"""A run watched live against the real engine: the API, a Temporal dev server and a Journey
worker in one thread, the designer in Chromium. The run waits for an event, so the canvas shows
it waiting with its deadline; cancelling it from the run view ends it."""

import json
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.test_designer import _new_journey


def test_a_real_run_waits_live_on_the_canvas_and_is_cancelled(engine_page: Page) -> None:
    page = engine_page
    _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    expect(page.get_by_test_id("problems-empty")).to_be_visible()
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-message").fill("First")
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("published-version")).to_be_visible()

    page.get_by_test_id("runs-open").click()
    page.get_by_test_id("run-user").fill("u-live")
    page.get_by_test_id("run-input").fill(
        json.dumps({"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}]})
    )
    page.get_by_test_id("run-start").click()
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
