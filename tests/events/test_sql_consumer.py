"""SqlEventConsumer: batches in log order, redelivery until acked, one consumer per name at a time,
and an idle poll that slows down (on SQLite and PostgreSQL)."""

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import aclosing, contextmanager
from typing import Any

import pytest
import structlog
from sqlalchemy import event as sqlalchemy_event

from journey.backoff import Backoff
from journey.events import SqlEventConsumer
from journey.store.database import Database
from journey.store.sql_event_log import SqlEventLog
from tests.events.conftest import FAST_IDLE, event, eventually


def _ids(batch: Any) -> list[str]:
    return [delivery.event.id for delivery in batch.deliveries]


@pytest.fixture
def consumer(database: Database, workspace: str) -> SqlEventConsumer:
    return SqlEventConsumer(database, workspace_id=workspace, batch_size=2, idle=FAST_IDLE)


async def test_batches_come_in_order_and_again_until_acked(
    consumer: SqlEventConsumer, database: Database, workspace: str
) -> None:
    await SqlEventLog(database, workspace).append([event("clicked", "u1", f"e{n}") for n in range(5)])

    async with aclosing(consumer.batches()) as batches:
        first = await anext(batches)
        assert _ids(first) == ["e0", "e1"]
        assert all(d.position.startswith("sql:") for d in first.deliveries)
        assert _ids(await anext(batches)) == ["e0", "e1"], "not acked: delivered again"
        await first.ack()
        second = await anext(batches)
        assert _ids(second) == ["e2", "e3"]
        await second.ack()
        last = await anext(batches)
        assert _ids(last) == ["e4"]
        await last.ack()

    async with aclosing(consumer.batches()) as batches:
        waiting = asyncio.ensure_future(anext(batches))
        await SqlEventLog(database, workspace).append([event("clicked", "u1", "e5")])
        assert _ids(await asyncio.wait_for(waiting, 10)) == ["e5"]


async def test_a_second_consumer_of_the_same_name_waits_until_the_first_lets_go(
    consumer: SqlEventConsumer, database: Database, workspace: str
) -> None:
    await SqlEventLog(database, workspace).append([event("clicked", "u1", "e0")])
    standby = SqlEventConsumer(database, workspace_id=workspace, idle=FAST_IDLE)
    with structlog.testing.capture_logs() as logs:
        async with aclosing(consumer.batches()) as batches:
            await anext(batches)
            async with aclosing(standby.batches()) as waiting_batches:
                taking_over = asyncio.ensure_future(anext(waiting_batches))

                async def standing_by() -> bool:
                    return any(log["event"] == "waiting for another consumer to stop" for log in logs)

                await eventually(standing_by, within=10, what="the second consumer standing by")
                assert not taking_over.done()
                await batches.aclose()
                assert _ids(await asyncio.wait_for(taking_over, 10)) == ["e0"]


async def test_an_idle_consumer_polls_a_few_times_a_second(
    consumer: SqlEventConsumer, database: Database, workspace: str
) -> None:
    with _reads_of_events(database) as reads:
        async with aclosing(consumer.batches()) as batches:
            polling = asyncio.ensure_future(anext(batches))
            await eventually(lambda: _after(reads, 1.0), within=10, what="a second of idle polling")
            idle_reads = len(reads)
            await SqlEventLog(database, workspace).append([event("clicked", "u1", "late")])
            assert _ids(await asyncio.wait_for(polling, 10)) == ["late"]

    assert 3 <= idle_reads <= 25, f"{idle_reads} reads of an empty log in a second"


async def _after(reads: list[float], seconds: float) -> bool:
    """Whether the reads span ``seconds`` already."""
    return bool(reads) and reads[-1] - reads[0] >= seconds


@contextmanager
def _reads_of_events(database: Database) -> Iterator[list[float]]:
    """When each query of the events table ran, while in the block."""
    reads: list[float] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM events" in statement:
            reads.append(time.monotonic())

    sqlalchemy_event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield reads
    finally:
        sqlalchemy_event.remove(database.engine.sync_engine, "before_cursor_execute", count)


async def test_an_append_in_this_process_wakes_an_idle_consumer_at_once(
    database: Database, workspace: str
) -> None:
    """Polling every 30 s while idle, the consumer still gets an event appended here at once."""
    consumer = SqlEventConsumer(database, workspace_id=workspace, idle=Backoff(initial=30, maximum=30))
    with _reads_of_events(database) as reads:
        async with aclosing(consumer.batches()) as batches:
            waiting = asyncio.ensure_future(anext(batches))
            await eventually(lambda: _after(reads, 0), within=10, what="the consumer's first read")
            await SqlEventLog(database, workspace).append([event("clicked", "u1", "now")])
            assert _ids(await asyncio.wait_for(waiting, 10)) == ["now"]


async def test_an_append_announced_from_another_thread_wakes_the_consumers_loop(
    database: Database, database_url: str, workspace: str
) -> None:
    """The API of the browser tests appends on a thread and event loop of its own."""
    consumer = SqlEventConsumer(database, workspace_id=workspace, idle=Backoff(initial=30, maximum=30))
    with _reads_of_events(database) as reads:
        async with Database.connect(database_url) as elsewhere, aclosing(consumer.batches()) as batches:
            waiting = asyncio.ensure_future(anext(batches))
            await eventually(lambda: _after(reads, 0), within=10, what="the consumer's first read")
            await SqlEventLog(elsewhere, workspace).append([event("clicked", "u1", "there")])
            announce = threading.Thread(target=database.events_appended.notify)
            announce.start()
            announce.join()
            assert _ids(await asyncio.wait_for(waiting, 10)) == ["there"]
