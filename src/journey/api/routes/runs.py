"""Runs: start, list, read, watch (server-sent events), cancel, and per-node counts."""

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, JsonValue

from journey.api.body_limit import limited_body
from journey.api.pagination import CursorParam, Limit, Page, decode_cursor, encode_cursor
from journey.api.routes.users import UserId
from journey.api.schemas import problems
from journey.api.state import State
from journey.errors import InvalidRequest
from journey.services.runs import JourneyStats, RunService, RunView
from journey.services.storable import ID_MAX_LENGTH, WITHOUT_NUL

MAX_BODY_BYTES = 1024 * 1024
"""A run's input; larger trigger properties belong in the user's attributes or an event."""

router = APIRouter(tags=["runs"], route_class=limited_body(MAX_BODY_BYTES))

RunId = Annotated[str, Path(pattern=WITHOUT_NUL)]
"""Ids are looked up as text, which cannot hold NUL on PostgreSQL: such an id is a 422."""
IdFilter = Annotated[str | None, Query(max_length=ID_MAX_LENGTH, pattern=WITHOUT_NUL)]
RunStatusFilter = Annotated[
    str | None,
    Query(pattern="^(running|waiting|completed|failed|cancelled|exited|timed_out)$"),
]


class StartRun(BaseModel):
    user_id: str | None = Field(default=None, min_length=1, max_length=200)
    input: dict[str, JsonValue] = Field(default_factory=dict, description="The trigger's properties")
    version: int | None = Field(default=None, ge=1, description="Default: the published version")


class RunSummary(BaseModel):
    run_id: str
    journey: str
    version: int
    user_id: str | None
    status: str
    started_at: datetime
    finished_at: datetime | None = None
    active_nodes: list[str] = Field(default_factory=list)


class Cancelling(BaseModel):
    run_id: str
    status: str = "cancelling"


def _service(state: State) -> RunService:
    return RunService(state.database, state.temporal, state.settings.temporal_task_queue)


Service = Annotated[RunService, Depends(_service)]


@router.post(
    "/journeys/{key}/runs",
    status_code=201,
    response_model=RunView,
    responses=problems(400, 404, 409, 422, 503),
)
async def start_run(key: str, body: StartRun, runs: Service) -> RunView:
    """Start a run of the journey's published version (or ``version``) for ``user_id``."""
    return await runs.start(key, user_id=body.user_id, input=body.input, version=body.version)


@router.get("/runs", response_model=Page[RunSummary], responses=problems(422))
async def list_runs(
    runs: Service,
    journey: IdFilter = None,
    status: RunStatusFilter = None,
    user_id: IdFilter = None,
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> Page[RunSummary]:
    return await _page(runs, journey=journey, status=status, user_id=user_id, limit=limit, cursor=cursor)


@router.get("/users/{user_id}/runs", response_model=Page[RunSummary], responses=problems(422))
async def list_user_runs(
    user_id: UserId, runs: Service, limit: Limit = 50, cursor: CursorParam = None
) -> Page[RunSummary]:
    return await _page(runs, journey=None, status=None, user_id=user_id, limit=limit, cursor=cursor)


@router.get("/runs/{run_id}", response_model=RunView, responses=problems(404, 503))
async def get_run(run_id: RunId, runs: Service) -> RunView:
    return await runs.get(run_id)


@router.get(
    "/runs/{run_id}/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "One `run` event per change"},
        **problems(404, 503),
    },
)
async def stream_run(run_id: RunId, runs: Service, request: Request) -> StreamingResponse:
    """Server-sent events: the run (as ``GET /runs/{run_id}``) each time it changes, until it ends."""
    await runs.get(run_id)

    async def events() -> AsyncIterator[str]:
        async for view in runs.watch(run_id):
            if await request.is_disconnected():
                return
            yield f"event: run\ndata: {view.model_dump_json()}\n\n"
        yield "event: end\ndata: {}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


@router.post(
    "/runs/{run_id}/cancel", status_code=202, response_model=Cancelling, responses=problems(404, 409, 503)
)
async def cancel_run(run_id: RunId, runs: Service) -> Cancelling:
    await runs.cancel(run_id)
    return Cancelling(run_id=run_id)


@router.get("/journeys/{key}/stats", response_model=JourneyStats, responses=problems(404, 422))
async def journey_stats(
    key: str, runs: Service, version: Annotated[int | None, Query(ge=1)] = None
) -> JourneyStats:
    """Per node: how many runs entered it, are there now, finished it, failed there."""
    return await runs.stats(key, version)


async def _page(
    runs: RunService,
    *,
    journey: str | None,
    status: str | None,
    user_id: str | None,
    limit: int,
    cursor: str | None,
) -> Page[RunSummary]:
    position = decode_cursor(cursor)
    after = None
    if position is not None:
        try:
            after = (datetime.fromisoformat(position[0]), str(position[1]))
        except (IndexError, TypeError, ValueError):
            raise InvalidRequest("cursor: not a cursor this API returned") from None
    views = await runs.find(journey=journey, status=status, user_id=user_id, after=after, limit=limit + 1)
    items = [RunSummary.model_validate(view.model_dump()) for view in views[:limit]]
    next_cursor = None
    if len(views) > limit:
        last = items[-1]
        next_cursor = encode_cursor([last.started_at.isoformat(), last.run_id])
    return Page[RunSummary](items=items, next_cursor=next_cursor)
