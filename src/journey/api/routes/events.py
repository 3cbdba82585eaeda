"""Events in: ``POST /events`` with one event or a batch, answered 202 once they are stored."""

from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from journey.api.body_limit import limited_body
from journey.api.schemas import problems
from journey.api.state import State
from journey.services.events import MAX_BATCH, Events, EventService

MAX_BODY_BYTES = 4 * 1024 * 1024
"""Room for a full batch of events with about 4 KiB of properties each."""

router = APIRouter(tags=["events"], route_class=limited_body(MAX_BODY_BYTES))


class Accepted(BaseModel):
    accepted: int = Field(description="How many events the request held")
    ids: list[str] = Field(description="Their ids in the order sent, generated where none was given")


@router.post("/events", status_code=202, response_model=Accepted, responses=problems(400, 422))
async def receive_events(
    received: Annotated[Events, Body(description=f"One event, or up to {MAX_BATCH} in `events`")],
    state: State,
) -> Accepted:
    """Store events durably, then answer; an ``id`` already stored is not stored again."""
    ids = await EventService(state.events).receive(received)
    return Accepted(accepted=len(ids), ids=ids)
