"""How a run ends: end nodes, cancel, max_duration, subjourneys, and the silence afterwards."""

from datetime import timedelta

import pytest

from journey.dsl.core import (
    CancelAction,
    CancelRequested,
    CancelTimer,
    Finish,
    StartSubjourney,
    StartTimer,
    SubjourneyFinished,
    TimerFired,
)
from journey.dsl.core.machine import MAX_ENTRIES_PER_ACTIVATION, PAUSE

from .runner import T0, Run, action, chain, edge, event, journey, node


def test_a_run_completes_when_no_branch_is_left_and_finish_comes_last() -> None:
    run = Run(journey([node("done", "end")], chain("start", "done")))
    assert run.state.status == "completed"
    assert run.state.finished
    assert run.commands == [Finish(status="completed")]
    assert run.state.path == ["start", "done"]
    assert [step.status for step in run.state.steps] == ["completed", "completed"]
    assert run.step("start").output == {"properties": {}}


def test_a_failed_end_fails_the_whole_run_with_its_reason() -> None:
    nodes = [
        node("fork", "parallel"),
        node("pause", "delay", duration="P1D"),
        node("bad", "end", status="failed", reason="no stock"),
    ]
    run = Run(journey(nodes, [edge("start", "fork"), edge("fork", "pause"), edge("fork", "bad")]))
    assert run.state.status == "failed"
    assert run.state.error == run.state.reason == "no stock"
    assert run.step("bad").status == "failed"
    assert run.step("pause").status == "cancelled"
    assert run.commands[-2:] == [CancelTimer(id="pause:1"), Finish(status="failed", reason="no stock")]


def test_cancel_requested_cancels_everything_pending() -> None:
    nodes = [node("fork", "parallel"), action("a"), node("w", "wait_for_event", event="x", timeout="P1D")]
    run = Run(journey(nodes, [edge("start", "fork"), edge("fork", "a"), edge("fork", "w")]))
    run.send(CancelRequested(at=T0 + timedelta(minutes=1), reason="support asked"))
    assert run.commands == [
        CancelAction(id="a:1"),
        CancelTimer(id="w:1"),
        Finish(status="cancelled", reason="support asked"),
    ]
    assert run.state.status == "cancelled"
    assert {step.status for step in run.state.steps if step.node_id in ("a", "w")} == {"cancelled"}
    assert run.step("w").finished_at == T0 + timedelta(minutes=1)


def test_max_duration_times_the_run_out() -> None:
    run = Run(
        journey([node("pause", "delay", duration="P30D")], chain("start", "pause"), {"max_duration": "P7D"})
    )
    assert run.issued[:2] == [
        StartTimer(id="@max-duration", until=T0 + timedelta(days=7)),
        StartTimer(id="pause:1", until=T0 + timedelta(days=30)),
    ]
    run.send(TimerFired(id="@max-duration", at=T0 + timedelta(days=7)))
    assert run.state.status == "timed_out"
    assert run.commands == [
        CancelTimer(id="pause:1"),
        Finish(status="timed_out", reason="max_duration reached"),
    ]


@pytest.mark.parametrize(
    "happening",
    [
        CancelRequested(at=T0),
        TimerFired(id="pause:1", at=T0),
        SubjourneyFinished(id="x:1", at=T0, status="completed"),
    ],
)
def test_a_finished_run_never_issues_more_commands(happening: object) -> None:
    run = Run(journey([node("pause", "delay", duration="P1D")], chain("start", "pause")))
    run.send(CancelRequested(at=T0))
    before = run.state.model_dump_json()
    assert run.send(happening) == []
    assert run.receive(event("anything", "e1")) == []
    assert run.state.model_dump_json() == before


def test_status_is_waiting_only_when_every_branch_waits() -> None:
    nodes = [node("fork", "parallel"), action("a"), node("pause", "delay", duration="PT1H")]
    run = Run(journey(nodes, [edge("start", "fork"), edge("fork", "a"), edge("fork", "pause")]))
    assert run.state.status == "running"
    assert run.state.active_nodes() == ["a", "pause"]
    run.complete("a")
    assert run.state.status == "waiting"
    assert run.state.active_nodes() == ["pause"]


def test_a_subjourney_waits_for_the_child_and_records_its_result() -> None:
    child = node("child", "subjourney", journey="onboarding", input={"plan": "{{ input.plan }}"})
    run = Run(
        journey([child, action("after")], chain("start", "child", "after")),
        trigger={"properties": {"plan": "pro"}},
    )
    start = run.last(StartSubjourney)
    assert (start.id, start.journey, start.version, start.wait) == ("child:1", "onboarding", None, True)
    assert start.input == {"plan": "{{ input.plan }}"}
    assert start.context["input"] == {"plan": "pro"}
    run.send(
        SubjourneyFinished(id="child:1", at=T0 + timedelta(days=2), status="completed", output={"ok": 1})
    )
    assert run.state.nodes["child"] == {"status": "completed", "output": {"ok": 1}}
    assert run.state.path[-1] == "after"


def test_a_child_that_did_not_complete_fails_the_run() -> None:
    run = Run(journey([node("child", "subjourney", journey="onboarding")], chain("start", "child")))
    run.send(SubjourneyFinished(id="child:1", at=T0, status="failed", output={"error": "boom"}))
    assert run.state.status == "failed"
    assert run.state.error == "child: subjourney 'onboarding' ended failed"
    assert run.step("child").output == {"status": "failed", "output": {"error": "boom"}}


def test_a_subjourney_without_wait_goes_on_once_started() -> None:
    child = node("child", "subjourney", journey="onboarding", wait=False)
    run = Run(journey([child, action("after")], chain("start", "child", "after")))
    assert run.last(StartSubjourney).wait is False
    run.send(SubjourneyFinished(id="child:1", at=T0, status="started"))
    assert run.state.path[-1] == "after"


def test_a_long_loop_of_flow_nodes_pauses_between_activations() -> None:
    loop = node("each", "loop", foreach="input.items", max_iterations=10_000)
    check = node("check", "condition", expression="nodes.each.index >= 0")
    edges = [edge("start", "each"), edge("each", "check", "body"), edge("check", "each", "true")]
    items = list(range(MAX_ENTRIES_PER_ACTIVATION))
    run = Run(journey([loop, check], edges), trigger={"properties": {"items": items}})
    activations = 1
    while not run.state.finished:
        assert len(run.state.path) == activations * MAX_ENTRIES_PER_ACTIVATION
        pause = run.commands[-1]
        assert isinstance(pause, StartTimer)
        assert pause.until == run.now + PAUSE
        assert run.state.status == "running"
        run.send(TimerFired(id=pause.id, at=pause.until))
        activations += 1
    assert activations == 3
    assert run.state.status == "completed"
    assert run.state.nodes["each"] == {"iterations": len(items)}
    assert run.state.path.count("check") == len(items)


def test_the_version_and_a_given_user_are_used_from_the_start() -> None:
    check = node("check", "condition", expression="user.vip")
    run = Run(
        journey([check, action("vip")], [edge("start", "check"), edge("check", "vip", "true")]),
        user={"vip": True},
    )
    assert run.state.journey_version == 1
    assert run.state.path == ["start", "check", "vip"]
    assert run.state.user == {"vip": True, "id": "u1"}
