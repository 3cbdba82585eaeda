"""The router wired to the SQL event log: what ``journey router`` and ``journey up`` run."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from temporalio.client import Client

from journey.events.dead_letters import DeadLetters
from journey.events.router import Router
from journey.events.routing_table import RoutingTables
from journey.events.run_index import RunIndexReader
from journey.events.sql_consumer import SqlEventConsumer
from journey.store.database import Database
from journey.store.models import DEFAULT_WORKSPACE
from journey.store.runs import RunStore
from journey.store.users import UserStore


def sql_router(
    database: Database, client: Client, *, task_queue: str, workspace_id: str = DEFAULT_WORKSPACE
) -> Router:
    """A router of one workspace's SQL log; runs and users live in the default workspace, where
    the worker records them."""
    return Router(
        consumer=SqlEventConsumer(database, workspace_id=workspace_id),
        tables=RoutingTables(database, workspace_id),
        client=client,
        task_queue=task_queue,
        runs=RunStore(database),
        index=RunIndexReader(database),
        users=UserStore(database),
        dead_letters=DeadLetters(database, workspace_id),
    )


@asynccontextmanager
async def running(router: Router) -> AsyncIterator[asyncio.Task[None]]:
    """Run ``router`` in a task for as long as the block lasts, then cancel it (no batch lost:
    the unacked one comes again)."""
    task = asyncio.create_task(router.run(), name="journey-router")
    try:
        yield task
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
