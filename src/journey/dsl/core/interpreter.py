"""``start`` and ``advance``: the interpreter core's whole public behaviour.

Both return a ``Transition``: the run's state and the commands to carry out, in order. The
core is deterministic (the same program, start and happenings always give the same
transitions, command ids included) and does no I/O, so the Temporal workflow replays it
safely and the simulator shows exactly what production would do.

``advance`` updates the given state in place and returns it: the driver keeps one state per
run, and copying a long run's history on every happening would make the run quadratic.
"""

from dataclasses import dataclass, field

from . import flow, happenings, joins
from .machine import MAX_ENTRIES_PER_ACTIVATION, Machine
from .messages import Command, Happening, RunStart
from .program import Program
from .state import RunState


@dataclass(frozen=True)
class Transition:
    state: RunState
    commands: list[Command] = field(default_factory=list)


def start(program: Program, run: RunStart) -> Transition:
    """Begin a run: enter the trigger and go as far as the run can without waiting."""
    version = run.journey_version if run.journey_version is not None else program.version
    state = RunState(
        run_id=run.run_id,
        user_id=run.user_id,
        journey_key=program.key,
        journey_version=version,
        trigger=run.trigger,
        started_at=run.at,
        now=run.at,
    )
    machine = Machine(program, state, run.at)
    if run.user_id is None:
        state.user_fresh = True
    elif run.user is not None:
        machine.set_user(run.user)
    trigger_id = run.trigger.get("id")
    if isinstance(trigger_id, str):
        state.seen_events.append(trigger_id)
    max_duration = program.journey.settings.max_duration
    if max_duration is not None:
        machine.start_timer("@max-duration", run.at + max_duration, None, "max_duration")
    machine.new_token(program.trigger_id, forks=[], loops=[])
    _run(machine)
    return Transition(state, machine.commands)


def advance(program: Program, state: RunState, happening: Happening) -> Transition:
    """Apply one happening; a finished run ignores it and issues nothing."""
    if state.finished:
        return Transition(state, [])
    machine = Machine(program, state, happening.at)
    happenings.apply(machine, happening)
    _run(machine)
    return Transition(state, machine.commands)


def _run(machine: Machine) -> None:
    """Move every ready token until each one waits, ends, or the run finishes."""
    while not machine.state.finished:
        if machine.ready:
            token = machine.token(machine.ready.popleft())
            if token is None or token.status != "ready":
                continue
            if token.step is not None:
                flow.execute(machine, token)
            elif machine.entries >= MAX_ENTRIES_PER_ACTIVATION:
                machine.pause(token)
            else:
                machine.entries += 1
                flow.enter(machine, token)
        elif machine.orphaned_forks:
            joins.release_ready(machine, machine.orphaned_forks.pop(0))
        else:
            break
    machine.settle()
