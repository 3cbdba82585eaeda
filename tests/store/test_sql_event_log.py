"""SqlEventLog: idempotent appends, ordered reads, offsets that outlive the process."""

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from journey.dsl.core.messages import Event
from journey.store import Database, SqlEventLog

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _event(event_id: str, name: str = "clicked", **properties: object) -> Event:
    return Event.model_validate(
        {"id": event_id, "name": name, "user_id": "u1", "timestamp": T0, "properties": properties}
    )


@pytest.fixture
def log(database: Database, workspace: str) -> SqlEventLog:
    return SqlEventLog(database, workspace)


async def test_events_read_back_as_appended(log: SqlEventLog) -> None:
    paris = timezone(timedelta(hours=1))
    sent = Event(
        id="e1",
        name="order_completed",
        user_id=None,
        timestamp=datetime(2026, 3, 1, 13, 30, tzinfo=paris),
        properties={"total": 12.5, "items": [{"sku": "A", "qty": 2}], "gift": False, "note": None},
    )
    await log.append([sent])

    [logged] = await log.read_after("router")

    assert logged.event == sent
    assert logged.event.timestamp.tzinfo == UTC


async def test_duplicate_ids_are_stored_once(log: SqlEventLog) -> None:
    assert await log.append([_event("a"), _event("b")]) == ["a", "b"]
    assert await log.append([_event("b", "changed"), _event("c"), _event("c")]) == ["c"]
    assert await log.append([_event("a")]) == []

    read = await log.read_after("router")
    assert [(logged.event.id, logged.event.name) for logged in read] == [
        ("a", "clicked"),
        ("b", "clicked"),
        ("c", "clicked"),
    ]


async def test_reads_follow_the_committed_offset(log: SqlEventLog) -> None:
    await log.append([_event(f"e{n}") for n in range(5)])

    first = await log.read_after("router", limit=2)
    assert [logged.event.id for logged in first] == ["e0", "e1"]
    assert await log.read_after("router", limit=2) == first

    await log.commit("router", first[-1].sequence)
    rest = await log.read_after("router")
    assert [logged.event.id for logged in rest] == ["e2", "e3", "e4"]
    assert [logged.sequence for logged in first + rest] == sorted(logged.sequence for logged in first + rest)

    await log.commit("router", rest[-1].sequence)
    assert await log.read_after("router") == []
    assert len(await log.read_after("audit")) == 5


async def test_offsets_survive_reopening_the_database(
    database_url: str, database: Database, workspace: str
) -> None:
    await SqlEventLog(database, workspace).append([_event("e1"), _event("e2")])
    async with Database.connect(database_url) as first_process:
        log = SqlEventLog(first_process, workspace)
        [logged, _] = await log.read_after("router")
        await log.commit("router", logged.sequence)

    async with Database.connect(database_url) as second_process:
        remaining = await SqlEventLog(second_process, workspace).read_after("router")

    assert [logged.event.id for logged in remaining] == ["e2"]


async def test_workspaces_have_their_own_events(database: Database, workspace: str) -> None:
    await SqlEventLog(database, workspace).append([_event("e1")])
    other = SqlEventLog(database, f"{workspace}-other")

    assert await other.append([_event("e1")]) == ["e1"]
    assert [logged.event.id for logged in await other.read_after("router")] == ["e1"]


async def test_a_consumer_misses_nothing_while_appends_race(log: SqlEventLog) -> None:
    writers = [
        asyncio.create_task(log.append([_event(f"w{writer}-{n}") for n in range(3)])) for writer in range(15)
    ]
    seen: list[str] = []
    while True:
        done = all(writer.done() for writer in writers)
        batch = await log.read_after("router", limit=7)
        if batch:
            seen += [logged.event.id for logged in batch]
            await log.commit("router", batch[-1].sequence)
        elif done:
            break
        else:
            pending = [writer for writer in writers if not writer.done()]
            await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)

    await asyncio.gather(*writers)
    assert sorted(seen) == sorted(f"w{writer}-{n}" for writer in range(15) for n in range(3))
