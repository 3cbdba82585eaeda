"""``journey router`` killed with SIGKILL twice in the middle of 1,000 events for 200 users.

Each user updates two carts, views a page and completes both orders, interleaved with the other
users' events at random (each user's in order). The abandoned-cart journey starts one run per
user and cart, which waits for that cart's order. The router runs as a real process (the console
script, on the session's Temporal and database); it is killed at two random points and started
again each time. In the end every run the events ask for exists exactly once (in the run index
and in Temporal), and each completed by taking its own order event, once. The seed is printed,
to replay a failure.
"""

import asyncio
import random
import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

import pytest
from sqlalchemy import func, select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from journey.dsl.core.messages import Event
from journey.engine.ids import event_run_id
from journey.settings import Settings
from journey.store.database import Database
from journey.store.models import DEFAULT_WORKSPACE, ConsumerOffsetRow, EventRow
from journey.store.runs import RunStore
from journey.store.sql_event_log import SqlEventLog
from tests.events.conftest import event, eventually, publish
from tests.events.journeys import waits_for
from tests.support.router_process import router_process

pytestmark = pytest.mark.integration

USERS = 200


def _events(rng: random.Random, cart: str, order: str) -> Iterator[tuple[Event, str | None]]:
    """Every user's five events, users interleaved at random; each cart event with the id of
    the order event its run must take."""
    queues: list[list[tuple[Event, str | None]]] = []
    for number in range(USERS):
        user = f"{cart}-user-{number}"
        first, second = (event(order, user, cart_id=cart_id) for cart_id in ("c1", "c2"))
        queues.append(
            [
                (event(cart, user, cart_id="c1"), first.id),
                (event(cart, user, cart_id="c2"), second.id),
                (event("page_viewed", user, path="/"), None),
                (first, None),
                (second, None),
            ]
        )
    while queues:
        queue = rng.choice(queues)
        yield queue.pop(0)
        if not queue:
            queues.remove(queue)


class CrashLog(Protocol):
    """The log under test: takes the events, and says how many of them the router acked."""

    variables: dict[str, str]
    """What ``journey router`` needs in its environment to read this log."""

    async def append(self, events: Sequence[Event]) -> None: ...

    async def acked(self) -> int: ...


class SqlCrashLog:
    """The SQL log of the default workspace; acked is the router's offset past the first event."""

    def __init__(self, database: Database) -> None:
        self.variables: dict[str, str] = {}
        self._database = database
        self._first = 0

    async def append(self, events: Sequence[Event]) -> None:
        await SqlEventLog(self._database).append(events)
        async with self._database.sessions() as session:
            last = await session.scalar(select(func.max(EventRow.sequence)))
        self._first = last - len(events) + 1

    async def acked(self) -> int:
        async with self._database.sessions() as session:
            offset = await session.scalar(
                select(ConsumerOffsetRow.sequence).where(
                    ConsumerOffsetRow.workspace_id == DEFAULT_WORKSPACE,
                    ConsumerOffsetRow.consumer == "router",
                )
            )
        return max(0, (offset or 0) - self._first + 1)


async def test_the_router_survives_two_kill_9_without_losing_or_repeating_anything(
    temporal: WorkflowEnvironment,
    router_client: Client,
    worker: None,
    engine_settings: Settings,
    engine_database: Database,
    tmp_path: Path,
    unique: str,
) -> None:
    await kill_twice_and_check(
        SqlCrashLog(engine_database),
        temporal,
        router_client,
        engine_settings,
        engine_database,
        tmp_path,
        unique,
    )


async def kill_twice_and_check(
    log: CrashLog,
    temporal: WorkflowEnvironment,
    router_client: Client,
    engine_settings: Settings,
    engine_database: Database,
    tmp_path: Path,
    unique: str,
) -> None:
    """The scenario, on ``log``: event names and the journey are the test's own, so the
    scenario can run on both logs in one session (the routers route the default workspace)."""
    seed = random.randrange(2**32)
    print(f"\nseed {seed}")
    rng = random.Random(seed)
    journey = f"crash-carts-{unique}"
    cart, order = f"cart_updated_{unique}", f"order_completed_{unique}"
    document = waits_for(
        journey,
        cart,
        order,
        wait_filter="event.properties.cart_id == trigger.properties.cart_id",
        trigger_key="{{ event.properties.cart_id }}",
    )
    version = await publish(engine_database, DEFAULT_WORKSPACE, document)
    sent = list(_events(rng, cart, order))
    expected = {event_run_id(e.id, journey, version): taken for e, taken in sent if taken is not None}
    await log.append([e for e, _taken in sent])
    address = temporal.client.service_client.config.target_host
    output = tmp_path / "router.log"

    began = time.monotonic()
    kills: list[int] = []
    for low, high in ((0.1, 0.4), (0.6, 0.85)):
        async with router_process(engine_settings, address, output, **log.variables) as process:
            threshold = int(rng.uniform(low, high) * len(sent))

            async def past_threshold(at: int = threshold) -> bool:
                return await log.acked() >= at

            await eventually(past_threshold, within=60, what=f"the router acking {threshold} events")
            await asyncio.sleep(rng.uniform(0, 0.3))  # a random point within the next batch
            process.send_signal(signal.SIGKILL)
            assert await process.wait() == -signal.SIGKILL
            kills.append(await log.acked())
    async with router_process(engine_settings, address, output, **log.variables):
        runs = RunStore(engine_database)

        async def all_completed() -> bool:
            rows = await runs.of_journey(journey)
            return len(rows) >= len(expected) and all(row.status == "completed" for row in rows)

        await eventually(all_completed, within=120, what=f"{len(expected)} runs completing")
        rows = await runs.of_journey(journey)
        settled = time.monotonic()

    assert kills[0] < kills[1] < len(sent), f"the kills did not come mid-stream: {kills}"
    assert {row.run_id for row in rows} == set(expected), "a run missing or one too many"
    for row in rows:
        assert [step["node_id"] for step in row.steps] == ["start", "wait", "done"]
        [wait] = [step for step in row.steps if step["node_id"] == "wait"]
        assert wait["output"]["id"] == expected[row.run_id], "a run took another cart's order"

    async def counted() -> bool:
        found = await router_client.count_workflows(f'JourneyKey = "{journey}"')
        return found.count == len(expected)

    await eventually(counted, within=10, what="Temporal listing exactly the expected runs")
    print(
        f"{len(sent)} events, {len(expected)} runs; router killed after {kills[0]} and {kills[1]} events "
        f"were acked; all runs completed {settled - began:.1f} s after the first start"
    )
