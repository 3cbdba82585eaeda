"""Whether an event starts a route's journey, and under which run id and trigger key.

The filter sees the context a run would (``docs/dsl.md``): ``event`` and ``trigger`` are the
candidate event, ``input`` its properties, ``user`` the user's attributes when the filter or the
key reads them. The run id comes from the event, the journey and the version, so deciding again
for a redelivered event names the same run. A filter or key that fails on this event fails the
same way every time: ``TriggerFailed`` says why, and the router dead-letters it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import JsonValue

from journey.dsl.context import run_context
from journey.dsl.core.machine import EVALUATION_ERRORS
from journey.dsl.templates import TemplateError, render
from journey.engine.ids import event_run_id
from journey.events.routing_table import EventRoute


class TriggerFailed(Exception):
    """The route's filter or key could not be evaluated for this event."""


@dataclass(frozen=True)
class PlannedStart:
    route: EventRoute
    run_id: str
    trigger_key: str | None


def run_id_of(route: EventRoute, event_id: str) -> str:
    return event_run_id(event_id, route.key, route.version)


def decide(
    route: EventRoute, trigger: dict[str, JsonValue], user: dict[str, JsonValue] | None
) -> PlannedStart | None:
    """The start ``trigger`` (an event as JSON) asks of ``route``; None when the filter says no.

    ``user`` is at least ``{"id": ...}`` for an event of a user, with the attributes when
    ``route.reads_user``.
    """
    event_id = str(trigger["id"])
    run_id = run_id_of(route, event_id)
    context = run_context(
        trigger=trigger,
        user=user,
        nodes={},
        journey_key=route.key,
        journey_version=route.version,
        run_id=run_id,
        now=datetime.now(UTC),
        event=trigger,
    )
    if route.filter is not None:
        visible = {name: value for name, value in context.items() if name in route.filter.variables}
        try:
            result: Any = route.filter.evaluate(visible)
        except EVALUATION_ERRORS as error:
            raise TriggerFailed(f"filter {route.filter.source!r} failed: {error}") from error
        if not isinstance(result, bool):
            raise TriggerFailed(f"filter {route.filter.source!r} gave {type(result).__name__}, not a boolean")
        if not result:
            return None
    return PlannedStart(route, run_id, _trigger_key(route, context))


def _trigger_key(route: EventRoute, context: dict[str, Any]) -> str | None:
    template = route.trigger.key
    if template is None:
        return None
    context["now"] = context["now"].isoformat()
    try:
        return render(template, context)
    except TemplateError as error:
        raise TriggerFailed(f"key {template!r} did not render: {error.message}") from error
