"""Simulate a run: the interpreter core driven by a virtual clock, with no side effects.

This is the second driver of the same core the Temporal workflow drives, so what a
simulation shows is what production does. Timers and scripted events sit in one priority
queue ordered by virtual time, so months of delays take no time. Actions are rendered
against the run's context (so a template error shows up as a failed step) and answered with
simulated outputs: a webhook returns ``{"status": 200, "headers": {}, "body": null}`` unless
``outputs[node_id]`` says otherwise (a status outside ``expect_status`` fails it, as the
real one would), ``update_attributes`` changes the simulated user, and ``send_email``,
``emit_event`` and ``log`` return what they would send. Quiet hours defer messages with the
same clock maths the real activity uses (``journey.dsl.schedule``).
"""

import heapq
import itertools
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from journey.dsl.attributes import incremented
from journey.dsl.context import template_context
from journey.dsl.core import (
    ActionCompleted,
    ActionDeferred,
    ActionFailed,
    CancelTimer,
    Command,
    Event,
    EventReceived,
    Happening,
    LoadUser,
    Program,
    RenderTemplates,
    RunAction,
    RunStart,
    RunStatus,
    StartSubjourney,
    StartTimer,
    StepRecord,
    SubjourneyFinished,
    TemplatesFailed,
    TemplatesRendered,
    TimerFired,
    UserLoaded,
    advance,
    compile_journey,
    start,
)
from journey.dsl.document import Journey
from journey.dsl.markers import EventName
from journey.dsl.schedule import quiet_until
from journey.dsl.templates import TemplateError, render, render_json
from journey.dsl.validate import parse

MAX_HAPPENINGS = 100_000
MAX_SUBJOURNEY_DEPTH = 8
SIMULATION_RUN_ID = "simulation"
DEFAULT_WEBHOOK_OUTPUT: dict[str, JsonValue] = {"status": 200, "headers": {}, "body": None}


class ScriptedEvent(BaseModel):
    """An event the simulated user sends ``after`` the run started."""

    model_config = ConfigDict(extra="forbid")

    after: timedelta = timedelta(0)
    name: EventName
    properties: dict[str, JsonValue] = Field(default_factory=dict)
    id: str | None = Field(default=None, description="Default: simulated-event-<n>; repeat one to test dedup")

    @field_validator("after")
    @classmethod
    def _not_before_the_start(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            raise ValueError("must not be negative")
        return value


class SimulatedAction(BaseModel):
    node_id: str
    type: str
    at: datetime
    journey: str = Field(description="The key of the journey that ran it (a subjourney's, inside one)")
    params: JsonValue = Field(description="The node's config with every template rendered")


class SimulationResult(BaseModel):
    status: RunStatus
    path: list[str]
    steps: list[StepRecord]
    actions: list[SimulatedAction]
    error: str | None = None
    reason: str | None = None
    nodes: dict[str, JsonValue] = Field(default_factory=dict, description="Each finished node's output")
    user: dict[str, JsonValue] = Field(default_factory=dict, description="The simulated user at the end")
    started_at: datetime
    ended_at: datetime = Field(description="The virtual time of the last happening")
    happenings: int
    limit_reached: bool = Field(default=False, description="Stopped at the bound of happenings, unfinished")


def simulate(
    journey: Journey | Mapping[str, Any],
    input: Mapping[str, Any],
    user: Mapping[str, Any],
    events: list[dict[str, Any]] | None = None,
    outputs: Mapping[str, Any] | None = None,
    journeys: Mapping[str, Journey] | None = None,
    start: datetime | None = None,
    *,
    max_happenings: int = MAX_HAPPENINGS,
) -> SimulationResult:
    """Run ``journey`` for ``user`` (``{"id": ..., **attributes}``) with trigger ``input``,
    sending the scripted ``events``, on a virtual clock from ``start`` (default now).

    A document is parsed first: ``DocumentInvalid`` if it has errors."""
    parsed = journey if isinstance(journey, Journey) else parse(journey)
    scripted = [ScriptedEvent.model_validate(event) for event in events or []]
    simulation = _Simulation(
        compile_journey(parsed),
        user=dict(user),
        outputs=outputs or {},
        journeys=journeys or {},
        start=start or datetime.now(UTC),
        budget=max_happenings,
        depth=0,
    )
    return simulation.run(dict(input), scripted)


class _Simulation:
    def __init__(
        self,
        program: Program,
        *,
        user: dict[str, Any],
        outputs: Mapping[str, Any],
        journeys: Mapping[str, Journey],
        start: datetime,
        budget: int,
        depth: int,
    ) -> None:
        self.program = program
        self.user = user
        self.outputs = outputs
        self.journeys = journeys
        self.started_at = self.clock = start
        self.budget = budget
        self.depth = depth
        self.queue: list[tuple[datetime, int, Happening]] = []
        self.order = itertools.count()
        self.cancelled: set[str] = set()
        self.actions: list[SimulatedAction] = []
        self.happenings = 0

    @property
    def user_id(self) -> str | None:
        user_id = self.user.get("id")
        return None if user_id is None else str(user_id)

    def run(self, input: dict[str, Any], events: list[ScriptedEvent]) -> SimulationResult:
        for number, scripted in enumerate(events, start=1):
            at = self.started_at + scripted.after
            event = Event(
                id=scripted.id or f"simulated-event-{number}",
                name=scripted.name,
                user_id=self.user_id,
                timestamp=at,
                properties=scripted.properties,
            )
            self._push(at, EventReceived(at=at, event=event))
        transition = start(self.program, self._run_start(input))
        state = transition.state
        self._carry_out(transition.commands)
        limit_reached = False
        while not state.finished and self.queue:
            at, _, happening = heapq.heappop(self.queue)
            if isinstance(happening, TimerFired) and happening.id in self.cancelled:
                continue
            if self.happenings >= self.budget:
                limit_reached = True
                break
            self.clock = max(self.clock, at)
            self.happenings += 1
            transition = advance(self.program, state, happening)
            self._carry_out(transition.commands)
        return SimulationResult(
            status=state.status,
            path=state.path,
            steps=state.steps,
            actions=sorted(self.actions, key=lambda action: action.at),
            error=state.error,
            reason=f"stopped after {self.budget} happenings" if limit_reached else state.reason,
            nodes=state.nodes,
            user=self.user,
            started_at=self.started_at,
            ended_at=self.clock,
            happenings=self.happenings,
            limit_reached=limit_reached,
        )

    def _run_start(self, input: dict[str, Any]) -> RunStart:
        config = self.program.configs[self.program.trigger_id]
        trigger: dict[str, Any] = {"properties": input}
        if config.get("kind") == "event":
            trigger = {
                "id": "simulated-trigger",
                "name": str(config.get("event", "")).rstrip("*"),
                "user_id": self.user_id,
                "timestamp": self.started_at.isoformat(),
                "properties": input,
            }
        attributes = {name: value for name, value in self.user.items() if name != "id"}
        return RunStart(
            run_id=SIMULATION_RUN_ID,
            user_id=self.user_id,
            trigger=trigger,
            journey_version=None,
            at=self.started_at,
            user=attributes if self.user_id is not None else None,
        )

    def _push(self, at: datetime, happening: Happening) -> None:
        heapq.heappush(self.queue, (at, next(self.order), happening))

    def _now(self, happening: Happening) -> None:
        self._push(self.clock, happening)

    def _carry_out(self, commands: list[Command]) -> None:
        for command in commands:
            match command:
                case RunAction():
                    self._now(self._perform(command))
                case StartTimer(id=timer_id, until=until):
                    at = max(until, self.clock)
                    self._push(at, TimerFired(id=timer_id, at=at))
                case CancelTimer(id=timer_id):
                    self.cancelled.add(timer_id)
                case LoadUser(id=load_id):
                    attributes = {name: value for name, value in self.user.items() if name != "id"}
                    self._now(UserLoaded(id=load_id, at=self.clock, attributes=attributes))
                case RenderTemplates():
                    self._now(self._render(command))
                case StartSubjourney():
                    self._subjourney(command)

    def _context(self, context: Mapping[str, Any]) -> dict[str, Any]:
        """The driver's view: the command's context with the user as it is now."""
        return template_context({**context, "user": dict(self.user)})

    def _perform(self, action: RunAction) -> Happening:
        context = self._context(action.context)
        try:
            if action.quiet_hours is not None:
                zone = render(action.quiet_hours.timezone, context).strip()
                until = quiet_until(self.clock, action.quiet_hours.start, action.quiet_hours.end, zone)
                if until is not None:
                    return ActionDeferred(id=action.id, at=self.clock, until=until)
            params = render_json(action.config, context)
            output = self._output(action, params)
        except (TemplateError, ValueError, TypeError) as error:
            return ActionFailed(id=action.id, at=self.clock, error=str(error))
        self.actions.append(
            SimulatedAction(
                node_id=action.node_id,
                type=action.node_type,
                at=self.clock,
                journey=self.program.key,
                params=params,
            )
        )
        return ActionCompleted(id=action.id, at=self.clock, output=output)

    def _output(self, action: RunAction, params: JsonValue) -> JsonValue:
        """What the action would answer; ValueError when the real one would fail."""
        sent = params if isinstance(params, dict) else {}
        output: JsonValue = params
        if action.node_type == "update_attributes":
            output = self._update_user(sent)
        elif action.node_type == "webhook":
            output = DEFAULT_WEBHOOK_OUTPUT
        if action.node_id in self.outputs:
            output = self.outputs[action.node_id]
        if action.node_type == "webhook":
            _check_status(output, sent.get("expect_status"))
        return output

    def _update_user(self, params: Mapping[str, Any]) -> JsonValue:
        changed: dict[str, JsonValue] = {}
        for name, value in (params.get("set") or {}).items():
            changed[name] = value
        for name, step in (params.get("increment") or {}).items():
            changed[name] = incremented(name, self.user.get(name, 0), step)
        removed = [name for name in params.get("unset") or [] if name in self.user]
        self.user.update(changed)
        for name in removed:
            del self.user[name]
        return {"attributes": changed, "removed": removed}

    def _render(self, command: RenderTemplates) -> Happening:
        context = self._context(command.context)
        try:
            values = {name: render(source, context) for name, source in command.templates.items()}
        except TemplateError as error:
            return TemplatesFailed(id=command.id, at=self.clock, error=str(error))
        return TemplatesRendered(id=command.id, at=self.clock, values=values)

    def _subjourney(self, command: StartSubjourney) -> None:
        child_journey = self.journeys.get(command.journey)
        if not command.wait:
            self._now(SubjourneyFinished(id=command.id, at=self.clock, status="started"))
            return
        if child_journey is None:
            self._now(SubjourneyFinished(id=command.id, at=self.clock, status="completed"))
            return
        if self.depth >= MAX_SUBJOURNEY_DEPTH:
            error = f"subjourneys nested more than {MAX_SUBJOURNEY_DEPTH} deep"
            self._now(
                SubjourneyFinished(id=command.id, at=self.clock, status="failed", output={"error": error})
            )
            return
        try:
            child_input = render_json(command.input, self._context(command.context))
        except TemplateError as error:
            self._now(
                SubjourneyFinished(
                    id=command.id, at=self.clock, status="failed", output={"error": str(error)}
                )
            )
            return
        child = _Simulation(
            compile_journey(child_journey),
            user=self.user,
            outputs={},
            journeys=self.journeys,
            start=self.clock,
            budget=self.budget - self.happenings,
            depth=self.depth + 1,
        )
        result = child.run(child_input if isinstance(child_input, dict) else {}, [])
        self.happenings += result.happenings
        self.actions.extend(child.actions)
        self._push(
            result.ended_at,
            SubjourneyFinished(id=command.id, at=result.ended_at, status=result.status, output=result.nodes),
        )


def _check_status(output: Any, expected: Any) -> None:
    status = output.get("status") if isinstance(output, dict) else None
    if not isinstance(status, int):
        return
    accepted = expected if isinstance(expected, list) else None
    if (accepted is None and not 200 <= status < 300) or (accepted is not None and status not in accepted):
        raise ValueError(f"webhook answered {status}, not an expected status")
