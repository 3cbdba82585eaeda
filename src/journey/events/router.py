"""The router: every event of the log, in order, into the runs it starts and the runs it reaches.

For each event (``architecture.md``, "Data flow of one event"):

1. every active journey whose trigger matches (name or prefix, then the filter) gets a run,
   under a run id derived from the event (``starter``), with ``reentry`` honoured;
2. every active run of the event's user whose journey waits for or exits on that event name
   gets it as the ``event`` signal (the workflow decides whether a wait or an exit rule takes
   it, and ignores an event id it has seen); a run this event starts is not signalled with it;
3. the batch is acked only when every start and signal of every event in it was acknowledged
   by Temporal.

Events of one user are handled one after the other, in log order (a later ``order_completed``
must find the run an earlier ``cart_updated`` started); different users' events in parallel.
A failure that may heal (Temporal or the database unreachable) retries the event with backoff,
forever, holding the batch: the log keeps the events meanwhile. What can never succeed (a filter
that fails on this event, a key that does not render, a start or signal Temporal rejects as
invalid) is logged, kept in ``dead_letters`` and skipped, for that journey or run only.

A redelivered batch (after a crash) is handled again from its first event: starts find their
run by its id and signals are ignored by id, so the effect is exactly once. One thing replay
can do that the first pass did not: an event may reach a run that a later event of the same
batch started, which a wait's filter on the trigger (``cart_id``) makes harmless.
"""

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from contextlib import aclosing
from functools import partial
from typing import TypeVar

import structlog
from pydantic import JsonValue
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from journey.backoff import RETRY, Backoff
from journey.dsl.core.messages import Event
from journey.events.consumer import Delivery, EventConsumer
from journey.events.dead_letters import DeadLetters
from journey.events.routing_table import EventRoute, RoutingTable, RoutingTables
from journey.events.run_index import ActiveRun, IndexView, RunIndexReader
from journey.events.starter import Outcome, RunStarter
from journey.events.triggering import TriggerFailed, decide, run_id_of
from journey.store.runs import RunStore
from journey.store.users import UserStore

SIGNAL = "event"
CONCURRENCY = 32
"""Users whose events are handled at the same time."""
_REJECTED = (RPCStatusCode.INVALID_ARGUMENT, RPCStatusCode.OUT_OF_RANGE)
"""Temporal's answers that no retry changes (a payload over its size limit, say)."""
_log = structlog.get_logger("journey.router")
T = TypeVar("T")


class Router:
    def __init__(
        self,
        *,
        consumer: EventConsumer,
        tables: RoutingTables,
        client: Client,
        task_queue: str,
        runs: RunStore,
        index: RunIndexReader,
        users: UserStore,
        dead_letters: DeadLetters,
        concurrency: int = CONCURRENCY,
        retry: Backoff = RETRY,
    ) -> None:
        self._consumer = consumer
        self._tables = tables
        self._client = client
        self._index = index
        self._users = users
        self._dead_letters = dead_letters
        self._starter = RunStarter(client, runs, task_queue)
        self._concurrency = concurrency
        self._retry = retry

    async def run(self) -> None:
        """Route until cancelled; a cancelled batch is not acked, so it comes again."""
        async with aclosing(self._consumer.batches()) as batches:
            async for batch in batches:
                table = await self._retrying("loading the routing table", self._tables.current)
                await self._handle(batch.deliveries, table)
                await batch.ack()

    async def _handle(self, deliveries: Sequence[Delivery], table: RoutingTable) -> None:
        by_user: defaultdict[object, list[Delivery]] = defaultdict(list)
        for delivery in deliveries:
            user_id = delivery.event.user_id
            by_user[user_id if user_id is not None else object()].append(delivery)
        users = {user for user in by_user if isinstance(user, str)}
        candidates = {run_id_of(r, d.event.id) for d in deliveries for r in table.routes(d.event.name)}
        view = await self._retrying("reading the run index", partial(self._index.view, users, candidates))
        gate = asyncio.Semaphore(self._concurrency)

        async def in_order(chain: list[Delivery]) -> None:
            async with gate:
                for delivery in chain:
                    route = partial(self._route, delivery, table, view)
                    await self._retrying("routing an event", route, delivery)

        async with asyncio.TaskGroup() as group:
            for chain in by_user.values():
                group.create_task(in_order(chain))

    async def _retrying(
        self, what: str, attempt: Callable[[], Awaitable[T]], delivery: Delivery | None = None
    ) -> T:
        failures = 0
        while True:
            try:
                return await attempt()
            except Exception as error:
                failures += 1
                delay = self._retry.delay(failures)
                context = _fields(delivery) if delivery is not None else {}
                _log.warning(f"{what} failed", attempt=failures, retry_in=delay, error=repr(error), **context)
                await asyncio.sleep(delay)

    async def _route(self, delivery: Delivery, table: RoutingTable, view: IndexView) -> None:
        event = delivery.event
        routes = table.routes(event.name)
        trigger: dict[str, JsonValue] = event.model_dump(mode="json")
        attributes = await self._attributes(event) if any(r.reads_user for r in routes) else None
        user: dict[str, JsonValue] | None = None
        if event.user_id is not None:
            user = {**(attributes or {}), "id": event.user_id}
        for route in routes:
            await self._start(delivery, route, trigger, user, attributes, view)
        if event.user_id is not None:
            started_here = {run_id_of(route, event.id) for route in routes}
            await self._signal(delivery, table, view.active_of(event.user_id), started_here)

    async def _start(
        self,
        delivery: Delivery,
        route: EventRoute,
        trigger: dict[str, JsonValue],
        user: dict[str, JsonValue] | None,
        attributes: dict[str, JsonValue] | None,
        view: IndexView,
    ) -> None:
        fields = {**_fields(delivery), "journey": route.key, "version": route.version}
        try:
            planned = decide(route, trigger, user)
            if planned is None:
                return
            outcome = await self._starter.start(planned, delivery.event, trigger, attributes, view)
        except TriggerFailed as failure:
            await self._give_up(delivery, f"journey {route.key} v{route.version}: {failure}", fields)
            return
        except RPCError as error:
            if error.status not in _REJECTED:
                raise
            reason = f"journey {route.key}: Temporal rejected the start: {error}"
            await self._give_up(delivery, reason, fields)
            return
        log = _log.info if outcome is Outcome.STARTED else _log.debug
        log(f"run {outcome}", run_id=planned.run_id, trigger_key=planned.trigger_key, **fields)

    async def _signal(
        self, delivery: Delivery, table: RoutingTable, active: list[ActiveRun], started_here: set[str]
    ) -> None:
        name = delivery.event.name
        async with asyncio.TaskGroup() as group:
            for run in active:
                if run.run_id not in started_here and table.listens(run.journey_key, name):
                    group.create_task(self._signal_run(delivery, run))

    async def _signal_run(self, delivery: Delivery, run: ActiveRun) -> None:
        fields = {**_fields(delivery), "journey": run.journey_key, "run_id": run.run_id}
        try:
            await self._client.get_workflow_handle(run.workflow_id).signal(SIGNAL, delivery.event)
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                return  # the run has ended since the index said it was active
            if error.status not in _REJECTED:
                raise
            await self._give_up(delivery, f"run {run.run_id}: Temporal rejected the signal: {error}", fields)
            return
        _log.debug("run signalled", **fields)

    async def _attributes(self, event: Event) -> dict[str, JsonValue] | None:
        if event.user_id is None:
            return None
        found = await self._users.get(event.user_id)
        return {} if found is None else dict(found.attributes)

    async def _give_up(self, delivery: Delivery, reason: str, fields: dict[str, object]) -> None:
        _log.error("event dead-lettered", reason=reason, **fields)
        await self._dead_letters.record(position=delivery.position, event=delivery.event, reason=reason)


def _fields(delivery: Delivery) -> dict[str, object]:
    """What every log line about an event carries."""
    event = delivery.event
    return {
        "event_id": event.id,
        "event_name": event.name,
        "user_id": event.user_id,
        "position": delivery.position,
    }
