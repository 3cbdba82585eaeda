"""``delay`` and ``wait_for_event``: the nodes that make a run wait on the clock or an event.

A delay computes its wake-up time in the core, so the run and its simulation agree: a
``duration`` from now; an ``until`` datetime plus its ``offset`` (a time already past goes on
at once); or the next ``time_of_day`` strictly after now on an allowed weekday, in a time zone
(``journey.dsl.schedule``). ``until`` and ``timezone`` may be templates; those the driver
renders (``RenderTemplates``), since templates are never rendered in workflow code.
"""

from datetime import UTC, datetime
from typing import Literal

from journey.dsl.nodes.delay import DelayConfig
from journey.dsl.nodes.wait_for_event import WaitForEventConfig
from journey.dsl.schedule import next_time_of_day
from journey.dsl.templates import is_template

from . import events
from .machine import Machine, event_json
from .messages import RenderTemplates
from .state import Token


def delay(machine: Machine, token: Token) -> None:
    config = machine.config(token, DelayConfig)
    if config.duration is not None:
        _sleep_until(machine, token, machine.now + config.duration)
        return
    templates = {
        name: source
        for name, source in (("until", config.until), ("timezone", config.timezone))
        if source is not None and is_template(source) and _uses(config, name)
    }
    if not templates:
        wake_at(machine, token, {})
        return
    if not machine.user_ready(token, token.node_id in machine.program.user_templates):
        return
    command_id = machine.command_id(token, ":render")
    token.status = "render"
    machine.expect(command_id, "render", token)
    machine.issue(
        RenderTemplates(
            id=command_id, node_id=token.node_id, templates=templates, context=machine.json_context()
        )
    )


def wake_at(machine: Machine, token: Token, rendered: dict[str, str]) -> None:
    """Sleep until the delay's time, its templates now rendered."""
    config = machine.config(token, DelayConfig)
    try:
        if config.until is not None:
            until = _parse_datetime(rendered.get("until", config.until))
            if config.offset is not None:
                until += config.offset
        else:
            timezone = rendered.get("timezone", config.timezone).strip()
            until = next_time_of_day(machine.now, config.time_of_day or "", timezone, config.weekdays)
    except ValueError as error:
        machine.fail(token, f"{token.node_id}: {error}")
        return
    _sleep_until(machine, token, until)


def wait(machine: Machine, token: Token) -> None:
    """Take the oldest buffered event that matches, or wait for one until the timeout."""
    config = machine.config(token, WaitForEventConfig)
    buffered = [event for event in machine.state.event_buffer if event.name == config.event]
    if buffered and not machine.user_ready(token, machine.program.reads_user(config.filter)):
        return
    for event in buffered:
        try:
            matched = events.matches(machine, config.filter, event)
        except events.FilterFailed as error:
            machine.fail(token, f"{token.node_id}: {error}")
            return
        if matched:
            machine.state.event_buffer.remove(event)
            machine.complete(token, event_json(event), "event")
            return
    until = machine.now + config.timeout
    _wait_for(machine, token, until, "event")
    machine.start_timer(machine.command_id(token), until, token, "wait")


def _sleep_until(machine: Machine, token: Token, until: datetime) -> None:
    if until <= machine.now:
        machine.complete(token, None)
        return
    _wait_for(machine, token, until, "timer")
    machine.start_timer(machine.command_id(token), until, token, "delay")


def _wait_for(machine: Machine, token: Token, until: datetime, status: Literal["timer", "event"]) -> None:
    token.status = status
    step = machine.step_of(token)
    step.status, step.waiting_until = "waiting", until


def _uses(config: DelayConfig, name: str) -> bool:
    """``timezone`` only matters with ``time_of_day``; otherwise it is an unused default."""
    return name == "until" or config.time_of_day is not None


def _parse_datetime(text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"until gave {text!r}, not an ISO 8601 datetime") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
