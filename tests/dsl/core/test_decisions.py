"""condition, switch and split, and when the core reads the user before deciding."""

import pytest

from journey.dsl.core import LoadUser, RunAction
from journey.dsl.nodes.split import bucket

from .runner import Run, action, edge, journey, node

VIP = node("vip", "condition", expression="user.lifetime_value > 500")
BRANCHES = [edge("start", "vip"), edge("vip", "yes", "true"), edge("vip", "no", "false")]


def _vip_run(**options: object) -> Run:
    return Run(journey([VIP, action("yes"), action("no")], BRANCHES), **options)


@pytest.mark.parametrize(("value", "taken"), [(900, "yes"), (100, "no")])
def test_condition_takes_the_branch_of_its_expression(value: int, taken: str) -> None:
    run = _vip_run(user={"lifetime_value": value})
    assert run.state.path == ["start", "vip", taken]
    assert run.state.nodes["vip"] == {"result": value > 500}
    assert run.step("vip").status == "completed"


def test_the_user_is_loaded_before_a_condition_that_reads_it() -> None:
    run = _vip_run()
    assert [type(command) for command in run.commands] == [LoadUser]
    assert run.last(LoadUser).user_id == "u1"
    assert run.state.active_nodes() == ["vip"]
    assert run.step("vip").status == "running"
    run.load_user({"lifetime_value": 900})
    assert run.state.path == ["start", "vip", "yes"]
    assert run.state.user == {"lifetime_value": 900, "id": "u1"}


def test_no_load_when_the_expression_does_not_read_the_user() -> None:
    check = node("check", "condition", expression="input.total > 10")
    edges = [edge("start", "check"), edge("check", "big", "true")]
    run = Run(journey([check, action("big")], edges), trigger={"properties": {"total": 20}})
    assert not any(isinstance(command, LoadUser) for command in run.issued)
    assert run.state.path == ["start", "check", "big"]


def test_a_run_without_a_user_never_loads_and_sees_an_empty_user() -> None:
    check = node("check", "condition", expression="has(user.email)")
    edges = [edge("start", "check"), edge("check", "yes", "true"), edge("check", "no", "false")]
    run = Run(journey([check, action("yes"), action("no")], edges), user_id=None)
    assert not any(isinstance(command, LoadUser) for command in run.issued)
    assert run.state.path == ["start", "check", "no"]


def test_a_timer_makes_the_user_stale() -> None:
    nodes = [node("pause", "delay", duration="PT1H"), VIP, action("yes"), action("no")]
    edges = [edge("start", "pause"), edge("pause", "vip"), *BRANCHES[1:]]
    run = Run(journey(nodes, edges), user={"lifetime_value": 100})
    run.fire("pause")
    assert [type(command) for command in run.commands] == [LoadUser]
    run.load_user({"lifetime_value": 1000})
    assert run.state.path[-1] == "yes"


def test_two_nodes_that_need_the_user_share_one_load() -> None:
    nodes = [
        node("fork", "parallel"),
        node("a", "condition", expression="user.x"),
        node("b", "condition", expression="user.x"),
    ]
    run = Run(journey(nodes, [edge("start", "fork"), edge("fork", "a"), edge("fork", "b")]))
    assert [type(command) for command in run.commands] == [LoadUser]
    run.load_user({"x": True})
    assert run.state.nodes["a"] == run.state.nodes["b"] == {"result": True}
    assert run.state.status == "completed"


def test_an_expression_error_fails_the_run_on_that_step() -> None:
    run = _vip_run(user={})
    assert run.state.status == "failed"
    assert run.step("vip").status == "failed"
    assert run.state.error == "vip: 'user.lifetime_value > 500': no such field 'lifetime_value'"
    assert run.finish().reason == run.state.error


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1", "expression gave int, not a boolean"),
        ("1 / 0 == 1", "division by zero"),
        ("[1][3] == 1", "index"),
    ],
)
def test_bad_values_fail_the_run_with_a_clear_error(expression: str, message: str) -> None:
    check = node("check", "condition", expression=expression)
    run = Run(journey([check], [edge("start", "check")]))
    assert run.state.status == "failed"
    assert run.state.error is not None
    assert run.state.error.startswith("check: ")
    assert message in run.state.error


def test_switch_takes_the_first_true_case_else_default() -> None:
    switch = node(
        "tier",
        "switch",
        cases=[
            {"id": "gold", "expression": "input.spent > 1000"},
            {"id": "silver", "expression": "input.spent > 100"},
        ],
    )
    edges = [
        edge("start", "tier"),
        edge("tier", "g", "gold"),
        edge("tier", "s", "silver"),
        edge("tier", "d", "default"),
    ]
    definition = journey([switch, action("g"), action("s"), action("d")], edges)
    for spent, taken in [(5000, "g"), (500, "s"), (5, "d")]:
        run = Run(definition, trigger={"properties": {"spent": spent}})
        assert run.state.path == ["start", "tier", taken]
    assert run.state.nodes["tier"] == {"case": "default"}


def test_a_branch_without_an_edge_ends_that_branch() -> None:
    run = Run(journey([node("check", "condition", expression="false")], [edge("start", "check")]))
    assert run.state.status == "completed"
    assert run.state.path == ["start", "check"]


def test_split_is_sticky_per_user_and_node() -> None:
    split = node("ab", "split", variants=[{"id": "a", "weight": 1}, {"id": "b", "weight": 1}])
    definition = journey(
        [split, action("a"), action("b")], [edge("start", "ab"), edge("ab", "a", "a"), edge("ab", "b", "b")]
    )
    for user_id in ("u1", "u2", "u3", "u4"):
        expected = "a" if bucket(user_id, "ab", 2) == 0 else "b"
        first = Run(definition, user_id=user_id)
        again = Run(definition, user_id=user_id)
        assert first.state.path[-1] == again.state.path[-1] == expected
        assert first.state.nodes["ab"] == {"variant": expected}
    assert not any(isinstance(command, LoadUser) for command in first.issued)


def test_the_action_context_carries_the_decisions_so_far() -> None:
    run = _vip_run(user={"lifetime_value": 600})
    assert run.last(RunAction, "yes").context["nodes"]["vip"] == {"result": True}
    assert run.last(RunAction, "yes").context["user"] == {"lifetime_value": 600, "id": "u1"}
