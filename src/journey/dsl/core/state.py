"""The state of one run: what the driver stores between happenings.

``RunState`` is plain JSON (``model_dump_json`` / ``model_validate_json`` give back an equal
state that behaves the same), because the Temporal workflow keeps it in its history and hands
it over on continue-as-new. The public surface is ``status``, ``path``, ``steps``, ``nodes``,
``error``, ``reason``, ``finished`` and ``active_nodes()``; the remaining fields are the core's
bookkeeping (tokens, pending commands, loop frames, joins, buffered events, counters).

A *token* is one branch of execution standing on a node; ``parallel`` makes several, ``join``
merges them again. The ``forks`` of a token are the parallel visits it descends from, the
innermost last, which is how a join knows whose arrival to wait for.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from .messages import FINAL_STATUSES, Event, RunAction, RunStatus, StepRecord

TokenStatus = Literal[
    "ready",  # about to enter (or re-run) its node
    "action",  # waiting for ActionCompleted / ActionFailed / ActionDeferred
    "deferred",  # an action deferred by quiet hours: waiting for its timer
    "timer",  # a delay
    "event",  # a wait_for_event: waiting for a matching event or its timeout
    "user",  # waiting for UserLoaded before its node can decide
    "render",  # waiting for TemplatesRendered
    "subjourney",  # waiting for SubjourneyFinished
    "join",  # arrived at a join, waiting for its siblings
    "paused",  # paused by the work budget of one activation: waiting for a short timer
]
WAITING_TOKEN_STATUSES: frozenset[str] = frozenset({"deferred", "timer", "event", "join"})

PendingKind = Literal["action", "timer", "user", "render", "subjourney"]
TimerPurpose = Literal["delay", "wait", "quiet", "pause", "max_duration"]


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Token(_State):
    id: str
    node_id: str
    status: TokenStatus = "ready"
    step: int | None = Field(default=None, description="Index in RunState.steps of its current node")
    forks: list[str] = Field(default_factory=list)
    loops: list[str] = Field(default_factory=list, description="Loop frame ids, the innermost last")
    command: str | None = Field(default=None, description="The pending command it waits for")


class PendingCommand(_State):
    """A command the core issued and still expects an answer to."""

    id: str
    kind: PendingKind
    token: str | None = None
    purpose: TimerPurpose | None = None
    action: RunAction | None = Field(default=None, description="Actions: issued again after quiet hours")
    deferrals: int = 0


class LoopFrame(_State):
    id: str
    node_id: str
    iterations: int = 0
    items: list[JsonValue] | None = Field(default=None, description="foreach: the list, evaluated on entry")


class JoinWait(_State):
    """Tokens of one fork parked at one join."""

    node_id: str
    fork: str
    tokens: list[str]
    step: int


class RunState(_State):
    run_id: str
    user_id: str | None
    journey_key: str
    journey_version: int | None
    trigger: dict[str, JsonValue]
    started_at: datetime
    now: datetime

    status: RunStatus = "running"
    path: list[str] = Field(default_factory=list)
    steps: list[StepRecord] = Field(default_factory=list)
    nodes: dict[str, JsonValue] = Field(default_factory=dict)
    error: str | None = Field(default=None, description="Why the run failed")
    reason: str | None = Field(default=None, description="Why the run ended, unless it completed")

    user: dict[str, JsonValue] = Field(default_factory=dict)
    user_fresh: bool = False
    user_load: str | None = Field(default=None, description="The pending LoadUser, if any")
    awaiting_user: list[str] = Field(default_factory=list, description="Tokens parked until UserLoaded")
    deferred_events: list[Event] = Field(default_factory=list, description="Events parked until UserLoaded")

    tokens: dict[str, Token] = Field(default_factory=dict)
    pending: dict[str, PendingCommand] = Field(default_factory=dict)
    loops: dict[str, LoopFrame] = Field(default_factory=dict)
    joins: dict[str, JoinWait] = Field(default_factory=dict)
    event_buffer: list[Event] = Field(default_factory=list)
    seen_events: list[str] = Field(default_factory=list)
    visits: dict[str, int] = Field(default_factory=dict)
    sequence: int = 0

    @property
    def finished(self) -> bool:
        return self.status in FINAL_STATUSES

    def active_nodes(self) -> list[str]:
        """The nodes that live tokens stand on, each once, in token order."""
        return list(dict.fromkeys(token.node_id for token in self.tokens.values()))
