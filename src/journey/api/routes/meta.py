"""Health, and what a client needs before it stores anything: the node types, the document's
JSON Schema, and checking or simulating a document.

Validation and simulation are CPU work, so their routes are plain functions, which FastAPI runs
in its thread pool: a long simulation does not hold up other requests.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any

import structlog
from fastapi import APIRouter, Body, Response
from pydantic import JsonValue
from sqlalchemy import text

from journey.api.body_limit import limited_body
from journey.api.schemas import (
    CheckResult,
    Health,
    HealthChecks,
    NodeTypeInfo,
    SimulationRequest,
    ValidationResult,
    problems,
)
from journey.api.state import ApiState, State
from journey.dsl.issues import has_errors
from journey.dsl.schema import journey_schema, node_types_payload
from journey.dsl.simulate import SimulationResult
from journey.services.journeys import check_document, simulate_document

HEALTH_TIMEOUT = timedelta(seconds=2)
"""How long each health check may take before it counts as failed."""
HEALTH_CONSUMER = "health-check"
"""The event log consumer the health check reads as; it never commits, so it reads nothing away."""

MAX_BODY_BYTES = 2 * 1024 * 1024
"""A journey as large as the journeys endpoints take, with room for a simulation's events."""

router = APIRouter(tags=["meta"], route_class=limited_body(MAX_BODY_BYTES))
_log = structlog.get_logger("journey.api")


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "A check failed"}},
)
async def health(state: State, response: Response) -> Health:
    """Whether the database, the engine (Temporal) and the event log answer, each within 2 s."""
    database, temporal, events = await asyncio.gather(
        _check("database", _database_answers, state),
        _check("temporal", _temporal_answers, state),
        _check("events", _event_log_answers, state),
    )
    checks = HealthChecks(database=database, temporal=temporal, events=events)
    healthy = all(result == "ok" for result in (database, temporal, events))
    if not healthy:
        response.status_code = 503
    return Health(status="ok" if healthy else "degraded", checks=checks)


@router.get("/node-types", response_model=list[NodeTypeInfo])
async def node_types() -> list[dict[str, Any]]:
    """Every node type: the designer builds its palette and its forms from this alone."""
    return node_types_payload()


@router.get("/schema", response_model=dict[str, Any])
async def document_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a journey document."""
    return journey_schema()


@router.post("/validate", response_model=ValidationResult, responses=problems(400, 413, 422))
def validate_document(
    document: Annotated[JsonValue, Body(description="A journey document; any JSON value is checked")],
) -> ValidationResult:
    """Every problem of a document, stored nowhere; any JSON value gets an answer."""
    issues = check_document(document)
    return ValidationResult(valid=not has_errors(issues), issues=issues)


@router.post("/simulate", response_model=SimulationResult, responses=problems(400, 413, 422))
def simulate(request: SimulationRequest) -> SimulationResult:
    """Run a journey on a virtual clock, with no side effects: its path, steps and the actions
    it would perform, rendered. 422 with ``issues`` when the journey has errors."""
    return simulate_document(
        request.journey,
        input=request.input,
        user=request.user,
        events=request.events,
        outputs=request.outputs,
        start=request.start,
    )


async def _check(name: str, check: Callable[[ApiState], Awaitable[None]], state: ApiState) -> CheckResult:
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT.total_seconds()):
            await check(state)
    except _NoEngine:
        return "unavailable"
    except Exception as error:  # a health check reports any failure, whatever its kind
        _log.warning("health check failed", check=name, error=repr(error))
        return "unavailable"
    return "ok"


class _NoEngine(Exception):
    """The API runs without Temporal: unavailable by configuration, not worth a log line."""


async def _database_answers(state: ApiState) -> None:
    async with state.database.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _temporal_answers(state: ApiState) -> None:
    if state.temporal is None:
        raise _NoEngine
    if not await state.temporal.service_client.check_health(timeout=HEALTH_TIMEOUT):
        raise RuntimeError("Temporal's workflow service reports that it is not serving")


async def _event_log_answers(state: ApiState) -> None:
    await state.events.read_after(HEALTH_CONSUMER, limit=1)
