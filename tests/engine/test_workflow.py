"""The journey workflow end to end on a real Temporal dev server, with real SMTP and HTTP peers.

Each test draws a small journey, runs it through the worker and checks what the outside world
received and the path the run took; where it can, it checks that ``simulate`` took the same path.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from journey.dsl import Journey
from journey.dsl.core.messages import Event
from journey.dsl.simulate import simulate
from journey.engine.payloads import RunSnapshot
from journey.engine.runs import RunAlreadyActive, manual_trigger, start_run
from journey.store.database import Database
from journey.store.runs import RunStore
from journey.store.users import UserStore
from tests.support.engine import TASK_QUEUE
from tests.support.http_receiver import HttpReceiver, Reply
from tests.support.smtp_server import SmtpServer

pytestmark = pytest.mark.integration


def _journey(
    key: str, nodes: list[dict[str, Any]], edges: list[tuple[str, str, str | None]], **settings: Any
) -> Journey:
    return Journey.model_validate(
        {
            "key": key,
            "name": key,
            "settings": settings,
            "nodes": [{"id": "start", "type": "trigger", "config": {"kind": "manual"}}, *nodes],
            "edges": [
                {"source": source, "target": target, **({"branch": branch} if branch else {})}
                for source, target, branch in edges
            ],
        }
    )


async def _run(
    client: Client, journey: Journey, user_id: str, properties: dict[str, Any] | None = None
) -> RunSnapshot:
    handle = await start_run(
        client,
        task_queue=TASK_QUEUE,
        journey=journey,
        version=1,
        user_id=user_id,
        trigger=manual_trigger(properties or {}),
    )
    result: RunSnapshot = await handle.result()
    return result


async def _start_live(
    temporal: WorkflowEnvironment,
    journey: Journey,
    user_id: str,
    properties: dict[str, Any] | None = None,
    run_id: str | None = None,
) -> WorkflowHandle[Any, Any]:
    """Start a run whose clock is the wall clock: it must still wait when a signal comes."""
    with temporal.with_time_skipping_disabled():
        return await start_run(
            temporal.client,
            task_queue=TASK_QUEUE,
            journey=journey,
            version=1,
            user_id=user_id,
            trigger=manual_trigger(properties or {}),
            run_id=run_id,
        )


async def test_webhook_response_feeds_a_condition_and_an_email_is_received(
    client: Client, http_receiver: HttpReceiver, smtp_server: SmtpServer, unique: str
) -> None:
    http_receiver.reply(f"/{unique}", Reply(status=200, body={"tier": "gold"}))
    journey = _journey(
        f"hook-{unique}",
        [
            {
                "id": "hook",
                "type": "webhook",
                "config": {
                    "url": http_receiver.url(f"/{unique}"),
                    "body": {"user": "{{ user.id }}", "cart": "{{ input.cart }}"},
                },
            },
            {"id": "gold", "type": "condition", "config": {"expression": "nodes.hook.body.tier == 'gold'"}},
            {
                "id": "mail",
                "type": "send_email",
                "config": {
                    "to": f"{unique}@example.test",
                    "subject": "Hello {{ user.id }}",
                    "text": "Your cart {{ input.cart }} is gold",
                },
            },
            {"id": "done", "type": "end", "config": {}},
        ],
        [
            ("start", "hook", None),
            ("hook", "gold", None),
            ("gold", "mail", "true"),
            ("gold", "done", "false"),
            ("mail", "done", None),
        ],
    )
    result = await _run(client, journey, f"u-{unique}", {"cart": "c42"})

    assert result.status == "completed", result.error
    assert result.path == ["start", "hook", "gold", "mail", "done"]
    [request] = http_receiver.requests(f"/{unique}")
    assert request.json() == {"user": f"u-{unique}", "cart": "c42"}
    assert request.headers["idempotency-key"]
    [mail] = await smtp_server.wait_for(lambda m: f"{unique}@example.test" in m.rcpt_tos)
    assert mail.message["Subject"] == f"Hello u-{unique}"
    assert "Your cart c42 is gold" in mail.part("text/plain")


async def test_update_attributes_is_read_back_by_a_later_condition(
    client: Client, engine_database: Database, unique: str
) -> None:
    users = UserStore(engine_database)
    await users.put(f"u-{unique}", {"visits": 2})
    journey = _journey(
        f"attrs-{unique}",
        [
            {
                "id": "bump",
                "type": "update_attributes",
                "config": {"increment": {"visits": 1}, "set": {"status": "{{ input.status }}"}},
            },
            {
                "id": "check",
                "type": "condition",
                "config": {"expression": "user.visits == 3.0 && user.status == 'vip'"},
            },
            {"id": "yes", "type": "log", "config": {"message": "three visits"}},
            {"id": "no", "type": "log", "config": {"message": "not three"}},
        ],
        [
            ("start", "bump", None),
            ("bump", "check", None),
            ("check", "yes", "true"),
            ("check", "no", "false"),
        ],
    )
    result = await _run(client, journey, f"u-{unique}", {"status": "vip"})

    assert result.status == "completed", result.error
    assert result.path == ["start", "bump", "check", "yes"]
    stored = await users.get(f"u-{unique}")
    assert stored is not None
    assert stored.attributes["status"] == "vip"


async def test_flow_nodes_take_the_same_path_as_the_simulator(client: Client, unique: str) -> None:
    journey = _journey(
        f"flow-{unique}",
        [
            {"id": "fork", "type": "parallel", "config": {}},
            {"id": "wait_a", "type": "delay", "config": {"duration": "P3D"}},
            {"id": "log_b", "type": "log", "config": {"message": "branch b"}},
            {"id": "all", "type": "join", "config": {"mode": "all"}},
            {"id": "each", "type": "loop", "config": {"foreach": "input.items", "max_iterations": 10}},
            {
                "id": "kind",
                "type": "switch",
                "config": {"cases": [{"id": "big", "expression": "nodes.each.item > 10"}]},
            },
            {"id": "log_big", "type": "log", "config": {"message": "big {{ nodes.each.item }}"}},
            {"id": "log_small", "type": "log", "config": {"message": "small {{ nodes.each.item }}"}},
            {
                "id": "ab",
                "type": "split",
                "config": {"variants": [{"id": "a", "weight": 1}, {"id": "b", "weight": 1}]},
            },
            {"id": "end_a", "type": "end", "config": {}},
            {"id": "end_b", "type": "end", "config": {}},
        ],
        [
            ("start", "fork", None),
            ("fork", "wait_a", None),
            ("fork", "log_b", None),
            ("wait_a", "all", None),
            ("log_b", "all", None),
            ("all", "each", None),
            ("each", "kind", "body"),
            ("kind", "log_big", "big"),
            ("kind", "log_small", "default"),
            ("log_big", "each", None),
            ("log_small", "each", None),
            ("each", "ab", "done"),
            ("ab", "end_a", "a"),
            ("ab", "end_b", "b"),
        ],
    )
    properties = {"items": [5, 20, 7]}
    result = await _run(client, journey, f"u-{unique}", properties)
    expected = simulate(journey, properties, {"id": f"u-{unique}"})

    assert result.status == "completed", result.error
    assert result.path == expected.path
    assert result.path.count("kind") == 3
    assert {"log_big", "log_small"} <= set(result.path)


async def test_wait_for_event_is_satisfied_by_a_signal(
    temporal: WorkflowEnvironment, worker: None, unique: str
) -> None:
    journey = _journey(
        f"wait-{unique}",
        [
            {
                "id": "wait",
                "type": "wait_for_event",
                "config": {
                    "event": "order_completed",
                    "timeout": "P1D",
                    "filter": "event.properties.cart == trigger.properties.cart",
                },
            },
            {"id": "bought", "type": "log", "config": {"message": "bought"}},
            {"id": "gave_up", "type": "log", "config": {"message": "gave up"}},
        ],
        [("start", "wait", None), ("wait", "bought", "event"), ("wait", "gave_up", "timeout")],
    )
    handle = await _start_live(temporal, journey, f"u-{unique}", {"cart": "c1"})
    other = Event(
        id=f"e1-{unique}",
        name="order_completed",
        user_id=f"u-{unique}",
        timestamp="2026-11-29T12:00:00Z",
        properties={"cart": "other"},
    )
    match = Event(
        id=f"e2-{unique}",
        name="order_completed",
        user_id=f"u-{unique}",
        timestamp="2026-11-29T12:00:01Z",
        properties={"cart": "c1"},
    )
    await handle.signal("event", other)
    await handle.signal("event", match)
    result: RunSnapshot = await handle.result()

    assert result.status == "completed", result.error
    assert result.path == ["start", "wait", "bought"]


async def test_wait_for_event_times_out(client: Client, unique: str) -> None:
    journey = _journey(
        f"timeout-{unique}",
        [
            {
                "id": "wait",
                "type": "wait_for_event",
                "config": {"event": "order_completed", "timeout": "PT4H"},
            },
            {"id": "bought", "type": "log", "config": {"message": "bought"}},
            {"id": "gave_up", "type": "log", "config": {"message": "gave up"}},
        ],
        [("start", "wait", None), ("wait", "bought", "event"), ("wait", "gave_up", "timeout")],
    )
    result = await _run(client, journey, f"u-{unique}")

    assert result.status == "completed", result.error
    assert result.path == ["start", "wait", "gave_up"]


async def test_exit_on_ends_a_waiting_run(temporal: WorkflowEnvironment, worker: None, unique: str) -> None:
    journey = _journey(
        f"exit-{unique}",
        [
            {"id": "nap", "type": "delay", "config": {"duration": "P30D"}},
            {"id": "after", "type": "log", "config": {"message": "woke"}},
        ],
        [("start", "nap", None), ("nap", "after", None)],
        exit_on=[{"event": "unsubscribed"}],
    )
    handle = await _start_live(temporal, journey, f"u-{unique}")
    await handle.signal(
        "event",
        Event(id=f"x-{unique}", name="unsubscribed", user_id=f"u-{unique}", timestamp="2026-11-29T12:00:00Z"),
    )
    result: RunSnapshot = await handle.result()

    assert result.status == "exited"
    assert result.path == ["start", "nap"]


async def test_reentry_when_not_active_refuses_a_second_run(
    temporal: WorkflowEnvironment, worker: None, unique: str
) -> None:
    journey = _journey(
        f"reentry-{unique}",
        [{"id": "nap", "type": "delay", "config": {"duration": "P1D"}}],
        [("start", "nap", None)],
    )
    first = await _start_live(temporal, journey, f"u-{unique}")
    with pytest.raises(RunAlreadyActive):
        await _start_live(temporal, journey, f"u-{unique}")
    await first.signal("cancel", "test over")
    result: RunSnapshot = await first.result()
    assert result.status == "cancelled"


async def test_a_failed_action_fails_the_run_unless_it_continues_on_error(
    client: Client, http_receiver: HttpReceiver, unique: str
) -> None:
    http_receiver.reply(f"/{unique}", Reply(status=400, body={"error": "bad"}))

    def hook_journey(key: str, on_error: str) -> Journey:
        return _journey(
            key,
            [
                {
                    "id": "hook",
                    "type": "webhook",
                    "config": {"url": http_receiver.url(f"/{unique}")},
                    "retry": {"max_attempts": 3},
                    "on_error": on_error,
                },
                {"id": "after", "type": "log", "config": {"message": "went on"}},
            ],
            [("start", "hook", None), ("hook", "after", None)],
        )

    failed = await _run(client, hook_journey(f"fail-{unique}", "fail"), f"u-{unique}")
    went_on = await _run(client, hook_journey(f"cont-{unique}", "continue"), f"u-{unique}")

    assert failed.status == "failed"
    assert failed.path == ["start", "hook"]
    assert "400" in (failed.error or "")
    assert went_on.status == "completed", went_on.error
    assert went_on.path == ["start", "hook", "after"]
    assert len(http_receiver.requests(f"/{unique}")) == 2, "a 400 is not retried"


async def test_runs_record_themselves_in_the_run_index(
    temporal: WorkflowEnvironment, worker: None, engine_database: Database, unique: str
) -> None:
    runs = RunStore(engine_database)
    journey = _journey(
        f"index-{unique}",
        [{"id": "nap", "type": "delay", "config": {"duration": "P1D"}}],
        [("start", "nap", None)],
    )
    handle = await _start_live(temporal, journey, f"u-{unique}", run_id=f"run-{unique}")

    async def recorded_status() -> str | None:
        row = await runs.get(f"run-{unique}")
        return None if row is None else row.status

    await _poll(recorded_status, "waiting")
    assert await runs.active_of_user(f"u-{unique}") == [(f"run-{unique}", f"index-{unique}")]

    await handle.signal("cancel", "enough")
    await handle.result()
    await _poll(recorded_status, "cancelled")
    row = await runs.get(f"run-{unique}")
    assert row is not None
    assert [step["node_id"] for step in row.steps] == ["start", "nap"]
    assert row.finished_at is not None
    assert await runs.active_of_user(f"u-{unique}") == []


async def _poll(read: Callable[[], Awaitable[object]], expected: object, within: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while (value := await read()) != expected:
        assert asyncio.get_running_loop().time() < deadline, f"still {value!r}, expected {expected!r}"
        await asyncio.sleep(0.05)
