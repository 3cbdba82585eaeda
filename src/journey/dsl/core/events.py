"""Events of the run's user: ``exit_on`` rules, waiting tokens, and the buffer between them.

An event goes, in this order, to the exit rules (a match ends the run as ``exited``), then to
every token waiting for that name whose filter holds. An event no wait took is kept if some
``wait_for_event`` of the journey listens for its name, so a wait reached later still sees
it (the oldest first); the buffer keeps the most recent ``EVENT_BUFFER_SIZE``. Event ids
already seen (the trigger's included) are ignored, from a bounded memory of ids.

A filter that reads ``user`` needs a fresh user: the event is parked until ``UserLoaded``,
and events that come after it queue behind it, so events are always handled in order. A
filter that fails to evaluate (a missing field, a wrong type) fails the run, as any CEL does.
"""

from typing import Any

from journey.dsl.nodes.wait_for_event import WaitForEventConfig

from .machine import EVALUATION_ERRORS, Machine, event_json
from .messages import Event
from .state import Token

EVENT_BUFFER_SIZE = 100
SEEN_EVENT_IDS = 1_000


class FilterFailed(Exception):
    """A filter could not be evaluated against a candidate event."""


def received(machine: Machine, event: Event) -> None:
    state = machine.state
    if event.id in state.seen_events:
        return
    remember(machine, event.id)
    machine.user_went_stale()
    if state.deferred_events:
        state.deferred_events.append(event)
        return
    handle(machine, event)


def remember(machine: Machine, event_id: str) -> None:
    seen = machine.state.seen_events
    seen.append(event_id)
    if len(seen) > SEEN_EVENT_IDS:
        del seen[: len(seen) - SEEN_EVENT_IDS]


def handle(machine: Machine, event: Event) -> None:
    """Give ``event`` to the exit rules and the waits, or keep it for a later wait."""
    program, state = machine.program, machine.state
    rules = [rule for rule in program.journey.settings.exit_on if rule.event == event.name]
    waiting = [token for token in state.tokens.values() if _waits_for(machine, token, event.name)]
    filters = [rule.filter for rule in rules] + [_filter_of(machine, token) for token in waiting]
    if machine.user_needs_loading() and any(program.reads_user(source) for source in filters):
        state.deferred_events.append(event)
        machine.load_user()
        return
    for rule in rules:
        try:
            exits = matches(machine, rule.filter, event)
        except FilterFailed as error:
            machine.fail(None, f"exit_on {event.name}: {error}")
            return
        if exits:
            machine.finish("exited", f"exit_on {event.name}")
            return
    taken = False
    for token in waiting:
        try:
            taken = take(machine, token, event) or taken
        except FilterFailed as error:
            machine.fail(token, f"{token.node_id}: {error}")
            return
    if not taken and event.name in program.awaited_events:
        state.event_buffer.append(event)
        if len(state.event_buffer) > EVENT_BUFFER_SIZE:
            del state.event_buffer[0]


def take(machine: Machine, token: Token, event: Event) -> bool:
    """Complete the wait of ``token`` with ``event`` if its filter holds."""
    if not matches(machine, _filter_of(machine, token), event):
        return False
    if token.command is not None:
        machine.cancel_command(token.command)
    machine.complete(token, event_json(event), "event")
    return True


def matches(machine: Machine, source: str | None, event: Event) -> bool:
    if source is None:
        return True
    try:
        result: Any = machine.evaluate(source, event)
    except EVALUATION_ERRORS as error:
        raise FilterFailed(str(error)) from error
    if not isinstance(result, bool):
        raise FilterFailed(f"filter {source!r} gave {type(result).__name__}, not a boolean")
    return result


def _waits_for(machine: Machine, token: Token, name: str) -> bool:
    return token.status == "event" and machine.config(token, WaitForEventConfig).event == name


def _filter_of(machine: Machine, token: Token) -> str | None:
    return machine.config(token, WaitForEventConfig).filter
