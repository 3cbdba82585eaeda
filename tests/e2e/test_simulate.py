"""The test run panel: the draft simulated on a virtual clock, its path lit on the canvas and
the actions it would perform listed; bad JSON and journeys with errors say so in words."""

import json
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.test_designer import _new_journey

CART = {"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}]}


def test_simulate_a_template_lights_its_path_and_lists_the_actions(page: Page) -> None:
    _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    expect(page.get_by_test_id("problems-empty")).to_be_visible()
    page.get_by_test_id("simulate-open").click()
    panel = page.get_by_test_id("simulate-panel")
    expect(panel).to_be_visible()

    # Invalid JSON is refused before anything is sent.
    page.get_by_test_id("simulate-input").fill("{not json")
    page.get_by_test_id("simulate-run").click()
    expect(page.get_by_test_id("simulate-error")).to_contain_text("Trigger input is not valid JSON")

    # No order within four hours: the plain reminder goes out.
    page.get_by_test_id("simulate-user").fill(
        json.dumps({"id": "u1", "email": "ada@example.com", "first_name": "Ada"})
    )
    page.get_by_test_id("simulate-input").fill(json.dumps(CART))
    page.get_by_test_id("simulate-run").click()
    expect(page.get_by_test_id("simulate-error")).to_be_hidden()
    expect(page.get_by_test_id("simulate-status")).to_have_text("completed")
    for node in ("start", "wait_order", "is_vip", "mail", "reminded"):
        expect(page.get_by_test_id(f"node-{node}")).to_have_attribute("data-path", "on")
    for node in ("vip_mail", "ordered"):
        expect(page.get_by_test_id(f"node-{node}")).to_have_attribute("data-path", "off")
    expect(page.locator(".react-flow__edge.on-path")).to_have_count(4)
    expect(page.locator(".react-flow__edge.off-path")).to_have_count(3)
    action = page.get_by_test_id("simulate-action")
    expect(action).to_have_count(1)
    expect(action).to_contain_text("Reminder")
    expect(action).to_contain_text("send_email")
    expect(action).to_contain_text("ada@example.com")
    expect(action).to_contain_text("You left 1 items in your cart")

    # The order arrives after an hour: the run ends at "Ordered" and nothing is sent.
    page.get_by_test_id("simulate-add-event").click()
    page.get_by_test_id("simulate-event-after-0").fill("PT1H")
    page.get_by_test_id("simulate-event-name-0").fill("order_completed")
    page.get_by_test_id("simulate-event-properties-0").fill('{"cart_id": "c1"}')
    page.get_by_test_id("simulate-run").click()
    expect(page.get_by_test_id("node-ordered")).to_have_attribute("data-path", "on")
    expect(page.get_by_test_id("node-mail")).to_have_attribute("data-path", "off")
    expect(page.get_by_test_id("simulate-action")).to_have_count(0)
    expect(page.get_by_test_id("simulate-stale")).to_be_hidden()

    # Moving the steps around does not change the path: the result stays current.
    page.get_by_test_id("tidy").click()
    expect(page.get_by_test_id("node-ordered")).to_have_attribute("data-path", "on")
    expect(page.get_by_test_id("simulate-stale")).to_be_hidden()

    # Closing the panel takes the highlight off the canvas.
    page.get_by_test_id("simulate-close").click()
    expect(page.get_by_test_id("simulate-panel")).to_be_hidden()
    expect(page.get_by_test_id("node-mail")).not_to_have_attribute("data-path", "off")
    expect(page.locator(".react-flow__edge.off-path")).to_have_count(0)


def test_simulating_a_journey_with_errors_says_so_on_the_steps(page: Page) -> None:
    _new_journey(page, f"Broken {uuid.uuid4().hex[:6]}")
    page.get_by_test_id("palette-item-send_email").drag_to(
        page.get_by_test_id("canvas"), target_position={"x": 500, "y": 200}
    )
    page.get_by_test_id("simulate-open").click()
    page.get_by_test_id("simulate-run").click()
    expect(page.get_by_test_id("simulate-error")).to_contain_text("error")
    expect(page.get_by_test_id("simulate-error")).to_contain_text("marked on the steps")
    expect(page.get_by_test_id("node-badge-send_email")).to_be_visible()
    expect(page.get_by_test_id("simulate-result")).to_be_hidden()
