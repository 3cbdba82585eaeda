"""The embedded engine: database migrated, Temporal reachable (started if need be), a worker
running. ``journey up``, ``journey worker`` and ``journey run`` all stand on this."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from temporalio.client import Client

from journey.engine.client import connect
from journey.engine.devserver import DevServer
from journey.engine.worker import journey_worker
from journey.settings import Settings
from journey.store.database import Database
from journey.store.migrate import upgrade


@dataclass(frozen=True)
class Engine:
    settings: Settings
    client: Client
    database: Database
    temporal_address: str
    started_dev_server: bool


async def temporal_is_listening(settings: Settings) -> bool:
    """Whether something already listens on the embedded Temporal port (``journey up`` runs)."""
    try:
        _reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", settings.temporal_port), timeout=1
        )
    except (OSError, TimeoutError):
        return False
    writer.close()
    await writer.wait_closed()
    return True


@asynccontextmanager
async def running_engine(
    settings: Settings, *, with_worker: bool = True, reuse_running: bool = False
) -> AsyncIterator[Engine]:
    """Everything a run needs, torn down in reverse order on exit (Ctrl-C included).

    With ``reuse_running``, a dev server already listening on the embedded port (a ``journey up``
    in another terminal) is used instead of starting a second one on the same data dir.
    """
    if reuse_running and settings.temporal_address is None and await temporal_is_listening(settings):
        settings = settings.model_copy(update={"temporal_address": f"127.0.0.1:{settings.temporal_port}"})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    await upgrade(settings.resolved_database_url)
    async with AsyncExitStack() as stack:
        database = await stack.enter_async_context(Database.connect(settings.resolved_database_url))
        server = await stack.enter_async_context(DevServer(settings))
        client = await connect(settings, server.address)
        engine = Engine(
            settings=settings,
            client=client,
            database=database,
            temporal_address=server.address,
            started_dev_server=settings.temporal_address is None,
        )
        if not with_worker:
            yield engine
            return
        worker = await stack.enter_async_context(journey_worker(client, settings, database))
        worker_task = asyncio.create_task(worker.run(), name="journey-worker")
        try:
            yield engine
        finally:
            await worker.shutdown()
            await asyncio.gather(worker_task, return_exceptions=True)
