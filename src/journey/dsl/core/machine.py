"""The working set of one activation: the run's state, the commands issued so far, and the
tokens ready to move, with the operations every node behaviour shares.

A ``Machine`` lives for one call of ``start`` or ``advance``. It updates the state in place
(copying a long run's history on every happening would make a long run quadratic) and
collects commands in order; ``Finish`` is always the last one.
"""

from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from pydantic import BaseModel, JsonValue
from pydantic_core import to_jsonable_python

from journey.dsl.context import run_context
from journey.dsl.expressions import ExpressionError

from .errors import CoreError
from .messages import (
    CancelAction,
    CancelTimer,
    Command,
    Event,
    Finish,
    LoadUser,
    RunStatus,
    StartTimer,
    StepRecord,
    StepStatus,
)
from .program import Program
from .scope import scope_of
from .state import WAITING_TOKEN_STATUSES, PendingCommand, PendingKind, RunState, TimerPurpose, Token

ConfigT = TypeVar("ConfigT", bound=BaseModel)

EVALUATION_ERRORS: tuple[type[Exception], ...] = (
    ExpressionError,
    ArithmeticError,
    LookupError,
    TypeError,
    ValueError,
    RuntimeError,
)
"""What evaluating CEL (or a decision over it) may raise for a bad value; it fails the run."""

MAX_ENTRIES_PER_ACTIVATION = 1_000
"""Node entries per activation before the tokens pause on a short timer: a tight loop of flow
nodes must not keep a Temporal activation past its 2 s deadline."""
PAUSE = timedelta(seconds=1)


class Machine:
    def __init__(self, program: Program, state: RunState, at: datetime) -> None:
        self.program = program
        self.state = state
        self.now = at
        state.now = at
        self.commands: list[Command] = []
        self.ready: deque[str] = deque()
        self.orphaned_forks: list[str] = []
        """Forks that lost a token: a join waiting on them may be able to release."""
        self.entries = 0

    # --- counters and ids ------------------------------------------------------------------

    def next_number(self) -> int:
        self.state.sequence += 1
        return self.state.sequence

    def visit(self, node_id: str) -> None:
        """Count an entry of ``node_id``; its commands are numbered by this count."""
        self.state.visits[node_id] = self.state.visits.get(node_id, 0) + 1

    def command_id(self, token: Token, suffix: str = "") -> str:
        """``<node_id>:<visit>`` (plus a suffix): stable under replay, unique within the run."""
        return f"{token.node_id}:{self.state.visits.get(token.node_id, 0)}{suffix}"

    # --- tokens --------------------------------------------------------------------------------

    def token(self, token_id: str | None) -> Token | None:
        return None if token_id is None else self.state.tokens.get(token_id)

    def new_token(self, node_id: str, forks: list[str], loops: list[str]) -> Token:
        token = Token(id=f"t{self.next_number()}", node_id=node_id, forks=forks, loops=loops)
        self.state.tokens[token.id] = token
        self.ready.append(token.id)
        return token

    def move(self, token: Token, node_id: str) -> None:
        """Put ``token`` in front of ``node_id``: it enters it when its turn comes."""
        token.node_id, token.status, token.step, token.command = node_id, "ready", None, None
        self.ready.append(token.id)

    def resume(self, token: Token) -> None:
        """Run the node ``token`` already stands on again (after the user was loaded)."""
        token.status, token.command = "ready", None
        self.ready.append(token.id)

    def follow(self, token: Token, branch: str | None = None) -> None:
        """Leave the current node by ``branch``; no edge there ends the token's branch."""
        targets = self.program.targets(token.node_id, branch)
        if targets:
            self.move(token, targets[0])
        else:
            self.end_token(token)

    def end_token(self, token: Token) -> None:
        """The branch ended normally; joins waiting for it may now release."""
        del self.state.tokens[token.id]
        self.orphaned_forks.extend(fork for fork in token.forks if fork not in self.orphaned_forks)

    def cancel_token(self, token: Token) -> None:
        """Stop a token that another branch made pointless (join any, the run ending)."""
        if token.command is not None:
            self.cancel_command(token.command)
        if token.step is not None and token.status != "join":
            self.close_step(token, "cancelled")
        if token.id in self.state.awaiting_user:
            self.state.awaiting_user.remove(token.id)
        self.state.tokens.pop(token.id, None)

    # --- steps ---------------------------------------------------------------------------------

    def iteration(self, loops: list[str]) -> int | None:
        """The index of the innermost loop iteration these loop frames are in."""
        if not loops:
            return None
        frame = self.state.loops.get(loops[-1])
        return None if frame is None else frame.iterations - 1

    def open_step(self, node_id: str, status: StepStatus, iteration: int | None) -> int:
        record = StepRecord(node_id=node_id, status=status, started_at=self.now, iteration=iteration)
        self.state.steps.append(record)
        return len(self.state.steps) - 1

    def close_step(
        self,
        token: Token,
        status: StepStatus,
        output: JsonValue = None,
        error: str | None = None,
        attempts: int | None = None,
    ) -> None:
        if token.step is None:
            return
        self.finish_step(token.step, status, output, error, attempts)

    def finish_step(
        self,
        index: int,
        status: StepStatus,
        output: JsonValue = None,
        error: str | None = None,
        attempts: int | None = None,
    ) -> None:
        record = self.state.steps[index]
        record.status, record.finished_at = status, self.now
        record.output, record.error = output, error
        if attempts is not None:
            record.attempts = attempts

    def config(self, token: Token, model: type[ConfigT]) -> ConfigT:
        """The config of the node ``token`` stands on, as the model its type declares."""
        config = self.program.node(token.node_id).config
        if not isinstance(config, model):
            raise CoreError(f"node {token.node_id!r} has no {model.__name__}")
        return config

    def step_of(self, token: Token) -> StepRecord:
        if token.step is None:
            raise CoreError(f"token {token.id} on {token.node_id!r} has no step")
        return self.state.steps[token.step]

    def complete(self, token: Token, output: JsonValue, branch: str | None = None) -> None:
        """The node is done: record its output (``nodes.<id>``) and leave by ``branch``."""
        self.state.nodes[token.node_id] = output
        self.close_step(token, "completed", output)
        self.follow(token, branch)

    # --- commands ------------------------------------------------------------------------------

    def issue(self, command: Command) -> None:
        self.commands.append(command)

    def expect(
        self,
        command_id: str,
        kind: PendingKind,
        token: Token | None,
        purpose: TimerPurpose | None = None,
        **extra: Any,
    ) -> PendingCommand:
        pending = PendingCommand(
            id=command_id, kind=kind, token=None if token is None else token.id, purpose=purpose, **extra
        )
        self.state.pending[command_id] = pending
        if token is not None:
            token.command = command_id
        return pending

    def start_timer(
        self, command_id: str, until: datetime, token: Token | None, purpose: TimerPurpose, **extra: Any
    ) -> None:
        self.expect(command_id, "timer", token, purpose, **extra)
        self.issue(StartTimer(id=command_id, until=until))

    def answer(self, command_id: str, kind: PendingKind) -> PendingCommand | None:
        """The pending command a happening answers, now settled; None for a stale answer."""
        pending = self.state.pending.get(command_id)
        if pending is None:
            return None
        if pending.kind != kind:
            raise CoreError(f"a {kind} answer came for command {command_id!r}, which is a {pending.kind}")
        del self.state.pending[command_id]
        return pending

    def cancel_command(self, command_id: str) -> None:
        pending = self.state.pending.pop(command_id, None)
        if pending is None or pending.kind == "user":
            return
        self.issue(CancelTimer(id=command_id) if pending.kind == "timer" else CancelAction(id=command_id))

    def pause(self, token: Token) -> None:
        """Let the activation end: enter the token's next node after a short timer."""
        token.status = "paused"
        self.start_timer(f"@pause:{self.next_number()}", self.now + PAUSE, token, "pause")

    # --- the user ------------------------------------------------------------------------------

    def user_ready(self, token: Token, needed: bool) -> bool:
        """Whether ``token`` may go on; if it needs a fresh user that is not there, park it."""
        if not needed or self.state.user_id is None or self.state.user_fresh:
            return True
        token.status = "user"
        self.state.awaiting_user.append(token.id)
        self.load_user()
        return False

    def load_user(self) -> None:
        if self.state.user_load is not None or self.state.user_id is None:
            return
        command_id = f"@user:{self.next_number()}"
        self.expect(command_id, "user", None)
        self.state.user_load = command_id
        self.issue(LoadUser(id=command_id, user_id=self.state.user_id))

    def user_needs_loading(self) -> bool:
        return self.state.user_id is not None and not self.state.user_fresh

    def set_user(self, attributes: dict[str, JsonValue]) -> None:
        if self.state.user_id is not None:
            self.state.user = {**attributes, "id": self.state.user_id}
            self.state.user_fresh = True

    def user_went_stale(self) -> None:
        """Time passed outside the core: the next node that reads ``user`` reloads it."""
        self.state.user_fresh = False

    # --- expressions and context --------------------------------------------------------------

    def context(self, event: Event | None = None, nodes: frozenset[str] | None = None) -> dict[str, Any]:
        """The run's context; with ``nodes``, only those node outputs."""
        state = self.state
        outputs = state.nodes
        if nodes is not None:
            outputs = {node_id: outputs[node_id] for node_id in nodes if node_id in outputs}
        return run_context(
            trigger=state.trigger,
            user=state.user,
            nodes=outputs,
            journey_key=state.journey_key,
            journey_version=state.journey_version,
            run_id=state.run_id,
            now=self.now,
            event=None if event is None else event_json(event),
        )

    def json_context(self) -> dict[str, JsonValue]:
        """The context as JSON, for the driver to render templates against."""
        context = self.context()
        context["now"] = self.now.isoformat()
        return context

    def evaluate(self, source: str, event: Event | None = None) -> Any:
        """Evaluate CEL against the part of the context it reads (see ``scope``)."""
        scope = scope_of(source)
        context = self.context(event, scope.node_ids)
        visible = {name: value for name, value in context.items() if name in scope.variables}
        return self.program.expression(source).evaluate(visible)

    # --- the end of the run -------------------------------------------------------------------

    def fail(self, token: Token | None, message: str, output: JsonValue = None) -> None:
        """Fail the run because of ``token``'s node (or of the run itself)."""
        if token is not None:
            self.close_step(token, "failed", output, message)
            if token.command is not None:
                self.cancel_command(token.command)
            self.state.tokens.pop(token.id, None)
        self.finish("failed", message)

    def finish(self, status: RunStatus, reason: str | None = None) -> None:
        """End the run: cancel every token and pending command, then ``Finish``."""
        state = self.state
        if state.finished:
            return
        for token in list(state.tokens.values()):
            self.cancel_token(token)
        for join in state.joins.values():
            self.finish_step(join.step, "cancelled")
        for command_id in list(state.pending):
            self.cancel_command(command_id)
        state.joins.clear()
        state.awaiting_user.clear()
        state.deferred_events.clear()
        state.user_load = None
        self.ready.clear()
        state.status = status
        state.reason = reason
        state.error = reason if status == "failed" else None
        self.issue(Finish(status=status, reason=reason))

    def settle(self) -> None:
        """After the tokens moved: complete an empty run, or say whether it waits."""
        state = self.state
        if state.finished:
            return
        if not state.tokens:
            self.finish("completed")
            return
        waiting = all(token.status in WAITING_TOKEN_STATUSES for token in state.tokens.values())
        state.status = "waiting" if waiting else "running"

    def tokens_in(self, fork: str) -> Iterable[Token]:
        return [token for token in self.state.tokens.values() if fork in token.forks]


def event_json(event: Event) -> dict[str, JsonValue]:
    return event.model_dump(mode="json")


def json_safe(value: Any) -> JsonValue:
    """A CEL result as JSON (timestamps and durations as ISO 8601 strings), maps sorted by key:
    CEL gives maps back in an order that differs from process to process, and a run must
    replay the same on any worker."""
    return _sorted_keys(to_jsonable_python(value))


def _sorted_keys(value: JsonValue) -> JsonValue:
    if isinstance(value, dict):
        return {key: _sorted_keys(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(item) for item in value]
    return value
