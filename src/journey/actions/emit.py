"""``emit_event``: append an event to the log, exactly once however often the activity retries.

The event id is derived from the action's idempotency key (stable across retries and replays),
and the log stores an id only once.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import JsonValue

from journey.actions.errors import ActionError
from journey.dsl.core.messages import Event
from journey.dsl.nodes.emit_event import EmitEventConfig
from journey.store.event_log import EventLog, TopicEventLog

_EVENT_IDS = uuid.UUID("5b0c7f9e-3f4a-4d63-9a57-2f1e8c6d4b10")
"""Namespace of the UUIDv5 event ids derived from idempotency keys."""

EMITTED_BY = "journey"
"""The ``source`` recorded for events that journeys emit (the API records ``api``)."""


async def emit_event(
    log: EventLog, params: dict[str, Any], *, default_user_id: str | None, idempotency_key: str
) -> dict[str, JsonValue]:
    """Append the event that rendered ``emit_event`` params describe; ``{"id", "name", "user_id"}``.

    An empty rendered ``user_id`` falls back to the run's user, like an absent one. A ``topic``
    needs a log with topics (Kafka); on the SQL log it fails the step without retrying, rather
    than putting the event where nobody who reads that topic would see it.
    """
    config = EmitEventConfig.model_validate(params)
    event = Event(
        id=str(uuid.uuid5(_EVENT_IDS, idempotency_key)),
        name=config.event,
        user_id=config.user_id or default_user_id,
        timestamp=datetime.now(UTC),
        properties=config.properties,
    )
    if config.topic is None:
        await log.append([event], source=EMITTED_BY)
    elif isinstance(log, TopicEventLog):
        await log.append_to(config.topic, [event], source=EMITTED_BY)
    else:
        raise ActionError(
            f"topic {config.topic!r} needs the Kafka event log (JOURNEY_KAFKA_BOOTSTRAP); "
            "the local event log has no topics",
            retryable=False,
        )
    return {"id": event.id, "name": event.name, "user_id": event.user_id}
