"""How each happening moves the run: the answer is matched to the command it answers.

An answer to a command the core no longer expects (its token was cancelled by a join, the
run was cancelled meanwhile) is ignored, so a driver never has to filter. An answer of the
wrong kind for a pending command is a driver bug and raises ``CoreError``.
"""

from . import actions, events, flow, waits
from .machine import Machine
from .messages import (
    ActionCompleted,
    ActionDeferred,
    ActionFailed,
    CancelRequested,
    EventReceived,
    Happening,
    SubjourneyFinished,
    TemplatesFailed,
    TemplatesRendered,
    TimerFired,
    UserLoaded,
)
from .state import PendingCommand, PendingKind, Token


def apply(machine: Machine, happening: Happening) -> None:
    match happening:
        case EventReceived(event=event):
            events.received(machine, event)
        case CancelRequested(reason=reason):
            machine.finish("cancelled", reason or "cancel requested")
        case UserLoaded():
            _user_loaded(machine, happening)
        case TimerFired():
            _timer_fired(machine, happening)
        case _:
            _answer(machine, happening)


def _answer(
    machine: Machine,
    happening: ActionCompleted
    | ActionFailed
    | ActionDeferred
    | TemplatesRendered
    | TemplatesFailed
    | SubjourneyFinished,
) -> None:
    kind: PendingKind = "action"
    if isinstance(happening, TemplatesRendered | TemplatesFailed):
        kind = "render"
    elif isinstance(happening, SubjourneyFinished):
        kind = "subjourney"
    answered = _settle(machine, happening.id, kind)
    if answered is None:
        return
    pending, token = answered
    match happening:
        case ActionCompleted():
            actions.completed(machine, token, happening)
        case ActionFailed():
            actions.failed(machine, token, happening)
        case ActionDeferred():
            actions.deferred(machine, token, pending, happening)
        case TemplatesRendered(values=values):
            waits.wake_at(machine, token, values)
        case TemplatesFailed(error=error):
            machine.fail(token, f"{token.node_id}: {error}")
        case SubjourneyFinished():
            flow.subjourney_finished(machine, token, happening)


def _timer_fired(machine: Machine, happening: TimerFired) -> None:
    pending = machine.answer(happening.id, "timer")
    if pending is None:
        return
    machine.user_went_stale()
    if pending.purpose == "max_duration":
        machine.finish("timed_out", "max_duration reached")
        return
    token = machine.token(pending.token)
    if token is None:
        return
    token.command = None
    match pending.purpose:
        case "delay":
            machine.complete(token, None)
        case "wait":
            machine.complete(token, None, "timeout")
        case "quiet":
            actions.resend(machine, token, pending)
        case "pause":
            token.status = "ready"
            machine.ready.append(token.id)


def _user_loaded(machine: Machine, happening: UserLoaded) -> None:
    if machine.answer(happening.id, "user") is None:
        return
    state = machine.state
    state.user_load = None
    machine.set_user(happening.attributes)
    deferred, state.deferred_events = state.deferred_events, []
    for event in deferred:
        events.handle(machine, event)
        if state.finished:
            return
    parked, state.awaiting_user = state.awaiting_user, []
    for token_id in parked:
        token = machine.token(token_id)
        if token is not None:
            machine.resume(token)


def _settle(machine: Machine, command_id: str, kind: PendingKind) -> tuple[PendingCommand, Token] | None:
    pending = machine.answer(command_id, kind)
    if pending is None:
        return None
    token = machine.token(pending.token)
    if token is None:
        return None
    token.command = None
    return pending, token
