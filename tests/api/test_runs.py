"""The runs endpoints on the real engine: a journey published through the API, runs started,
read live while they wait, listed, counted per node, streamed, and cancelled."""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from journey.api import ApiState, create_app
from journey.settings import Settings
from journey.store import Database, SqlEventLog
from tests.support.journeys import linear_journey

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def api_state(
    temporal: WorkflowEnvironment, engine_database: Database, engine_settings: Settings
) -> ApiState:
    """The API over the engine's database, talking to Temporal without time skipping."""
    client = await temporal.connect_client(data_converter=pydantic_data_converter)
    return ApiState(
        settings=engine_settings,
        database=engine_database,
        events=SqlEventLog(engine_database),
        temporal=client,
    )


@pytest.fixture
async def api(api_state: ApiState, worker: None) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(api_state))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
def key() -> str:
    return f"runs-{uuid.uuid4().hex[:10]}"


async def _publish(api: httpx.AsyncClient, key: str, nodes: list[dict[str, Any]], **settings: Any) -> None:
    document = linear_journey(key, nodes, **settings)
    assert (await api.post("/api/v1/journeys", json=document)).status_code == 201
    published = await api.post(f"/api/v1/journeys/{key}/publish", json={"message": "first"})
    assert published.status_code == 201, published.text


async def _poll(
    read: Callable[[], Awaitable[Any]], accept: Callable[[Any], bool], within: float = 10.0
) -> Any:
    deadline = asyncio.get_running_loop().time() + within
    while not accept(value := await read()):
        assert asyncio.get_running_loop().time() < deadline, f"gave up waiting; last: {value!r}"
        await asyncio.sleep(0.05)
    return value


async def test_a_waiting_run_is_read_live_listed_counted_and_cancelled(
    api: httpx.AsyncClient, key: str
) -> None:
    await _publish(api, key, [{"id": "nap", "type": "delay", "config": {"duration": "P1D"}}])

    started = await api.post(
        f"/api/v1/journeys/{key}/runs", json={"user_id": "ada", "input": {"plan": "pro"}}
    )
    assert started.status_code == 201, started.text
    run_id = started.json()["run_id"]
    assert started.json()["version"] == 1

    async def run() -> dict[str, Any]:
        response = await api.get(f"/api/v1/runs/{run_id}")
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    waiting = await _poll(run, lambda body: body["status"] == "waiting")
    assert waiting["active_nodes"] == ["nap"]
    assert [step["node_id"] for step in waiting["steps"]] == ["start", "nap"]
    assert waiting["steps"][1]["waiting_until"] is not None

    again = await api.post(f"/api/v1/journeys/{key}/runs", json={"user_id": "ada"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"

    async def listed() -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = (await api.get("/api/v1/runs", params={"journey": key})).json()["items"]
        return items

    [summary] = await _poll(listed, lambda items: len(items) == 1 and items[0]["status"] == "waiting")
    assert summary["run_id"] == run_id
    assert (await api.get("/api/v1/users/ada/runs")).json()["items"][0]["run_id"] == run_id

    stats = (await api.get(f"/api/v1/journeys/{key}/stats")).json()
    nap = next(node for node in stats["nodes"] if node["node_id"] == "nap")
    assert (stats["runs"], nap["entered"], nap["active"]) == (1, 1, 1)

    cancelled = await api.post(f"/api/v1/runs/{run_id}/cancel")
    assert cancelled.status_code == 202
    final = await _poll(run, lambda body: body["status"] == "cancelled")
    assert final["finished_at"] is not None
    assert (await api.post(f"/api/v1/runs/{run_id}/cancel")).status_code == 409


async def test_the_stream_sends_each_change_until_the_run_ends(api: httpx.AsyncClient, key: str) -> None:
    await _publish(
        api,
        key,
        [
            {"id": "nap", "type": "delay", "config": {"duration": "PT1S"}},
            {"id": "note", "type": "log", "config": {"message": "awake"}},
        ],
    )
    run_id = (await api.post(f"/api/v1/journeys/{key}/runs", json={"user_id": "bo"})).json()["run_id"]

    statuses: list[str] = []
    async with api.stream("GET", f"/api/v1/runs/{run_id}/stream") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        async for line in response.aiter_lines():
            if line.startswith("data: ") and line != "data: {}":
                statuses.append(json.loads(line.removeprefix("data: "))["status"])
            if line == "event: end":
                break

    assert statuses[-1] == "completed"
    assert "waiting" in statuses


async def test_starts_that_cannot_happen_are_problems(api: httpx.AsyncClient, key: str) -> None:
    unknown = await api.post("/api/v1/journeys/no-such-journey/runs", json={"user_id": "x"})
    assert unknown.status_code == 404

    await _publish(api, key, [{"id": "note", "type": "log", "config": {"message": "hi"}}])
    missing_version = await api.post(f"/api/v1/journeys/{key}/runs", json={"user_id": "x", "version": 9})
    assert missing_version.status_code == 404
    assert "no version 9" in missing_version.json()["detail"]

    assert (await api.post(f"/api/v1/journeys/{key}/pause")).status_code == 200
    paused = await api.post(f"/api/v1/journeys/{key}/runs", json={"user_id": "x"})
    assert paused.status_code == 409
    assert "paused" in paused.json()["detail"]
    assert (await api.get("/api/v1/runs/not-a-run")).status_code == 404
