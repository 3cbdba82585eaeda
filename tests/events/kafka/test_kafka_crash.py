"""The SQL log's exactly-once test on Kafka: 1,000 events for 200 users on a topic of four
partitions, one ``journey router`` process (a one-member group) killed with SIGKILL at two random
points and started again; every expected run exists once and took its own order event once.

A restarted router joins the group as a new member; the killed one's partitions come back once
its session (3 s, ``JOURNEY_KAFKA_SESSION_TIMEOUT_MS``) expires, and what it had not committed is
routed again."""

import asyncio
import uuid
from collections.abc import Sequence
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from journey.dsl.core.messages import Event
from journey.settings import Settings
from journey.store.database import Database
from journey.store.models import DEFAULT_WORKSPACE
from tests.events.kafka.conftest import SESSION_TIMEOUT_MS, KafkaRouting, create_topic
from tests.events.test_router_crash import kill_twice_and_check

pytestmark = pytest.mark.integration


class KafkaCrashLog:
    """A fresh topic and group; acked is the sum of the group's committed offsets."""

    def __init__(self, routing: KafkaRouting) -> None:
        self._routing = routing
        self.variables = {
            "JOURNEY_KAFKA_BOOTSTRAP": routing.bootstrap,
            "JOURNEY_KAFKA_EVENTS_TOPIC": routing.topic,
            "JOURNEY_KAFKA_GROUP": routing.group,
            "JOURNEY_KAFKA_SESSION_TIMEOUT_MS": str(SESSION_TIMEOUT_MS),
        }

    async def append(self, events: Sequence[Event]) -> None:
        await self._routing.send(*events)

    async def acked(self) -> int:
        return sum((await self._routing.committed()).values())


async def test_the_kafka_router_survives_two_kill_9_without_losing_or_repeating_anything(
    kafka: str,
    temporal: WorkflowEnvironment,
    router_client: Client,
    worker: None,
    engine_settings: Settings,
    engine_database: Database,
    tmp_path: Path,
    unique: str,
) -> None:
    topic = f"events-{uuid.uuid4().hex[:10]}"
    await create_topic(kafka, topic)
    # Only its helpers: the router is the process, which routes the default workspace.
    routing = KafkaRouting(engine_database, router_client, DEFAULT_WORKSPACE, kafka, topic)
    await routing.producer.start()
    try:
        await kill_twice_and_check(
            KafkaCrashLog(routing),
            temporal,
            router_client,
            engine_settings,
            engine_database,
            tmp_path,
            unique,
        )
    finally:
        await asyncio.shield(routing.producer.close())
