"""EventService and the shape of ``POST /events`` bodies: ids and times filled in, duplicates
stored once, everything committed before ``receive`` returns; errors located at the field."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from journey.services.events import MAX_BATCH, EventBatch, Events, EventService, IncomingEvent
from journey.store import Database, SqlEventLog

BODY: TypeAdapter[IncomingEvent | EventBatch] = TypeAdapter(Events)
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def log(database: Database, workspace: str) -> SqlEventLog:
    return SqlEventLog(database, workspace)


@pytest.fixture
def service(log: SqlEventLog) -> EventService:
    return EventService(log)


@pytest.fixture
async def second_connection(database_url: str, workspace: str) -> AsyncIterator[SqlEventLog]:
    """The event log through a database handle of its own: it sees only what was committed."""
    async with Database.connect(database_url) as other:
        yield SqlEventLog(other, workspace)


def _event(**fields: Any) -> dict[str, Any]:
    return {"name": "order_completed", "user_id": "u1", **fields}


async def test_one_event_gets_an_id_and_the_time_it_arrived(
    service: EventService, second_connection: SqlEventLog
) -> None:
    before = datetime.now(UTC)
    [event_id] = await service.receive(BODY.validate_python(_event(properties={"total": 12.5})))

    [logged] = await second_connection.read_after("test")
    assert uuid.UUID(event_id).version == 4
    assert logged.event.id == event_id
    assert (logged.event.name, logged.event.user_id) == ("order_completed", "u1")
    assert logged.event.properties == {"total": 12.5}
    assert before <= logged.event.timestamp <= datetime.now(UTC)


async def test_a_batch_answers_every_id_in_order(service: EventService, log: SqlEventLog) -> None:
    paris = timezone(timedelta(hours=1))
    body = {
        "events": [
            _event(id="a", timestamp="2026-03-01T13:00:00+01:00"),
            _event(name="page_viewed"),
            _event(id="c", timestamp=T0.astimezone(paris).isoformat()),
        ]
    }

    ids = await service.receive(BODY.validate_python(body))

    assert ids[0] == "a"
    assert ids[2] == "c"
    logged = [item.event for item in await log.read_after("test")]
    assert [event.id for event in logged] == ids
    assert [event.timestamp for event in logged[::2]] == [T0, T0]
    assert logged[0].timestamp.tzinfo == UTC


async def test_an_id_sent_again_is_answered_but_stored_once(service: EventService, log: SqlEventLog) -> None:
    first = await service.receive(BODY.validate_python(_event(id="e1", properties={"n": 1})))
    again = await service.receive(
        BODY.validate_python(
            {"events": [_event(id="e1", properties={"n": 2}), _event(id="e1"), _event(id="e2")]}
        )
    )

    assert first == ["e1"]
    assert again == ["e1", "e1", "e2"]
    logged = [item.event for item in await log.read_after("test")]
    assert [(event.id, event.properties) for event in logged] == [("e1", {"n": 1}), ("e2", {})]


async def test_an_empty_batch_stores_nothing(service: EventService, log: SqlEventLog) -> None:
    assert await service.receive(BODY.validate_python({"events": []})) == []
    assert await log.read_after("test") == []


def test_a_full_batch_is_accepted_and_one_more_is_not() -> None:
    full = BODY.validate_python({"events": [_event()] * MAX_BATCH})
    assert isinstance(full, EventBatch)
    assert len(full.events) == MAX_BATCH

    assert _errors({"events": [_event()] * (MAX_BATCH + 1)}) == [("events",)]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"user_id": "u1"}, ("name",)),
        (_event(name="has space"), ("name",)),
        (_event(name="x" * 201), ("name",)),
        (_event(user_id=None), ("user_id",)),
        ({"name": "clicked"}, ("user_id",)),
        (_event(user_id=""), ("user_id",)),
        (_event(user_id="u" * 201), ("user_id",)),
        (_event(user_id="u\x00"), ("user_id",)),
        (_event(id=""), ("id",)),
        (_event(id=7), ("id",)),
        (_event(timestamp="2026-03-01T12:00:00"), ("timestamp",)),
        (_event(timestamp="0001-01-01T00:00:00+05:00"), ("timestamp",)),
        (_event(timestamp="yesterday"), ("timestamp",)),
        (_event(properties=[1, 2]), ("properties",)),
        (_event(properties={"total": float("nan")}), ("properties",)),
        (_event(propertys={}), ("propertys",)),
        ({"events": [_event(), _event(), _event(), _event(name="")]}, ("events", 3, "name")),
        ({"events": [_event(), {"name": "clicked"}]}, ("events", 1, "user_id")),
        ({"events": "all of them"}, ("events",)),
        ({"events": [], "name": "clicked"}, ("name",)),
        ([_event()], ()),
        ("clicked", ()),
    ],
)
def test_errors_name_the_field(body: Any, where: tuple[str | int, ...]) -> None:
    assert where in _errors(body)


def test_timestamps_may_be_unix_seconds() -> None:
    event = BODY.validate_python(_event(timestamp=T0.timestamp()))
    assert isinstance(event, IncomingEvent)
    assert event.timestamp == T0


def _errors(body: Any) -> list[tuple[str | int, ...]]:
    with pytest.raises(ValidationError) as raised:
        BODY.validate_python(body)
    return [tuple(error["loc"]) for error in raised.value.errors()]
