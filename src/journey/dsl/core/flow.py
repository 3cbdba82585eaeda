"""What each node does when a token enters it; the heart of the interpreter.

Entering a node appends it to the path, counts the visit and opens its step record; then the
node's behaviour runs. Behaviours that need the outside world (actions, delays, waits,
subjourneys) issue a command and park the token; the others decide at once and move it on.
A ``join`` is the exception: it enters the path when it releases (see ``joins``).
"""

from dataclasses import dataclass
from typing import Any

from pydantic import JsonValue

from journey.dsl.nodes.end import EndConfig
from journey.dsl.nodes.loop import LoopConfig
from journey.dsl.nodes.subjourney import SubjourneyConfig

from . import actions, joins, waits
from .errors import CoreError
from .machine import EVALUATION_ERRORS, Machine, json_safe
from .messages import StartSubjourney, SubjourneyFinished
from .state import LoopFrame, Token


def enter(machine: Machine, token: Token) -> None:
    node = machine.program.node(token.node_id)
    if node.type == "join":
        joins.arrive(machine, token)
        return
    machine.visit(node.id)
    machine.state.path.append(node.id)
    token.step = machine.open_step(node.id, "running", machine.iteration(token.loops))
    execute(machine, token)


def execute(machine: Machine, token: Token) -> None:
    """Run the behaviour of the node ``token`` stands on (again, after a user load)."""
    node = machine.program.node(token.node_id)
    if node.spec.side_effects:
        actions.run(machine, token)
    elif node.spec.decide is not None:
        _decide(machine, token)
    elif node.type in _PRIMITIVES:
        _PRIMITIVES[node.type](machine, token)
    else:
        raise CoreError(f"node type {node.type!r} has no behaviour in the core")


@dataclass(frozen=True)
class _DecisionEnv:
    machine: Machine
    node_id: str
    user_id: str | None
    run_id: str

    def evaluate(self, expression: str) -> Any:
        return self.machine.evaluate(expression)


def _decide(machine: Machine, token: Token) -> None:
    node = machine.program.node(token.node_id)
    if not machine.user_ready(token, node.id in machine.program.user_expressions):
        return
    env = _DecisionEnv(machine, node.id, machine.state.user_id, machine.state.run_id)
    decide = node.spec.decide
    assert decide is not None
    try:
        decision = decide(node.config, env)
    except EVALUATION_ERRORS as error:
        machine.fail(token, f"{node.id}: {error}")
        return
    machine.complete(token, decision.output, decision.branch)


def _trigger(machine: Machine, token: Token) -> None:
    machine.complete(token, dict(machine.state.trigger))


def _parallel(machine: Machine, token: Token) -> None:
    """Each outgoing edge starts a token of a new fork; the arriving token is spent."""
    fork = machine.command_id(token)
    targets = machine.program.successors.get(token.node_id, ())
    machine.state.nodes[token.node_id] = None
    machine.close_step(token, "completed")
    if not targets:
        machine.end_token(token)
        return
    del machine.state.tokens[token.id]
    for target in targets:
        machine.new_token(target, [*token.forks, fork], list(token.loops))


def _loop(machine: Machine, token: Token) -> None:
    """Start or continue the loop this token stands on: ``body`` once more, or ``done``."""
    config = machine.config(token, LoopConfig)
    frame = machine.state.loops.get(token.loops[-1]) if token.loops else None
    if frame is None and token.loops and _frame_node(token.loops[-1]) == token.node_id:
        machine.end_token(token)  # another branch of this loop's body already finished it
        return
    fresh = frame is None or frame.node_id != token.node_id
    reads_user = machine.program.reads_user(config.while_) or (
        fresh and machine.program.reads_user(config.foreach)
    )
    if not machine.user_ready(token, reads_user):
        return
    try:
        if frame is None or fresh:
            frame = LoopFrame(
                id=machine.command_id(token), node_id=token.node_id, items=_items(machine, config)
            )
        more = _has_more(machine, config, frame)
    except EVALUATION_ERRORS as error:
        machine.fail(token, f"{token.node_id}: {error}")
        return
    if fresh:
        machine.state.loops[frame.id] = frame
        token.loops = [*token.loops, frame.id]
    index = frame.iterations
    step = machine.step_of(token)
    if more and index < config.max_iterations:
        frame.iterations += 1
        step.iteration = index
        output: dict[str, JsonValue] = {"index": index}
        if frame.items is not None:
            output = {"item": frame.items[index], "index": index}
        machine.complete(token, output, "body")
        return
    del machine.state.loops[frame.id]
    token.loops = token.loops[:-1]
    step.iteration = machine.iteration(token.loops)
    output = {"iterations": index}
    if more:
        output["stopped"] = "max_iterations"
    machine.complete(token, output, "done")


def _items(machine: Machine, config: LoopConfig) -> list[JsonValue] | None:
    if config.foreach is None:
        return None
    value = machine.evaluate(config.foreach)
    if not isinstance(value, list):
        raise TypeError(f"foreach gave {type(value).__name__}, not a list")
    return [json_safe(item) for item in value]


def _has_more(machine: Machine, config: LoopConfig, frame: LoopFrame) -> bool:
    if frame.items is not None:
        return frame.iterations < len(frame.items)
    result = machine.evaluate(config.while_ or "false")
    if not isinstance(result, bool):
        raise TypeError(f"while gave {type(result).__name__}, not a boolean")
    return result


def _frame_node(frame_id: str) -> str:
    return frame_id.rpartition(":")[0]


def _subjourney(machine: Machine, token: Token) -> None:
    config = machine.config(token, SubjourneyConfig)
    if not machine.user_ready(token, token.node_id in machine.program.user_templates):
        return
    command_id = machine.command_id(token)
    token.status = "subjourney"
    machine.expect(command_id, "subjourney", token)
    child_input = machine.program.configs[token.node_id].get("input")
    machine.issue(
        StartSubjourney(
            id=command_id,
            node_id=token.node_id,
            journey=config.journey,
            version=config.version,
            input=child_input if isinstance(child_input, dict) else {},
            context=machine.json_context(),
            wait=config.wait,
        )
    )


def subjourney_finished(machine: Machine, token: Token, happening: SubjourneyFinished) -> None:
    """The child ended (or, without ``wait``, started): go on, unless it did not complete."""
    machine.user_went_stale()
    config = machine.config(token, SubjourneyConfig)
    output: JsonValue = {"status": happening.status, "output": happening.output}
    if happening.status == "completed" or (happening.status == "started" and not config.wait):
        machine.complete(token, output)
        return
    machine.fail(token, f"{token.node_id}: subjourney {config.journey!r} ended {happening.status}", output)


def _end(machine: Machine, token: Token) -> None:
    config = machine.config(token, EndConfig)
    if config.status == "failed":
        machine.fail(token, config.reason or f"reached the failed end {token.node_id!r}")
        return
    machine.state.nodes[token.node_id] = None
    machine.close_step(token, "completed")
    machine.end_token(token)


_PRIMITIVES = {
    "trigger": _trigger,
    "delay": waits.delay,
    "wait_for_event": waits.wait,
    "parallel": _parallel,
    "loop": _loop,
    "subjourney": _subjourney,
    "end": _end,
}
