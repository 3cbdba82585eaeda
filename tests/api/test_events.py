"""``POST /api/v1/events`` over HTTP (routes/events.py): 202 only once the events are committed,
ids answered in order, duplicates stored once, every refusal a 4xx problem that says where.

Filling in ids and times and the shape of a body are tested without HTTP in
tests/services/test_events.py.
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from journey.api.routes.events import MAX_BODY_BYTES
from journey.services.events import MAX_BATCH
from journey.store import Database
from journey.store.models import DEFAULT_WORKSPACE, EventRow

PROBLEM = "application/problem+json"
EVENTS = "/api/v1/events"
JSON = {"content-type": "application/json"}

Stored = Callable[[Sequence[str]], Awaitable[list[EventRow]]]


@pytest.fixture
async def stored(database_url: str) -> AsyncIterator[Stored]:
    """The rows of the given event ids, read through a connection of its own: committed ones only."""
    async with Database.connect(database_url) as other:

        async def rows(ids: Sequence[str]) -> list[EventRow]:
            query = select(EventRow).where(
                EventRow.workspace_id == DEFAULT_WORKSPACE, EventRow.event_id.in_(list(ids))
            )
            async with other.sessions() as session:
                return list((await session.execute(query.order_by(EventRow.sequence))).scalars())

        yield rows


@pytest.fixture
def prefix() -> str:
    """Event ids of this test's own: the session's database is shared."""
    return f"test-{uuid.uuid4().hex[:12]}"


def _event(**fields: Any) -> dict[str, Any]:
    return {"name": "order_completed", "user_id": "u1", **fields}


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_one_event_is_committed_before_the_202(api: httpx.AsyncClient, stored: Stored) -> None:
    before = datetime.now(UTC)
    response = await api.post(EVENTS, json=_event(properties={"total": 12.5, "items": [{"sku": "A"}]}))

    assert response.status_code == 202
    body = response.json()
    assert body["accepted"] == 1
    [event_id] = body["ids"]
    assert uuid.UUID(event_id).version == 4
    [row] = await stored([event_id])
    assert (row.name, row.user_id, row.source) == ("order_completed", "u1", "api")
    assert row.properties == {"total": 12.5, "items": [{"sku": "A"}]}
    assert before <= row.timestamp <= datetime.now(UTC)


async def test_a_batch_is_answered_with_every_id_in_order(
    api: httpx.AsyncClient, stored: Stored, prefix: str
) -> None:
    batch = [
        _event(id=f"{prefix}-a", timestamp="2026-03-01T13:00:00+01:00"),
        _event(name="page_viewed", user_id="u2"),
        _event(id=f"{prefix}-c", properties={"n": 3}),
    ]

    response = await api.post(EVENTS, json={"events": batch})

    assert response.status_code == 202
    ids = response.json()["ids"]
    assert response.json()["accepted"] == 3
    assert [ids[0], ids[2]] == [f"{prefix}-a", f"{prefix}-c"]
    rows = await stored(ids)
    assert [row.event_id for row in rows] == ids
    assert rows[0].timestamp == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert (rows[1].name, rows[1].user_id) == ("page_viewed", "u2")


async def test_the_same_id_sent_again_is_202_and_stored_once(
    api: httpx.AsyncClient, stored: Stored, prefix: str
) -> None:
    first = await api.post(EVENTS, json=_event(id=prefix, properties={"n": 1}))
    again = await api.post(EVENTS, json=_event(id=prefix, properties={"n": 2}))
    twice_in_a_batch = await api.post(EVENTS, json={"events": [_event(id=prefix), _event(id=prefix)]})

    assert [first.status_code, again.status_code, twice_in_a_batch.status_code] == [202, 202, 202]
    assert twice_in_a_batch.json() == {"accepted": 2, "ids": [prefix, prefix]}
    [row] = await stored([prefix])
    assert row.properties == {"n": 1}


async def test_the_same_id_sent_at_once_by_many_clients_is_stored_once(
    api: httpx.AsyncClient, stored: Stored, prefix: str
) -> None:
    responses = await asyncio.gather(*(api.post(EVENTS, json=_event(id=prefix)) for _ in range(10)))

    assert {response.status_code for response in responses} == {202}
    assert len(await stored([prefix])) == 1


async def test_a_full_batch_is_accepted_and_one_more_is_a_422(api: httpx.AsyncClient, stored: Stored) -> None:
    full = await api.post(EVENTS, json={"events": [_event(properties={"n": n}) for n in range(MAX_BATCH)]})
    over = await api.post(EVENTS, json={"events": [_event()] * (MAX_BATCH + 1)})

    assert full.status_code == 202
    assert len(await stored(full.json()["ids"])) == MAX_BATCH
    assert _problem(over, 422)["errors"][0]["location"] == ["body", "events"]


@pytest.mark.parametrize(
    ("body", "location"),
    [
        (
            {"events": [_event(), _event(), _event(), _event(name="not a name")]},
            ["body", "events", "3", "name"],
        ),
        ({"events": [_event(), {"name": "clicked"}]}, ["body", "events", "1", "user_id"]),
        ({"name": "clicked"}, ["body", "user_id"]),
        (_event(user_id=""), ["body", "user_id"]),
        (_event(user_id="u" * 201), ["body", "user_id"]),
        (_event(name="x" * 201), ["body", "name"]),
        (_event(id=""), ["body", "id"]),
        (_event(timestamp="2026-03-01T12:00:00"), ["body", "timestamp"]),
        (_event(timestamp="0001-01-01T00:00:00+05:00"), ["body", "timestamp"]),
        (_event(properties="none"), ["body", "properties"]),
        (_event(type="track"), ["body", "type"]),
        ([_event()], ["body"]),
    ],
)
async def test_invalid_events_are_422_problems_naming_the_field(
    api: httpx.AsyncClient, body: Any, location: list[str]
) -> None:
    problem = _problem(await api.post(EVENTS, json=body), 422)

    assert location in [error["location"] for error in problem["errors"]]
    assert problem["detail"].startswith(".".join(location))


async def test_one_invalid_event_refuses_the_whole_batch(
    api: httpx.AsyncClient, stored: Stored, prefix: str
) -> None:
    batch = [_event(id=f"{prefix}-ok"), _event(id=f"{prefix}-bad", user_id=None)]

    _problem(await api.post(EVENTS, json={"events": batch}), 422)

    assert await stored([f"{prefix}-ok", f"{prefix}-bad"]) == []


@pytest.mark.parametrize(
    ("properties", "where"),
    [
        ('{"total": NaN}', "/total: numbers must be finite"),
        ('{"total": 1e400}', "/total: numbers must be finite"),
        ('{"note": "a\\u0000b"}', "/note: text must not hold NUL"),
        ('{"\\u0000": true}', "/\\x00: names must not hold NUL"),
        ('{"note": ["ok", "\\udc00"]}', "/note/1: text must not hold NUL or unpaired surrogates"),
        ('{"deep": ' + '{"a": ' * 40 + "1" + "}" * 41, "levels deep"),
    ],
)
async def test_properties_a_database_would_refuse_are_422_problems_that_say_where(
    api: httpx.AsyncClient, stored: Stored, prefix: str, properties: str, where: str
) -> None:
    raw = f'{{"id": "{prefix}", "name": "clicked", "user_id": "u1", "properties": {properties}}}'

    problem = _problem(await api.post(EVENTS, content=raw, headers=JSON), 422)

    assert problem["errors"][0]["location"] == ["body", "properties"]
    assert where in problem["detail"]
    assert await stored([prefix]) == []


@pytest.mark.parametrize(
    "raw",
    [
        '{"name": "clicked", "user_id": "u\\u0000"}',
        '{"name": "clicked", "user_id": "\\ud800"}',
        '{"name": "clicked", "user_id": "u1", "id": "e\\u0000"}',
        '{"name": "clicked", "user_id": "u1", "\\ud800": 1}',
        '{"events": [], "\\ud800": 1}',
        '{"events": [{"\\udfff": 1}]}',
        '{"name": "clicked", "user_id": "u1"',
        "",
        "[" * 5_000 + "]" * 5_000,
    ],
)
async def test_hostile_bodies_get_a_4xx_problem(api: httpx.AsyncClient, raw: str) -> None:
    response = await api.post(EVENTS, content=raw, headers=JSON)

    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == PROBLEM


async def test_a_body_over_the_limit_is_a_413_problem(api: httpx.AsyncClient) -> None:
    padding = "x" * MAX_BODY_BYTES
    response = await api.post(
        EVENTS, content=json.dumps(_event(properties={"padding": padding})), headers=JSON
    )

    assert _problem(response, 413)["detail"] == f"the request body is larger than {MAX_BODY_BYTES} bytes"


async def test_the_openapi_documents_both_shapes_and_the_answer(api: httpx.AsyncClient) -> None:
    operation = (await api.get("/api/v1/openapi.json")).json()["paths"][EVENTS]["post"]

    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert [option["$ref"].rsplit("/", 1)[1] for option in schema["anyOf"]] == ["IncomingEvent", "EventBatch"]
    answer = operation["responses"]["202"]["content"]["application/json"]["schema"]
    assert answer["$ref"].endswith("/Accepted")
