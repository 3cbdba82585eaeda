"""Runs: start one for a user, read it (live from Temporal while it runs), list, cancel, watch,
and count per node. The run index (``RunStore``) answers lists and counts; Temporal answers
for a running run's latest steps."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field, JsonValue
from temporalio.client import Client
from temporalio.service import RPCError

from journey.dsl.core.messages import FINAL_STATUSES, StepRecord
from journey.dsl.document import Journey
from journey.engine.ids import new_run_id
from journey.engine.journeys import SqlJourneySource
from journey.engine.payloads import RunSnapshot
from journey.engine.runs import RunAlreadyActive, manual_trigger, start_run
from journey.errors import Conflict, NotFound, Unavailable
from journey.services.journeys import is_journey_key
from journey.store.database import Database
from journey.store.journeys import JourneyStore, StoredJourney
from journey.store.models import RunRow
from journey.store.runs import RunRecord, RunStore

WATCH_INTERVAL = 0.5


class RunView(BaseModel):
    run_id: str
    journey: str
    version: int
    user_id: str | None
    status: str
    started_at: datetime
    finished_at: datetime | None = None
    active_nodes: list[str] = Field(default_factory=list)
    steps: list[StepRecord] = Field(default_factory=list)
    error: str | None = None


class NodeStats(BaseModel):
    node_id: str
    entered: int = Field(description="Runs that reached the node")
    active: int = Field(description="Runs there now")
    completed: int = Field(description="Runs that finished the node")
    failed: int = Field(description="Runs that failed at the node")


class JourneyStats(BaseModel):
    journey: str
    version: int | None
    runs: int
    nodes: list[NodeStats]


class RunService:
    def __init__(self, database: Database, temporal: Client | None, task_queue: str) -> None:
        self._runs = RunStore(database)
        self._journeys = SqlJourneySource(database)
        self._journey_store = JourneyStore(database)
        self._temporal = temporal
        self._task_queue = task_queue

    async def start(
        self,
        journey_key: str,
        *,
        user_id: str | None,
        input: dict[str, JsonValue],
        version: int | None = None,
    ) -> RunView:
        """Start a run of the published (or the given) version; Conflict when it may not start."""
        client = self._client()
        stored = await self._journey(journey_key)
        if stored.status in ("paused", "archived"):
            raise Conflict(f"journey {journey_key!r} is {stored.status}: it starts no new runs")
        found = await self._journeys.published(journey_key, version)
        if found is None:
            wanted = f"no version {version}" if version is not None else "no published version"
            raise NotFound(f"journey {journey_key!r} has {wanted}")
        journey = Journey.model_validate(found.document)
        once = journey.settings.reentry == "once" and user_id is not None
        if once and await self._runs.has_run(journey_key, user_id or ""):
            raise Conflict(f"user {user_id!r} already went through {journey_key!r}, which allows it once")
        run_id = new_run_id()
        try:
            handle = await start_run(
                client,
                task_queue=self._task_queue,
                journey=journey,
                version=found.version,
                user_id=user_id,
                trigger=manual_trigger(input),
                run_id=run_id,
            )
        except RunAlreadyActive as error:
            raise Conflict(f"user {user_id!r} already has an active run of {journey_key!r}") from error
        except RPCError as error:
            raise Unavailable(f"Temporal did not accept the run: {error.message}") from error
        started_at = datetime.now(UTC)
        await self._runs.started(
            RunRecord(
                run_id=run_id,
                workflow_id=handle.id,
                journey_key=journey_key,
                version=found.version,
                user_id=user_id,
                status="running",
                started_at=started_at,
            )
        )
        return RunView(
            run_id=run_id,
            journey=journey_key,
            version=found.version,
            user_id=user_id,
            status="running",
            started_at=started_at,
        )

    async def get(self, run_id: str) -> RunView:
        row = await self._runs.get(run_id)
        if row is None:
            raise NotFound(f"no run {run_id!r}")
        if row.status in FINAL_STATUSES or self._temporal is None:
            return _from_row(row)
        live = await self._live(row)
        return live if live is not None else _from_row(row)

    async def find(
        self,
        *,
        journey: str | None = None,
        status: str | None = None,
        user_id: str | None = None,
        after: tuple[datetime, str] | None = None,
        limit: int = 50,
    ) -> list[RunView]:
        rows = await self._runs.find(
            journey=journey, status=status, user_id=user_id, after=after, limit=limit
        )
        return [_from_row(row) for row in rows]

    async def cancel(self, run_id: str) -> None:
        client = self._client()
        row = await self._runs.get(run_id)
        if row is None:
            raise NotFound(f"no run {run_id!r}")
        if row.status in FINAL_STATUSES:
            raise Conflict(f"run {run_id!r} has already ended ({row.status})")
        try:
            await client.get_workflow_handle(row.workflow_id).signal("cancel", "cancelled through the API")
        except RPCError as error:
            raise Conflict(f"run {run_id!r} cannot be cancelled: {error.message}") from error

    async def watch(self, run_id: str) -> AsyncIterator[RunView]:
        """The run each time it changes, until it ends."""
        last: str | None = None
        while True:
            view = await self.get(run_id)
            fingerprint = view.model_dump_json()
            if fingerprint != last:
                last = fingerprint
                yield view
            if view.status in FINAL_STATUSES:
                return
            await asyncio.sleep(WATCH_INTERVAL)

    async def stats(self, journey_key: str, version: int | None = None) -> JourneyStats:
        await self._journey(journey_key)
        rows = await self._runs.of_journey(journey_key, version)
        counts: dict[str, dict[str, Any]] = {}
        for row in rows:
            entered: set[str] = set()
            for step in row.steps:
                node = counts.setdefault(
                    step["node_id"], {"entered": 0, "active": 0, "completed": 0, "failed": 0}
                )
                if step["node_id"] not in entered:
                    entered.add(step["node_id"])
                    node["entered"] += 1
                if step["status"] in ("completed", "failed"):
                    node[step["status"]] += 1
            if row.status not in FINAL_STATUSES:
                for node_id in row.active_nodes:
                    counts.setdefault(node_id, {"entered": 0, "active": 0, "completed": 0, "failed": 0})
                    counts[node_id]["active"] += 1
        nodes = [NodeStats(node_id=node_id, **values) for node_id, values in sorted(counts.items())]
        return JourneyStats(journey=journey_key, version=version, runs=len(rows), nodes=nodes)

    def _client(self) -> Client:
        if self._temporal is None:
            raise Unavailable("the engine is not connected: start the API with `journey up`")
        return self._temporal

    async def _journey(self, key: str) -> StoredJourney:
        journey = await self._journey_store.get(key) if is_journey_key(key) else None
        if journey is None:
            raise NotFound(f"no journey {key!r}")
        return journey

    async def _live(self, row: RunRow) -> RunView | None:
        """The running run as its workflow sees it now; None if Temporal cannot say."""
        assert self._temporal is not None
        try:
            snapshot: RunSnapshot = await self._temporal.get_workflow_handle(row.workflow_id).query(
                "snapshot", result_type=RunSnapshot
            )
        except RPCError:
            return None
        if snapshot.run_id != row.run_id:
            return None
        return RunView(
            run_id=snapshot.run_id,
            journey=snapshot.journey,
            version=snapshot.version or 0,
            user_id=snapshot.user_id,
            status=snapshot.status,
            started_at=snapshot.started_at,
            finished_at=snapshot.finished_at,
            active_nodes=snapshot.active_nodes,
            steps=snapshot.steps,
            error=snapshot.error,
        )


def _from_row(row: RunRow) -> RunView:
    steps = [StepRecord.model_validate(step) for step in row.steps]
    errors = [step.error for step in steps if step.error]
    return RunView(
        run_id=row.run_id,
        journey=row.journey_key,
        version=row.version,
        user_id=row.user_id,
        status=row.status,
        started_at=row.started_at,
        finished_at=row.finished_at,
        active_nodes=list(row.active_nodes),
        steps=steps,
        error=errors[-1] if row.status == "failed" and errors else None,
    )
