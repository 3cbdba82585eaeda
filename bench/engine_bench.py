"""Journeys per second on the embedded stack, against the same work written by hand for Temporal.

One real Temporal dev server (``temporal server start-dev`` on a SQLite file with WAL pragmas,
started by ``DevServer`` as ``journey up`` does), one migrated SQLite Journey database and one
loopback HTTP receiver (a child process, so it takes no CPU from the worker's interpreter). On
them, with both workers running in this process:

- ``journey``: the 5-node journey (manual trigger, condition, update_attributes, webhook, end)
  started with ``start_run`` and run by the real worker of ``journey_worker`` (the generic
  workflow outside the sandbox, local activities,
  the run index written in batches);
- ``hand-written``: ``engine_handwritten.HandwrittenJourney``, the condition in workflow code and
  two regular activities (``UserStore.apply``, an httpx POST), default worker and sandbox.

Each system gets a warm-up; then ``--runs`` runs per system, split into ``--rounds`` batches
that alternate between the systems (ABBA, so a change of load on a shared machine hits both),
each batch started at once with at most ``--concurrency`` in flight: wall time, runs/s, p50/p99
from just before the start call to the result. Then ``--probe`` runs one at a time (latency
without queueing). "First action" is the time from just before the start call until the
receiver had the webhook request (one monotonic clock: same machine). The CPU columns say where
the CPU went during the loaded batches (this process, the server, the receiver) and how much of
the machine other processes took meanwhile.

``python -m bench engine`` runs it with the defaults; ``python -m bench.engine_bench --runs 500
--concurrency 100`` takes options (``--only journey`` to profile one system). The measurement
always runs in an interpreter of its own that ends with ``os._exit``: a process that ran a
Temporal worker can abort at interpreter exit (sdk-python issue 300), which would also stop the
benchmarks that the runner has yet to run.
"""

import argparse
import asyncio
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from temporalio import activity
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from bench.engine_handwritten import (
    UPDATE_ACTIVITY,
    WEBHOOK_ACTIVITY,
    HandwrittenInput,
    HandwrittenJourney,
)
from journey.dsl.document import Journey
from journey.engine.client import connect
from journey.engine.devserver import DevServer
from journey.engine.payloads import RunSnapshot
from journey.engine.runs import manual_trigger, start_run
from journey.engine.worker import journey_worker
from journey.settings import Settings
from journey.store.database import Database
from journey.store.migrate import upgrade
from journey.store.users import UserStore

ROOT = Path(__file__).resolve().parents[1]
JOURNEY_QUEUE = "journey-bench"
HANDWRITTEN_QUEUE = "handwritten-bench"
JOURNEY_KEY = "bench-five-nodes"
EXPECTED_PATH = ["start", "check", "bump", "hook", "done"]
HOOK_PATH = "/hook"
WARMUP_RUNS = 20
RESULT_TIMEOUT = 120.0

Launch = Callable[[str, int], Awaitable[WorkflowHandle[Any, Any]]]
Check = Callable[[Any], bool]


# --- the two systems under test ---------------------------------------------------------------


def five_node_journey(webhook_url: str) -> Journey:
    """Trigger (manual), condition, update_attributes, webhook to the receiver, end."""
    nodes: list[dict[str, Any]] = [
        {"id": "start", "type": "trigger", "config": {"kind": "manual"}},
        {"id": "check", "type": "condition", "config": {"expression": "input.cart_total >= 50"}},
        {
            "id": "bump",
            "type": "update_attributes",
            "config": {"set": {"last_cart": "{{ input.cart }}"}, "increment": {"carts": 1}},
        },
        {
            "id": "hook",
            "type": "webhook",
            "config": {
                "url": webhook_url,
                "body": {"run": "{{ input.run }}", "user": "{{ user.id }}", "cart": "{{ input.cart }}"},
            },
        },
        {"id": "done", "type": "end", "config": {}},
    ]
    edges = [
        {"source": "start", "target": "check"},
        {"source": "check", "target": "bump", "branch": "true"},
        {"source": "check", "target": "done", "branch": "false"},
        {"source": "bump", "target": "hook"},
        {"source": "hook", "target": "done"},
    ]
    return Journey.model_validate({"key": JOURNEY_KEY, "name": "Benchmark", "nodes": nodes, "edges": edges})


class HandwrittenActivities:
    """The hand-written workflow's two regular activities, on the same store and HTTP stack."""

    def __init__(self, users: UserStore, http: httpx.AsyncClient) -> None:
        self._users = users
        self._http = http

    @activity.defn(name=UPDATE_ACTIVITY)
    async def update_attributes(self, user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        written = await self._users.apply(user_id, set=changes["set"], increment=changes["increment"])
        return written.attributes

    @activity.defn(name=WEBHOOK_ACTIVITY)
    async def post_webhook(self, url: str, body: dict[str, Any]) -> int:
        response = await self._http.post(url, json=body, timeout=10.0)
        response.raise_for_status()
        return response.status_code


# --- the receiver (a child process) --------------------------------------------------------------


def _serve_receiver() -> None:
    """Child mode: answer every POST 200 and note when each run's webhook arrived.

    ``GET /times`` returns ``{run: monotonic seconds}``. Prints its port on stdout, exits when
    its stdin closes (the parent ended, however it ended).
    """
    import uvicorn

    arrivals: dict[str, float] = {}

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["method"] == "POST":
            arrived = time.monotonic()
            run = json.loads(body).get("run")
            if isinstance(run, str):
                arrivals[run] = arrived
            payload = b'{"ok":true}'
        else:
            payload = json.dumps(arrivals).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_config=None, access_log=False, backlog=1024)
    server = uvicorn.Server(config)

    def exit_with_parent() -> None:
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    print(listener.getsockname()[1], flush=True)
    server.run(sockets=[listener])


class Receiver:
    def __init__(self) -> None:
        self._process: asyncio.subprocess.Process | None = None
        self.port = 0

    async def __aenter__(self) -> "Receiver":
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.engine_bench",
            "--serve-receiver",
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), 30)
        if not line.strip():
            raise RuntimeError("the webhook receiver did not start")
        self.port = int(line)
        return self

    async def __aexit__(self, *_: object) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 5)
        except TimeoutError:
            process.kill()
            await process.wait()

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{HOOK_PATH}"

    async def arrivals(self) -> dict[str, float]:
        async with httpx.AsyncClient() as http:
            response = await http.get(f"http://127.0.0.1:{self.port}/times")
        times: dict[str, float] = response.json()
        return times


# --- measuring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds so far: this process, the server, the receiver, and the whole machine busy."""

    python: float
    server: float
    receiver: float
    machine: float

    @classmethod
    def take(cls, server_pid: int, receiver_pid: int) -> "CpuSample":
        return cls(time.process_time(), _cpu_seconds(server_pid), _cpu_seconds(receiver_pid), _machine_busy())

    def __sub__(self, other: "CpuSample") -> "CpuSample":
        return CpuSample(
            self.python - other.python,
            self.server - other.server,
            self.receiver - other.receiver,
            self.machine - other.machine,
        )

    def __add__(self, other: "CpuSample") -> "CpuSample":
        return CpuSample(
            self.python + other.python,
            self.server + other.server,
            self.receiver + other.receiver,
            self.machine + other.machine,
        )

    @property
    def others(self) -> float:
        """What processes outside the benchmark used of the machine meanwhile."""
        return max(0.0, self.machine - self.python - self.server - self.receiver)


@dataclass(frozen=True)
class Batch:
    runs: int
    wall: float
    latencies: list[float]
    first_action: list[float]
    failures: list[str]
    cpu: CpuSample

    @property
    def per_second(self) -> float:
        return self.runs / self.wall

    def __add__(self, other: "Batch") -> "Batch":
        return Batch(
            self.runs + other.runs,
            self.wall + other.wall,
            self.latencies + other.latencies,
            self.first_action + other.first_action,
            self.failures + other.failures,
            self.cpu + other.cpu,
        )


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy() -> float:
    """CPU seconds all CPUs of the machine spent not idle so far (``/proc/stat``)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class System:
    """One system under test: how to start one run, and whether its result is right."""

    name: str
    launch: Launch
    check: Check


@dataclass
class Bench:
    receiver: Receiver
    server_pid: int

    async def drive(self, system: System, prefix: str, count: int, concurrency: int) -> Batch:
        """Start ``count`` runs with at most ``concurrency`` in flight; time each to its result."""
        gate = asyncio.Semaphore(concurrency)
        started: dict[str, float] = {}
        latencies: list[float] = []
        failures: list[str] = []

        async def one(index: int) -> None:
            key = f"{prefix}-{index}"
            async with gate:
                begun = time.monotonic()
                started[key] = begun
                try:
                    handle = await system.launch(key, index)
                    outcome = await asyncio.wait_for(handle.result(), RESULT_TIMEOUT)
                except Exception as error:
                    failures.append(f"{key}: {type(error).__name__}: {error}")
                    return
                latencies.append(time.monotonic() - begun)
                if not system.check(outcome):
                    failures.append(f"{key}: unexpected result {outcome!r}"[:300])

        cpu_before = CpuSample.take(self.server_pid, self.receiver.pid)
        begin = time.monotonic()
        await asyncio.gather(*(one(index) for index in range(count)))
        wall = time.monotonic() - begin
        cpu = CpuSample.take(self.server_pid, self.receiver.pid) - cpu_before
        arrivals = await self.receiver.arrivals()
        first_action = [arrivals[key] - begun for key, begun in started.items() if key in arrivals]
        return Batch(count, wall, latencies, first_action, failures, cpu)


@dataclass(frozen=True)
class SystemResult:
    name: str
    loaded: Batch
    probe: Batch


async def _compare(bench: Bench, systems: list[System], args: argparse.Namespace) -> list[SystemResult]:
    """Warm every system up, run the loaded batches in alternating order (ABBA...), then probes."""
    tag = uuid.uuid4().hex[:6]
    for system in systems:
        warm = await bench.drive(system, f"{system.name}-{tag}-warm", WARMUP_RUNS, 10)
        if warm.failures:
            raise RuntimeError(f"{system.name} failed during the warm-up: {warm.failures[0]}")
    loaded: dict[str, list[Batch]] = {system.name: [] for system in systems}
    rounds = max(1, min(args.rounds, args.runs))
    for number in range(rounds):
        count = args.runs // rounds + (1 if number < args.runs % rounds else 0)
        order = systems if number % 2 == 0 else systems[::-1]
        for system in order:
            prefix = f"{system.name}-{tag}-load{number}"
            loaded[system.name].append(await bench.drive(system, prefix, count, args.concurrency))
    results = []
    for system in systems:
        probe = await bench.drive(system, f"{system.name}-{tag}-probe", args.probe, 1)
        batches = loaded[system.name]
        total = batches[0]
        for batch in batches[1:]:
            total = total + batch
        results.append(SystemResult(system.name, total, probe))
    return results


def _journey_system(client: Client, webhook_url: str) -> System:
    journey = five_node_journey(webhook_url)

    async def launch(key: str, index: int) -> WorkflowHandle[Any, Any]:
        return await start_run(
            client,
            task_queue=JOURNEY_QUEUE,
            journey=journey,
            version=1,
            user_id=f"journey-{key}",
            trigger=manual_trigger({"run": key, "cart": f"cart-{index}", "cart_total": 80}),
        )

    def check(outcome: Any) -> bool:
        return (
            isinstance(outcome, RunSnapshot)
            and outcome.status == "completed"
            and outcome.path == EXPECTED_PATH
        )

    return System("journey", launch, check)


def _handwritten_system(client: Client, webhook_url: str) -> System:
    async def launch(key: str, index: int) -> WorkflowHandle[Any, Any]:
        job = HandwrittenInput(
            run=key,
            user_id=f"handwritten-{key}",
            cart=f"cart-{index}",
            cart_total=80,
            webhook_url=webhook_url,
        )
        return await client.start_workflow(
            HandwrittenJourney.run, job, id=f"handwritten/{key}", task_queue=HANDWRITTEN_QUEUE
        )

    def check(outcome: Any) -> bool:
        return isinstance(outcome, str) and outcome == "sent"

    return System("hand-written", launch, check)


async def _run_worker(stack: AsyncExitStack, worker: Worker) -> None:
    """Run ``worker`` until the stack unwinds."""
    task = asyncio.create_task(worker.run())

    async def stop() -> None:
        await worker.shutdown()
        await asyncio.gather(task, return_exceptions=True)

    stack.push_async_callback(stop)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def measure(args: argparse.Namespace) -> list[SystemResult]:
    """Start the stack and both workers, then measure both systems on the same server."""
    with tempfile.TemporaryDirectory(prefix="journey-engine-bench-") as data_dir:
        settings = Settings(
            data_dir=Path(data_dir),
            temporal_port=_free_port(),
            temporal_ui_port=_free_port(),
            temporal_task_queue=JOURNEY_QUEUE,
        )
        await upgrade(settings.resolved_database_url)
        async with AsyncExitStack() as stack:
            receiver = await stack.enter_async_context(Receiver())
            database = await stack.enter_async_context(Database.connect(settings.resolved_database_url))
            server = await stack.enter_async_context(DevServer(settings))
            assert server.pid is not None
            systems: list[System] = []
            if args.only in (None, "journey"):
                journey_client = await connect(settings, server.address)
                worker = await stack.enter_async_context(journey_worker(journey_client, settings, database))
                await _run_worker(stack, worker)
                systems.append(_journey_system(journey_client, receiver.url()))
            if args.only in (None, "hand-written"):
                plain_client = await Client.connect(server.address, namespace=settings.temporal_namespace)
                http = await stack.enter_async_context(
                    httpx.AsyncClient(limits=httpx.Limits(max_connections=100))
                )
                activities = HandwrittenActivities(UserStore(database), http)
                worker = Worker(
                    plain_client,
                    task_queue=HANDWRITTEN_QUEUE,
                    workflows=[HandwrittenJourney],
                    activities=[activities.update_attributes, activities.post_webhook],
                )
                await _run_worker(stack, worker)
                systems.append(_handwritten_system(plain_client, receiver.url()))
            return await _compare(Bench(receiver, server.pid), systems, args)


# --- reporting -----------------------------------------------------------------------------------


def _ms(values: Sequence[float], quantile: float) -> str:
    """The nearest-rank quantile of ``values`` (seconds) in whole milliseconds."""
    if not values:
        return "-"
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(quantile * len(ordered)) - 1))
    return f"{ordered[index] * 1000:.0f}"


def report(results: list[SystemResult], args: argparse.Namespace) -> int:
    cpus = os.cpu_count() or 1
    print(
        f"engine: 5-node journey (manual trigger, condition, update_attributes, webhook, end) on one "
        f"Temporal dev server (SQLite, WAL), {cpus} CPUs; {args.runs} runs per system in "
        f"{max(1, min(args.rounds, args.runs))} alternating batches, at most {args.concurrency} in flight"
    )
    print(
        f"{'system':<13}{'runs':>6}{'wall s':>8}{'runs/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'1st action':>11}"
        f"{'python':>9}{'server':>9}{'receiver':>9}{'others':>9}"
    )
    print(f"{'':<13}{'':>6}{'':>8}{'':>8}{'':>8}{'':>8}{'p50 ms':>11}{'CPU ms/run':>27}{'machine':>9}")
    for result in results:
        batch = result.loaded
        cpu = batch.cpu
        others = cpu.others / (batch.wall * cpus) * 100
        print(
            f"{result.name:<13}{batch.runs:>6}{batch.wall:>8.2f}{batch.per_second:>8.1f}"
            f"{_ms(batch.latencies, 0.5):>8}{_ms(batch.latencies, 0.99):>8}{_ms(batch.first_action, 0.5):>11}"
            f"{cpu.python / batch.runs * 1000:>9.1f}{cpu.server / batch.runs * 1000:>9.1f}"
            f"{cpu.receiver / batch.runs * 1000:>9.1f}{others:>8.0f}%"
        )
    if len(results) == 2:
        ours, handwritten = results
        ratio = ours.loaded.per_second / handwritten.loaded.per_second
        print(f"throughput ratio journey / hand-written: {ratio:.2f} (goal: at least 1.5)")
    print(
        "CPU ms/run: CPU time of this Python process (client and worker), of the Temporal server and of the\n"
        "receiver during the loaded batches, per run; others: share of the machine that processes outside\n"
        "the benchmark used meanwhile (a busy machine lowers runs/s)"
    )
    for result in results:
        probe = result.probe
        print(
            f"one at a time ({probe.runs} runs), {result.name}: start to completion p50 "
            f"{_ms(probe.latencies, 0.5)} ms, start to first action p50 {_ms(probe.first_action, 0.5)} ms"
        )
    failures = [
        failure for result in results for failure in (*result.loaded.failures, *result.probe.failures)
    ]
    for failure in failures[:5]:
        print(f"FAILED {failure}")
    if failures:
        print(f"{len(failures)} runs failed")
        return 1
    return 0


# --- entry points --------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.engine_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300, help="runs per system under load (300)")
    parser.add_argument("--concurrency", type=int, default=50, help="runs in flight at most (50)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating batches the runs are split in (2)")
    parser.add_argument("--probe", type=int, default=20, help="runs one at a time after the batches (20)")
    parser.add_argument(
        "--only", choices=("journey", "hand-written"), help="measure one system (to profile it)"
    )
    parser.add_argument("--serve-receiver", action="store_true", help=argparse.SUPPRESS)
    return parser


def run_here(argv: Sequence[str]) -> None:
    """Measure in this interpreter, print, and leave with ``os._exit`` (never returns)."""
    args = _parser().parse_args(argv)
    if args.serve_receiver:
        _serve_receiver()
        os._exit(0)
    code = 1
    try:
        code = report(asyncio.run(measure(args)), args)
    except BaseException:
        traceback.print_exc()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """For ``python -m bench engine``: measure in a child interpreter (see the module docstring)."""
    sys.stdout.flush()
    command = [sys.executable, "-m", "bench.engine_bench", *(argv or [])]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    run_here(sys.argv[1:])
