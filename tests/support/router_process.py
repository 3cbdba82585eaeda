"""``journey router`` as a real child process (the console script), for the tests that kill it.

It gets the session's database and Temporal through ``JOURNEY_*`` variables (none of the test
process's own leak in), writes its logs to a file, and dies with the test process (Linux's
parent-death signal) so a failed test leaves no router behind.
"""

import asyncio
import ctypes
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from journey.settings import Settings

JOURNEY_CLI = Path(sys.executable).parent / "journey"
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child: the kernel kills the router if the test process dies first."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


@asynccontextmanager
async def router_process(
    settings: Settings, temporal_address: str, log: Path, **variables: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A running ``journey router`` on ``settings``' database and task queue, with ``variables``
    (``JOURNEY_KAFKA_BOOTSTRAP=...``) on top; killed on leaving if it still runs."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("JOURNEY_")}
    env.update(
        JOURNEY_DATA_DIR=str(settings.data_dir),
        JOURNEY_DATABASE_URL=settings.resolved_database_url,
        JOURNEY_TEMPORAL_ADDRESS=temporal_address,
        JOURNEY_TEMPORAL_TASK_QUEUE=settings.temporal_task_queue,
        JOURNEY_LOG_LEVEL="warning",
        **variables,
    )
    with log.open("ab") as output:
        process = await asyncio.create_subprocess_exec(
            str(JOURNEY_CLI),
            "router",
            env=env,
            stdout=output,
            stderr=output,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()
