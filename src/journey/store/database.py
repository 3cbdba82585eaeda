"""One database handle per process: the engine and the sessions every repository opens on it."""

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from journey.store.appended import AppendSignal
from journey.store.engine import create_engine, create_session_factory


class Database:
    """What the repositories (``UserStore``, ``SqlEventLog``, ...) are built on; close it once."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = create_session_factory(engine)
        self.events_appended = AppendSignal()

    @classmethod
    def connect(cls, url: str) -> Self:
        """A handle for ``url`` (``sqlite+aiosqlite:///...`` or ``postgresql+asyncpg://...``)."""
        return cls(create_engine(url))

    async def close(self) -> None:
        await self.engine.dispose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()
