"""``emit_event`` with a ``topic``: the event goes to that Kafka topic, for other services to read,
in the same record shape as the events topic."""

import json
import uuid

import pytest

from journey.actions.emit import emit_event
from journey.events.kafka_log import KafkaEventLog
from tests.events.kafka.conftest import create_topic, read_topic

pytestmark = pytest.mark.integration


async def test_an_event_with_a_topic_is_produced_to_that_topic(kafka: str) -> None:
    events_topic, crm_topic = f"events-{uuid.uuid4().hex}", f"crm-{uuid.uuid4().hex}"
    for topic in (events_topic, crm_topic):
        await create_topic(kafka, topic, partitions=1)
    params = {"event": "vip_reached", "topic": crm_topic, "properties": {"tier": "gold"}}

    async with KafkaEventLog(kafka, events_topic) as log:
        emitted = await emit_event(log, params, default_user_id="u1", idempotency_key="run-1/vip/1")

    [record] = await read_topic(kafka, crm_topic, 1)
    assert record.key == b"u1"
    value = json.loads(record.value)
    assert value.pop("timestamp")
    expected = {"id": emitted["id"], "name": "vip_reached", "user_id": "u1", "properties": {"tier": "gold"}}
    assert value == expected
    assert dict(record.headers)["journey-source"] == b"journey"
