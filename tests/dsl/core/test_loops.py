"""loop: foreach and while, the max_iterations bound, one step per iteration, nesting."""

from itertools import pairwise

from journey.dsl.core import LoadUser, RunAction

from .runner import Run, action, edge, journey, node


def _loop_run(loop_config: dict, body: list[dict] | None = None, **options: object) -> Run:
    """start -> each -(body)-> body nodes -> each -(done)-> after."""
    body = body or [action("visit", config={"message": "{{ nodes.each.item }}"})]
    ids = [item["id"] for item in body]
    edges = [
        edge("start", "each"),
        edge("each", ids[0], "body"),
        edge("each", "after", "done"),
        edge(ids[-1], "each"),
    ]
    edges += [edge(source, target) for source, target in pairwise(ids)]
    loop = node("each", "loop", **loop_config)
    return Run(journey([loop, *body, action("after")], edges), **options)


def test_foreach_runs_the_body_per_item_with_item_and_index() -> None:
    run = _loop_run(
        {"foreach": "input.items", "max_iterations": 10}, trigger={"properties": {"items": ["a", "b"]}}
    )
    assert run.last(RunAction, "visit").context["nodes"]["each"] == {"item": "a", "index": 0}
    run.complete("visit")
    assert run.last(RunAction, "visit").context["nodes"]["each"] == {"item": "b", "index": 1}
    assert run.last(RunAction, "visit").id == "visit:2"
    run.complete("visit")
    assert run.state.path == ["start", "each", "visit", "each", "visit", "each", "after"]
    assert run.state.nodes["each"] == {"iterations": 2}
    assert [step.iteration for step in run.steps("visit")] == [0, 1]
    assert [step.iteration for step in run.steps("each")] == [0, 1, None]
    assert run.steps("each")[-1].output == {"iterations": 2}
    assert run.state.loops == {}


def test_an_empty_list_goes_straight_to_done() -> None:
    run = _loop_run({"foreach": "[]", "max_iterations": 10})
    assert run.state.path == ["start", "each", "after"]
    assert run.state.nodes["each"] == {"iterations": 0}


def test_max_iterations_stops_the_loop_and_says_so() -> None:
    run = _loop_run({"foreach": "[1, 2, 3]", "max_iterations": 2})
    run.complete("visit")
    run.complete("visit")
    assert run.state.nodes["each"] == {"iterations": 2, "stopped": "max_iterations"}
    assert run.state.path[-1] == "after"


def test_a_list_exactly_as_long_as_the_bound_is_not_stopped() -> None:
    run = _loop_run({"foreach": "[1, 2]", "max_iterations": 2})
    run.complete("visit")
    run.complete("visit")
    assert run.state.nodes["each"] == {"iterations": 2}


def test_while_is_checked_before_each_iteration_with_a_fresh_user() -> None:
    body = [action("bump", "update_attributes", config={"increment": {"count": 1}}), action("note")]
    run = _loop_run({"while": "user.count < 2", "max_iterations": 10}, body, user={"count": 0})
    run.complete("bump", {"attributes": {"count": 1}, "removed": []})
    run.complete("note")
    assert [type(command) for command in run.commands] == [LoadUser]
    run.load_user({"count": 1})
    run.complete("bump", {"attributes": {"count": 2}, "removed": []})
    run.complete("note")
    run.load_user({"count": 2})
    assert run.state.nodes["each"] == {"iterations": 2}
    assert [step.iteration for step in run.steps("note")] == [0, 1]
    assert run.state.path[-1] == "after"


def test_a_while_loop_stopped_by_the_bound() -> None:
    loop = node("each", "loop", **{"while": "true", "max_iterations": 3})
    check = node("check", "condition", expression="nodes.each.index >= 0")
    edges = [edge("start", "each"), edge("each", "check", "body"), edge("check", "each", "true")]
    run = Run(journey([loop, check], edges))
    assert run.state.path.count("check") == 3
    assert run.state.nodes["each"] == {"iterations": 3, "stopped": "max_iterations"}
    assert run.state.status == "completed"


def test_foreach_that_is_not_a_list_fails_the_run() -> None:
    run = _loop_run({"foreach": "input", "max_iterations": 3})
    assert run.state.status == "failed"
    assert run.state.error == "each: foreach gave dict, not a list"


def test_nested_loops_restart_the_inner_loop_each_outer_iteration() -> None:
    outer = node("outer", "loop", foreach="['x', 'y']", max_iterations=5)
    inner = node("inner", "loop", foreach="[1, 2, 3]", max_iterations=5)
    step = node("pair", "condition", expression="nodes.inner.index < 5")
    edges = [
        edge("start", "outer"),
        edge("outer", "inner", "body"),
        edge("inner", "pair", "body"),
        edge("pair", "inner", "true"),
        edge("inner", "outer", "done"),
    ]
    run = Run(journey([outer, inner, step], edges))
    assert run.state.status == "completed"
    assert run.state.path.count("pair") == 6
    assert [record.iteration for record in run.steps("pair")] == [0, 1, 2, 0, 1, 2]
    assert run.state.nodes["outer"] == {"iterations": 2}


def test_loop_items_become_json() -> None:
    run = _loop_run({"foreach": "[timestamp('2026-01-01T00:00:00Z'), duration('1h')]", "max_iterations": 5})
    assert run.last(RunAction).context["nodes"]["each"]["item"] == "2026-01-01T00:00:00Z"
    run.complete("visit")
    assert run.last(RunAction).context["nodes"]["each"]["item"] == "PT1H"
