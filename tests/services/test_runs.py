"""The runs use cases without HTTP, on the real engine: start, read, list, count, cancel."""

import asyncio
import uuid
from typing import Any

import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from journey.errors import Conflict, NotFound, Unavailable
from journey.services.journeys import JourneyService
from journey.services.runs import RunService, RunView
from journey.store import Database
from journey.store.journeys import JourneyStore
from tests.support import engine
from tests.support.journeys import linear_journey

pytestmark = pytest.mark.integration


@pytest.fixture
async def runs(temporal: WorkflowEnvironment, engine_database: Database, worker: None) -> RunService:
    client = await temporal.connect_client(data_converter=pydantic_data_converter)
    return RunService(engine_database, client, engine.TASK_QUEUE)


async def _publish(database: Database, nodes: list[dict[str, Any]], **settings: Any) -> str:
    key = f"svc-{uuid.uuid4().hex[:10]}"
    journeys = JourneyService(JourneyStore(database))
    await journeys.create(linear_journey(key, nodes, **settings))
    await journeys.publish(key, message="test")
    return key


async def _until(runs: RunService, run_id: str, status: str) -> RunView:
    deadline = asyncio.get_running_loop().time() + 10
    while (view := await runs.get(run_id)).status != status:
        assert asyncio.get_running_loop().time() < deadline, f"run is {view.status}, not {status}"
        await asyncio.sleep(0.05)
    return view


async def test_start_read_count_and_cancel(runs: RunService, engine_database: Database) -> None:
    key = await _publish(engine_database, [{"id": "nap", "type": "delay", "config": {"duration": "P1D"}}])

    started = await runs.start(key, user_id="ann", input={"plan": "pro"})
    waiting = await _until(runs, started.run_id, "waiting")

    assert waiting.active_nodes == ["nap"]
    assert waiting.steps[0].output == {"properties": {"plan": "pro"}}
    with pytest.raises(Conflict, match="already has an active run"):
        await runs.start(key, user_id="ann", input={})
    stats = await runs.stats(key)
    assert [(node.node_id, node.active) for node in stats.nodes] == [("nap", 1), ("start", 0)]

    await runs.cancel(started.run_id)
    await _until(runs, started.run_id, "cancelled")
    with pytest.raises(Conflict, match="already ended"):
        await runs.cancel(started.run_id)
    assert [view.run_id for view in await runs.find(journey=key, status="cancelled")] == [started.run_id]


async def test_reentry_once_and_missing_things(runs: RunService, engine_database: Database) -> None:
    key = await _publish(
        engine_database, [{"id": "note", "type": "log", "config": {"message": "hi"}}], reentry="once"
    )

    first = await runs.start(key, user_id="bea", input={})
    await _until(runs, first.run_id, "completed")

    with pytest.raises(Conflict, match="allows it once"):
        await runs.start(key, user_id="bea", input={})
    with pytest.raises(NotFound):
        await runs.start("no-such-journey", user_id="bea", input={})
    with pytest.raises(NotFound):
        await runs.get("no-such-run")


async def test_without_an_engine_starting_is_unavailable(engine_database: Database) -> None:
    key = await _publish(engine_database, [{"id": "note", "type": "log", "config": {"message": "hi"}}])

    with pytest.raises(Unavailable, match="engine is not connected"):
        await RunService(engine_database, None, engine.TASK_QUEUE).start(key, user_id="cy", input={})
