"""Subjourneys on the real engine: a child journey published in the database runs as a child workflow.

The child is published the way the API publishes (a ``journeys`` row with ``published_version`` and
its ``journey_versions`` row); the parent names it by key and the engine finds it through
``SqlJourneySource``.
"""

import asyncio
import itertools
import time
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from journey.dsl import Journey
from journey.dsl.core.messages import Event
from journey.dsl.simulate import simulate
from journey.engine.payloads import RunSnapshot
from journey.engine.runs import manual_trigger, start_run
from journey.store.database import Database
from journey.store.models import DEFAULT_WORKSPACE, JourneyRow, JourneyVersionRow
from journey.store.users import UserStore
from tests.support.engine import TASK_QUEUE

pytestmark = pytest.mark.integration

RESULT_WITHIN = 30.0
"""A run that has not ended by then hangs: the tests fail instead of waiting for ever."""

Handle = WorkflowHandle[Any, RunSnapshot]


def _journey(key: str, nodes: list[dict[str, Any]], edges: list[tuple[str, str, str | None]]) -> Journey:
    return Journey.model_validate(
        {
            "key": key,
            "name": key,
            "settings": {"reentry": "always"},
            "nodes": [{"id": "start", "type": "trigger", "config": {"kind": "manual"}}, *nodes],
            "edges": [
                {"source": source, "target": target, **({"branch": branch} if branch else {})}
                for source, target, branch in edges
            ],
        }
    )


async def _publish(database: Database, journey: Journey, version: int = 1) -> None:
    """Publish ``journey`` as ``version``, as the API does."""
    document = journey.to_document()
    async with database.sessions() as session, session.begin():
        session.add(
            JourneyRow(
                workspace_id=DEFAULT_WORKSPACE,
                key=journey.key,
                name=journey.name,
                status="active",
                draft=document,
                published_version=version,
            )
        )
        session.add(
            JourneyVersionRow(
                workspace_id=DEFAULT_WORKSPACE, journey_key=journey.key, version=version, document=document
            )
        )


def _child_that_remembers(key: str) -> Journey:
    """Writes its templated input to the user, then ends."""
    return _journey(
        key,
        [
            {
                "id": "remember",
                "type": "update_attributes",
                "config": {"set": {"plan": "{{ input.plan }}", "by": "{{ journey.key }}"}},
            },
            {"id": "done", "type": "end", "config": {}},
        ],
        [("start", "remember", None), ("remember", "done", None)],
    )


def _parent(key: str, child_key: str, *after: dict[str, Any], **subjourney: Any) -> Journey:
    """``start`` -> ``sub`` (a subjourney of ``child_key``) -> the ``after`` nodes in a row."""
    config = {"journey": child_key, **subjourney}
    nodes = [{"id": "sub", "type": "subjourney", "config": config}, *after]
    ids = ["start", *(node["id"] for node in nodes)]
    return _journey(key, nodes, [(source, target, None) for source, target in itertools.pairwise(ids)])


async def _start(client: Client, journey: Journey, user_id: str, properties: dict[str, Any]) -> Handle:
    return await start_run(
        client,
        task_queue=TASK_QUEUE,
        journey=journey,
        version=1,
        user_id=user_id,
        trigger=manual_trigger(properties),
    )


async def _result(handle: Handle) -> RunSnapshot:
    result: RunSnapshot = await asyncio.wait_for(handle.result(), RESULT_WITHIN)
    return result


async def _children(handle: Handle) -> list[tuple[str, str]]:
    """The (workflow id, run id) of every child workflow the run started."""
    history = await handle.fetch_history()
    return [
        (started.workflow_execution.workflow_id, started.workflow_execution.run_id)
        for started in (
            event.child_workflow_execution_started_event_attributes
            for event in history.events
            if event.event_type == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED
        )
    ]


async def test_a_waited_subjourney_runs_the_child_for_the_same_user_with_its_templated_input(
    client: Client, engine_database: Database, unique: str
) -> None:
    child = _child_that_remembers(f"child-{unique}")
    await _publish(engine_database, child)
    parent = _parent(
        f"parent-{unique}",
        child.key,
        {"id": "after", "type": "log", "config": {"message": "child {{ nodes.sub.status }}"}},
        input={"plan": "{{ input.plan | upper }}-{{ user.tier }}"},
    )
    user_id = f"u-{unique}"
    users = UserStore(engine_database)
    await users.put(user_id, {"tier": "gold"})

    handle = await _start(client, parent, user_id, {"plan": "pro"})
    result = await _result(handle)

    assert result.status == "completed", result.error
    assert result.path == ["start", "sub", "after"]
    [sub] = [step for step in result.steps if step.node_id == "sub"]
    assert sub.status == "completed"
    assert isinstance(sub.output, dict)
    assert sub.output["status"] == "completed"
    stored = await users.get(user_id)
    assert stored is not None
    assert stored.attributes == {"tier": "gold", "plan": "PRO-gold", "by": child.key}
    [(child_workflow_id, child_run)] = await _children(handle)
    assert child_workflow_id.startswith(f"journey/{child.key}/run/")
    child_result: RunSnapshot = await client.get_workflow_handle(
        child_workflow_id, run_id=child_run, result_type=RunSnapshot
    ).result()
    assert (child_result.status, child_result.path) == ("completed", ["start", "remember", "done"])
    assert child_result.user_id == user_id
    [remember] = [step for step in child_result.steps if step.node_id == "remember"]
    assert remember.output == {"attributes": {"plan": "PRO-gold", "by": child.key}, "removed": []}


async def test_the_parent_reads_the_childs_node_outputs_as_simulated(
    client: Client, engine_database: Database, unique: str
) -> None:
    child = _child_that_remembers(f"child-{unique}")
    await _publish(engine_database, child)
    parent = _journey(
        f"parent-{unique}",
        [
            {
                "id": "sub",
                "type": "subjourney",
                "config": {"journey": child.key, "input": {"plan": "{{ input.plan }}"}},
            },
            {
                "id": "check",
                "type": "condition",
                "config": {"expression": "nodes.sub.output.remember.attributes.plan == 'pro'"},
            },
            {"id": "yes", "type": "end", "config": {}},
            {"id": "no", "type": "end", "config": {}},
        ],
        [("start", "sub", None), ("sub", "check", None), ("check", "yes", "true"), ("check", "no", "false")],
    )
    user_id = f"u-{unique}"
    expected = simulate(parent, {"plan": "pro"}, {"id": user_id}, journeys={child.key: child})
    assert expected.path == ["start", "sub", "check", "yes"]

    result = await _result(await _start(client, parent, user_id, {"plan": "pro"}))

    assert (result.status, result.path) == ("completed", expected.path), result.error
    [sub] = [step for step in result.steps if step.node_id == "sub"]
    assert sub.output == expected.nodes["sub"]


def _child_that_waits(key: str) -> Journey:
    """Waits a day for a ``go`` event."""
    return _journey(
        key,
        [
            {"id": "wait", "type": "wait_for_event", "config": {"event": "go", "timeout": "P1D"}},
            {"id": "went", "type": "log", "config": {"message": "went"}},
            {"id": "gave_up", "type": "log", "config": {"message": "gave up"}},
        ],
        [("start", "wait", None), ("wait", "went", "event"), ("wait", "gave_up", "timeout")],
    )


async def _detached_run(
    temporal: WorkflowEnvironment, database: Database, unique: str
) -> tuple[Journey, RunSnapshot, Handle]:
    """A parent whose ``wait: false`` subjourney waits for an event; the parent's result and the child."""
    child = _child_that_waits(f"child-{unique}")
    await _publish(database, child)
    parent = _parent(
        f"parent-{unique}",
        child.key,
        {"id": "after", "type": "log", "config": {"message": "started {{ nodes.sub.output.run_id }}"}},
        wait=False,
    )
    with temporal.with_time_skipping_disabled():  # the child waits for real while the parent goes on
        handle = await _start(temporal.client, parent, f"u-{unique}", {})
    result = await _result(handle)
    [(child_workflow_id, _)] = await _children(handle)
    return child, result, temporal.client.get_workflow_handle(child_workflow_id, result_type=RunSnapshot)


async def test_a_subjourney_without_wait_goes_on_at_once_with_the_childs_run_id(
    temporal: WorkflowEnvironment, worker: None, engine_database: Database, unique: str
) -> None:
    started = time.monotonic()
    child, result, child_handle = await _detached_run(temporal, engine_database, unique)

    assert time.monotonic() - started < RESULT_WITHIN / 2, "the parent waited for the child's day-long wait"
    assert result.status == "completed", result.error
    assert result.path == ["start", "sub", "after"]
    [sub] = [step for step in result.steps if step.node_id == "sub"]
    assert sub.status == "completed"
    assert isinstance(sub.output, dict)
    assert sub.output["status"] == "started"
    output = sub.output["output"]
    assert isinstance(output, dict)
    assert set(output) == {"run_id"}
    assert child_handle.id == f"journey/{child.key}/run/{output['run_id']}"


async def test_a_subjourney_without_wait_outlives_its_parent(
    temporal: WorkflowEnvironment, worker: None, engine_database: Database, unique: str
) -> None:
    _, result, child_handle = await _detached_run(temporal, engine_database, unique)
    assert result.status == "completed", result.error

    description = await child_handle.describe()
    assert description.status == WorkflowExecutionStatus.RUNNING
    await child_handle.signal(
        "event", Event(id=f"go-{unique}", name="go", user_id=f"u-{unique}", timestamp="2026-11-29T12:00:00Z")
    )
    child_result = await _result(child_handle)
    assert (child_result.status, child_result.path) == ("completed", ["start", "wait", "went"])


async def test_a_missing_child_journey_fails_the_parents_step_with_a_clear_error(
    client: Client, unique: str
) -> None:
    parent = _parent(
        f"parent-{unique}",
        f"missing-{unique}",
        {"id": "after", "type": "log", "config": {"message": "unreachable"}},
    )

    result = await _result(await _start(client, parent, f"u-{unique}", {}))

    assert result.status == "failed"
    assert result.path == ["start", "sub"]
    assert f"missing-{unique}" in (result.error or "")
    assert "sub" in (result.error or "")
    [sub] = [step for step in result.steps if step.node_id == "sub"]
    assert sub.status == "failed"
    assert sub.error == result.error
    assert isinstance(sub.output, dict)
    assert sub.output["status"] == "failed"
    cause = sub.output["output"]
    assert isinstance(cause, dict)
    assert f"journey 'missing-{unique}' has no" in str(cause["error"])
    assert "published version" in str(cause["error"])
