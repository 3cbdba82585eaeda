"""Health, node types, schema, validate and simulate (routes/meta.py)."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from journey.api import ApiState, create_app
from journey.dsl.schema import journey_schema, node_types_payload
from journey.engine.devserver import find_temporal_cli
from journey.store import Database, SqlEventLog

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
async def temporal_client() -> AsyncIterator[Client]:
    """A Temporal dev server of this module's own: the health check only needs one to answer."""
    environment = await WorkflowEnvironment.start_local(dev_server_existing_path=str(find_temporal_cli()))
    yield environment.client
    await environment.shutdown()


def _client(state: ApiState) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(state)), base_url="http://test")


async def test_health_is_ok_when_database_engine_and_event_log_answer(
    api_state: ApiState, temporal_client: Client
) -> None:
    state = ApiState(api_state.settings, api_state.database, api_state.events, temporal_client)
    async with _client(state) as api:
        response = await api.get("/api/v1/health")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "temporal": "ok", "events": "ok"},
    }


async def test_health_without_an_engine_is_degraded(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/health")

    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "temporal": "unavailable", "events": "ok"},
    }


async def test_health_reports_a_database_that_does_not_answer(api_state: ApiState) -> None:
    async with Database.connect("postgresql+asyncpg://postgres@127.0.0.1:9/nowhere") as unreachable:
        state = ApiState(api_state.settings, unreachable, SqlEventLog(unreachable), None)
        async with _client(state) as api:
            response = await api.get("/api/v1/health")

    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "unavailable",
        "temporal": "unavailable",
        "events": "unavailable",
    }


async def test_node_types_are_the_registry(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/node-types")

    assert response.status_code == 200
    served = response.json()
    expected = node_types_payload()
    assert [item["type"] for item in served] == [item["type"] for item in expected]
    for item, declared in zip(served, expected, strict=True):
        assert item["config_schema"] == declared["config_schema"]
        assert {name: value for name, value in item["branches"].items() if value} == declared["branches"]
    assert next(item for item in served if item["type"] == "switch")["branches"]["from"] == "cases[].id"


async def test_schema_is_the_document_schema(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/schema")

    assert response.status_code == 200
    assert response.json() == journey_schema()


async def test_validate_accepts_a_valid_journey(
    api: httpx.AsyncClient, journey_document: dict[str, Any]
) -> None:
    response = await api.post("/api/v1/validate", json=journey_document)

    assert response.status_code == 200
    assert response.json() == {"valid": True, "issues": []}


async def test_validate_reports_every_issue(api: httpx.AsyncClient, journey_document: dict[str, Any]) -> None:
    journey_document["nodes"][1]["type"] = "telepathy"
    journey_document["edges"].append({"source": "done", "target": "note"})

    response = await api.post("/api/v1/validate", json=journey_document)

    assert response.status_code == 200
    result = response.json()
    assert result["valid"] is False
    assert {issue["code"] for issue in result["issues"]} >= {"unknown_node_type", "edge_from_end"}
    assert all(issue["path"].startswith(("/nodes/", "/edges/")) for issue in result["issues"])


@pytest.mark.parametrize("body", ["a journey", [1, 2], 42, None, True])
async def test_validate_answers_any_json(api: httpx.AsyncClient, body: Any) -> None:
    content = json.dumps(body).encode()
    response = await api.post(
        "/api/v1/validate", content=content, headers={"content-type": "application/json"}
    )

    assert response.status_code == 200
    assert response.json()["valid"] is False
    assert [issue["code"] for issue in response.json()["issues"]] == ["invalid_document"]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(b"{not json", "application/json"), (b'{"key": "x"}', "text/plain"), (b"", "application/json")],
)
async def test_validate_refuses_a_body_that_is_not_json(
    api: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    response = await api.post("/api/v1/validate", content=content, headers={"content-type": content_type})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["status"] == 422


@pytest.mark.parametrize(
    ("content", "refused"),
    [
        (rb'{"key": "a\u0000b"}', "NUL"),
        (rb'{"name": "\ud800"}', "surrogates"),
        (rb'{"metadata": {"ratio": NaN}}', "finite"),
        (b'{"metadata": ' + b"[" * 40 + b"]" * 40 + b"}", "nested"),
    ],
)
async def test_validate_refuses_json_no_database_could_store(
    api: httpx.AsyncClient, content: bytes, refused: str
) -> None:
    response = await api.post(
        "/api/v1/validate", content=content, headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    assert refused in response.json()["detail"]


async def test_simulate_runs_the_journey(api: httpx.AsyncClient, journey_document: dict[str, Any]) -> None:
    body = {"journey": journey_document, "user": {"id": "u1"}, "start": "2026-01-05T09:00:00Z"}

    response = await api.post("/api/v1/simulate", json=body)

    assert response.status_code == 200
    result = response.json()
    assert result["status"] == "completed"
    assert result["path"] == ["signed_up", "note", "done"]
    assert [(action["node_id"], action["params"]) for action in result["actions"]] == [
        ("note", {"message": "hello u1", "level": "info"})
    ]


async def test_simulate_delivers_scripted_events(api: httpx.AsyncClient, journey_key: str) -> None:
    journey = {
        "key": journey_key,
        "name": "Wait for an order",
        "nodes": [
            {"id": "start", "type": "trigger", "config": {"kind": "manual"}},
            {"id": "wait", "type": "wait_for_event", "config": {"event": "ordered", "timeout": "P1D"}},
            {"id": "bought", "type": "end"},
            {"id": "gave_up", "type": "end", "config": {"status": "failed"}},
        ],
        "edges": [
            {"source": "start", "target": "wait"},
            {"source": "wait", "target": "bought", "branch": "event"},
            {"source": "wait", "target": "gave_up", "branch": "timeout"},
        ],
    }
    body = {"journey": journey, "events": [{"after": "PT2H", "name": "ordered"}]}

    response = await api.post("/api/v1/simulate", json=body)

    assert response.status_code == 200
    assert response.json()["path"] == ["start", "wait", "bought"]


async def test_simulate_refuses_an_invalid_journey_with_its_issues(
    api: httpx.AsyncClient, journey_document: dict[str, Any]
) -> None:
    del journey_document["nodes"][0]

    response = await api.post("/api/v1/simulate", json={"journey": journey_document})

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert "no_trigger" in {issue["code"] for issue in response.json()["issues"]}


async def test_simulate_refuses_a_clock_past_the_calendar(
    api: httpx.AsyncClient, journey_document: dict[str, Any]
) -> None:
    body = {
        "journey": journey_document,
        "start": "9999-12-31T23:00:00Z",
        "events": [{"after": "P2D", "name": "x"}],
    }

    response = await api.post("/api/v1/simulate", json=body)

    assert response.status_code == 422
    assert "9999" in response.json()["detail"]


def test_a_problem_quoting_an_unpaired_surrogate_still_encodes() -> None:
    from journey.api.problems import problem

    response = problem(422, "bad \ud800 input")

    assert response.headers["content-type"] == "application/problem+json"
    assert json.loads(response.body)["detail"] == "bad \ud800 input"
