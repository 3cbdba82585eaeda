"""``journey up`` and ``journey run`` as a newcomer runs them: real processes, real dev server.

Each test gets its own data dir and ephemeral ports, so it never meets a stack already running
on the default ports. ``journey up`` is stopped with Ctrl-C (SIGINT), as a person stops it, and
must take its Temporal dev server down with it.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.journeys import linear_journey
from tests.support.ports import free_port

JOURNEY = Path(sys.executable).parent / "journey"
DEADLINE_S = 90


def _until(what: str, probe: Callable[[], Any], timeout: float = DEADLINE_S) -> Any:
    """Poll ``probe`` until it returns something truthy; fail naming ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def stack_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("JOURNEY_")}
    env.update(
        JOURNEY_DATA_DIR=str(tmp_path / "data"),
        JOURNEY_PORT=str(free_port()),
        JOURNEY_TEMPORAL_PORT=str(free_port()),
        JOURNEY_TEMPORAL_UI_PORT=str(free_port()),
        JOURNEY_LOG_LEVEL="warning",
    )
    return env


@pytest.fixture
def journey_up(stack_env: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    log = (tmp_path / "up.log").open("w+")
    process = subprocess.Popen(
        [str(JOURNEY), "up"], env=stack_env, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        log.close()


def test_up_serves_the_examples_routes_events_and_stops_everything_on_ctrl_c(
    journey_up: subprocess.Popen[str], stack_env: dict[str, str], tmp_path: Path
) -> None:
    api = httpx.Client(base_url=f"http://127.0.0.1:{stack_env['JOURNEY_PORT']}/api/v1", timeout=10)

    def healthy() -> bool:
        assert journey_up.poll() is None, (tmp_path / "up.log").read_text()
        try:
            return api.get("/health").status_code == 200
        except httpx.TransportError:
            return False

    _until("journey up to answer /health", healthy)
    journeys = {item["key"]: item for item in api.get("/journeys").json()["items"]}
    assert journeys["abandoned-cart"]["status"] == "active"

    cart = {"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}]}
    updated = {"name": "cart_updated", "user_id": "u1", "properties": cart}
    assert api.post("/events", json=updated).status_code == 202

    def waiting_run() -> dict[str, Any] | None:
        runs = api.get("/users/u1/runs").json()["items"]
        return next((run for run in runs if run["active_nodes"] == ["wait_order"]), None)

    run = _until("the cart run to wait for the order", waiting_run)
    order = {"name": "order_completed", "user_id": "u1", "properties": {"cart_id": "c1"}}
    assert api.post("/events", json=order).status_code == 202
    _until(
        "the run to complete on the order",
        lambda: api.get(f"/runs/{run['run_id']}").json()["status"] == "completed",
    )

    journey_up.send_signal(signal.SIGINT)
    assert journey_up.wait(timeout=60) in (0, 130)
    for port in ("JOURNEY_PORT", "JOURNEY_TEMPORAL_PORT"):
        _until(f"port {port} to close", lambda port=port: not _listening(int(stack_env[port])), timeout=30)
    banner = (tmp_path / "up.log").read_text()
    assert "Journey is up" in banner
    assert f"http://127.0.0.1:{stack_env['JOURNEY_PORT']}/api/docs" in banner


def test_run_wait_runs_a_journey_on_its_own_dev_server_and_prints_the_path(
    stack_env: dict[str, str], tmp_path: Path
) -> None:
    journey = linear_journey(
        "cli-run",
        [
            {"id": "hello", "type": "log", "config": {"message": "hello {{ trigger.properties.who }}"}},
            {"id": "done", "type": "end"},
        ],
    )
    path = tmp_path / "cli-run.json"
    path.write_text(json.dumps(journey))
    done = subprocess.run(
        [str(JOURNEY), "run", str(path), "--user", "u1", "--input", '{"who": "ada"}', "--wait"],
        env=stack_env,
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "completed" in done.stdout
    assert "path: start -> hello -> done" in done.stdout
    assert not _listening(int(stack_env["JOURNEY_TEMPORAL_PORT"]))


def test_run_without_a_server_says_how_to_start_one(stack_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "cli-run.json"
    path.write_text(json.dumps(linear_journey("cli-run", [{"id": "done", "type": "end"}])))
    done = subprocess.run(
        [str(JOURNEY), "run", str(path), "--user", "u1"],
        env=stack_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().endswith("start `journey up` first, or add --wait")
    assert "Traceback" not in done.stderr
