"""Migrations: they create what the models declare, run twice harmlessly, and undo cleanly."""

import asyncio
import sys
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from journey.store import Database, upgrade
from journey.store.migrate import MIGRATIONS_DIR, alembic_config
from journey.store.models import Base

_TOGETHER = 3
"""Processes that open one fresh database at once; each one more is one more chance for a lost race."""
_UPGRADE_ON_GO = """
import asyncio, sys
from journey.store import upgrade
print("ready", flush=True)
sys.stdin.readline()
print(asyncio.run(upgrade(sys.argv[1])))
"""
"""A process that imports everything, then upgrades the moment it reads a line."""


def _head() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _schema_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_upgrade_creates_every_table_and_is_idempotent(fresh_database_url: str) -> None:
    assert await upgrade(fresh_database_url) == _head()
    assert await upgrade(fresh_database_url) == _head()

    async with Database.connect(fresh_database_url) as database, database.engine.connect() as connection:
        tables = await connection.run_sync(_tables)
    assert tables == {*Base.metadata.tables, "alembic_version"}


async def test_models_and_migrations_agree(database: Database) -> None:
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_schema_differences) == []


async def test_downgrade_removes_every_table(fresh_database_url: str) -> None:
    await upgrade(fresh_database_url)
    async with Database.connect(fresh_database_url) as database:
        async with database.engine.begin() as connection:
            await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), "base"))
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_tables) == {"alembic_version"}


@pytest.mark.integration
async def test_processes_starting_together_all_upgrade(fresh_database_url: str) -> None:
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            _UPGRADE_ON_GO,
            fresh_database_url,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(_TOGETHER)
    ]
    for process in processes:
        assert process.stdout is not None
        assert await process.stdout.readline() == b"ready\n"
    outcomes = await asyncio.gather(*(process.communicate(b"go\n") for process in processes))

    assert [
        (process.returncode, out.decode().strip())
        for process, (out, _) in zip(processes, outcomes, strict=True)
    ] == [(0, _head())] * _TOGETHER, [err.decode()[-300:] for _, err in outcomes]
