"""Events the router gave up on, kept in ``dead_letters`` for a human to look at.

Only what can never succeed lands here (a filter that fails on this event, a key that does not
render, a start Temporal rejects as invalid); the event is then skipped for that journey and
every other journey still gets it. A redelivered event is not recorded twice for the same
reason.
"""

from sqlalchemy import select

from journey.dsl.core.messages import Event
from journey.store.database import Database
from journey.store.engine import write_transaction
from journey.store.models import DEFAULT_WORKSPACE, DeadLetterRow

SOURCE = "router"


class DeadLetters:
    def __init__(self, database: Database, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self._sessions = database.sessions
        self._workspace_id = workspace_id

    async def record(self, *, position: str, event: Event, reason: str) -> None:
        async with write_transaction(self._sessions) as session:
            known = await session.scalar(
                select(DeadLetterRow.id).where(
                    DeadLetterRow.workspace_id == self._workspace_id,
                    DeadLetterRow.source == SOURCE,
                    DeadLetterRow.position == position,
                    DeadLetterRow.reason == reason,
                )
            )
            if known is None:
                session.add(
                    DeadLetterRow(
                        workspace_id=self._workspace_id,
                        source=SOURCE,
                        position=position,
                        payload=event.model_dump_json(),
                        reason=reason,
                    )
                )
