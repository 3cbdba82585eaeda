"""Recorded histories of real runs replay on the current workflow code.

``record_histories.py`` ran small journeys, which together use every node type, on a real dev
server and committed their histories to ``histories/``. Replaying them here with the worker's
own sandbox and data converter fails on any change that would break a run in flight: a command
added, dropped or reordered, a timer or activity that is no longer scheduled, a changed child
workflow. Such a change needs ``workflow.patched()``, then a new recording.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from temporalio.workflow import NondeterminismError

from journey.dsl import NODE_TYPES
from journey.dsl.core.messages import StartTimer, TimerFired
from journey.engine.payloads import RunInput, RunSnapshot
from journey.engine.worker import workflow_runner
from journey.engine.workflow import WORKFLOW_NAME, JourneyRunWorkflow

HISTORIES = Path(__file__).parent / "histories"
FILES = sorted(HISTORIES.glob("*.json"))

EVENT_KINDS = {
    EventType.EVENT_TYPE_TIMER_STARTED,
    EventType.EVENT_TYPE_TIMER_FIRED,
    EventType.EVENT_TYPE_TIMER_CANCELED,
    EventType.EVENT_TYPE_MARKER_RECORDED,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
    EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
    EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
    EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
}
"""What the recordings must exercise between them, besides every node type."""


def _history(path: Path) -> WorkflowHistory:
    content = json.loads(path.read_text())
    return WorkflowHistory.from_json(content["workflow_id"], content["history"])


def _run_input(history: WorkflowHistory) -> RunInput:
    started = history.events[0].workflow_execution_started_event_attributes
    [payload] = started.input.payloads
    return RunInput.model_validate_json(payload.data)


def _replayer(*workflows: type[Any], **options: Any) -> Replayer:
    return Replayer(
        workflows=list(workflows),
        workflow_runner=options.pop("workflow_runner", workflow_runner()),
        data_converter=pydantic_data_converter,
        **options,
    )


def test_histories_are_recorded() -> None:
    assert len(FILES) >= 10, f"run python -m tests.engine.record_histories ({HISTORIES} holds {len(FILES)})"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
async def test_a_recorded_history_replays(path: Path) -> None:
    history = _history(path)
    result = await _replayer(JourneyRunWorkflow).replay_workflow(history)
    assert result.replay_failure is None


def test_the_recordings_use_every_node_type_and_every_kind_of_event() -> None:
    histories = [_history(path) for path in FILES]
    node_types = {node["type"] for h in histories for node in _run_input(h).document["nodes"]}
    event_kinds = {event.event_type for h in histories for event in h.events}

    assert set(NODE_TYPES.names()) - node_types == set()
    assert {EventType.Name(kind) for kind in EVENT_KINDS - event_kinds} == set()


@workflow.defn(name=WORKFLOW_NAME, sandboxed=False)
class _TimerlessJourneyRun(JourneyRunWorkflow):
    """A change that must not reach running journeys: delays end at once, without a timer."""

    @workflow.run
    async def run(self, run_input: RunInput) -> RunSnapshot:
        return await super().run(run_input)

    def _start_timer(self, command: StartTimer) -> None:
        self._inbox.append(TimerFired(at=workflow.now(), id=command.id))


async def test_a_change_that_breaks_running_journeys_fails_the_replay() -> None:
    changed = _replayer(_TimerlessJourneyRun)
    # Runs without a timer do not notice the change; runs with one do.
    await changed.replay_workflow(_history(HISTORIES / "decisions.json"))
    with pytest.raises(NondeterminismError):
        await changed.replay_workflow(_history(HISTORIES / "delay-webhook.json"))
