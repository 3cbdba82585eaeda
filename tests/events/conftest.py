"""The router's tests run on the engine tests' fixtures (a real Temporal dev server, a worker, a
SQLite database, an HTTP receiver) plus ``routing``: a router of the test's own workspace.

Events and journeys live in that workspace, so tests do not see each other's; runs and users
live in the default workspace, where the worker records them. The router talks to Temporal
through a client without time skipping: a wait of an hour must still be waiting when the event
it waits for comes.
"""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from journey.backoff import Backoff
from journey.dsl.core.messages import Event
from journey.events import DeadLetters, Router, RoutingTables, SqlEventConsumer
from journey.events.run_index import RunIndexReader
from journey.store.database import Database
from journey.store.engine import write_transaction
from journey.store.models import ConsumerOffsetRow, EventRow, JourneyRow, JourneyVersionRow, RunRow
from journey.store.runs import RunStore
from journey.store.sql_event_log import SqlEventLog
from journey.store.users import UserStore
from tests.support import engine

TASK_QUEUE = engine.TASK_QUEUE

FAST_IDLE = Backoff(initial=0.005, maximum=0.05)
FAST_RETRY = Backoff(initial=0.05, maximum=0.5)


def event(name: str, user_id: str | None, event_id: str | None = None, **properties: Any) -> Event:
    return Event(
        id=event_id or uuid.uuid4().hex,
        name=name,
        user_id=user_id,
        timestamp=datetime.now(UTC),
        properties=properties,
    )


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float = 20.0, what: str) -> None:
    """Poll ``check`` until it holds, or fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {within:g} s")
        await asyncio.sleep(0.02)


async def publish(
    database: Database, workspace: str, document: dict[str, Any], *, status: str = "active"
) -> int:
    """Store ``document`` as the journey's next published version, as the journeys service would,
    and give the journey ``status``; return the version's number."""
    key = document["key"]
    async with write_transaction(database.sessions) as session:
        row = await session.get(JourneyRow, (workspace, key))
        if row is None:
            row = JourneyRow(workspace_id=workspace, key=key, name=document["name"], draft=document)
            session.add(row)
        version = (row.published_version or 0) + 1
        session.add(
            JourneyVersionRow(workspace_id=workspace, journey_key=key, version=version, document=document)
        )
        await session.flush()
        row.published_version = version
        row.status = status
    return version


async def set_status(database: Database, workspace: str, key: str, status: str) -> None:
    async with write_transaction(database.sessions) as session:
        row = await session.get(JourneyRow, (workspace, key))
        assert row is not None
        row.status = status


class Routing:
    """A workspace with a router reading its event log."""

    def __init__(self, database: Database, client: Client, workspace: str) -> None:
        self.database = database
        self.client = client
        self.workspace = workspace
        self.task_queue = TASK_QUEUE
        """Where the router starts runs: the session's worker's queue unless a test has its own."""
        self.position_prefix = "sql:"
        """How the positions of this log's events begin, in dead letters."""
        self.log = SqlEventLog(database, workspace)
        self.runs = RunStore(database)
        self.users = UserStore(database)
        self._task: asyncio.Task[None] | None = None

    def router(self, client: Client | None = None) -> Router:
        return Router(
            consumer=SqlEventConsumer(self.database, workspace_id=self.workspace, idle=FAST_IDLE),
            tables=RoutingTables(self.database, self.workspace),
            client=client or self.client,
            task_queue=self.task_queue,
            runs=self.runs,
            index=RunIndexReader(self.database),
            users=self.users,
            dead_letters=DeadLetters(self.database, self.workspace),
            retry=FAST_RETRY,
        )

    def start(self, client: Client | None = None) -> None:
        assert self._task is None, "the router already runs"
        self._task = asyncio.create_task(self.router(client).run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        if task.done():
            task.result()  # raise what ended it
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def publish(self, document: dict[str, Any], *, status: str = "active") -> int:
        return await publish(self.database, self.workspace, document, status=status)

    async def set_status(self, key: str, status: str) -> None:
        await set_status(self.database, self.workspace, key, status)

    async def send(self, *events: Event) -> None:
        await self.log.append(events)

    async def settled(self, within: float = 30.0) -> None:
        """Wait until the router has acked every event sent so far."""
        last = await self._scalar(
            select(func.max(EventRow.sequence)).where(EventRow.workspace_id == self.workspace)
        )

        async def caught_up() -> bool:
            offset = await self._scalar(
                select(ConsumerOffsetRow.sequence).where(
                    ConsumerOffsetRow.workspace_id == self.workspace, ConsumerOffsetRow.consumer == "router"
                )
            )
            return (offset or 0) >= (last or 0)

        await eventually(caught_up, within=within, what=f"the router acking up to event {last}")

    async def runs_of(self, journey_key: str) -> list[RunRow]:
        return sorted(await self.runs.of_journey(journey_key), key=lambda row: row.started_at)

    async def until_runs(
        self, journey_key: str, check: Callable[[list[RunRow]], bool], *, within: float = 20.0, what: str
    ) -> list[RunRow]:
        found: list[RunRow] = []

        async def holds() -> bool:
            nonlocal found
            found = await self.runs_of(journey_key)
            return check(found)

        await eventually(holds, within=within, what=what)
        return found

    async def _scalar(self, query: Any) -> Any:
        async with self.database.sessions() as session:
            return await session.scalar(query)


@pytest.fixture(scope="session")
async def router_client(temporal: WorkflowEnvironment) -> Client:
    """A client of the session's dev server whose workflows do not skip time."""
    return await temporal.connect_client(data_converter=pydantic_data_converter)


@pytest.fixture
async def routing(engine_database: Database, router_client: Client, worker: None) -> AsyncIterator[Routing]:
    routing = Routing(engine_database, router_client, f"router-{uuid.uuid4().hex[:10]}")
    routing.start()
    try:
        yield routing
    finally:
        await routing.stop()
