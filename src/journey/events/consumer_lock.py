"""One consumer of a name at a time on the SQL log: a second one waits as a standby.

The SQL log keeps one offset per consumer name, and ``read_after`` starts from it: two routers
under one name would read the same uncommitted events and process them twice at the same time
(which the router's idempotence does not cover: each would take the other's fresh start for a
refusal). So the consumer holds a lock the operating system or the database releases when its
process dies, however it dies (``kill -9`` included):

- SQLite: an exclusive ``flock`` on a file beside the database;
- PostgreSQL: a session advisory lock on a connection of its own, in autocommit.

Whoever does not get it polls until it does, so a second ``journey router`` (or a ``journey up``
and a ``journey router`` on the same data) is a standby that takes over when the first stops.
"""

import asyncio
import fcntl
import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
from sqlalchemy import func, select

from journey.store.database import Database

POLL_INTERVAL = 0.5
_log = structlog.get_logger("journey.router")


@asynccontextmanager
async def exclusive(database: Database, name: str, *, poll: float = POLL_INTERVAL) -> AsyncIterator[None]:
    """Hold the lock of consumer ``name`` (waiting for it if need be) until the block ends."""
    url = database.engine.url
    if url.get_backend_name() == "postgresql":
        async with _advisory_lock(database, name, poll):
            yield
    elif url.database and url.database != ":memory:":
        async with _file_lock(Path(f"{url.database}.{_digest(name).hex()[:16]}.lock"), name, poll):
            yield
    else:
        yield  # an in-memory database belongs to one process


@asynccontextmanager
async def _file_lock(path: Path, name: str, poll: float) -> AsyncIterator[None]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        announced = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not announced:
                    _log.info("waiting for another consumer to stop", consumer=name, lock=str(path))
                    announced = True
                await asyncio.sleep(poll)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


@asynccontextmanager
async def _advisory_lock(database: Database, name: str, poll: float) -> AsyncIterator[None]:
    key = int.from_bytes(_digest(name)[:8], "big", signed=True)
    async with database.engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        announced = False
        while not await connection.scalar(select(func.pg_try_advisory_lock(key))):
            if not announced:
                _log.info("waiting for another consumer to stop", consumer=name, advisory_lock=key)
                announced = True
            await asyncio.sleep(poll)
        try:
            yield
        finally:
            await connection.scalar(select(func.pg_advisory_unlock(key)))


def _digest(name: str) -> bytes:
    return hashlib.sha256(name.encode()).digest()
