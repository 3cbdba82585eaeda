"""Receiving events: one or a batch, each given an id and a time if it lacks them, stored durably.

An event's ``id`` is what makes sending it safe to retry: the log keeps the first event with an
id and ignores the same id later, so a client that lost a 202 sends the batch again. Events
without an id get a fresh one (and lose that guarantee); the answer lists every id, in order,
so the client can learn them.
"""

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidatorFunctionWrapHandler, WrapValidator

from journey.dsl.core.messages import Event
from journey.dsl.markers import EventName
from journey.services.storable import StorableId, StorableObject, UtcTimestamp
from journey.store.event_log import EventLog
from journey.store.types import utc_now

MAX_BATCH = 1_000
SOURCE = "api"


class IncomingEvent(BaseModel):
    """An event as a client sends it."""

    model_config = ConfigDict(extra="forbid")

    name: EventName
    user_id: StorableId
    properties: StorableObject = Field(default_factory=dict)
    id: StorableId | None = Field(default=None, description="Default: a new uuid4; give one to retry safely")
    timestamp: UtcTimestamp | None = Field(
        default=None, description="When it happened, with an offset; default: when it is received"
    )


class EventBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[IncomingEvent] = Field(max_length=MAX_BATCH)


def _by_shape(value: Any, _handler: ValidatorFunctionWrapHandler) -> IncomingEvent | EventBatch:
    """An object with ``events`` is a batch, anything else one event: an error's location is
    then the field's own (``events.3.name``), with no union member's label in front."""
    if isinstance(value, dict) and "events" in value:
        return EventBatch.model_validate(value)
    return IncomingEvent.model_validate(value)


Events = Annotated[IncomingEvent | EventBatch, WrapValidator(_by_shape)]
"""The body of ``POST /events``: one event, or ``{"events": [...]}``."""


class EventService:
    def __init__(self, log: EventLog) -> None:
        self._log = log

    async def receive(self, received: IncomingEvent | EventBatch) -> list[str]:
        """Store the events (committed when this returns); their ids in the order received."""
        incoming = received.events if isinstance(received, EventBatch) else [received]
        events = _completed(incoming)
        await self._log.append(events, source=SOURCE)
        return [event.id for event in events]


def _completed(incoming: Sequence[IncomingEvent]) -> list[Event]:
    now = utc_now()
    return [
        Event(
            id=event.id or str(uuid.uuid4()),
            name=event.name,
            user_id=event.user_id,
            timestamp=event.timestamp or now,
            properties=event.properties,
        )
        for event in incoming
    ]
