"""Following a run from the outside: poll its ``snapshot`` query and print each step change."""

import asyncio
from typing import Any

from rich.console import Console
from temporalio.client import WorkflowHandle
from temporalio.service import RPCError

from journey.dsl.core.messages import FINAL_STATUSES, StepRecord
from journey.engine.payloads import RunSnapshot

POLL_SECONDS = 0.2


async def watch_run(handle: WorkflowHandle[Any, Any], console: Console) -> RunSnapshot:
    """Print steps as they change until the run ends; return its final snapshot."""
    printed: dict[tuple[str, int | None, int], str] = {}
    with console.status("starting...") as status:
        while True:
            snapshot = await _snapshot(handle)
            if snapshot is not None:
                for index, step in enumerate(snapshot.steps):
                    key = (step.node_id, step.iteration, index)
                    if printed.get(key) != step.status:
                        printed[key] = step.status
                        console.print(_describe(step), markup=False)
                if snapshot.status in FINAL_STATUSES:
                    return snapshot
                status.update(f"{snapshot.status}: {', '.join(snapshot.active_nodes) or '...'}")
            await asyncio.sleep(POLL_SECONDS)


async def _snapshot(handle: WorkflowHandle[Any, Any]) -> RunSnapshot | None:
    try:
        snapshot: RunSnapshot = await handle.query("snapshot", result_type=RunSnapshot)
    except RPCError:
        description = await handle.describe()
        if description.status is not None and description.status.name != "RUNNING":
            result: RunSnapshot = await handle.result()
            return result
        return None
    return snapshot


def _describe(step: StepRecord) -> str:
    parts = [f"{step.started_at:%H:%M:%S}", f"{step.node_id:<20}", step.status]
    if step.iteration is not None:
        parts.insert(2, f"#{step.iteration}")
    if step.waiting_until is not None and step.status == "waiting":
        parts.append(f"until {step.waiting_until:%Y-%m-%d %H:%M:%S %Z}")
    if step.error:
        parts.append(f"error: {step.error}")
    elif step.output is not None and step.status == "completed":
        parts.append(str(step.output)[:120])
    return "  ".join(parts)
