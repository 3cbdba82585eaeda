"""The event log as a SQL table: the embedded default, in the same database as everything else.

Sequences must become visible in order, or a consumer that already committed sequence 7 would
never see a 6 committed a moment later. SQLite has one writer at a time; on PostgreSQL each append
locks the table against other appends (reads go on) until it commits.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from journey.dsl.core.messages import Event
from journey.store.database import Database
from journey.store.engine import write_transaction
from journey.store.event_log import LoggedEvent
from journey.store.models import DEFAULT_WORKSPACE, ConsumerOffsetRow, EventRow
from journey.store.types import utc_now
from journey.store.upserts import conflict_aware_insert


class SqlEventLog:
    """The ``EventLog`` of one workspace, stored in the ``events`` and ``consumer_offsets`` tables."""

    def __init__(self, database: Database, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self._sessions = database.sessions
        self._appended = database.events_appended
        self._workspace_id = workspace_id

    async def append(self, events: Sequence[Event], *, source: str = "api") -> list[str]:
        first_by_id: dict[str, Event] = {}
        for event in events:
            first_by_id.setdefault(event.id, event)
        if not first_by_id:
            return []
        received_at = utc_now()
        rows = [self._row(event, source, received_at) for event in first_by_id.values()]
        async with write_transaction(self._sessions) as session:
            if session.get_bind().dialect.name == "postgresql":
                await session.execute(text("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE"))
            statement = (
                conflict_aware_insert(session, EventRow)
                .on_conflict_do_nothing(index_elements=["workspace_id", "event_id"])
                .returning(EventRow.event_id)
            )
            new_ids = set((await session.execute(statement, rows)).scalars())
        if new_ids:
            self._appended.notify()
        return [event_id for event_id in first_by_id if event_id in new_ids]

    async def read_after(self, consumer: str, limit: int = 100) -> list[LoggedEvent]:
        async with self._sessions() as session:
            offset = await self._offset(session, consumer)
            query = (
                select(EventRow)
                .where(EventRow.workspace_id == self._workspace_id, EventRow.sequence > offset)
                .order_by(EventRow.sequence)
                .limit(limit)
            )
            rows = (await session.execute(query)).scalars()
            return [LoggedEvent(sequence=row.sequence, event=_event(row)) for row in rows]

    async def commit(self, consumer: str, sequence: int) -> None:
        async with self._sessions() as session, session.begin():
            statement = conflict_aware_insert(session, ConsumerOffsetRow).values(
                workspace_id=self._workspace_id, consumer=consumer, sequence=sequence, updated_at=utc_now()
            )
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["workspace_id", "consumer"],
                    set_={
                        "sequence": statement.excluded.sequence,
                        "updated_at": statement.excluded.updated_at,
                    },
                )
            )

    async def _offset(self, session: AsyncSession, consumer: str) -> int:
        offset = await session.get(ConsumerOffsetRow, (self._workspace_id, consumer))
        return 0 if offset is None else offset.sequence

    def _row(self, event: Event, source: str, received_at: datetime) -> dict[str, Any]:
        return {
            "workspace_id": self._workspace_id,
            "event_id": event.id,
            "name": event.name,
            "user_id": event.user_id,
            "properties": event.properties,
            "timestamp": event.timestamp,
            "received_at": received_at,
            "source": source,
        }


def _event(row: EventRow) -> Event:
    return Event(
        id=row.event_id,
        name=row.name,
        user_id=row.user_id,
        timestamp=row.timestamp,
        properties=row.properties,
    )
