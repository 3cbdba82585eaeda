"""``EventConsumer`` over the SQL event log: poll ``read_after``, commit the offset on ack.

``read_after`` always starts from the committed offset, so an unacked batch comes back by
itself. While the log is empty the poll slows down (``IDLE_POLL``: 10 ms growing to 200 ms),
so an idle router costs a few cheap queries a second and a burst is picked up at once; an
append through the same ``Database`` in this process (``journey up``: the API, ``emit_event``)
wakes the consumer at once instead. A
database that fails is retried with backoff, never given up on: the events wait in the log.

One consumer per name at a time (``consumer_lock``): a second router on the same database
waits as a standby. Several routers sharing the work is what the Kafka consumer is for.
"""

import asyncio
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass, field

import structlog

from journey.backoff import IDLE_POLL, RETRY, Backoff
from journey.events.consumer import Batch, Delivery
from journey.events.consumer_lock import exclusive
from journey.store.database import Database
from journey.store.event_log import LoggedEvent
from journey.store.models import DEFAULT_WORKSPACE
from journey.store.sql_event_log import SqlEventLog

ROUTER = "router"
"""The consumer name of the router, the one consumer of the SQL log so far."""
_log = structlog.get_logger("journey.router")


def position(sequence: int) -> str:
    """How a place in the SQL log is written in logs and dead letters."""
    return f"sql:{sequence}"


@dataclass
class _SqlBatch:
    consumer: "SqlEventConsumer"
    logged: Sequence[LoggedEvent]
    deliveries: Sequence[Delivery] = field(init=False)

    def __post_init__(self) -> None:
        self.deliveries = [Delivery(item.event, position(item.sequence)) for item in self.logged]

    async def ack(self) -> None:
        await self.consumer.commit(self.logged[-1].sequence)


class SqlEventConsumer:
    """The events of one workspace's SQL log, for the consumer ``name``."""

    def __init__(
        self,
        database: Database,
        *,
        workspace_id: str = DEFAULT_WORKSPACE,
        name: str = ROUTER,
        batch_size: int = 100,
        idle: Backoff = IDLE_POLL,
        retry: Backoff = RETRY,
    ) -> None:
        self._database = database
        self._log = SqlEventLog(database, workspace_id)
        self._name = name
        self._lock_name = f"{workspace_id}/{name}"
        self._batch_size = batch_size
        self._idle = idle
        self._retry = retry

    async def batches(self) -> AsyncGenerator[Batch, None]:
        """Batches until closed; use it under ``contextlib.aclosing`` so the lock goes with it."""
        async with exclusive(self._database, self._lock_name):
            empty_reads = 0
            while True:
                logged = await self._read()
                if not logged:
                    empty_reads += 1
                    await self._database.events_appended.wait(self._idle.delay(empty_reads))
                    continue
                empty_reads = 0
                yield _SqlBatch(self, logged)

    async def commit(self, sequence: int) -> None:
        failures = 0
        while True:
            try:
                await self._log.commit(self._name, sequence)
                return
            except Exception as error:
                failures += 1
                _log.warning("committing the offset failed", consumer=self._name, error=repr(error))
                await asyncio.sleep(self._retry.delay(failures))

    async def _read(self) -> list[LoggedEvent]:
        failures = 0
        while True:
            try:
                return await self._log.read_after(self._name, self._batch_size)
            except Exception as error:
                failures += 1
                _log.warning("reading the event log failed", consumer=self._name, error=repr(error))
                await asyncio.sleep(self._retry.delay(failures))
