"""Starting the run an event asks for, so that a redelivered event starts nothing twice.

The run index learns of the run *before* Temporal does: a run that finishes at once then
records its end over the starter's row instead of the other way round (which would leave the
user with an "active" run that has ended), and a later event of the user finds the run even if
the router died right after starting it. The price is a row to remove when Temporal refuses
the start because ``reentry`` says no.

Redelivery is told apart from reentry by the run id, which the event fixes: a row of that run
id (the batch's ``IndexView`` says) that has ended means the work is done; a refusal of a start
whose row was already there is ours if the workflow holding the id carries our run id in its
memo.
"""

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import JsonValue
from temporalio.client import Client

from journey.dsl.core.messages import FINAL_STATUSES, Event
from journey.engine.ids import start_policy
from journey.engine.runs import RunAlreadyActive, start_run
from journey.events.run_index import ActiveRun, IndexView
from journey.events.triggering import PlannedStart
from journey.store.runs import RunRecord, RunStore


class Outcome(StrEnum):
    STARTED = "started"
    ALREADY_STARTED = "already started"
    """By an earlier delivery of the same event."""
    REFUSED = "refused"
    """By the journey's ``reentry`` rule."""


class RunStarter:
    def __init__(self, client: Client, runs: RunStore, task_queue: str) -> None:
        self._client = client
        self._runs = runs
        self._task_queue = task_queue

    async def start(
        self,
        planned: PlannedStart,
        event: Event,
        trigger: dict[str, JsonValue],
        attributes: dict[str, JsonValue] | None,
        view: IndexView,
    ) -> Outcome:
        """Start the run ``planned`` for ``event``, keeping ``view`` current.

        ``attributes``: the user's, when the router read them to decide (the run then skips
        its own first read).
        """
        route, run_id, user_id = planned.route, planned.run_id, event.user_id
        journey = route.journey
        earlier = view.statuses.get(run_id)
        if earlier in FINAL_STATUSES:
            return Outcome.ALREADY_STARTED
        policy = start_policy(
            journey_key=route.key,
            reentry=journey.settings.reentry,
            user_id=user_id,
            trigger_key=planned.trigger_key,
            run_id=run_id,
        )
        if earlier is None:
            once = journey.settings.reentry == "once" and user_id is not None
            if once and await self._runs.has_run(route.key, user_id or ""):
                return Outcome.REFUSED
            await self._runs.started(
                RunRecord(
                    run_id=run_id,
                    workflow_id=policy.workflow_id,
                    journey_key=route.key,
                    version=route.version,
                    user_id=user_id,
                    status="running",
                    started_at=datetime.now(UTC),
                )
            )
        view.started(user_id, ActiveRun(run_id, route.key, policy.workflow_id))
        try:
            await start_run(
                self._client,
                task_queue=self._task_queue,
                journey=journey,
                version=route.version,
                user_id=user_id,
                trigger=trigger,
                run_id=run_id,
                trigger_key=planned.trigger_key,
                user=attributes,
            )
        except RunAlreadyActive as refusal:
            if earlier is not None and await self._holds(refusal.workflow_id, run_id):
                return Outcome.ALREADY_STARTED
            await self._runs.forget(run_id)
            view.forgotten(user_id, run_id)
            return Outcome.REFUSED
        return Outcome.STARTED

    async def _holds(self, workflow_id: str, run_id: str) -> bool:
        """Whether the workflow that holds ``workflow_id`` is the run ``run_id``."""
        description = await self._client.get_workflow_handle(workflow_id).describe()
        held: object = await description.memo_value("run_id", None)
        return held == run_id
