"""Requests per second and latency of the API as ``journey up`` serves it: one uvicorn process, SQLite.

The server is the real app (``create_app``) served by uvicorn in a child process on a loopback
ephemeral port, against a fresh, migrated SQLite data dir and no Temporal (neither endpoint
measured needs one). The load comes from this process: an httpx ``AsyncClient`` holding
``--connections`` keep-alive connections, each sending its next request as soon as the last is
answered (a closed loop), until ``--requests`` are answered or ``--seconds`` are up. Measured:

- ``POST /api/v1/events``, one event per request, each with a new id: a durable, committed write;
- ``POST /api/v1/validate``, a realistic 20-node journey (``validate_bench.build_journey``), the
  same document every time, as when the designer checks a draft while it is being edited.

Each endpoint is measured with one connection (latency without queueing) and with
``--connections`` (throughput), after a warm-up. The CPU columns say how much of a core the
server and this load generator used (a generator near 100% means the figure is its limit, not
the server's) and how much the machine's other processes took meanwhile (on a shared machine,
figures taken while others are busy are not comparable).

``python -m bench api`` runs the defaults (well under a minute); ``python -m bench.api_bench
--connections 64 --requests 20000 --seconds 30`` takes options.
"""

import argparse
import asyncio
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.validate_bench import build_journey

ROOT = Path(__file__).resolve().parents[1]
EVENTS = "/api/v1/events"
VALIDATE = "/api/v1/validate"
JOURNEY_NODES = 20
WARMUP_REQUESTS = 200
SINGLE_CONNECTION_SECONDS = 3.0
SERVER_START_TIMEOUT = 60.0
JSON_HEADERS = {"content-type": "application/json"}

Body = Callable[[int], bytes]
"""The body of the ``n``-th request."""


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    body: Body
    expected_status: int


@dataclass(frozen=True)
class Result:
    scenario: str
    connections: int
    answered: int
    failed: int
    seconds: float
    latencies: list[float]
    server_cpu: float
    client_cpu: float
    other_cpu: float

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def _event_body(run: str) -> Body:
    def body(n: int) -> bytes:
        event = {
            "id": f"{run}-{n}",
            "name": "order_completed",
            "user_id": f"user-{n % 1000}",
            "properties": {"order_id": f"o-{n}", "total": 42.5, "currency": "EUR", "items": 3},
        }
        return json.dumps(event).encode()

    return body


def _scenarios(run: str) -> list[Scenario]:
    journey = json.dumps(build_journey(JOURNEY_NODES)).encode()
    return [
        Scenario("POST /events (1 event)", EVENTS, _event_body(run), 202),
        Scenario(f"POST /validate ({JOURNEY_NODES}-node journey)", VALIDATE, lambda _n: journey, 200),
    ]


async def _drive(
    client: httpx.AsyncClient, scenario: Scenario, connections: int, count: int, seconds: float, server: int
) -> Result:
    numbers = itertools.count()
    latencies: list[float] = []
    failures: list[int] = []
    deadline = time.perf_counter() + seconds

    async def connection() -> None:
        for n in numbers:
            if n >= count or time.perf_counter() > deadline:
                return
            body = scenario.body(n)
            sent = time.perf_counter()
            response = await client.post(scenario.path, content=body, headers=JSON_HEADERS)
            latencies.append(time.perf_counter() - sent)
            if response.status_code != scenario.expected_status:
                failures.append(response.status_code)

    before = _CpuSample.take(server)
    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    used = _CpuSample.take(server) - before
    return Result(
        scenario=scenario.name,
        connections=connections,
        answered=len(latencies),
        failed=len(failures),
        seconds=elapsed,
        latencies=latencies,
        server_cpu=used.server / elapsed,
        client_cpu=used.client / elapsed,
        other_cpu=(used.machine - used.server - used.client) / elapsed,
    )


async def _measure(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="journey-api-bench-") as data_dir:
        server = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "bench.api_bench", "--serve", data_dir),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            assert server.stdout is not None
            line = await asyncio.wait_for(server.stdout.readline(), SERVER_START_TIMEOUT)
            if not line.strip():
                raise SystemExit("the API server did not start; its errors are above")
            await _run_scenarios(f"http://127.0.0.1:{int(line)}", server.pid, args)
        finally:
            server.terminate()
            await server.wait()


async def _run_scenarios(base_url: str, server: int, args: argparse.Namespace) -> None:
    limits = httpx.Limits(max_connections=args.connections, max_keepalive_connections=args.connections)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        results: list[Result] = []
        for scenario in _scenarios(run=f"bench-{os.getpid()}-{time.time_ns()}"):
            probe = await client.post(scenario.path, content=scenario.body(-1), headers=JSON_HEADERS)
            if probe.status_code == 404:
                print(f"{scenario.path} does not exist yet (404): not measured")
                continue
            warmup = Scenario(scenario.name, scenario.path, lambda n, s=scenario: s.body(-2 - n), 0)
            await _drive(client, warmup, args.connections, WARMUP_REQUESTS, args.seconds, server)
            results.append(
                await _drive(client, scenario, 1, args.requests, SINGLE_CONNECTION_SECONDS, server)
            )
            results.append(
                await _drive(client, scenario, args.connections, args.requests, args.seconds, server)
            )
    _print_table(results)


def _print_table(results: Sequence[Result]) -> None:
    print(f"API on loopback: one uvicorn process, SQLite, {os.cpu_count()} CPUs shared with the load")
    header = (
        f"{'endpoint':<34} {'conns':>5} {'requests':>8} {'failed':>6} {'req/s':>8}"
        f" {'p50 ms':>7} {'p99 ms':>7} {'server CPU':>10} {'client CPU':>10} {'others CPU':>10}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result.scenario:<34} {result.connections:>5} {result.answered:>8} {result.failed:>6}"
            f" {result.per_second:>8.0f} {result.percentile(0.5):>7.1f} {result.percentile(0.99):>7.1f}"
            f" {result.server_cpu:>10.0%} {result.client_cpu:>10.0%} {result.other_cpu:>10.0%}"
        )


@dataclass(frozen=True)
class _CpuSample:
    """CPU seconds used so far by the server, this process and the whole machine (Linux ``/proc``)."""

    server: float
    client: float
    machine: float

    @classmethod
    def take(cls, server: int) -> "_CpuSample":
        fields = Path(f"/proc/{server}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        busy = sum(ticks[:8]) - ticks[3] - ticks[4]
        per_second = os.sysconf("SC_CLK_TCK")
        return cls(
            server=(int(fields[11]) + int(fields[12])) / per_second,
            client=time.process_time(),
            machine=busy / per_second,
        )

    def __sub__(self, other: "_CpuSample") -> "_CpuSample":
        return _CpuSample(
            self.server - other.server, self.client - other.client, self.machine - other.machine
        )


def _serve(data_dir: Path) -> None:
    """Child mode: migrate a fresh database in ``data_dir`` and serve the API on it.

    Prints its port on stdout once it listens; exits when its stdin closes (the parent ended,
    however it ended).
    """
    import uvicorn

    from journey.api import ApiState, create_app
    from journey.settings import Settings
    from journey.store import Database, SqlEventLog, upgrade

    settings = Settings(data_dir=data_dir, database_url=None)  # SQLite, whatever the environment says

    async def serve() -> None:
        await upgrade(settings.resolved_database_url)
        async with Database.connect(settings.resolved_database_url) as database:
            state = ApiState(
                settings=settings, database=database, events=SqlEventLog(database), temporal=None
            )
            # IPPROTO_TCP said outright: asyncio turns Nagle off only on sockets that say it,
            # and with Nagle on every answer waits 40 ms for a delayed ACK.
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
            listener.bind(("127.0.0.1", 0))
            config = uvicorn.Config(
                create_app(state), lifespan="off", log_config=None, access_log=False, backlog=2048
            )
            print(listener.getsockname()[1], flush=True)
            await uvicorn.Server(config).serve(sockets=[listener])

    def exit_with_parent() -> None:
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    asyncio.run(serve())


def _arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.api_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default 16)")
    parser.add_argument("--requests", type=int, default=5_000, help="per endpoint and concurrency")
    parser.add_argument("--seconds", type=float, default=12.0, help="at most this long per measurement")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """For ``python -m bench api``: the defaults unless ``argv`` says otherwise."""
    args = _arguments(argv or [])
    if args.serve is not None:
        _serve(args.serve)
        return
    asyncio.run(_measure(args))


if __name__ == "__main__":
    main(sys.argv[1:])
