"""The example journeys in ``examples/`` are valid, and every path of each is reachable.

Each test simulates one example with an input, a user and scripted events, and asserts the
path the run takes (and what it would send), so an example that stops doing what its
description says fails here.
"""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from journey.dsl.simulate import SimulationResult, simulate
from journey.dsl.validate import parse, validate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))
MONDAY_10_UTC = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def _user(user_id: str = "u1", **attributes: Any) -> dict[str, Any]:
    return {"id": user_id, "email": f"{user_id}@example.com", "first_name": "Ada", **attributes}


def _simulate(
    example: str,
    input: dict[str, Any],
    user: dict[str, Any],
    events: list[dict[str, Any]] | None = None,
    outputs: dict[str, Any] | None = None,
    start: datetime = MONDAY_10_UTC,
) -> SimulationResult:
    document = json.loads((EXAMPLES / f"{example}.json").read_text(encoding="utf-8"))
    return simulate(parse(document), input, user, events=events, outputs=outputs, start=start)


def _acted(result: SimulationResult) -> list[str]:
    return [action.node_id for action in result.actions]


def test_there_are_examples() -> None:
    assert len(EXAMPLE_FILES) >= 5


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.stem)
def test_example_is_valid_described_and_laid_out(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert validate(document) == []
    journey = parse(document)
    assert journey.key == path.stem
    assert len(journey.description or "") > 200
    assert all(edge.id is not None for edge in journey.edges)
    spots = {(node.position.x, node.position.y) for node in journey.nodes if node.position is not None}
    assert len(spots) == len(journey.nodes), "every node has a position of its own"


# --- welcome-series ------------------------------------------------------------------------------

WELCOME_START = ["signed_up", "welcome", "two_days", "weekday_morning", "onboarded"]


def test_welcome_tips_at_half_past_nine_local_for_onboarded_users() -> None:
    result = _simulate("welcome-series", {"plan": "pro"}, _user(onboarded=True, timezone="Europe/Paris"))
    assert result.status == "completed"
    assert result.path == [*WELCOME_START, "tips", "mark_done", "done"]
    welcome, tips, mark_done = result.actions
    assert welcome.at == MONDAY_10_UTC
    assert "pro plan" in welcome.params["text"]
    assert tips.at == datetime(2026, 1, 8, 8, 30, tzinfo=UTC), "Thursday 09:30 in Paris"
    assert (mark_done.node_id, mark_done.at) == ("mark_done", tips.at)
    assert result.user["welcome_series"] == "completed"


def test_welcome_nudge_waits_for_a_weekday_morning() -> None:
    friday_evening = datetime(2026, 1, 9, 18, 0, tzinfo=UTC)
    result = _simulate("welcome-series", {}, _user(timezone="America/New_York"), start=friday_evening)
    assert result.path == [*WELCOME_START, "nudge", "mark_done", "done"]
    nudge = result.actions[1]
    assert nudge.node_id == "nudge"
    assert nudge.at == datetime(2026, 1, 12, 14, 30, tzinfo=UTC), "Monday 09:30 in New York, not Sunday"


def test_welcome_ends_when_the_user_unsubscribes() -> None:
    result = _simulate("welcome-series", {}, _user(), events=[{"after": "P1D", "name": "unsubscribed"}])
    assert result.status == "exited"
    assert result.path == ["signed_up", "welcome", "two_days"]


# --- abandoned-cart ------------------------------------------------------------------------------

CART = {"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}, {"sku": "tea"}]}


@pytest.mark.parametrize(
    ("lifetime_value", "mail"),
    [(900, "vip_mail"), (20, "mail"), (None, "mail")],
    ids=["vip", "regular", "new"],
)
def test_cart_reminder_after_four_hours(lifetime_value: int | None, mail: str) -> None:
    user = _user() if lifetime_value is None else _user(lifetime_value=lifetime_value)
    result = _simulate("abandoned-cart", CART, user)
    assert result.status == "completed"
    assert result.path == ["start", "wait_order", "is_vip", mail, "reminded"]
    [action] = result.actions
    assert action.at == datetime(2026, 1, 5, 14, 0, tzinfo=UTC)
    assert "2 items" in action.params["subject"]


def test_cart_reminder_respects_quiet_hours() -> None:
    result = _simulate("abandoned-cart", CART, _user(), start=datetime(2026, 1, 5, 19, 0, tzinfo=UTC))
    assert [(action.node_id, action.at) for action in result.actions] == [
        ("mail", datetime(2026, 1, 6, 8, 0, tzinfo=UTC))
    ]


def test_cart_order_for_this_cart_ends_without_reminder() -> None:
    events = [{"after": "PT1H", "name": "order_completed", "properties": {"cart_id": "c1"}}]
    result = _simulate("abandoned-cart", CART, _user(), events=events)
    assert result.path == ["start", "wait_order", "ordered"]
    assert result.actions == []


def test_cart_cleared_exits_and_other_carts_do_not_count() -> None:
    events = [
        {"after": "PT1H", "name": "order_completed", "properties": {"cart_id": "another"}},
        {"after": "PT2H", "name": "cart_cleared", "properties": {"cart_id": "c1"}},
    ]
    result = _simulate("abandoned-cart", CART, _user(), events=events)
    assert result.status == "exited"
    assert result.path == ["start", "wait_order"]


# --- re-engagement -------------------------------------------------------------------------------
# The split hashes the user id: u3 always lands in discount, u1 in digest, u4 in the holdout.


@pytest.mark.parametrize(
    ("user_id", "variant", "mail"),
    [("u3", "discount", ["discount_mail"]), ("u1", "digest", ["digest_mail"]), ("u4", "holdout", [])],
)
def test_reengagement_variant_that_wins_the_user_back(user_id: str, variant: str, mail: list[str]) -> None:
    events = [{"after": "P2D", "name": "session_started"}]
    result = _simulate("re-engagement", {"days_inactive": 45}, _user(user_id, churn_risk="high"), events)
    assert result.path == ["went_inactive", "ab", *mail, "wait_return", "mark_active", "done"]
    assert _acted(result) == [*mail, "mark_active"]
    assert result.user["won_back_by"] == variant
    assert "churn_risk" not in result.user


def test_reengagement_marks_users_dormant_after_a_week() -> None:
    result = _simulate("re-engagement", {"days_inactive": 45}, _user("u1"))
    assert result.path == ["went_inactive", "ab", "digest_mail", "wait_return", "mark_dormant", "done"]
    assert result.actions[-1].at == datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
    assert result.user["lifecycle_stage"] == "dormant"


# --- order-fanout --------------------------------------------------------------------------------

ORDER = {"order_id": "o-1001", "total": 89.5, "currency": "EUR"}
FANNED_OUT = [
    "order_placed",
    "fan_out",
    "reserve_stock",
    "update_crm",
    "track_order",
    "all_notified",
    "in_stock",
]


def test_order_confirmed_after_all_three_calls() -> None:
    result = _simulate("order-fanout", ORDER, _user())
    assert result.path == [*FANNED_OUT, "confirm", "done"]
    calls = {action.node_id: action.params for action in result.actions if action.type == "webhook"}
    assert set(calls) == {"reserve_stock", "update_crm", "track_order"}
    assert calls["reserve_stock"]["url"] == "http://127.0.0.1:8000/api/v1/events"
    assert calls["update_crm"]["body"]["properties"]["order_id"] == "o-1001"


def test_order_out_of_stock_is_backordered() -> None:
    outputs = {"reserve_stock": {"status": 409, "headers": {}, "body": {"error": "out of stock"}}}
    result = _simulate("order-fanout", ORDER, _user(), outputs=outputs)
    assert result.path == [*FANNED_OUT, "backorder", "apologise", "done"]


def test_order_analytics_is_best_effort_but_the_warehouse_is_not() -> None:
    down = {"status": 503, "headers": {}, "body": None}
    analytics_down = _simulate("order-fanout", ORDER, _user(), outputs={"track_order": down})
    assert analytics_down.status == "completed"
    assert analytics_down.path == [*FANNED_OUT, "confirm", "done"]
    warehouse_down = _simulate("order-fanout", ORDER, _user(), outputs={"reserve_stock": down})
    assert warehouse_down.status == "failed"
    assert "confirm" not in warehouse_down.path


# --- loyalty-loop --------------------------------------------------------------------------------

PURCHASE = {
    "order_id": "o-7",
    "items": [
        {"sku": "espresso-machine", "category": "premium", "price": 349},
        {"sku": "grinder", "category": "tools", "price": 120},
        {"sku": "beans", "category": "grocery", "price": 14},
    ],
}
"""Earns 50 + 20 + 5 = 75 points."""
PER_ITEM = [
    ["each_item", "report_item", "item_points", award] for award in ("award_50", "award_20", "award_5")
]
LOOPED = ["purchased", *(node for item in PER_ITEM for node in item), "each_item", "tier"]


@pytest.mark.parametrize(
    ("points", "tier", "tail"),
    [
        (950, None, ["promote_gold", "congratulate", "done"]),
        (450, None, ["promote_silver", "congratulate", "done"]),
        (950, "gold", ["done"]),
        (0, None, ["done"]),
    ],
    ids=["to-gold", "to-silver", "already-gold", "no-tier"],
)
def test_loyalty_points_per_item_then_tier(points: int, tier: str | None, tail: list[str]) -> None:
    user = _user(loyalty_points=points) if tier is None else _user(loyalty_points=points, loyalty_tier=tier)
    result = _simulate("loyalty-loop", PURCHASE, user)
    assert result.status == "completed"
    assert result.path == [*LOOPED, *tail]
    assert result.user["loyalty_points"] == points + 75
    reported = [action.params for action in result.actions if action.node_id == "report_item"]
    assert [call["body"]["properties"]["sku"] for call in reported] == [
        "espresso-machine",
        "grinder",
        "beans",
    ]
