"""parallel and join: all, any with cancellation, nested forks, branches that end elsewhere."""

from journey.dsl.core import CancelAction, CancelTimer, StartTimer

from .runner import Run, action, edge, journey, node


def _fork(join_mode: str, *branches: dict) -> Run:
    """start -> fork -> each branch -> join -> after."""
    nodes = [node("fork", "parallel"), *branches, node("join", "join", mode=join_mode), action("after")]
    edges = [edge("start", "fork"), edge("join", "after")]
    for branch in branches:
        edges += [edge("fork", branch["id"]), edge(branch["id"], "join")]
    return Run(journey(nodes, edges))


def test_every_edge_of_a_parallel_starts_a_branch() -> None:
    run = _fork("all", action("a"), action("b"), node("c", "delay", duration="PT1H"))
    assert run.state.path == ["start", "fork", "a", "b", "c"]
    assert sorted(run.state.active_nodes()) == ["a", "b", "c"]
    assert run.state.status == "running"


def test_join_all_waits_for_every_branch_and_appears_once() -> None:
    run = _fork("all", action("a"), node("pause", "delay", duration="PT1H"))
    run.complete("a")
    assert "join" not in run.state.path
    assert run.step("join").status == "waiting"
    assert run.state.status == "waiting"
    run.fire("pause")
    assert run.state.path == ["start", "fork", "a", "pause", "join", "after"]
    assert run.step("join").status == "completed"
    assert len(run.state.tokens) == 1


def test_a_branch_that_ends_elsewhere_no_longer_counts() -> None:
    nodes = [
        node("fork", "parallel"),
        action("a"),
        node("check", "condition", expression="false"),
        node("join", "join"),
        action("after"),
    ]
    edges = [
        edge("start", "fork"),
        edge("fork", "a"),
        edge("fork", "check"),
        edge("a", "join"),
        edge("check", "join", "true"),
        edge("join", "after"),
    ]
    run = Run(journey(nodes, edges))
    assert run.state.active_nodes() == ["a"]
    run.complete("a")
    assert run.state.path[-2:] == ["join", "after"]


def test_a_branch_ending_later_releases_the_waiting_join() -> None:
    nodes = [node("fork", "parallel"), action("a"), action("b"), node("join", "join"), action("after")]
    edges = [
        edge("start", "fork"),
        edge("fork", "a"),
        edge("fork", "b"),
        edge("a", "join"),
        edge("join", "after"),
    ]
    run = Run(journey(nodes, edges))
    run.complete("a")
    assert run.step("join").status == "waiting"
    run.complete("b")
    assert run.state.path[-2:] == ["join", "after"]


def test_join_any_goes_on_with_the_first_and_cancels_the_rest() -> None:
    run = _fork(
        "any",
        action("slow"),
        node("pause", "delay", duration="PT1H"),
        node("wait", "wait_for_event", event="x", timeout="P1D"),
    )
    run.fire("pause")
    assert run.commands[:2] == [CancelAction(id="slow:1"), CancelTimer(id="wait:1")]
    assert run.state.path == ["start", "fork", "slow", "pause", "wait", "join", "after"]
    assert run.step("slow").status == "cancelled"
    assert run.step("wait").status == "cancelled"
    assert run.step("pause").status == "completed"
    assert run.state.active_nodes() == ["after"]
    assert set(run.state.pending) == {"after:1"}


def test_nested_parallels_join_inside_out() -> None:
    nodes = [
        node("outer", "parallel"),
        node("inner", "parallel"),
        action("a1"),
        action("a2"),
        node("inner_join", "join"),
        action("b"),
        node("outer_join", "join"),
        action("after"),
    ]
    edges = [
        edge("start", "outer"),
        edge("outer", "inner"),
        edge("outer", "b"),
        edge("inner", "a1"),
        edge("inner", "a2"),
        edge("a1", "inner_join"),
        edge("a2", "inner_join"),
        edge("inner_join", "outer_join"),
        edge("b", "outer_join"),
        edge("outer_join", "after"),
    ]
    run = Run(journey(nodes, edges))
    run.complete("b")
    run.complete("a1")
    assert "inner_join" not in run.state.path
    run.complete("a2")
    assert run.state.path[-3:] == ["inner_join", "outer_join", "after"]
    assert run.state.path.count("outer_join") == 1


def test_join_any_cancels_the_nested_forks_too() -> None:
    nodes = [
        node("outer", "parallel"),
        node("inner", "parallel"),
        node("p1", "delay", duration="PT2H"),
        node("p2", "delay", duration="PT3H"),
        node("inner_join", "join"),
        node("quick", "delay", duration="PT1H"),
        node("first", "join", mode="any"),
    ]
    edges = [
        edge("start", "outer"),
        edge("outer", "inner"),
        edge("outer", "quick"),
        edge("inner", "p1"),
        edge("inner", "p2"),
        edge("p1", "inner_join"),
        edge("p2", "inner_join"),
        edge("inner_join", "first"),
        edge("quick", "first"),
    ]
    run = Run(journey(nodes, edges))
    run.fire("p1")
    assert run.step("inner_join").status == "waiting"
    run.fire("quick")
    assert CancelTimer(id="p2:1") in run.commands
    assert run.step("inner_join").status == "cancelled"
    assert run.state.status == "completed"
    assert run.state.path[-1] == "first"


def test_a_join_reached_without_a_fork_passes_through() -> None:
    nodes = [node("check", "condition", expression="true"), node("join", "join"), action("after")]
    edges = [
        edge("start", "check"),
        edge("check", "join", "true"),
        edge("check", "join", "false"),
        edge("join", "after"),
    ]
    run = Run(journey(nodes, edges))
    assert run.state.path == ["start", "check", "join", "after"]


def test_a_join_inside_a_loop_releases_every_iteration() -> None:
    nodes = [
        node("each", "loop", foreach="[1, 2, 3]", max_iterations=10),
        node("fork", "parallel"),
        action("a"),
        node("pause", "delay", duration="PT1M"),
        node("join", "join"),
        action("after"),
    ]
    edges = [
        edge("start", "each"),
        edge("each", "fork", "body"),
        edge("each", "after", "done"),
        edge("fork", "a"),
        edge("fork", "pause"),
        edge("a", "join"),
        edge("pause", "join"),
        edge("join", "each"),
    ]
    run = Run(journey(nodes, edges))
    for _ in range(3):
        run.complete("a")
        run.fire("pause")
    assert run.state.path.count("join") == 3
    assert [step.iteration for step in run.steps("join")] == [0, 1, 2]
    assert run.state.path[-1] == "after"
    assert run.last(StartTimer, "pause").id == "pause:3"
