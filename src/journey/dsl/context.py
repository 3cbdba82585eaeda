"""The one context that CEL expressions and templates both see (``docs/dsl.md``).

``secrets`` is offered to templates only: CEL never sees it, so a condition cannot leak a
secret into a branch decision or an output.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import JsonValue


def run_context(
    *,
    trigger: Mapping[str, Any],
    user: Mapping[str, Any] | None,
    nodes: Mapping[str, JsonValue],
    journey_key: str,
    journey_version: int | None,
    run_id: str,
    now: datetime,
    event: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The CEL context of a run at one moment; ``event`` is set while testing a filter."""
    context: dict[str, Any] = {
        "trigger": dict(trigger),
        "input": dict(trigger.get("properties") or {}),
        "user": dict(user or {}),
        "nodes": dict(nodes),
        "journey": {"key": journey_key, "version": journey_version},
        "run": {"id": run_id},
        "now": now,
    }
    if event is not None:
        context["event"] = dict(event)
    return context


def template_context(
    cel_context: Mapping[str, Any], secrets: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The template context: the CEL context plus ``secrets``."""
    context = dict(cel_context)
    context["secrets"] = dict(secrets or {})
    return context
