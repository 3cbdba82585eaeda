"""Action nodes (the registry's ``side_effects`` types): the core asks, the driver does.

The core never renders templates: ``RunAction`` carries the config as written and the run's
context, and the driver renders them inside the activity with the user read at that moment.
The idempotency key is the run id plus the command id of the first attempt, so retries,
replays and a resend after quiet hours all carry the same key.
"""

from pydantic import JsonValue

from .errors import CoreError
from .machine import Machine
from .messages import ActionCompleted, ActionDeferred, ActionFailed, RunAction
from .state import PendingCommand, Token


def run(machine: Machine, token: Token) -> None:
    node = machine.program.node(token.node_id)
    command_id = machine.command_id(token)
    quiet_hours = machine.program.journey.settings.quiet_hours
    action = RunAction(
        id=command_id,
        node_id=node.id,
        node_type=node.type,
        config=machine.program.configs[node.id],
        context=machine.json_context(),
        idempotency_key=f"{machine.state.run_id}:{command_id}",
        retry=node.effective_retry,
        timeout=node.timeout,
        quiet_hours=quiet_hours if node.spec.message(node.config) else None,
    )
    _issue(machine, token, action, deferrals=0)


def completed(machine: Machine, token: Token, happening: ActionCompleted) -> None:
    node = machine.program.node(token.node_id)
    if node.type == "update_attributes":
        _merge_into_user(machine, happening.output)
    else:
        machine.user_went_stale()
    machine.state.nodes[node.id] = happening.output
    machine.close_step(token, "completed", happening.output, attempts=happening.attempts)
    machine.follow(token)


def failed(machine: Machine, token: Token, happening: ActionFailed) -> None:
    machine.user_went_stale()
    node = machine.program.node(token.node_id)
    if node.on_error == "continue":
        output: JsonValue = {"error": happening.error}
        machine.state.nodes[node.id] = output
        machine.close_step(token, "failed", output, happening.error, happening.attempts)
        machine.follow(token)
        return
    machine.step_of(token).attempts = happening.attempts
    machine.fail(token, f"{node.id}: {happening.error}")


def deferred(machine: Machine, token: Token, pending: PendingCommand, happening: ActionDeferred) -> None:
    """Quiet hours: sleep until they end, then send the same action again."""
    machine.user_went_stale()
    deferrals = pending.deferrals + 1
    token.status = "deferred"
    step = machine.step_of(token)
    step.status, step.waiting_until = "waiting", happening.until
    machine.start_timer(
        machine.command_id(token, f":quiet-{deferrals}"),
        happening.until,
        token,
        "quiet",
        action=pending.action,
        deferrals=deferrals,
    )


def resend(machine: Machine, token: Token, pending: PendingCommand) -> None:
    if pending.action is None:
        raise CoreError(f"quiet-hours timer {pending.id!r} does not carry its action")
    machine.step_of(token).status = "running"
    action = pending.action.model_copy(
        update={"id": machine.command_id(token, f":resend-{pending.deferrals}")}
    )
    _issue(machine, token, action, pending.deferrals)


def _issue(machine: Machine, token: Token, action: RunAction, deferrals: int) -> None:
    token.status = "action"
    machine.expect(action.id, "action", token, action=action, deferrals=deferrals)
    machine.issue(action)


def _merge_into_user(machine: Machine, output: JsonValue) -> None:
    """Apply ``{"attributes": {...}, "removed": [...]}`` so later nodes see it without a reload."""
    if not isinstance(output, dict):
        return
    changed, removed = output.get("attributes"), output.get("removed")
    if isinstance(changed, dict):
        machine.state.user.update(changed)
    if isinstance(removed, list):
        for name in removed:
            if isinstance(name, str):
                machine.state.user.pop(name, None)
