"""Workflow ids and start policies derived from a journey's ``reentry`` setting.

The workflow id is deterministic from the journey, the user and the trigger key, so Temporal's
own id policies enforce re-entry and a repeated start (a redelivered event) starts nothing twice.
The run id is ours: unique per run, URL-safe, and also deterministic when the start comes from an
event, for the same reason.
"""

import hashlib
import uuid
from dataclasses import dataclass

from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

_RUN_NAMESPACE = uuid.UUID("6f1d3c2a-4b7e-4f0a-9c1d-2e5b8a7f9d10")


@dataclass(frozen=True)
class StartPolicy:
    workflow_id: str
    reuse: WorkflowIDReusePolicy
    conflict: WorkflowIDConflictPolicy


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def start_policy(
    *, journey_key: str, reentry: str, user_id: str | None, trigger_key: str | None, run_id: str
) -> StartPolicy:
    """The workflow id and id policies that make Temporal enforce ``reentry``.

    ``when_not_active``: one run per user (and trigger key) at a time. ``once``: a closed run
    of the same id blocks a new one too, for as long as Temporal retains it. ``always``: every
    run has an id of its own.
    """
    if reentry == "always" or user_id is None:
        return StartPolicy(
            f"journey/{journey_key}/run/{run_id}",
            WorkflowIDReusePolicy.REJECT_DUPLICATE,
            WorkflowIDConflictPolicy.FAIL,
        )
    workflow_id = f"journey/{journey_key}/user/{_digest(user_id, trigger_key or '')}"
    reuse = (
        WorkflowIDReusePolicy.REJECT_DUPLICATE if reentry == "once" else WorkflowIDReusePolicy.ALLOW_DUPLICATE
    )
    return StartPolicy(workflow_id, reuse, WorkflowIDConflictPolicy.FAIL)


def new_run_id() -> str:
    """A fresh run id for a start through the API or the CLI."""
    return str(uuid.uuid4())


def event_run_id(event_id: str, journey_key: str, version: int) -> str:
    """The run id an event starts: the same event never yields two different runs."""
    return str(uuid.uuid5(_RUN_NAMESPACE, f"{event_id}/{journey_key}/{version}"))


def child_run_id(parent_run_id: str, command_id: str) -> str:
    """The run id of a subjourney: stable under replay of the parent."""
    return str(uuid.uuid5(_RUN_NAMESPACE, f"{parent_run_id}/{command_id}"))
