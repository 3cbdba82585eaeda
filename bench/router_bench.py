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
- ``latency``: ``--probe`` events appended one at a time, ``--rate`` per second; for each, the
  time from just before ``append`` until the receiver had the run's webhook (one monotonic
  clock: same machine), p50 and p99.

``python -m bench router`` runs it with the defaults, ``python -m bench.router_bench --events
2000`` takes options. Like ``engine_bench`` it measures in an interpreter of its own that ends
with ``os._exit`` (a process that ran a Temporal worker can abort at interpreter exit).
"""

import argparse
import asyncio
import os
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
from typing import Any

import httpx
from sqlalchemy import func, select

from bench.engine_bench import ROOT, CpuSample, Receiver, _free_port, _ms
from journey.dsl.core.messages import Event
from journey.engine.client import connect
from journey.engine.devserver import DevServer
from journey.engine.worker import journey_worker
from journey.events import ROUTER, running, sql_router
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


@dataclass
class Bench:
    database: Database
    log: SqlEventLog
    receiver: Receiver
    server_pid: int
    http: httpx.AsyncClient

    async def sustained(self, tag: str, count: int) -> Sustained:
        events = [_event(tag, index) for index in range(count)]
        cpu_before = CpuSample.take(self.server_pid, self.receiver.pid)
        began = time.monotonic()
        for start in range(0, count, APPEND_BATCH):
            await self.log.append(events[start : start + APPEND_BATCH])
        last = await self._sequence_of_last()
        await self._until(lambda: self._acked(last), ACK_POLL)
        acked = time.monotonic()
        ids = {event.id for event in events}
        await self._until(lambda: self._arrived(ids), ARRIVAL_POLL)
        arrivals = await self._arrivals()
        completed = max(arrivals[event_id] for event_id in ids)
        cpu = CpuSample.take(self.server_pid, self.receiver.pid) - cpu_before
        return Sustained(count, acked - began, completed - began, cpu)

    async def latency(self, tag: str, count: int, rate: float) -> list[float]:
        appended: dict[str, float] = {}
        for index in range(count):
            event = _event(tag, index)
            appended[event.id] = time.monotonic()
            await self.log.append([event])
            await asyncio.sleep(max(0.0, appended[event.id] + 1 / rate - time.monotonic()))
        await self._until(lambda: self._arrived(set(appended)), ARRIVAL_POLL)
        arrivals = await self._arrivals()
        return [arrivals[event_id] - at for event_id, at in appended.items()]

    async def _sequence_of_last(self) -> int:
        async with self.database.sessions() as session:
            return int(await session.scalar(select(func.max(EventRow.sequence))) or 0)

    async def _acked(self, sequence: int) -> bool:
        async with self.database.sessions() as session:
            offset = await session.get(ConsumerOffsetRow, (DEFAULT_WORKSPACE, ROUTER))
            return offset is not None and offset.sequence >= sequence

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
            await stack.enter_async_context(running(sql_router(database, client, task_queue=QUEUE)))
            await _publish(database, _journey(receiver.url()))
            http = await stack.enter_async_context(httpx.AsyncClient())
            bench = Bench(database, SqlEventLog(database), receiver, server.pid, http)
            tag = uuid.uuid4().hex[:6]
            await bench.sustained(f"{tag}-warm", 50)
            rounds = [await bench.sustained(f"{tag}-load{n}", args.events) for n in range(args.rounds)]
            latencies = await bench.latency(f"{tag}-probe", args.probe, args.rate)
            return rounds, latencies


def report(rounds: list[Sustained], latencies: list[float], args: argparse.Namespace) -> None:
    cpus = os.cpu_count() or 1
    print(
        f"router: event trigger -> webhook -> end, on the embedded stack in one process (dev server on "
        f"SQLite WAL, worker, router over the SQL log), {cpus} CPUs"
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
        f"append to first action, {len(latencies)} events one at a time at {args.rate:g}/s: "
        f"p50 {_ms(latencies, 0.5)} ms, p99 {_ms(latencies, 0.99)} ms"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.router_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000, help="events per sustained round (1000)")
    parser.add_argument("--rounds", type=int, default=2, help="sustained rounds (2)")
    parser.add_argument("--probe", type=int, default=100, help="events for the latency probe (100)")
    parser.add_argument("--rate", type=float, default=10.0, help="events/s during the probe (10)")
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
