"""Two ``journey router`` processes (the console script, on the session's Temporal, database and
broker) in one consumer group; one is killed with SIGKILL mid-stream. It cannot leave the group,
so its partitions move to the survivor only once the broker's session timeout expires:
``JOURNEY_KAFKA_SESSION_TIMEOUT_MS`` of 3 s here (the default is 10 s), and the broker must drop
the dead router well before 10 s. The survivor then routes what the dead one had not committed.
Every expected run is started exactly once (in the run index and in Temporal), no event is
lost."""

import asyncio
import signal
import time
import uuid
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from journey.engine.ids import event_run_id
from journey.settings import Settings
from journey.store.database import Database
from journey.store.models import DEFAULT_WORKSPACE
from tests.events.conftest import event, eventually
from tests.events.journeys import ends_at_once
from tests.events.kafka.conftest import SESSION_TIMEOUT_MS, KafkaRouting, create_topic
from tests.support.router_process import router_process

pytestmark = pytest.mark.integration

EVENTS = 600
USERS = 120
DROPPED_WITHIN = 8.0
"""Seconds: the 3 s session timeout and room for a busy machine, below the 10 s default."""


def _router(
    settings: Settings, temporal_address: str, routing: KafkaRouting, log: Path
) -> AbstractAsyncContextManager[asyncio.subprocess.Process]:
    return router_process(
        settings,
        temporal_address,
        log,
        JOURNEY_KAFKA_BOOTSTRAP=routing.bootstrap,
        JOURNEY_KAFKA_EVENTS_TOPIC=routing.topic,
        JOURNEY_KAFKA_GROUP=routing.group,
        JOURNEY_KAFKA_SESSION_TIMEOUT_MS=str(SESSION_TIMEOUT_MS),
    )


async def _members(bootstrap: str, group: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [response] = await admin.describe_consumer_groups([group])
        [(error_code, _group, _state, _protocol_type, _protocol, members, *_rest)] = response.groups
        assert error_code == 0, f"describing group {group}: error {error_code}"
        return len(members)
    finally:
        await admin.close()


async def test_a_router_killed_with_sigkill_hands_its_partitions_to_the_other_losing_nothing(
    kafka: str,
    temporal: WorkflowEnvironment,
    router_client: Client,
    worker: None,
    engine_settings: Settings,
    engine_database: Database,
    unique: str,
    tmp_path: Path,
) -> None:
    topic = f"events-{uuid.uuid4().hex[:10]}"
    await create_topic(kafka, topic)
    # Only its helpers: the routers are the processes, which route the default workspace.
    routing = KafkaRouting(engine_database, router_client, DEFAULT_WORKSPACE, kafka, topic)
    key, name = f"killed-{unique}", f"seen_{unique}"
    version = await routing.publish(ends_at_once(key, name, reentry="always"))
    events = [event(name, f"u{n % USERS}-{unique}", f"e{n}-{unique}") for n in range(EVENTS)]
    expected = {event_run_id(e.id, key, version) for e in events}
    address = temporal.client.service_client.config.target_host
    log = tmp_path / "routers.log"
    await routing.producer.start()
    try:
        async with (
            _router(engine_settings, address, routing, log) as survivor,
            _router(engine_settings, address, routing, log) as victim,
        ):

            async def both_members() -> bool:
                return await _members(kafka, routing.group) == 2

            await eventually(both_members, within=30, what="both routers joining the group")
            await routing.send(*events[: EVENTS // 2])

            async def some_runs() -> bool:
                return len(await routing.runs_of(key)) >= EVENTS // 10

            await eventually(some_runs, what="the routers starting runs")
            victim.send_signal(signal.SIGKILL)
            assert await victim.wait() == -signal.SIGKILL
            killed = time.monotonic()
            routed_before = len(await routing.runs_of(key))
            await routing.send(*events[EVENTS // 2 :])

            async def one_member() -> bool:
                return await _members(kafka, routing.group) == 1

            await eventually(one_member, within=30, what="the broker dropping the killed router")
            dropped_after = time.monotonic() - killed
            assert dropped_after < DROPPED_WITHIN, f"the killed router was a member for {dropped_after:.1f} s"
            await routing.settled(within=40)
            taken_over = time.monotonic() - killed
            assert survivor.returncode is None, log.read_text()

            runs = await routing.runs_of(key)
            assert {run.run_id for run in runs} == expected, "a run missing or one too many"
            assert len(runs) == len(expected)

            async def counted() -> bool:
                found = await router_client.count_workflows(f'JourneyKey = "{key}"')
                return found.count == len(expected)

            await eventually(counted, within=10, what="Temporal listing exactly the expected runs")
    finally:
        await asyncio.shield(routing.producer.close())
    print(
        f"\n{EVENTS} events; victim killed after {routed_before} runs; "
        f"dropped from the group after {dropped_after:.1f} s; "
        f"survivor settled everything {taken_over:.1f} s after the kill"
    )
