"""Real databases for every test package: a test that takes ``database_url`` runs on SQLite and PostgreSQL.

PostgreSQL must be running at 127.0.0.1:5432 (user ``postgres``, trust auth); each pytest run
creates its own uniquely named databases and drops them at the end.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest

from journey.store import Database, upgrade

pytest_plugins = ["tests.support.engine"]

POSTGRES = "127.0.0.1:5432"
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", params=BACKENDS)
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """An empty database for the whole pytest run, once per backend."""
    async with _new_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    """The session's database, migrated to the newest schema."""
    await upgrade(database_url)
    async with Database.connect(database_url) as opened:
        yield opened


@pytest.fixture(params=BACKENDS)
async def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the test's own, for tests that need to see a schema being created."""
    async with _new_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def workspace() -> str:
    """A workspace of the test's own, so tests share the session's database without seeing each other."""
    return f"test-{uuid.uuid4().hex[:12]}"


@asynccontextmanager
async def _new_database(backend: str, directory: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / 'journey.db'}"
        return
    name = f"journey_test_{uuid.uuid4().hex[:12]}"
    await _administer(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+asyncpg://postgres@{POSTGRES}/{name}"
    finally:
        await _administer(f'DROP DATABASE "{name}" WITH (FORCE)')


async def _administer(statement: str) -> None:
    try:
        connection = await asyncpg.connect(f"postgresql://postgres@{POSTGRES}/postgres")
    except OSError as error:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES} ({error}); start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
        )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
