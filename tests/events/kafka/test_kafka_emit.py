"""Journeys triggering journeys through Kafka: a worker built with ``JOURNEY_KAFKA_BOOTSTRAP``
(its own task queue, on the session's dev server) appends what ``emit_event`` emits to the events
topic, and the Kafka router starts the journey that event triggers."""

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from temporalio.client import Client

from journey.engine.ids import event_run_id
from journey.engine.worker import journey_worker
from journey.settings import Settings
from journey.store.database import Database
from tests.events.conftest import event
from tests.events.journeys import ends_at_once, triggered
from tests.events.kafka.conftest import KafkaRouting

pytestmark = pytest.mark.integration


@pytest.fixture
async def kafka_worker(
    kafka_routing: KafkaRouting,
    engine_settings: Settings,
    engine_database: Database,
    router_client: Client,
    unique: str,
) -> AsyncIterator[str]:
    """A worker whose event log is the routing's topic, on a queue of its own; the routing's
    router is restarted to start runs there. The queue's name."""
    queue = f"kafka-emit-{unique}"
    settings = engine_settings.model_copy(
        update={
            "kafka_bootstrap": kafka_routing.bootstrap,
            "kafka_events_topic": kafka_routing.topic,
            "temporal_task_queue": queue,
        }
    )
    async with journey_worker(router_client, settings, engine_database) as worker:
        task = asyncio.create_task(worker.run())
        await kafka_routing.stop()
        kafka_routing.task_queue = queue
        kafka_routing.start()
        try:
            yield queue
        finally:
            await kafka_routing.stop()
            await worker.shutdown()
            await asyncio.gather(task, return_exceptions=True)


async def test_an_emitted_event_is_produced_to_kafka_and_starts_the_journey_it_triggers(
    kafka_routing: KafkaRouting, kafka_worker: str, unique: str
) -> None:
    routing = kafka_routing
    emitter, chained = f"emitter-{unique}", f"chained-{unique}"
    signed_up, welcomed = f"signed_up_{unique}", f"welcomed_{unique}"
    emit = {
        "id": "emit",
        "type": "emit_event",
        "config": {"event": welcomed, "properties": {"by": "{{ run.id }}"}},
    }
    await routing.publish(
        triggered(
            emitter,
            signed_up,
            [emit, {"id": "done", "type": "end", "config": {}}],
            [("start", "emit", None), ("emit", "done", None)],
        )
    )
    await routing.publish(ends_at_once(chained, welcomed))
    user = f"u-{unique}"

    await routing.send(event(signed_up, user))

    [first] = await routing.until_runs(
        emitter, lambda rows: len(rows) == 1 and rows[0].status == "completed", what="the emitter completing"
    )
    [emitted] = [step["output"] for step in first.steps if step["node_id"] == "emit"]
    [second] = await routing.until_runs(
        chained, lambda rows: len(rows) == 1 and rows[0].status == "completed", what="the chained run"
    )
    assert second.run_id == event_run_id(emitted["id"], chained, 1)
    assert second.user_id == user
    [_, record] = await routing.read_topic(routing.topic, 2)
    assert record.key == user.encode()
    assert dict(record.headers)["journey-source"] == b"journey"
    assert json.loads(record.value) == {
        "id": emitted["id"],
        "name": welcomed,
        "user_id": user,
        "properties": {"by": first.run_id},
        "timestamp": json.loads(record.value)["timestamp"],
    }
