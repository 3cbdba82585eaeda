"""Where the engine finds published journey versions (for subjourneys)."""

from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select

from journey.store.database import Database
from journey.store.models import DEFAULT_WORKSPACE, JourneyRow, JourneyVersionRow


@dataclass(frozen=True)
class PublishedJourney:
    version: int
    document: dict[str, Any]


class JourneySource(Protocol):
    async def published(self, key: str, version: int | None) -> PublishedJourney | None:
        """The given version, or the journey's current published one when ``version`` is None."""
        ...


class SqlJourneySource:
    """Published versions as the API stores them."""

    def __init__(self, database: Database, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self._database = database
        self._workspace_id = workspace_id

    async def published(self, key: str, version: int | None) -> PublishedJourney | None:
        async with self._database.sessions() as session:
            if version is None:
                version = await session.scalar(
                    select(JourneyRow.published_version).where(
                        JourneyRow.workspace_id == self._workspace_id, JourneyRow.key == key
                    )
                )
                if version is None:
                    return None
            row = await session.get(JourneyVersionRow, (self._workspace_id, key, version))
            return None if row is None else PublishedJourney(version=row.version, document=row.document)
