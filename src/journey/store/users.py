"""Users and their attributes: the ``user`` that templates and conditions read.

Every write is one transaction that locks the user's row (``SELECT ... FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so concurrent increments from parallel runs all count.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import JsonValue
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from journey.dsl.attributes import incremented
from journey.store.database import Database
from journey.store.engine import write_transaction
from journey.store.models import DEFAULT_WORKSPACE, UserRow
from journey.store.types import utc_now
from journey.store.upserts import conflict_aware_insert

_USERS = UserRow.metadata.tables[UserRow.__tablename__]


@dataclass(frozen=True)
class User:
    id: str
    attributes: dict[str, JsonValue]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class AttributeChanges:
    """What a write did: every attribute written with its new value, and the names removed."""

    attributes: dict[str, JsonValue]
    removed: list[str]


class UserStore:
    """Reads and writes users of one workspace."""

    def __init__(self, database: Database, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self._sessions = database.sessions
        self._workspace_id = workspace_id

    async def get(self, user_id: str) -> User | None:
        async with self._sessions() as session:
            row = await session.get(UserRow, (self._workspace_id, user_id))
            return None if row is None else _user(row)

    async def put(self, user_id: str, attributes: Mapping[str, JsonValue]) -> User:
        """Replace the user's attributes, creating the user if needed."""
        async with write_transaction(self._sessions) as session:
            row = await self._locked_row(session, user_id)
            row.attributes = dict(attributes)
            row.updated_at = utc_now()
            return _user(row)

    async def patch(self, user_id: str, attributes: Mapping[str, JsonValue | None]) -> User:
        """Merge ``attributes`` into the user's; a ``None`` value removes that attribute."""
        async with write_transaction(self._sessions) as session:
            row = await self._locked_row(session, user_id)
            merged = {**row.attributes, **attributes}
            row.attributes = {name: value for name, value in merged.items() if value is not None}
            row.updated_at = utc_now()
            return _user(row)

    async def apply(
        self,
        user_id: str,
        *,
        set: Mapping[str, JsonValue] | None = None,
        increment: Mapping[str, float] | None = None,
        unset: Iterable[str] = (),
    ) -> AttributeChanges:
        """Set, increment (from 0 when absent) and remove attributes in one atomic step.

        The hot path of ``update_attributes``, so it costs two statements: the locked read,
        then the update, or for a new user the insert (a concurrent first write of the same
        user, which makes the insert find the row, is read again under the lock and updated)."""
        removed = list(unset)
        key = (_USERS.c.workspace_id == self._workspace_id) & (_USERS.c.id == user_id)

        def changed(attributes: Mapping[str, JsonValue]) -> tuple[dict[str, JsonValue], dict[str, JsonValue]]:
            merged = dict(attributes)
            written: dict[str, JsonValue] = dict(set or {})
            for name, amount in (increment or {}).items():
                written[name] = incremented(name, merged.get(name, 0), amount)
            merged.update(written)
            for name in removed:
                merged.pop(name, None)
            return merged, written

        async with write_transaction(self._sessions) as session:
            connection = await session.connection()
            locked = select(_USERS.c.attributes).where(key).with_for_update()
            current = (await connection.execute(locked)).scalar_one_or_none()
            now = utc_now()
            if current is None:
                attributes, written = changed({})
                create = conflict_aware_insert(session, _USERS).values(
                    workspace_id=self._workspace_id,
                    id=user_id,
                    attributes=attributes,
                    created_at=now,
                    updated_at=now,
                )
                created = await connection.execute(
                    create.on_conflict_do_nothing(index_elements=["workspace_id", "id"])
                )
                if created.rowcount == 1:
                    return AttributeChanges(attributes=written, removed=removed)
                current = (await connection.execute(locked)).scalar_one()
            attributes, written = changed(current)
            await connection.execute(update(_USERS).where(key).values(attributes=attributes, updated_at=now))
            return AttributeChanges(attributes=written, removed=removed)

    async def _locked_row(self, session: AsyncSession, user_id: str) -> UserRow:
        """The user's row, created empty if missing, locked until the transaction ends."""
        now = utc_now()
        create_if_missing = (
            conflict_aware_insert(session, UserRow)
            .values(
                workspace_id=self._workspace_id, id=user_id, attributes={}, created_at=now, updated_at=now
            )
            .on_conflict_do_nothing(index_elements=["workspace_id", "id"])
        )
        await session.execute(create_if_missing)
        query = (
            select(UserRow)
            .where(UserRow.workspace_id == self._workspace_id, UserRow.id == user_id)
            .with_for_update()
        )
        return (await session.execute(query)).scalar_one()


def _user(row: UserRow) -> User:
    return User(id=row.id, attributes=row.attributes, created_at=row.created_at, updated_at=row.updated_at)
