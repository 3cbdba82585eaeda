"""UtcDateTime: aware timestamps in, the same instants out in UTC, on both databases."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, MetaData, Table, insert, select
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncConnection

from journey.store import Database
from journey.store.types import UtcDateTime

_moments = Table("test_moments", MetaData(), Column("at", UtcDateTime()), prefixes=["TEMPORARY"])


@asynccontextmanager
async def _with_moments(database: Database) -> AsyncIterator[AsyncConnection]:
    """A connection holding its own temporary table, invisible to the other tests."""
    async with database.engine.connect() as connection:
        await connection.run_sync(_moments.create)
        yield connection


async def test_timestamps_come_back_in_utc(database: Database) -> None:
    tokyo = datetime(2026, 5, 1, 9, 0, 0, 123456, tzinfo=timezone(timedelta(hours=9)))
    async with _with_moments(database) as connection:
        await connection.execute(insert(_moments).values(at=tokyo))
        stored = (await connection.execute(select(_moments.c.at))).scalar_one()

    assert stored == tokyo
    assert stored.tzinfo == UTC
    assert stored.hour == 0


async def test_naive_timestamps_are_refused(database: Database) -> None:
    async with _with_moments(database) as connection:
        with pytest.raises(StatementError, match="naive datetime"):
            await connection.execute(insert(_moments).values(at=datetime(2026, 5, 1, 9, 0)))
