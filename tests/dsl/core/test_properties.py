"""Properties of the core over random valid journeys, driven by the simulator.

``advance`` and ``start`` are wrapped where the simulator calls them, so every happening of
every simulated run also checks: the state survives a JSON round trip and behaves the same
after it, a finished run issues nothing more, ``Finish`` comes last, and command ids are
never reused within a run.
"""

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey.dsl import Journey
from journey.dsl.core import (
    FINAL_STATUSES,
    CancelRequested,
    Command,
    Event,
    EventReceived,
    Finish,
    Happening,
    Program,
    RunStart,
    RunState,
    TimerFired,
    Transition,
    advance,
    start,
)
from journey.dsl.simulate import MAX_HAPPENINGS, SimulationResult, simulate

from .journeys import events, inputs, journeys, users

simulate_module = importlib.import_module("journey.dsl.simulate")
"""The module itself (a package export named ``simulate`` would shadow it as an attribute)."""
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
DECISIONS = ("condition", "switch", "split")


class _Observer:
    """Checks each transition the simulator asks for, and keeps the last state."""

    def __init__(self) -> None:
        self.final: RunState | None = None
        self.command_ids: set[str] = set()

    def start(self, program: Program, run: RunStart) -> Transition:
        transition = start(program, run)
        self._check(transition, finished_before=False)
        return transition

    def advance(self, program: Program, state: RunState, happening: Happening) -> Transition:
        copy = RunState.model_validate_json(state.model_dump_json())
        assert copy == state
        finished_before = state.finished
        transition = advance(program, state, happening)
        replayed = advance(program, copy, happening)
        assert replayed.commands == transition.commands
        assert replayed.state == transition.state
        self._check(transition, finished_before)
        return transition

    def _check(self, transition: Transition, finished_before: bool) -> None:
        commands = transition.commands
        if finished_before:
            assert commands == []
        finishes = [command for command in commands if isinstance(command, Finish)]
        assert len(finishes) == (1 if transition.state.finished and not finished_before else 0)
        if finishes:
            assert commands[-1] is finishes[0]
        for command in commands:
            self._unique(command)
        self.final = transition.state

    def _unique(self, command: Command) -> None:
        if command.kind in ("run_action", "start_timer", "load_user", "render_templates", "start_subjourney"):
            command_id = getattr(command, "id", "")
            assert command_id not in self.command_ids, f"command id {command_id} reused"
            self.command_ids.add(command_id)


@contextmanager
def _observed() -> Iterator[_Observer]:
    observer = _Observer()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(simulate_module, "start", observer.start)
        patch.setattr(simulate_module, "advance", observer.advance)
        yield observer


def _assert_taken_paths_exist(document: dict[str, Any], result: SimulationResult) -> None:
    journey = Journey.model_validate(document)
    edges = {(edge.source, edge.target) for edge in journey.edges}
    by_id = {node.id: node for node in journey.nodes}
    assert result.path[0] == journey.trigger.id
    seen = {result.path[0]}
    for node_id in result.path[1:]:
        assert node_id in by_id
        assert any((earlier, node_id) in edges for earlier in seen), f"{node_id} entered without an edge"
        seen.add(node_id)
    for step in result.steps:
        node = by_id[step.node_id]
        if node.type in DECISIONS and step.status == "completed":
            assert isinstance(step.output, dict)
            chosen = {
                "condition": lambda out: str(out["result"]).lower(),
                "switch": lambda out: out["case"],
            }.get(node.type, lambda out: out["variant"])(step.output)
            assert chosen in node.spec.branches.resolve(node.config)


def _assert_finished_cleanly(state: RunState) -> None:
    assert state.finished
    assert not state.tokens
    assert not state.pending
    assert not state.joins
    for step in state.steps:
        assert step.status in ("completed", "failed", "cancelled"), step
        assert step.finished_at is not None


def _assert_silent_after_finish(document: dict[str, Any], state: RunState) -> None:
    program = simulate_module.compile_journey(Journey.model_validate(document))
    before = state.model_dump_json()
    for happening in (
        CancelRequested(at=state.now),
        TimerFired(id="@max-duration", at=state.now),
        EventReceived(
            at=state.now, event=Event(id="late", name="stop", timestamp=state.now, properties={"x": 3})
        ),
    ):
        assert advance(program, state, happening).commands == []
    assert state.model_dump_json() == before


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=journeys(),
    input=inputs,
    user=users,
    scripted=events,
    statuses=st.lists(st.sampled_from([200, 500])),
)
def test_random_journeys_run_to_an_end_deterministically(
    document: dict[str, Any],
    input: dict[str, Any],
    user: dict[str, Any],
    scripted: list[dict[str, Any]],
    statuses: list[int],
) -> None:
    webhooks = [node["id"] for node in document["nodes"] if node["type"] == "webhook"]
    outputs = {node_id: {"status": status} for node_id, status in zip(webhooks, statuses, strict=False)}
    with _observed() as observer:
        result = simulate(document, input, user, scripted, outputs=outputs, start=START)
    assert not result.limit_reached
    assert result.happenings < MAX_HAPPENINGS
    assert result.status in FINAL_STATUSES
    assert result.status != "failed" or result.error
    _assert_taken_paths_exist(document, result)
    assert observer.final is not None
    _assert_finished_cleanly(observer.final)
    _assert_silent_after_finish(document, observer.final)
    again = simulate(document, input, user, scripted, outputs=outputs, start=START)
    assert again.model_dump() == result.model_dump()


_SIMULATE_EXAMPLES = """
import json, pathlib, sys
from datetime import datetime, timezone
from journey.dsl.simulate import simulate
start = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
user = {"id": "u1", "email": "a@b.c", "score": 3, "timezone": "Asia/Tokyo"}
items = [{"sku": "s", "category": "premium", "price": 5}]
events = [{"after": "PT1H", "name": "session_started"}, {"after": "PT2H", "name": "order_completed"}]
for path in sorted(pathlib.Path("examples").glob("*.json")):
    document = json.loads(path.read_text())
    result = simulate(document, {"order_id": "o", "items": items, "total": 3}, user, events, start=start)
    sys.stdout.write(result.model_dump_json())
"""


def test_runs_are_the_same_whatever_the_hash_seed() -> None:
    """Temporal replays a run on any worker: nothing may depend on set or dict hashing order."""
    outputs = []
    for seed in ("1", "2"):
        completed = subprocess.run(
            [sys.executable, "-c", _SIMULATE_EXAMPLES],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(completed.stdout)
    assert outputs[0] == outputs[1]
    assert '"status":"completed"' in outputs[0]
