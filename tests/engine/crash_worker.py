"""A journey worker in a process of its own, for tests that kill it (``python -m tests.engine.crash_worker``).

It imports everything, then waits for a line (or end of file) on stdin, so a test can hold a
replacement worker ready while it crashes the first one. It then reads its ``Settings`` from the
``JOURNEY_*`` environment, connects to ``127.0.0.1:JOURNEY_TEMPORAL_PORT`` (retrying while the
server starts, so both can start together), prints ``ready`` once its worker runs, and runs until
SIGTERM (a clean shutdown) or SIGKILL (the crash under test). The kernel kills it when the process
that started it dies, so a failed test leaves no worker behind. It leaves with ``os._exit`` (see
notes.md: a worker under ``asyncio.run`` can abort at interpreter exit).
"""

import asyncio
import ctypes
import os
import signal
import sys
import time

from temporalio.client import Client

from journey.engine.client import connect
from journey.engine.worker import journey_worker
from journey.settings import Settings
from journey.store.database import Database

_PR_SET_PDEATHSIG = 1
CONNECT_WITHIN = 60.0


def _die_with_parent() -> None:
    if sys.platform != "linux":
        return
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)


async def _connect(settings: Settings) -> Client:
    """Connect, retrying while the server is still starting."""
    address = settings.temporal_address or f"127.0.0.1:{settings.temporal_port}"
    deadline = time.monotonic() + CONNECT_WITHIN
    while True:
        try:
            return await connect(settings, address)
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


async def main() -> None:
    settings = Settings()
    client = await _connect(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    async with (
        Database.connect(settings.resolved_database_url) as database,
        journey_worker(client, settings, database) as worker,
    ):
        task = asyncio.create_task(worker.run())
        print("ready", flush=True)
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait([task, stopped], return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not task.done():
            await worker.shutdown()
        await task


if __name__ == "__main__":
    _die_with_parent()
    sys.stdin.readline()
    code = 0
    try:
        asyncio.run(main())
    except Exception as error:
        print(f"worker failed: {error!r}", file=sys.stderr, flush=True)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
