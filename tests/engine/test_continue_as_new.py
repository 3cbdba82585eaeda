"""Continue-as-new on a real dev server that suggests it after a few history events.

A long run must continue as new before its history grows too large (notes.md: suggested at 4,096
events, killed at 51,200). Here the server of this module suggests it after ``SUGGEST_AFTER``
events, so a loop of a dozen short delays, and a loop of waits answered by signals, each continue
as new several times. The runs must end exactly as if they had never moved: the path and the steps
of ``simulate``, each action performed once, each event taken once (a duplicate event id sent after
a continue-as-new is still recognised as seen).
"""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from journey.dsl import Journey
from journey.dsl.core.messages import Event
from journey.dsl.simulate import simulate
from journey.engine.devserver import find_temporal_cli
from journey.engine.payloads import RunSnapshot
from journey.engine.runs import JOURNEY_KEY, JOURNEY_VERSION, USER_ID, manual_trigger, start_run
from journey.engine.worker import journey_worker
from journey.engine.workflow import RUN_STATUS
from journey.settings import Settings
from journey.store.database import Database
from journey.store.users import UserStore

pytestmark = pytest.mark.integration

SUGGEST_AFTER = 10
"""History events after which this module's server suggests continue-as-new."""
TASK_QUEUE = "journey-continue-as-new"
RESULT_WITHIN = 60.0

Handle = WorkflowHandle[Any, RunSnapshot]


@pytest.fixture(scope="module")
async def short_history_client(engine_settings: Settings, engine_database: Database) -> AsyncIterator[Client]:
    """A dev server of this module's own that suggests continue-as-new early, and a worker on it."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(find_temporal_cli()),
        search_attributes=[JOURNEY_KEY, JOURNEY_VERSION, USER_ID, RUN_STATUS],
        data_converter=pydantic_data_converter,
        dev_server_extra_args=[
            "--dynamic-config-value",
            f"limit.historyCount.suggestContinueAsNew={SUGGEST_AFTER}",
            # By default the server starts a continued run no sooner than 1 s after the run
            # before it, and fires a timer up to 1 s late: both would cost a second per step.
            "--dynamic-config-value",
            'history.workflowIdReuseMinimalInterval="0s"',
            "--dynamic-config-value",
            'history.timerProcessorMaxTimeShift="10ms"',
        ],
    )
    try:
        settings = engine_settings.model_copy(update={"temporal_task_queue": TASK_QUEUE})
        async with journey_worker(env.client, settings, engine_database) as worker:
            task = asyncio.create_task(worker.run())
            yield env.client
            await worker.shutdown()
            await asyncio.gather(task, return_exceptions=True)
    finally:
        await env.shutdown()


def _journey(key: str, nodes: list[dict[str, Any]], edges: list[tuple[str, str, str | None]]) -> Journey:
    return Journey.model_validate(
        {
            "key": key,
            "name": key,
            "settings": {"reentry": "always", "max_duration": "P30D"},
            "nodes": [{"id": "start", "type": "trigger", "config": {"kind": "manual"}}, *nodes],
            "edges": [
                {"source": source, "target": target, **({"branch": branch} if branch else {})}
                for source, target, branch in edges
            ],
        }
    )


async def _start(client: Client, journey: Journey, user_id: str, properties: dict[str, Any]) -> Handle:
    return await start_run(
        client,
        task_queue=TASK_QUEUE,
        journey=journey,
        version=1,
        user_id=user_id,
        trigger=manual_trigger(properties),
    )


async def _runs(client: Client, handle: Handle) -> list[str]:
    """The run ids of the workflow, first to last, following each ContinuedAsNew."""
    runs: list[str] = []
    run_id = handle.first_execution_run_id
    while run_id is not None:
        runs.append(run_id)
        history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        last = history.events[-1]
        run_id = None
        if last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
            run_id = last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
        else:
            assert last.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, last
    return runs


async def _until_waiting_for_round(handle: Handle, round_number: int, within: float = 20.0) -> None:
    """Poll until the run waits at ``wait`` for the ``round_number``-th time."""
    deadline = time.monotonic() + within
    while True:
        snapshot = await handle.query("snapshot", result_type=RunSnapshot)
        if (
            snapshot.status == "waiting"
            and snapshot.active_nodes == ["wait"]
            and snapshot.path.count("wait") == round_number
        ):
            return
        if snapshot.finished_at is not None or time.monotonic() > deadline:
            raise AssertionError(f"not waiting for round {round_number}: {snapshot}")
        await asyncio.sleep(0.02)


async def _until_signal_handled(client: Client, workflow_id: str, within: float = 20.0) -> None:
    """Poll until the workflow's latest run has completed a workflow task after the last signal it got.

    Each event is then a batch of its own, as a redelivery usually is."""
    deadline = time.monotonic() + within
    while True:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        types = [event.event_type for event in history.events]
        signals = [
            index
            for index, kind in enumerate(types)
            if kind == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
        ]
        if not signals or EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED in types[signals[-1] :]:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{workflow_id} did not handle its last signal in {within} s")
        await asyncio.sleep(0.02)


async def test_a_long_series_of_waits_continues_as_new_and_takes_each_event_once(
    short_history_client: Client, engine_database: Database, unique: str
) -> None:
    rounds = list(range(1, 9))
    journey = _journey(
        f"waits-{unique}",
        [
            {"id": "each", "type": "loop", "config": {"foreach": "input.rounds", "max_iterations": 50}},
            {
                "id": "wait",
                "type": "wait_for_event",
                "config": {
                    "event": "tick",
                    "filter": "event.properties.round == nodes.each.item",
                    "timeout": "P1D",
                },
            },
            {
                "id": "got",
                "type": "update_attributes",
                "config": {"increment": {"ticks": 1}, "set": {"last_tick": "{{ nodes.wait.id }}"}},
            },
            {"id": "missed", "type": "end", "config": {"status": "failed", "reason": "no tick"}},
            {"id": "done", "type": "end", "config": {}},
        ],
        [
            ("start", "each", None),
            ("each", "wait", "body"),
            ("wait", "got", "event"),
            ("wait", "missed", "timeout"),
            ("got", "each", None),
            ("each", "done", "done"),
        ],
    )
    user_id = f"u-{unique}"

    def tick(event_id: str, round_number: int) -> dict[str, Any]:
        return {"id": event_id, "name": "tick", "properties": {"round": round_number}}

    # Round n gets the previous round's event id again, now matching (a redelivery: it must be
    # ignored, also after a continue-as-new), then an event of its own.
    sent = [
        [
            *([tick(f"tick-{number - 1}-{unique}", number)] if number > 1 else []),
            tick(f"tick-{number}-{unique}", number),
        ]
        for number in rounds
    ]
    expected = simulate(
        journey,
        {"rounds": rounds},
        {"id": user_id},
        events=[
            {**event, "after": f"PT{number}S"}
            for number, events in zip(rounds, sent, strict=True)
            for event in events
        ],
    )

    handle = await _start(short_history_client, journey, user_id, {"rounds": rounds})
    for number, events in zip(rounds, sent, strict=True):
        await _until_waiting_for_round(handle, number)
        *redelivered, new = events
        for event in redelivered:
            await handle.signal("event", Event(user_id=user_id, timestamp="2026-11-29T12:00:00Z", **event))
            await _until_signal_handled(short_history_client, handle.id)
        await handle.signal("event", Event(user_id=user_id, timestamp="2026-11-29T12:00:00Z", **new))
    result: RunSnapshot = await asyncio.wait_for(handle.result(), RESULT_WITHIN)

    runs = await _runs(short_history_client, handle)
    assert len(runs) >= 3, f"continued as new only {len(runs) - 1} times"
    assert result.status == "completed", result.error
    assert result.path == expected.path
    assert result.path.count("got") == len(rounds)
    assert [step.node_id for step in result.steps] == [step.node_id for step in expected.steps]
    assert all(step.status == "completed" for step in result.steps)
    taken = [step.output for step in result.steps if step.node_id == "wait"]
    assert [event["id"] for event in taken if isinstance(event, dict)] == [
        f"tick-{n}-{unique}" for n in rounds
    ]
    stored = await UserStore(engine_database).get(user_id)
    assert stored is not None
    assert stored.attributes == {"ticks": len(rounds), "last_tick": f"tick-{rounds[-1]}-{unique}"}


async def test_a_loop_of_delays_continues_as_new_and_ends_as_simulated(
    short_history_client: Client, engine_database: Database, unique: str
) -> None:
    items = list(range(1, 13))
    journey = _journey(
        f"delays-{unique}",
        [
            {"id": "each", "type": "loop", "config": {"foreach": "input.items", "max_iterations": 50}},
            {"id": "nap", "type": "delay", "config": {"duration": 0.05}},
            {
                "id": "count",
                "type": "update_attributes",
                "config": {"increment": {"rounds": 1}, "set": {"last": "{{ nodes.each.item }}"}},
            },
            {"id": "summary", "type": "log", "config": {"message": "{{ nodes.each.iterations }} rounds"}},
            {"id": "done", "type": "end", "config": {}},
        ],
        [
            ("start", "each", None),
            ("each", "nap", "body"),
            ("nap", "count", None),
            ("count", "each", None),
            ("each", "summary", "done"),
            ("summary", "done", None),
        ],
    )
    user_id = f"u-{unique}"
    expected = simulate(journey, {"items": items}, {"id": user_id})

    handle = await _start(short_history_client, journey, user_id, {"items": items})
    result: RunSnapshot = await asyncio.wait_for(handle.result(), RESULT_WITHIN)

    assert result.status == "completed", result.error
    assert result.path == expected.path
    assert result.path.count("nap") == len(items)
    assert [step.node_id for step in result.steps] == [step.node_id for step in expected.steps]
    assert all(step.status == "completed" for step in result.steps)
    assert [step.output for step in result.steps] == [step.output for step in expected.steps]
    stored = await UserStore(engine_database).get(user_id)
    assert stored is not None
    assert stored.attributes == {"rounds": len(items), "last": str(items[-1])}, "each action ran once"
    runs = await _runs(short_history_client, handle)
    assert len(runs) >= 3, f"continued as new only {len(runs) - 1} times"
