"""The simulator: the core on a virtual clock, with rendered actions and simulated outputs."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from journey.dsl import Journey
from journey.dsl.simulate import SimulationResult, simulate

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
"""A Monday noon, UTC: outside the 21:00-08:00 quiet hours of the examples."""
CART = {"cart_id": "c1", "items": ["socks", "hat"], "total": 30}
SHOPPER = {"id": "u1", "email": "ann@example.com", "first_name": "Ann", "lifetime_value": 900}


def _dsl_example() -> dict[str, Any]:
    text = (ROOT / "docs" / "dsl.md").read_text()
    match = re.search(r"```json\n(.*?)```", text, re.S)
    assert match is not None
    document: dict[str, Any] = json.loads(match.group(1))
    return document


def _example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((ROOT / "examples" / f"{name}.json").read_text())
    return document


def _journey(nodes: list[dict[str, Any]], edges: list[tuple[str, ...]], **settings: Any) -> dict[str, Any]:
    """A manual journey; every branch the test leaves open goes to an ``end``, as validation wants."""
    trigger = {"id": "start", "type": "trigger", "config": {"kind": "manual"}}
    links = [dict(zip(("source", "target", "branch"), edge, strict=False)) for edge in edges]
    document = {"key": "sim", "name": "Sim", "nodes": [trigger, *nodes], "edges": links, "settings": settings}
    journey = Journey.model_validate(document)
    taken = {(edge.source, edge.branch) for edge in journey.edges}
    open_branches = [
        (node.id, branch)
        for node in journey.nodes
        for branch in node.spec.branches.resolve(node.config)
        if (node.id, branch) not in taken
    ]
    if open_branches:
        document["nodes"].append({"id": "finish", "type": "end", "config": {}})
        links += [
            {"source": source, "target": "finish", "branch": branch} for source, branch in open_branches
        ]
    return document


def _run(document: dict[str, Any], input: dict[str, Any] | None = None, **options: Any) -> SimulationResult:
    options.setdefault("user", {"id": "u1"})
    return simulate(document, input or {}, start=START, **options)


# --- the example of docs/dsl.md, every path ------------------------------------------------------


def test_dsl_example_a_vip_gets_the_mail_after_four_hours() -> None:
    result = _run(_dsl_example(), CART, user=SHOPPER)
    assert result.status == "completed"
    assert result.path == ["start", "wait_order", "is_vip", "mail", "done"]
    (mail,) = result.actions
    assert (mail.node_id, mail.type, mail.at) == ("mail", "send_email", START + timedelta(hours=4))
    assert mail.params == {
        "to": "ann@example.com",
        "subject": "You left 2 items",
        "text": "Hi Ann, your cart is waiting.",
    }
    assert result.steps[1].status == "completed"
    assert result.steps[1].waiting_until == START + timedelta(hours=4)


def test_dsl_example_a_small_spender_gets_nothing() -> None:
    result = _run(_dsl_example(), CART, user={**SHOPPER, "lifetime_value": 20})
    assert result.path == ["start", "wait_order", "is_vip", "done"]
    assert result.actions == []
    assert result.status == "completed"


def test_dsl_example_an_order_for_the_cart_takes_the_event_branch() -> None:
    events = [{"after": "PT1H", "name": "order_completed", "properties": {"cart_id": "c1"}}]
    result = _run(_dsl_example(), CART, user=SHOPPER, events=events)
    assert result.status == "completed"
    assert result.path == ["start", "wait_order", "done"]
    assert result.nodes["wait_order"]["properties"] == {"cart_id": "c1"}
    assert result.ended_at == START + timedelta(hours=1)


def test_dsl_example_an_order_for_another_cart_changes_nothing() -> None:
    events = [{"after": "PT1H", "name": "order_completed", "properties": {"cart_id": "other"}}]
    result = _run(_dsl_example(), CART, user=SHOPPER, events=events)
    assert result.path == ["start", "wait_order", "is_vip", "mail", "done"]


def test_dsl_example_clearing_the_cart_exits_the_run() -> None:
    events = [{"after": "PT2H", "name": "cart_cleared", "properties": {"cart_id": "c1"}}]
    result = _run(_dsl_example(), CART, user=SHOPPER, events=events)
    assert result.status == "exited"
    assert result.reason == "exit_on cart_cleared"
    assert result.path == ["start", "wait_order"]
    assert result.steps[-1].status == "cancelled"
    assert result.ended_at == START + timedelta(hours=2)


def test_dsl_example_quiet_hours_defer_the_mail_to_the_morning() -> None:
    result = _run(_dsl_example(), CART, user={**SHOPPER, "timezone": "Asia/Tokyo"})
    (mail,) = result.actions
    # 16:00 UTC is 01:00 in Tokyo; quiet hours end at 08:00 Tokyo, 23:00 UTC.
    assert mail.at == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)
    mail_step = result.steps[3]
    assert (mail_step.node_id, mail_step.status) == ("mail", "completed")
    assert mail_step.waiting_until == mail.at


def test_dsl_example_max_duration_outlasts_the_run() -> None:
    result = _run(_dsl_example(), CART, user=SHOPPER)
    assert result.ended_at == START + timedelta(hours=4)
    assert result.happenings < 10


# --- simulated actions ---------------------------------------------------------------------------


def test_webhook_answers_200_unless_outputs_say_otherwise() -> None:
    hook = {
        "id": "hook",
        "type": "webhook",
        "config": {"url": "https://api.test/{{ user.id }}", "body": {"n": "{{ input.n }}"}},
    }
    check = {"id": "ok", "type": "condition", "config": {"expression": "nodes.hook.status == 200"}}
    document = _journey([hook, check], [("start", "hook"), ("hook", "ok")])
    result = _run(document, {"n": 3})
    assert result.actions[0].params["url"] == "https://api.test/u1"
    assert result.actions[0].params["body"] == {"n": "3"}
    assert result.nodes["hook"] == {"status": 200, "headers": {}, "body": None}
    assert result.nodes["ok"] == {"result": True}
    overridden = _run(document, {"n": 3}, outputs={"hook": {"status": 201, "headers": {}, "body": {"id": 7}}})
    assert overridden.nodes["hook"] == {"status": 201, "headers": {}, "body": {"id": 7}}
    assert overridden.nodes["ok"] == {"result": False}


def test_a_webhook_status_it_does_not_expect_fails_like_the_real_one() -> None:
    hook = {
        "id": "hook",
        "type": "webhook",
        "config": {"url": "https://api.test", "expect_status": [200, 409]},
    }
    document = _journey([hook], [("start", "hook")])
    assert _run(document, outputs={"hook": {"status": 409}}).status == "completed"
    failed = _run(document, outputs={"hook": {"status": 500}})
    assert failed.status == "failed"
    assert failed.error == "hook: webhook answered 500, not an expected status"
    tolerant = _journey([{**hook, "on_error": "continue"}], [("start", "hook")])
    assert _run(tolerant, outputs={"hook": {"status": 500}}).nodes["hook"] == {
        "error": "webhook answered 500, not an expected status"
    }


def test_update_attributes_changes_the_simulated_user() -> None:
    update = {
        "id": "update",
        "type": "update_attributes",
        "config": {"set": {"plan": "{{ input.plan }}"}, "increment": {"visits": 2}, "unset": ["trial"]},
    }
    check = {
        "id": "pro",
        "type": "condition",
        "config": {"expression": "user.plan == 'pro' && user.visits == 3"},
    }
    document = _journey([update, check], [("start", "update"), ("update", "pro")])
    result = _run(document, {"plan": "pro"}, user={"id": "u1", "visits": 1, "trial": True})
    assert result.user == {"id": "u1", "visits": 3, "plan": "pro"}
    assert result.nodes["update"] == {"attributes": {"plan": "pro", "visits": 3}, "removed": ["trial"]}
    assert result.nodes["pro"] == {"result": True}


def test_messages_return_what_they_would_send() -> None:
    nodes = [
        {
            "id": "tell",
            "type": "emit_event",
            "config": {"event": "nudged", "properties": {"by": "{{ journey.key }}"}},
        },
        {"id": "note", "type": "log", "config": {"message": "user {{ user.id }}", "level": "warning"}},
    ]
    result = _run(_journey(nodes, [("start", "tell"), ("tell", "note")]))
    assert result.nodes["tell"] == {"event": "nudged", "properties": {"by": "sim"}}
    assert result.nodes["note"] == {"message": "user u1", "level": "warning"}
    assert [action.type for action in result.actions] == ["emit_event", "log"]


def test_a_template_error_is_a_failed_step_not_an_exception() -> None:
    mail = {
        "id": "mail",
        "type": "send_email",
        "config": {"to": "{{ user.email }}", "subject": "s", "text": "t"},
    }
    result = _run(_journey([mail], [("start", "mail")]))
    assert result.status == "failed"
    assert result.steps[-1].status == "failed"
    assert result.error is not None
    assert result.error.startswith("mail: template failed")
    assert "email" in result.error
    assert result.actions == []


# --- the virtual clock and events ----------------------------------------------------------------


def test_months_of_delays_take_no_time() -> None:
    nodes = [{"id": f"d{n}", "type": "delay", "config": {"duration": "P30D"}} for n in range(6)]
    edges = [("start", "d0"), *((f"d{n}", f"d{n + 1}") for n in range(5))]
    result = _run(_journey(nodes, edges))
    assert result.status == "completed"
    assert result.ended_at == START + timedelta(days=180)


def test_scripted_events_arrive_in_time_order_and_duplicates_are_ignored() -> None:
    wait = {"id": "wait", "type": "wait_for_event", "config": {"event": "clicked", "timeout": "P1D"}}
    loop = {"id": "twice", "type": "loop", "config": {"foreach": "[1, 2]", "max_iterations": 2}}
    document = _journey(
        [loop, wait],
        [
            ("start", "twice"),
            ("twice", "wait", "body"),
            ("wait", "twice", "event"),
            ("wait", "twice", "timeout"),
        ],
    )
    events = [
        {"after": "PT3H", "name": "clicked", "id": "late"},
        {"after": "PT1H", "name": "clicked", "id": "early"},
        {"after": "PT2H", "name": "clicked", "id": "early"},
    ]
    result = _run(document, events=events)
    waits = [step for step in result.steps if step.node_id == "wait"]
    assert [step.output["id"] for step in waits] == ["early", "late"]
    assert result.ended_at == START + timedelta(hours=3)


def test_events_must_be_well_formed() -> None:
    with pytest.raises(ValidationError, match="must not be negative"):
        _run(_journey([], []), events=[{"after": "-PT1H", "name": "x"}])


def test_the_simulation_is_bounded() -> None:
    loop = {"id": "spin", "type": "loop", "config": {"while": "true", "max_iterations": 10000}}
    pause = {"id": "tick", "type": "delay", "config": {"duration": "PT1M"}}
    document = _journey([loop, pause], [("start", "spin"), ("spin", "tick", "body"), ("tick", "spin")])
    result = _run(document, max_happenings=50)
    assert result.limit_reached
    assert result.happenings == 50
    assert result.status == "waiting"
    assert result.reason == "stopped after 50 happenings"


# --- subjourneys --------------------------------------------------------------------------------


def test_a_subjourney_runs_the_given_child_on_the_same_clock_and_user() -> None:
    child = Journey.model_validate(
        {
            **_journey(
                [
                    {"id": "wait", "type": "delay", "config": {"duration": "P1D"}},
                    {
                        "id": "tag",
                        "type": "update_attributes",
                        "config": {"set": {"plan": "{{ input.plan }}"}},
                    },
                ],
                [("start", "wait"), ("wait", "tag")],
            ),
            "key": "onboarding",
        }
    )
    call = {
        "id": "call",
        "type": "subjourney",
        "config": {"journey": "onboarding", "input": {"plan": "{{ input.plan }}"}},
    }
    check = {"id": "check", "type": "condition", "config": {"expression": "user.plan == 'pro'"}}
    document = _journey([call, check], [("start", "call"), ("call", "check")])
    result = _run(document, {"plan": "pro"}, journeys={"onboarding": child})
    assert result.status == "completed"
    assert result.nodes["call"]["status"] == "completed"
    assert result.nodes["check"] == {"result": True}
    assert result.ended_at == START + timedelta(days=1)
    assert [(action.journey, action.node_id) for action in result.actions] == [("onboarding", "tag")]


def test_an_unknown_child_completes_and_a_failing_child_fails_the_parent() -> None:
    call = {"id": "call", "type": "subjourney", "config": {"journey": "elsewhere"}}
    document = _journey([call], [("start", "call")])
    assert _run(document).nodes["call"] == {"status": "completed", "output": None}
    failing = Journey.model_validate(
        {
            **_journey(
                [{"id": "bad", "type": "end", "config": {"status": "failed", "reason": "nope"}}],
                [("start", "bad")],
            ),
            "key": "elsewhere",
        }
    )
    result = _run(document, journeys={"elsewhere": failing})
    assert result.status == "failed"
    assert result.error == "call: subjourney 'elsewhere' ended failed"


def test_subjourneys_that_call_each_other_are_bounded() -> None:
    ping = _journey(
        [{"id": "call", "type": "subjourney", "config": {"journey": "pong"}}], [("start", "call")]
    )
    pong = {
        **_journey([{"id": "call", "type": "subjourney", "config": {"journey": "sim"}}], [("start", "call")])
    }
    pong["key"] = "pong"
    journeys = {"sim": Journey.model_validate(ping), "pong": Journey.model_validate(pong)}
    result = _run(ping, journeys=journeys)
    assert result.status == "failed"
    assert result.error == "call: subjourney 'pong' ended failed"


# --- the example journeys of the repository -------------------------------------------------------


def test_welcome_series_waits_for_a_weekday_morning_in_the_users_zone() -> None:
    user = {"id": "u1", "email": "a@b.c", "timezone": "America/New_York", "onboarded": True}
    result = _run(_example("welcome-series"), user=user)
    assert result.status == "completed"
    assert result.path[-3:] == ["tips", "mark_done", "done"]
    # Signed up Monday noon; two days later is Wednesday noon UTC (07:00 in New York), so the
    # next 09:30 in New York is that Wednesday, 14:30 UTC (EST; summer time starts on the 8th).
    assert result.actions[1].at == datetime(2026, 3, 4, 14, 30, tzinfo=UTC)
    assert result.user["emails_received"] == 2


def test_loyalty_loop_awards_points_per_item_and_promotes() -> None:
    items = [
        {"sku": "espresso", "category": "premium", "price": 10},
        {"sku": "grinder", "category": "basic", "price": 500},
        {"sku": "beans", "category": "basic", "price": 1},
    ]
    user = {"id": "u1", "email": "a@b.c", "loyalty_points": 990}
    result = _run(_example("loyalty-loop"), {"order_id": "o-7", "items": items}, user=user)
    assert result.status == "completed"
    assert result.path.count("report_item") == 3
    assert result.user["loyalty_points"] == 990 + 50 + 20 + 5
    assert result.user["loyalty_tier"] == "gold"
    assert [step.iteration for step in result.steps if step.node_id == "item_points"] == [0, 1, 2]
    reports = [
        action.params["body"]["properties"]["sku"]
        for action in result.actions
        if action.node_id == "report_item"
    ]
    assert reports == ["espresso", "grinder", "beans"]
    assert result.actions[-1].params["subject"] == "Welcome to Gold, friend!"


@pytest.mark.parametrize(("reserve_status", "last"), [(200, "confirm"), (409, "apologise")])
def test_order_fanout_joins_all_branches_then_decides(reserve_status: int, last: str) -> None:
    outputs = {"reserve_stock": {"status": reserve_status, "headers": {}, "body": None}}
    document = _example("order-fanout")
    result = _run(
        document, {"order_id": "o1", "total": 12}, user={"id": "u1", "email": "a@b.c"}, outputs=outputs
    )
    assert result.status == "completed", result.error
    assert result.path.count("all_notified") == 1
    assert result.path[-2:] == [last, "done"]


def test_re_engagement_takes_the_users_variant_and_waits_for_a_session() -> None:
    events = [{"after": "P2D", "name": "session_started"}]
    result = _run(
        _example("re-engagement"), {"days_inactive": 40}, user={"id": "u1", "email": "a@b.c"}, events=events
    )
    assert result.status == "completed"
    assert result.path[-2:] == ["mark_active", "done"]
    assert result.user["won_back_by"] == result.nodes["ab"]["variant"]
