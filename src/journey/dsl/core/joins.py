"""``join``: merging the branches of a ``parallel`` again.

A token that reaches a join waits for the other live tokens of its innermost fork (the last
parallel it came through, nested parallels included). Mode ``all`` releases once every live
token of that fork stands at a join; branches that ended elsewhere no longer count, so a
branch that stopped at an ``end`` never blocks the join. Mode ``any`` releases on the first
arrival and cancels the fork's other tokens with everything they were waiting for. A token
that came through no parallel passes straight through. The join enters the path once, when
it releases, and continues as one token outside the fork.
"""

from journey.dsl.nodes.join import JoinConfig

from .machine import Machine
from .state import JoinWait, Token


def arrive(machine: Machine, token: Token) -> None:
    if not token.forks:
        token.step = machine.open_step(token.node_id, "running", machine.iteration(token.loops))
        _continue(machine, token)
        return
    fork = token.forks[-1]
    key = f"{token.node_id}|{fork}"
    wait = machine.state.joins.get(key)
    if wait is None:
        step = machine.open_step(token.node_id, "waiting", machine.iteration(token.loops))
        wait = machine.state.joins[key] = JoinWait(node_id=token.node_id, fork=fork, tokens=[], step=step)
    wait.tokens.append(token.id)
    token.status, token.step = "join", wait.step
    if machine.config(token, JoinConfig).mode == "any":
        _cancel_siblings(machine, token, fork)
        _release(machine, key)
    else:
        release_ready(machine, fork)


def release_ready(machine: Machine, fork: str) -> None:
    """Release the joins of ``fork`` if every live token of it has arrived at one."""
    live = machine.tokens_in(fork)
    if not all(token.status == "join" and token.forks[-1] == fork for token in live):
        return
    for key in [key for key, wait in machine.state.joins.items() if wait.fork == fork]:
        _release(machine, key)


def _release(machine: Machine, key: str) -> None:
    wait = machine.state.joins.pop(key)
    first, *others = (machine.state.tokens[token_id] for token_id in wait.tokens)
    for other in others:
        del machine.state.tokens[other.id]
    first.forks = first.forks[:-1]
    _continue(machine, first)


def _continue(machine: Machine, token: Token) -> None:
    machine.visit(token.node_id)
    machine.state.path.append(token.node_id)
    machine.complete(token, None)


def _cancel_siblings(machine: Machine, winner: Token, fork: str) -> None:
    for token in machine.tokens_in(fork):
        if token.id != winner.id:
            machine.cancel_token(token)
    live = machine.state.tokens
    for key, wait in list(machine.state.joins.items()):
        if not all(token_id in live for token_id in wait.tokens):
            machine.finish_step(wait.step, "cancelled")
            del machine.state.joins[key]
