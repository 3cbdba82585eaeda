"""A hand-driven run for core tests: build a journey tersely, start it, answer its commands.

Every happening is also applied to a copy of the state that went through JSON, and both must
give the same commands and the same state: the round trip the Temporal workflow relies on
is checked at every step of every test.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any, TypeVar

from pydantic import JsonValue

from journey.dsl import Journey
from journey.dsl.core import (
    ActionCompleted,
    Command,
    Event,
    EventReceived,
    Finish,
    Happening,
    LoadUser,
    Program,
    RunAction,
    RunStart,
    RunState,
    StartTimer,
    StepRecord,
    TimerFired,
    UserLoaded,
    advance,
    compile_journey,
    start,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday, 09:00 UTC."""
TRIGGER = {"id": "start", "type": "trigger", "config": {"kind": "manual"}}

C = TypeVar("C", bound=Command)


def node(node_id: str, node_type: str, **config: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "config": config}


def action(node_id: str, node_type: str = "log", **fields: Any) -> dict[str, Any]:
    """An action node; ``log`` with a message unless told otherwise."""
    config = fields.pop("config", {"message": f"at {node_id}"})
    return {"id": node_id, "type": node_type, "config": config, **fields}


def chain(*ids: str) -> list[dict[str, Any]]:
    """Unnamed edges from each node to the next."""
    return [edge(source, target) for source, target in pairwise(ids)]


def edge(source: str, target: str, branch: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"source": source, "target": target}
    if branch is not None:
        found["branch"] = branch
    return found


def journey(
    nodes: Sequence[dict[str, Any]], edges: Sequence[dict[str, Any]], settings: dict[str, Any] | None = None
) -> Journey:
    return Journey.model_validate(
        {
            "key": "test",
            "name": "Test",
            "nodes": [TRIGGER, *nodes],
            "edges": list(edges),
            "settings": settings or {},
        }
    )


def event(name: str, event_id: str | None = None, at: datetime = T0, **properties: JsonValue) -> Event:
    return Event(
        id=event_id or f"{name}-{at.isoformat()}",
        name=name,
        user_id="u1",
        timestamp=at,
        properties=properties,
    )


class Run:
    """One run of a journey, driven by hand."""

    def __init__(
        self,
        definition: Journey,
        *,
        user_id: str | None = "u1",
        user: dict[str, JsonValue] | None = None,
        trigger: dict[str, JsonValue] | None = None,
        at: datetime = T0,
    ) -> None:
        self.program: Program = compile_journey(definition, 1)
        run_start = RunStart(
            run_id="run-1", user_id=user_id, trigger=trigger or {"properties": {}}, at=at, user=user
        )
        transition = start(self.program, run_start)
        self.state: RunState = transition.state
        self.commands: list[Command] = list(transition.commands)
        self.issued: list[Command] = list(transition.commands)

    @property
    def now(self) -> datetime:
        return self.state.now

    def send(self, happening: Happening) -> list[Command]:
        """Apply one happening (checking the JSON round trip) and return its commands."""
        copy = RunState.model_validate_json(self.state.model_dump_json())
        assert copy == self.state
        transition = advance(self.program, self.state, happening)
        replayed = advance(self.program, copy, happening)
        assert replayed.commands == transition.commands
        assert replayed.state == transition.state
        self.state = transition.state
        self.commands = list(transition.commands)
        self.issued.extend(transition.commands)
        return self.commands

    # --- finding commands -------------------------------------------------------------------

    def last(self, kind: type[C], node_id: str | None = None) -> C:
        """The most recent command of ``kind`` (for ``node_id``, by its id prefix)."""
        for command in reversed(self.issued):
            if isinstance(command, kind) and (node_id is None or _for_node(command, node_id)):
                return command
        raise AssertionError(f"no {kind.__name__} for {node_id or 'any node'} in {self.issued}")

    def kinds(self) -> list[str]:
        """The kinds of the last transition's commands, with their ids, for exact asserts."""
        return [
            f"{command.kind}:{getattr(command, 'id', getattr(command, 'status', ''))}"
            for command in self.commands
        ]

    # --- answering ----------------------------------------------------------------------------

    def complete(
        self, node_id: str, output: JsonValue = None, after: timedelta = timedelta(0)
    ) -> list[Command]:
        command = self.last(RunAction, node_id)
        return self.send(ActionCompleted(id=command.id, at=self.now + after, output=output))

    def fire(self, node_id: str) -> list[Command]:
        """Fire the latest timer for ``node_id`` at its time."""
        timer = self.last(StartTimer, node_id)
        return self.send(TimerFired(id=timer.id, at=max(timer.until, self.now)))

    def receive(self, item: Event, after: timedelta = timedelta(0)) -> list[Command]:
        return self.send(EventReceived(at=self.now + after, event=item))

    def load_user(self, attributes: dict[str, JsonValue]) -> list[Command]:
        return self.send(UserLoaded(id=self.last(LoadUser).id, at=self.now, attributes=attributes))

    # --- reading -------------------------------------------------------------------------------

    def steps(self, node_id: str) -> list[StepRecord]:
        return [step for step in self.state.steps if step.node_id == node_id]

    def step(self, node_id: str) -> StepRecord:
        found = self.steps(node_id)
        assert len(found) == 1, f"{node_id} has {len(found)} steps"
        return found[0]

    def finish(self) -> Finish:
        return self.last(Finish)


def _for_node(command: Command, node_id: str) -> bool:
    if getattr(command, "node_id", None) == node_id:
        return True
    command_id = getattr(command, "id", "")
    return isinstance(command_id, str) and command_id.startswith(f"{node_id}:")
