"""Several routers in one consumer group: they share the partitions, and when one is killed its
partitions move to the other with no event lost (the killed router's unacked batch is routed
again by the survivor, starting nothing twice)."""

import asyncio

import pytest

from journey.engine.ids import event_run_id
from tests.events.conftest import event, eventually
from tests.events.journeys import ends_at_once
from tests.events.kafka.conftest import PARTITIONS, KafkaRouting

pytestmark = pytest.mark.integration


async def test_two_routers_share_the_partitions_and_one_takes_over_when_the_other_dies(
    kafka_routing: KafkaRouting, unique: str
) -> None:
    routing = kafka_routing
    await routing.stop()  # the fixture's router; this test runs two of its own
    key, name = f"shared-{unique}", f"seen_{unique}"
    await routing.publish(ends_at_once(key, name, reentry="always"))
    first, second = routing.consumer(), routing.consumer()
    tasks = [asyncio.create_task(routing.router(consumer=c).run()) for c in (first, second)]
    try:

        async def both_hold_partitions() -> bool:
            held = [c.assignment() for c in (first, second)]
            return all(held) and len(held[0] | held[1]) == PARTITIONS and not held[0] & held[1]

        await eventually(both_hold_partitions, what="both routers holding partitions")
        events = [event(name, f"u{n % 40}-{unique}", f"e{n}-{unique}") for n in range(200)]
        await routing.send(*events[:100])

        async def some_runs() -> bool:
            return len(await routing.runs_of(key)) >= 20

        await eventually(some_runs, what="the routers starting runs")
        tasks[1].cancel()  # killed mid-stream: what it did not ack is the survivor's to route
        await asyncio.gather(tasks[1], return_exceptions=True)
        await routing.send(*events[100:])

        async def first_holds_all() -> bool:
            return len(first.assignment()) == PARTITIONS

        await eventually(first_holds_all, what="the survivor taking every partition")
        await routing.settled(within=40)

        runs = await routing.runs_of(key)
        assert sorted(run.run_id for run in runs) == sorted(event_run_id(e.id, key, 1) for e in events)
        assert not tasks[0].done()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
