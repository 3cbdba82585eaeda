"""The run index as one batch of events needs it: read once per batch, kept current meanwhile.

Per event, the router needs each user's active runs (with their workflow ids, to signal them)
and whether the run an event would start exists already (a redelivered event). Asked per event
that is two to four queries; asked per batch it is two, whatever the batch holds. The router
keeps the view current as it starts runs, so a later event of the same batch finds the run an
earlier one started. A run that ends meanwhile is signalled in vain (Temporal answers "not
found"), which the router ignores; a run started elsewhere after the batch was read did not
exist when the batch's events were appended, so it has no claim on them.
"""

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select

from journey.store.database import Database
from journey.store.models import DEFAULT_WORKSPACE, ActiveRunRow, RunRow

_CHUNK = 500
"""Values per ``IN (...)``, well below what either database accepts."""
T = TypeVar("T")


@dataclass(frozen=True)
class ActiveRun:
    run_id: str
    journey_key: str
    workflow_id: str


@dataclass
class IndexView:
    active: dict[str, list[ActiveRun]] = field(default_factory=dict)
    """By user id."""
    statuses: dict[str, str] = field(default_factory=dict)
    """By run id, for the runs the batch's events would start."""

    def active_of(self, user_id: str) -> list[ActiveRun]:
        return list(self.active.get(user_id, ()))

    def started(self, user_id: str | None, run: ActiveRun) -> None:
        self.statuses[run.run_id] = "running"
        if user_id is not None and run.run_id not in {known.run_id for known in self.active_of(user_id)}:
            self.active.setdefault(user_id, []).append(run)

    def forgotten(self, user_id: str | None, run_id: str) -> None:
        self.statuses.pop(run_id, None)
        if user_id is not None:
            self.active[user_id] = [run for run in self.active_of(user_id) if run.run_id != run_id]


class RunIndexReader:
    def __init__(self, database: Database, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self._sessions = database.sessions
        self._workspace_id = workspace_id

    async def view(self, user_ids: Collection[str], run_ids: Collection[str]) -> IndexView:
        """The active runs of ``user_ids`` and the status of those of ``run_ids`` that exist."""
        view = IndexView()
        async with self._sessions() as session:
            for users in _chunks(sorted(user_ids)):
                active = await session.execute(
                    select(
                        ActiveRunRow.user_id,
                        ActiveRunRow.run_id,
                        ActiveRunRow.journey_key,
                        RunRow.workflow_id,
                    )
                    .join(
                        RunRow,
                        (RunRow.workspace_id == ActiveRunRow.workspace_id)
                        & (RunRow.run_id == ActiveRunRow.run_id),
                    )
                    .where(ActiveRunRow.workspace_id == self._workspace_id, ActiveRunRow.user_id.in_(users))
                )
                for user_id, run_id, journey_key, workflow_id in active:
                    view.active.setdefault(user_id, []).append(ActiveRun(run_id, journey_key, workflow_id))
            for runs in _chunks(sorted(run_ids)):
                statuses = await session.execute(
                    select(RunRow.run_id, RunRow.status).where(
                        RunRow.workspace_id == self._workspace_id, RunRow.run_id.in_(runs)
                    )
                )
                for run_id, status in statuses:
                    view.statuses[run_id] = status
        return view


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
