"""The run index: one row per run for listing, filtering and counting without Temporal's
visibility lag, and the exact set of each user's active runs (what the router signals).

Temporal stays the source of truth for a running run's steps; a row is what the workflow last
recorded (at start, whenever it starts or stops waiting, and at the end).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from journey.dsl.core.messages import FINAL_STATUSES
from journey.store.database import Database
from journey.store.engine import write_transaction
from journey.store.models import DEFAULT_WORKSPACE, ActiveRunRow, RunRow
from journey.store.upserts import conflict_aware_insert


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    workflow_id: str
    journey_key: str
    version: int
    user_id: str | None
    status: str
    started_at: datetime
    finished_at: datetime | None = None
    active_nodes: Sequence[str] = ()
    steps: Sequence[dict[str, Any]] = ()


_CHANGING_COLUMNS = ("status", "finished_at", "active_nodes", "steps")
"""What a later record of a run may change; the rest is fixed when the run starts."""
_ACTIVE = ActiveRunRow.metadata.tables[ActiveRunRow.__tablename__]
_DELETE_ACTIVE = delete(_ACTIVE).where(
    _ACTIVE.c.workspace_id == bindparam("workspace_id"),
    _ACTIVE.c.user_id == bindparam("user_id"),
    _ACTIVE.c.run_id == bindparam("run_id"),
)


class RunStore:
    def __init__(self, database: Database, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self._sessions = database.sessions
        self._workspace_id = workspace_id

    async def started(self, record: RunRecord) -> None:
        """The starter's record: written only if the workflow has not recorded anything yet, and
        never marking active a run that already recorded its end."""
        async with write_transaction(self._sessions) as session:
            insert = conflict_aware_insert(session, RunRow).values(self._row(record))
            await session.execute(insert.on_conflict_do_nothing())
            status = await session.scalar(
                select(RunRow.status).where(
                    RunRow.workspace_id == self._workspace_id, RunRow.run_id == record.run_id
                )
            )
            if record.user_id is not None and status not in FINAL_STATUSES:
                await self._mark_active(session, record)

    async def record(self, record: RunRecord) -> None:
        """The workflow's record: the run's latest state, and its place in the active index."""
        await self.record_many([record])

    async def record_many(self, records: Sequence[RunRecord]) -> None:
        """Several runs' records in one transaction, in order (a later record of a run wins).

        Only each run's latest record is written, with one ``executemany`` per statement, so a
        batch costs three statements however many runs it holds."""
        latest = list({record.run_id: record for record in records}.values())
        of_users = [record for record in latest if record.user_id is not None]
        ended = [self._active_key(record) for record in of_users if record.status in FINAL_STATUSES]
        active = [
            {**self._active_key(record), "journey_key": record.journey_key}
            for record in of_users
            if record.status not in FINAL_STATUSES
        ]
        async with write_transaction(self._sessions) as session:
            connection = await session.connection()
            runs = conflict_aware_insert(session, RunRow)
            changing = {name: runs.excluded[name] for name in _CHANGING_COLUMNS}
            upsert = runs.on_conflict_do_update(index_elements=["workspace_id", "run_id"], set_=changing)
            await connection.execute(upsert, [self._row(record) for record in latest])
            if ended:
                await connection.execute(_DELETE_ACTIVE, ended)
            if active:
                mark = conflict_aware_insert(session, _ACTIVE).on_conflict_do_nothing()
                await connection.execute(mark, active)

    async def get(self, run_id: str) -> RunRow | None:
        async with self._sessions() as session:
            return await session.get(RunRow, (self._workspace_id, run_id))

    async def find(
        self,
        *,
        journey: str | None = None,
        status: str | None = None,
        user_id: str | None = None,
        after: tuple[datetime, str] | None = None,
        limit: int = 50,
    ) -> list[RunRow]:
        """Newest first; ``after`` is the (started_at, run_id) of the last row already served."""
        query = select(RunRow).where(RunRow.workspace_id == self._workspace_id)
        if journey is not None:
            query = query.where(RunRow.journey_key == journey)
        if status is not None:
            query = query.where(RunRow.status == status)
        if user_id is not None:
            query = query.where(RunRow.user_id == user_id)
        if after is not None:
            started_at, run_id = after
            query = query.where(
                or_(
                    RunRow.started_at < started_at,
                    and_(RunRow.started_at == started_at, RunRow.run_id < run_id),
                )
            )
        query = query.order_by(RunRow.started_at.desc(), RunRow.run_id.desc()).limit(limit)
        async with self._sessions() as session:
            return list((await session.scalars(query)).all())

    async def of_journey(self, journey: str, version: int | None = None) -> list[RunRow]:
        query = select(RunRow).where(RunRow.workspace_id == self._workspace_id, RunRow.journey_key == journey)
        if version is not None:
            query = query.where(RunRow.version == version)
        async with self._sessions() as session:
            return list((await session.scalars(query)).all())

    async def has_run(self, journey: str, user_id: str) -> bool:
        """Whether the user ever entered the journey (``reentry: once``)."""
        query = select(RunRow.run_id).where(
            RunRow.workspace_id == self._workspace_id,
            RunRow.journey_key == journey,
            RunRow.user_id == user_id,
        )
        async with self._sessions() as session:
            return (await session.scalar(query.limit(1))) is not None

    async def active_of_user(self, user_id: str) -> list[tuple[str, str]]:
        """(run_id, journey_key) of every run of the user not yet finished."""
        query = select(ActiveRunRow.run_id, ActiveRunRow.journey_key).where(
            ActiveRunRow.workspace_id == self._workspace_id, ActiveRunRow.user_id == user_id
        )
        async with self._sessions() as session:
            return [(row.run_id, row.journey_key) for row in (await session.execute(query)).all()]

    async def forget(self, run_id: str) -> None:
        """Remove the starter's record of a start that did not happen."""
        async with write_transaction(self._sessions) as session:
            await session.execute(
                delete(RunRow).where(RunRow.workspace_id == self._workspace_id, RunRow.run_id == run_id)
            )
            await session.execute(
                delete(ActiveRunRow).where(
                    ActiveRunRow.workspace_id == self._workspace_id, ActiveRunRow.run_id == run_id
                )
            )

    def _row(self, record: RunRecord) -> dict[str, Any]:
        return {
            "workspace_id": self._workspace_id,
            "run_id": record.run_id,
            "workflow_id": record.workflow_id,
            "journey_key": record.journey_key,
            "version": record.version,
            "user_id": record.user_id,
            "status": record.status,
            "started_at": record.started_at,
            "finished_at": record.finished_at,
            "active_nodes": list(record.active_nodes),
            "steps": list(record.steps),
        }

    def _active_key(self, record: RunRecord) -> dict[str, Any]:
        return {"workspace_id": self._workspace_id, "user_id": record.user_id, "run_id": record.run_id}

    async def _mark_active(self, session: AsyncSession, record: RunRecord) -> None:
        insert = conflict_aware_insert(session, ActiveRunRow).values(
            workspace_id=self._workspace_id,
            user_id=record.user_id,
            run_id=record.run_id,
            journey_key=record.journey_key,
        )
        await session.execute(insert.on_conflict_do_nothing())
