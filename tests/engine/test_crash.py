"""A crash of the whole engine in the middle of 100 runs loses no run and repeats no action under a new key.

The dev server and a worker (a process of its own, ``tests.engine.crash_worker``) run 100 runs of
``trigger -> delay -> webhook -> end``. Once every run waits on its delay, both processes get
SIGKILL; they are started again on the same data dir and ports, and every run must then
complete. The HTTP receiver lives in this process and outlives the crash: it must have a request
from every run, and all requests of one run's node must carry one Idempotency-Key, distinct from
every other run's. A key seen more than once is a retry after a lost answer, which the key lets
the receiver drop; those repeats are allowed, counted and printed with the recovery times.
"""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle

from journey.dsl import Journey
from journey.engine.client import connect
from journey.engine.devserver import DevServer
from journey.engine.payloads import RunSnapshot
from journey.engine.runs import manual_trigger, start_run
from journey.settings import Settings
from journey.store.migrate import upgrade
from tests.support.http_receiver import HttpReceiver
from tests.support.ports import free_port

pytestmark = pytest.mark.integration

RUNS = 100
DELAY_SECONDS = 10
DELAY = f"PT{DELAY_SECONDS}S"
"""Long enough for 100 starts on a busy 2-core machine; the restart overlaps it."""
TASK_QUEUE = "journey-crash"
ROOT = Path(__file__).resolve().parents[2]

Handle = WorkflowHandle[Any, RunSnapshot]


def _journey(url: str) -> Journey:
    return Journey.model_validate(
        {
            "key": "crash",
            "name": "crash",
            "settings": {"reentry": "always"},
            "nodes": [
                {"id": "start", "type": "trigger", "config": {"kind": "manual"}},
                {"id": "nap", "type": "delay", "config": {"duration": DELAY}},
                {
                    "id": "hook",
                    "type": "webhook",
                    "config": {"url": url, "body": {"run": "{{ run.id }}", "node": "hook"}},
                },
                {"id": "done", "type": "end", "config": {}},
            ],
            "edges": [
                {"source": "start", "target": "nap"},
                {"source": "nap", "target": "hook"},
                {"source": "hook", "target": "done"},
            ],
        }
    )


def _settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        temporal_address=None,
        temporal_namespace="default",
        temporal_port=free_port(),
        temporal_ui_port=free_port(),
        temporal_task_queue=TASK_QUEUE,
    )


async def _until(check: Callable[[], Awaitable[bool]], *, within: float, what: str) -> None:
    """Poll ``check`` until it holds, or fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {within:g} s")
        await asyncio.sleep(0.1)


@asynccontextmanager
async def _worker_process(settings: Settings) -> AsyncIterator[asyncio.subprocess.Process]:
    """``python -m tests.engine.crash_worker`` on ``settings``, on standby until ``_go``.

    It retries connecting, so it may go before its server is up. Killed on exit if still alive.
    """
    env = {name: value for name, value in os.environ.items() if not name.startswith("JOURNEY_")}
    env.update(
        JOURNEY_DATA_DIR=str(settings.data_dir),
        JOURNEY_TEMPORAL_PORT=str(settings.temporal_port),
        JOURNEY_TEMPORAL_UI_PORT=str(settings.temporal_ui_port),
        JOURNEY_TEMPORAL_TASK_QUEUE=settings.temporal_task_queue,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.engine.crash_worker",
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def _go(process: asyncio.subprocess.Process) -> None:
    """Let a standby worker connect and run; return once it runs."""
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write(b"go\n")
    await process.stdin.drain()
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    assert line == b"ready\n", f"the worker did not start: {line!r}, exit code {process.returncode}"


async def _all_waiting_at(handles: list[Handle], node_id: str) -> bool:
    """Whether every run waits at ``node_id``; a run that cannot answer yet does not."""
    answers = await asyncio.gather(
        *(h.query("snapshot", result_type=RunSnapshot) for h in handles), return_exceptions=True
    )
    return all(
        isinstance(a, RunSnapshot) and a.status == "waiting" and a.active_nodes == [node_id] for a in answers
    )


async def _start_runs(client: Client, journey: Journey) -> list[Handle]:
    return list(
        await asyncio.gather(
            *(
                start_run(
                    client,
                    task_queue=TASK_QUEUE,
                    journey=journey,
                    version=1,
                    user_id=f"u{i}",
                    trigger=manual_trigger({"i": i}),
                )
                for i in range(RUNS)
            )
        )
    )


async def test_runs_survive_a_crash_of_the_worker_and_the_server(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    await upgrade(settings.resolved_database_url)
    path = f"/crash/{uuid.uuid4().hex[:10]}"
    with HttpReceiver() as receiver:
        async with AsyncExitStack() as stack:
            worker = await stack.enter_async_context(_worker_process(settings))
            server = DevServer(settings)
            stack.push_async_callback(server.stop)
            await server.start()
            await _go(worker)
            # A fresh process for after the crash, importing while the runs start.
            replacement = await stack.enter_async_context(_worker_process(settings))
            client = await connect(settings, server.address)
            began = time.monotonic()
            handles = await _start_runs(client, _journey(receiver.url(path)))
            await _until(
                lambda: _all_waiting_at(handles, "nap"), within=30, what=f"{RUNS} runs waiting on the delay"
            )
            waiting = time.monotonic()
            server_pid = server.pid
            assert server_pid is not None
            os.kill(worker.pid, signal.SIGKILL)
            os.kill(server_pid, signal.SIGKILL)
            crashed = time.monotonic()
            assert receiver.requests(path) == [], f"a delay of {DELAY} ended before the crash"
            assert await worker.wait() == -signal.SIGKILL
            await server.stop()

            server = await stack.enter_async_context(DevServer(settings))
            await _go(replacement)
            restarted = time.monotonic()
            client = await connect(settings, server.address)
            again: list[Handle] = [client.get_workflow_handle(h.id, result_type=RunSnapshot) for h in handles]
            results = await asyncio.wait_for(asyncio.gather(*(h.result() for h in again)), 60)
            recovered = time.monotonic()
            descriptions = await asyncio.gather(*(h.describe() for h in again))
            requests = receiver.requests(path)

    assert all(d.status == WorkflowExecutionStatus.COMPLETED for d in descriptions)
    assert [r.status for r in results] == ["completed"] * RUNS
    assert all(r.path == ["start", "nap", "hook", "done"] for r in results)

    keys: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    for request in requests:
        body = request.json()
        keys[body["run"], body["node"]].append(request.headers["idempotency-key"])
    assert {run for run, _node in keys} == {r.run_id for r in results}
    assert {node for _run, node in keys} == {"hook"}
    several = {run_node: set(seen) for run_node, seen in keys.items() if len(set(seen)) > 1}
    assert not several, f"runs' nodes that used more than one key: {several}"
    assert len({seen[0] for seen in keys.values()}) == RUNS, "two runs shared an idempotency key"
    duplicates = len(requests) - RUNS
    late = sorted(_lateness(result) for result in results)
    print(
        f"\n{RUNS} runs started and all waiting on the delay in {waiting - began:.1f} s; "
        f"server and worker back {restarted - crashed:.1f} s after the crash, all runs completed "
        f"{recovered - crashed:.1f} s after it; webhooks late by {late[RUNS // 2]:.1f} s (median), "
        f"{late[-1]:.1f} s (max); {duplicates} duplicate webhook requests (same key)"
    )


def _lateness(result: RunSnapshot) -> float:
    """Seconds between the end of the run's delay as drawn and the end of its webhook."""
    steps = {step.node_id: step for step in result.steps}
    due = steps["nap"].started_at + timedelta(seconds=DELAY_SECONDS)
    finished = steps["hook"].finished_at
    assert finished is not None
    return (finished - due).total_seconds()
