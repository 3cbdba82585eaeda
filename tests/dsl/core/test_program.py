"""compile_journey and the evaluation scope of an expression."""

import pytest

from journey.dsl.core import CoreError, compile_journey
from journey.dsl.core.scope import scope_of

from .runner import Run, action, edge, journey, node

LOOP = node("each", "loop", **{"while": "user.more", "max_iterations": 3})


def test_the_program_indexes_the_journey() -> None:
    wait = node("wait", "wait_for_event", event="paid", filter="event.properties.x == 1", timeout="PT1H")
    nodes = [node("fork", "parallel"), wait, LOOP, action("a")]
    edges = [
        edge("start", "fork"),
        edge("fork", "wait"),
        edge("fork", "each"),
        edge("each", "a", "body"),
        edge("a", "each"),
        edge("wait", "a", "event"),
    ]
    program = compile_journey(
        journey(nodes, edges, {"exit_on": [{"event": "bye", "filter": "user.gone"}]}), 4
    )
    assert (program.key, program.version, program.trigger_id) == ("test", 4, "start")
    assert program.targets("each", "body") == ("a",)
    assert program.targets("each", "done") == ()
    assert program.successors["fork"] == ("wait", "each")
    assert program.incoming["a"] == 2
    assert program.awaited_events == frozenset({"paid"})
    assert set(program.expressions) == {"event.properties.x == 1", "user.more", "user.gone"}
    assert program.user_expressions == frozenset({"each"})
    assert program.configs["each"] == {"while": "user.more", "max_iterations": 3}


def test_an_unknown_node_is_a_contract_error() -> None:
    program = compile_journey(journey([], []))
    with pytest.raises(CoreError, match="node 'nope' is not in journey 'test'"):
        program.node("nope")


@pytest.mark.parametrize(
    ("source", "variables", "node_ids"),
    [
        ("user.a", {"user"}, frozenset()),
        ("nodes.each.index > 0 && user.x", {"nodes", "user"}, frozenset({"each"})),
        ("nodes['my-node'].a == 1 || has(nodes.b)", {"nodes"}, frozenset({"my-node", "b"})),
        ("nodes.exists(k, k == 'a')", {"nodes", "k"}, None),
        ("size(nodes) > 1", {"nodes"}, None),
    ],
)
def test_an_expression_sees_only_what_it_reads(
    source: str, variables: set[str], node_ids: frozenset[str] | None
) -> None:
    scope = scope_of(source)
    assert set(scope.variables) == variables
    assert scope.node_ids == node_ids


def test_pruned_and_unpruned_expressions_see_the_outputs() -> None:
    first = node("first-step", "condition", expression="true")
    macro = node(
        "macro", "condition", expression="nodes.exists(k, k == 'first-step') && nodes['first-step'].result"
    )
    edges = [edge("start", "first-step"), edge("first-step", "macro", "true"), edge("macro", "yes", "true")]
    run = Run(journey([first, macro, action("yes")], edges))
    assert run.state.path == ["start", "first-step", "macro", "yes"]
