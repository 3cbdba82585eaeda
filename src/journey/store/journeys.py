"""Journeys as stored: each one's editable draft and status, and its immutable published versions.

A write that depends on what it reads (saving over a revision, publishing the next version,
changing the status) happens inside :meth:`JourneyStore.locked`: the journey's row stays locked
(``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) until the block ends, so
two saves from the same revision cannot both win and two publishes cannot take the same number.
The rules themselves (who may save, when publishing is allowed) belong to the journeys service.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import ColumnElement, ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from journey.dsl.core.messages import FINAL_STATUSES
from journey.store.database import Database
from journey.store.engine import write_transaction
from journey.store.models import DEFAULT_WORKSPACE, JourneyRow, JourneyVersionRow, RunRow
from journey.store.types import utc_now
from journey.store.upserts import conflict_aware_insert

JourneyStatus = Literal["draft", "active", "paused", "archived"]
"""Where a journey stands (``models.JOURNEY_STATUSES``); the journeys service says how it moves."""


@dataclass(frozen=True)
class ListedJourney:
    """What a list of journeys shows of each: no draft."""

    key: str
    name: str
    status: JourneyStatus
    published_version: int | None
    updated_at: datetime


@dataclass(frozen=True)
class JourneyOverview(ListedJourney):
    """A listed journey with the number of its runs (of any version) that have not ended."""

    runs_in_progress: int


@dataclass(frozen=True)
class StoredJourney(ListedJourney):
    revision: int
    draft: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class VersionInfo:
    """What a list of versions shows of each: no document."""

    version: int
    message: str
    author: str | None
    created_at: datetime


@dataclass(frozen=True)
class StoredVersion(VersionInfo):
    document: dict[str, Any]


class LockedJourney:
    """One journey's row, locked until the ``locked`` block ends; its changes commit together."""

    def __init__(self, session: AsyncSession, row: JourneyRow) -> None:
        self._session = session
        self._row = row

    @property
    def journey(self) -> StoredJourney:
        return _journey(self._row)

    async def save_draft(self, *, name: str, draft: dict[str, Any]) -> StoredJourney:
        """Replace the draft; the revision goes up by one."""
        self._row.name = name
        self._row.draft = draft
        self._row.revision += 1
        self._row.updated_at = utc_now()
        await self._session.flush()
        return self.journey

    async def set_status(self, status: JourneyStatus) -> StoredJourney:
        self._row.status = status
        self._row.updated_at = utc_now()
        await self._session.flush()
        return self.journey

    async def add_version(
        self, *, document: dict[str, Any], message: str, author: str | None
    ) -> StoredVersion:
        """Store ``document`` as the next version and make it the published one."""
        row = self._row
        version = JourneyVersionRow(
            workspace_id=row.workspace_id,
            journey_key=row.key,
            version=(row.published_version or 0) + 1,
            document=document,
            message=message,
            author=author,
            created_at=utc_now(),
        )
        self._session.add(version)
        row.published_version = version.version
        row.updated_at = version.created_at
        await self._session.flush()
        return _version(version)


class JourneyStore:
    """Reads and writes the journeys of one workspace."""

    def __init__(self, database: Database, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self._sessions = database.sessions
        self._workspace_id = workspace_id

    async def create(self, *, key: str, name: str, draft: dict[str, Any]) -> StoredJourney | None:
        """A new journey in status ``draft`` at revision 1; None when the key is taken."""
        now = utc_now()
        created = StoredJourney(
            key=key,
            name=name,
            status="draft",
            published_version=None,
            updated_at=now,
            revision=1,
            draft=draft,
            created_at=now,
        )
        async with self._sessions() as session, session.begin():
            statement = (
                conflict_aware_insert(session, JourneyRow)
                .values(workspace_id=self._workspace_id, **vars(created))
                .on_conflict_do_nothing(index_elements=["workspace_id", "key"])
                .returning(JourneyRow.key)
            )
            inserted = (await session.execute(statement)).scalar_one_or_none()
        return None if inserted is None else created

    async def get(self, key: str) -> StoredJourney | None:
        async with self._sessions() as session:
            row = await session.get(JourneyRow, (self._workspace_id, key))
            return None if row is None else _journey(row)

    async def exists(self, key: str) -> bool:
        async with self._sessions() as session:
            found = await session.scalar(select(JourneyRow.key).where(*self._is(key)))
            return found is not None

    async def page(
        self, *, after: str | None, limit: int, status: JourneyStatus | None = None
    ) -> list[JourneyOverview]:
        """Up to ``limit`` journeys whose key sorts after ``after``, in byte order of their keys."""
        async with self._sessions() as session:
            by_key = _key_in_byte_order(session)
            query = select(
                JourneyRow.key,
                JourneyRow.name,
                JourneyRow.status,
                JourneyRow.published_version,
                JourneyRow.updated_at,
                _runs_in_progress(),
            ).where(JourneyRow.workspace_id == self._workspace_id)
            if after is not None:
                query = query.where(by_key > after)
            if status is not None:
                query = query.where(JourneyRow.status == status)
            rows = await session.execute(query.order_by(by_key).limit(limit))
            return [
                JourneyOverview(key, name, cast(JourneyStatus, status), published, updated_at, running)
                for key, name, status, published, updated_at, running in rows
            ]

    @asynccontextmanager
    async def locked(self, key: str) -> AsyncIterator[LockedJourney | None]:
        """The journey locked for a read-then-write (None if there is none); an error rolls back."""
        async with write_transaction(self._sessions) as session:
            row = await session.scalar(select(JourneyRow).where(*self._is(key)).with_for_update())
            yield None if row is None else LockedJourney(session, row)

    async def versions(self, key: str, *, before: int | None, limit: int) -> list[VersionInfo]:
        """Up to ``limit`` versions numbered below ``before`` (any when None), newest first."""
        async with self._sessions() as session:
            query = select(
                JourneyVersionRow.version,
                JourneyVersionRow.message,
                JourneyVersionRow.author,
                JourneyVersionRow.created_at,
            ).where(
                JourneyVersionRow.workspace_id == self._workspace_id, JourneyVersionRow.journey_key == key
            )
            if before is not None:
                query = query.where(JourneyVersionRow.version < before)
            rows = await session.execute(query.order_by(JourneyVersionRow.version.desc()).limit(limit))
            return [VersionInfo(*row) for row in rows]

    async def version(self, key: str, version: int) -> StoredVersion | None:
        async with self._sessions() as session:
            row = await session.get(JourneyVersionRow, (self._workspace_id, key, version))
            return None if row is None else _version(row)

    def _is(self, key: str) -> tuple[ColumnElement[bool], ...]:
        return JourneyRow.workspace_id == self._workspace_id, JourneyRow.key == key


def _key_in_byte_order(session: AsyncSession) -> ColumnElement[str]:
    """The key compared byte by byte on both databases (PostgreSQL would follow its locale)."""
    return JourneyRow.key.collate("C" if session.get_bind().dialect.name == "postgresql" else "BINARY")


def _runs_in_progress() -> ScalarSelect[int]:
    """The journey's runs not yet ended, counted on the run index (workspace, journey, status)."""
    return (
        select(func.count())
        .select_from(RunRow)
        .where(
            RunRow.workspace_id == JourneyRow.workspace_id,
            RunRow.journey_key == JourneyRow.key,
            RunRow.status.not_in(FINAL_STATUSES),
        )
        .scalar_subquery()
    )


def _journey(row: JourneyRow) -> StoredJourney:
    return StoredJourney(
        key=row.key,
        name=row.name,
        status=cast(JourneyStatus, row.status),
        published_version=row.published_version,
        updated_at=row.updated_at,
        revision=row.revision,
        draft=row.draft,
        created_at=row.created_at,
    )


def _version(row: JourneyVersionRow) -> StoredVersion:
    return StoredVersion(
        version=row.version,
        message=row.message,
        author=row.author,
        created_at=row.created_at,
        document=row.document,
    )
