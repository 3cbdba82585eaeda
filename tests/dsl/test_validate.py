"""validate(): every code with a case that raises it and a near miss that does not, exact paths and
node ids, hostile inputs that must never raise, and parse()."""

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bench.validate_bench import build_journey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey.dsl import CODES, NODE_TYPES, DocumentInvalid, Issue, Journey, has_errors
from journey.dsl.validate import parse, validate

EXAMPLE: dict[str, Any] = {
    "dsl_version": "1",
    "key": "abandoned-cart",
    "name": "Abandoned cart",
    "description": "Nudge users who leave a cart behind.",
    "settings": {
        "reentry": "when_not_active",
        "exit_on": [
            {"event": "order_completed", "filter": "event.properties.cart_id == trigger.properties.cart_id"}
        ],
        "quiet_hours": {"start": "21:00", "end": "08:00", "timezone": "{{ user.timezone | default('UTC') }}"},
        "max_duration": "P90D",
    },
    "nodes": [
        {
            "id": "start",
            "type": "trigger",
            "name": "Cart updated",
            "config": {"kind": "event", "event": "cart_updated", "filter": "event.properties.total > 0"},
            "position": {"x": 0, "y": 0},
        },
        {
            "id": "wait_order",
            "type": "wait_for_event",
            "config": {
                "event": "order_completed",
                "filter": "event.properties.cart_id == trigger.properties.cart_id",
                "timeout": "PT4H",
            },
        },
        {"id": "is_vip", "type": "condition", "config": {"expression": "user.lifetime_value > 500"}},
        {
            "id": "mail",
            "type": "send_email",
            "config": {
                "to": "{{ user.email }}",
                "subject": "You left {{ trigger.properties.items | length }} items",
                "text": "Hi {{ user.first_name }}, your cart is waiting.",
            },
            "retry": {"max_attempts": 5, "initial_interval": "PT1S", "backoff": 2.0, "max_interval": "PT1M"},
        },
        {"id": "done", "type": "end", "config": {"status": "completed"}},
    ],
    "edges": [
        {"id": "e1", "source": "start", "target": "wait_order"},
        {"id": "e2", "source": "wait_order", "target": "done", "branch": "event"},
        {"id": "e3", "source": "wait_order", "target": "is_vip", "branch": "timeout"},
        {"id": "e4", "source": "is_vip", "target": "mail", "branch": "true"},
        {"id": "e5", "source": "is_vip", "target": "done", "branch": "false"},
        {"id": "e6", "source": "mail", "target": "done"},
    ],
}
"""The example of the DSL contract (docs/dsl.md), verbatim."""

START, WAIT, IS_VIP, MAIL = range(4)
EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.json"))

Change = Callable[[dict[str, Any]], object]
"""Edits a copy of the example in place."""


def _changed(change: Change) -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    change(document)
    return document


def _add_node(document: dict[str, Any], node: dict[str, Any], *edges: tuple[str, str, str | None]) -> None:
    document["nodes"].append(node)
    for source, target, branch in edges:
        edge = {"source": source, "target": target}
        document["edges"].append(edge if branch is None else {**edge, "branch": branch})


def _edge(document: dict[str, Any], edge_id: str) -> dict[str, Any]:
    return next(edge for edge in document["edges"] if edge.get("id") == edge_id)


def _only(issues: list[Issue], code: str) -> Issue:
    found = [item for item in issues if item.code == code]
    assert len(found) == 1, f"expected one {code}, got {issues}"
    return found[0]


def _codes(document: Any) -> set[str]:
    return {item.code for item in validate(document)}


# --- clean documents ------------------------------------------------------------------------------


def test_the_dsl_example_is_valid() -> None:
    assert validate(EXAMPLE) == []
    journey = parse(EXAMPLE)
    assert isinstance(journey, Journey)
    assert journey.node("is_vip").config.expression == "user.lifetime_value > 500"  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_the_shipped_examples_are_valid(path: Path) -> None:
    assert validate(json.loads(path.read_text())) == []


def test_a_realistic_journey_with_every_node_type_is_valid() -> None:
    document = build_journey(300)
    assert {node["type"] for node in document["nodes"]} == set(NODE_TYPES.names())
    assert validate(document) == []


# --- one case per code, each with a near miss ------------------------------------------------------


def _unchanged(document: dict[str, Any]) -> None:
    """The near miss of a case whose only miss is the valid example itself."""


def _config(index: int, config: dict[str, Any]) -> Change:
    return lambda document: document["nodes"][index].update(config=config)


def _set(index: int, **fields: Any) -> Change:
    return lambda document: document["nodes"][index].update(fields)


def _top(**fields: Any) -> Change:
    return lambda document: document.update(fields)


def _edit_edge(edge_id: str, **fields: Any) -> Change:
    return lambda document: _edge(document, edge_id).update(fields)


def _drop_edge(edge_id: str) -> Change:
    return lambda document: document["edges"].remove(_edge(document, edge_id))


def _new_edge(source: str, target: str, **fields: Any) -> Change:
    return lambda document: document["edges"].append({"source": source, "target": target, **fields})


def _settings(part: str, **fields: Any) -> Change:
    def change(document: dict[str, Any]) -> None:
        target = document["settings"][part]
        (target[0] if isinstance(target, list) else target).update(fields)

    return change


def _schedule(cron: str, timezone: str = "UTC") -> Change:
    return _config(START, {"kind": "schedule", "cron": cron, "timezone": timezone})


def _second_trigger(document: dict[str, Any]) -> None:
    _add_node(
        document, {"id": "again", "type": "trigger", "config": {"kind": "manual"}}, ("again", "is_vip", None)
    )


def _lost_log(reached: bool) -> Change:
    """A log node going to done; when ``reached``, the mail leads to it."""

    def change(document: dict[str, Any]) -> None:
        _add_node(document, {"id": "lost", "type": "log", "config": {"message": "x"}}, ("lost", "done", None))
        if reached:
            _edge(document, "e6")["target"] = "lost"

    return change


def _loop(body_back: bool) -> Change:
    """is_vip's true branch goes to a loop whose body is the mail; the mail goes back to the
    loop, or (an open body) to the end."""

    def change(document: dict[str, Any]) -> None:
        _edge(document, "e4")["target"] = "each"
        loop = {"id": "each", "type": "loop", "config": {"foreach": "input.items", "max_iterations": 10}}
        _add_node(document, loop, ("each", "mail", "body"), ("each", "done", "done"))
        _edge(document, "e6")["target"] = "each" if body_back else "done"

    return change


def _parallel(branches: int) -> Change:
    """The mail goes to a parallel node with ``branches`` log branches that meet at a join."""

    def change(document: dict[str, Any]) -> None:
        _edge(document, "e6")["target"] = "fork"
        document["nodes"].append({"id": "fork", "type": "parallel"})
        if branches:
            _add_node(document, {"id": "join", "type": "join"}, ("join", "done", None))
        for number in range(branches):
            log = {"id": f"log{number}", "type": "log", "config": {"message": "x"}}
            _add_node(document, log, ("fork", f"log{number}", None), (f"log{number}", "join", None))

    return change


def _merge_without_fork(document: dict[str, Any]) -> None:
    """is_vip's two branches meet at a join: two inputs, but no parallel before it."""
    _edge(document, "e5")["target"] = "join"
    _edge(document, "e6")["target"] = "join"
    _add_node(document, {"id": "join", "type": "join"}, ("join", "done", None))


def _subjourney(journey: str) -> Change:
    return _set(MAIL, type="subjourney", config={"journey": journey}, retry=None)


def _case(code: str, bad: Change, good: Change, path: str, node_id: str | None = None) -> Any:
    return pytest.param(code, bad, good, path, node_id, id=code)


CASES = [
    _case("invalid_field", _top(key="Abandoned Cart"), _top(key="cart-2"), "/key"),
    _case(
        "invalid_field", _set(MAIL, position={"x": "left", "y": 0}), _unchanged, "/nodes/3/position/x", "mail"
    ),
    _case("invalid_field", _edit_edge("e6", source="a b"), _unchanged, "/edges/5/source"),
    _case("unknown_field", _top(colour="red"), _top(metadata={"colour": "red"}), "/colour"),
    _case("unknown_field", _set(MAIL, colour="red"), _set(MAIL, name="red"), "/nodes/3/colour", "mail"),
    _case("missing_field", lambda d: d.pop("name"), lambda d: d.pop("description"), "/name"),
    _case(
        "missing_field",
        lambda d: _edge(d, "e6").pop("target"),
        lambda d: _edge(d, "e6").pop("id"),
        "/edges/5/target",
    ),
    _case("unknown_node_type", _set(MAIL, type="sms"), _unchanged, "/nodes/3/type", "mail"),
    _case("invalid_config", _config(IS_VIP, {}), _unchanged, "/nodes/2/config/expression", "is_vip"),
    _case(
        "invalid_config",
        _config(IS_VIP, {"expression": "x", "expresion": "y"}),
        _unchanged,
        "/nodes/2/config/expresion",
        "is_vip",
    ),
    _case(
        "invalid_config",
        _config(START, {"kind": "event", "event": "a", "filter": 3}),
        _unchanged,
        "/nodes/0/config/filter",
        "start",
    ),
    _case(
        "invalid_config",
        _config(START, {"kind": "sms"}),
        _config(START, {"kind": "manual"}),
        "/nodes/0/config/kind",
        "start",
    ),
    _case(
        "invalid_config",
        _schedule("0 9 * * *", "Mars/Base"),
        _schedule("0 9 * * *", "Europe/Paris"),
        "/nodes/0/config/timezone",
        "start",
    ),
    _case(
        "invalid_config",
        _config(WAIT, {"event": "e", "timeout": "soon"}),
        _config(WAIT, {"event": "e", "timeout": 60}),
        "/nodes/1/config/timeout",
        "wait_order",
    ),
    _case(
        "action_only_field",
        _set(IS_VIP, on_error="continue"),
        _set(MAIL, on_error="continue"),
        "/nodes/2/on_error",
        "is_vip",
    ),
    _case("duplicate_node_id", _set(IS_VIP, id="mail"), _set(IS_VIP, id="mail2"), "/nodes/3/id", "mail"),
    _case("duplicate_edge_id", _edit_edge("e6", id="e1"), _edit_edge("e6", id="e7"), "/edges/5"),
    _case("no_trigger", _set(START, type="log", config={"message": "hi"}), _unchanged, "/nodes"),
    _case("multiple_triggers", _second_trigger, _unchanged, "/nodes/5", "again"),
    _case("edge_unknown_source", _edit_edge("e6", source="ghost"), _unchanged, "/edges/5/source"),
    _case("edge_unknown_target", _edit_edge("e6", target="ghost"), _unchanged, "/edges/5/target"),
    _case(
        "edge_from_end",
        _new_edge("done", "mail"),
        _new_edge("mail", "done", id="e7"),
        "/edges/6/source",
        "done",
    ),
    _case("edge_into_trigger", _edit_edge("e6", target="start"), _unchanged, "/edges/5/target", "start"),
    _case("missing_branch", _drop_edge("e5"), _edit_edge("e5", target="mail"), "/nodes/2", "is_vip"),
    _case("missing_branch", _parallel(branches=0), _parallel(branches=2), "/nodes/5", "fork"),
    _case("unknown_branch", _edit_edge("e5", branch="maybe"), _unchanged, "/edges/4/branch", "is_vip"),
    _case("unknown_branch", _edit_edge("e6", branch="next"), _unchanged, "/edges/5/branch", "mail"),
    _case("duplicate_branch", _edit_edge("e5", branch="true"), _unchanged, "/edges/4/branch", "is_vip"),
    _case("duplicate_branch", _new_edge("mail", "done", id="e7"), _unchanged, "/edges/6/source", "mail"),
    _case("branch_required", lambda d: _edge(d, "e5").pop("branch"), _unchanged, "/edges/4/branch", "is_vip"),
    _case("unreachable_node", _lost_log(reached=False), _lost_log(reached=True), "/nodes/5", "lost"),
    _case(
        "cycle_without_loop", _edit_edge("e6", target="is_vip"), _loop(body_back=True), "/nodes/2", "is_vip"
    ),
    _case("loop_body_open", _loop(body_back=False), _loop(body_back=True), "/nodes/5", "each"),
    _case("join_needs_two_inputs", _parallel(branches=1), _parallel(branches=2), "/nodes/6", "join"),
    _case("join_outside_parallel", _merge_without_fork, _parallel(branches=2), "/nodes/5", "join"),
    _case(
        "invalid_expression",
        _config(IS_VIP, {"expression": "user.ltv >"}),
        _unchanged,
        "/nodes/2/config/expression",
        "is_vip",
    ),
    _case(
        "invalid_expression",
        _settings("exit_on", filter="event.(x"),
        _unchanged,
        "/settings/exit_on/0/filter",
    ),
    _case(
        "secrets_in_expression",
        _config(IS_VIP, {"expression": "secrets.t == 'x'"}),
        _config(IS_VIP, {"expression": "user.t == 'x'"}),
        "/nodes/2/config/expression",
        "is_vip",
    ),
    _case(
        "invalid_template",
        _config(MAIL, {"to": "{{ user.email", "subject": "s", "text": "t"}),
        _config(MAIL, {"to": "{ user.email", "subject": "s", "text": "t"}),
        "/nodes/3/config/to",
        "mail",
    ),
    _case(
        "invalid_template",
        _settings("quiet_hours", timezone="{{ user.tz | }}"),
        _unchanged,
        "/settings/quiet_hours/timezone",
    ),
    _case(
        "invalid_cron",
        _schedule("61 9 * * *"),
        _schedule("59 9 * * MON-FRI"),
        "/nodes/0/config/cron",
        "start",
    ),
    _case(
        "invalid_timezone",
        _settings("quiet_hours", timezone="Paris"),
        _settings("quiet_hours", timezone="Europe/Paris"),
        "/settings/quiet_hours/timezone",
    ),
    _case(
        "subjourney_calls_itself",
        _subjourney("abandoned-cart"),
        _subjourney("loyalty"),
        "/nodes/3/config/journey",
        "mail",
    ),
    _case("path_without_end", _drop_edge("e6"), _unchanged, "/nodes/3", "mail"),
]


@pytest.mark.parametrize(("code", "bad", "good", "path", "node_id"), CASES)
def test_each_code_is_raised_where_it_applies(
    code: str, bad: Change, good: Change, path: str, node_id: str | None
) -> None:
    found = _only(validate(_changed(bad)), code)
    assert (found.path, found.node_id) == (path, node_id)
    assert found.severity == ("warning" if code in {"path_without_end", "join_outside_parallel"} else "error")
    assert code not in _codes(_changed(good))


def test_every_code_has_a_case_and_an_explanation() -> None:
    covered = {case.values[0] for case in CASES} | {"invalid_document"}
    assert covered == set(CODES)
    assert all(explanation.endswith(".") and len(explanation) < 100 for explanation in CODES.values())


@pytest.mark.parametrize("document", [None, "journey", 3, 2.5, True, [], [EXAMPLE]])
def test_anything_but_an_object_is_an_invalid_document(document: Any) -> None:
    assert [(item.code, item.path) for item in validate(document)] == [("invalid_document", "")]


def test_an_empty_object_is_missing_its_fields_but_is_a_document() -> None:
    issues = validate({})
    assert "invalid_document" not in {item.code for item in issues}
    assert {(item.code, item.path) for item in issues} >= {
        ("missing_field", "/key"),
        ("missing_field", "/nodes"),
    }


# --- what the issues say and where ------------------------------------------------------------------


def test_a_cel_error_names_the_node_the_field_and_the_column() -> None:
    found = _only(
        validate(_changed(_config(IS_VIP, {"expression": "user.ltv > 500 &&"}))), "invalid_expression"
    )
    assert (found.line, found.column) == (1, 18)
    assert found.message.startswith("Condition 'is_vip': expression does not compile at column 18: ")
    assert "expecting" not in found.message


def test_a_cel_error_on_a_later_line_gives_line_and_column() -> None:
    found = _only(
        validate(_changed(_config(IS_VIP, {"expression": "user.a &&\n  (user.b ||"}))), "invalid_expression"
    )
    assert (found.line, found.column) == (2, 13)
    assert "at line 2, column 13" in found.message


def test_cel_inside_nested_configs_points_at_the_case() -> None:
    switch = {
        "cases": [{"id": "gold", "expression": "user.tier == 'gold'"}, {"id": "x", "expression": "1 +"}]
    }
    document = _changed(_config(IS_VIP, switch))
    document["nodes"][IS_VIP]["type"] = "switch"
    for edge, branch in ((_edge(document, "e4"), "gold"), (_edge(document, "e5"), "default")):
        edge["branch"] = branch
    document["edges"].append({"source": "is_vip", "target": "done", "branch": "x"})
    issues = validate(document)
    assert [(item.code, item.path) for item in issues] == [
        ("invalid_expression", "/nodes/2/config/cases/1/expression")
    ]
    assert issues[0].message.startswith("Switch 'is_vip': cases.1.expression does not compile")


def test_templates_inside_json_values_point_at_the_string() -> None:
    hook = {
        "url": "https://x.test/{{ user.id }}",
        "body": {"items": ["ok", "{{ bad }"]},
        "headers": {"X/Y": "{% if %}"},
    }
    document = _changed(_config(MAIL, hook))
    document["nodes"][MAIL]["type"] = "webhook"
    paths = {item.path for item in validate(document) if item.code == "invalid_template"}
    assert paths == {"/nodes/3/config/body/items/1", "/nodes/3/config/headers/X~1Y"}


def test_a_template_with_an_unknown_filter_is_invalid() -> None:
    document = _changed(lambda d: d["nodes"][MAIL]["config"].update(subject="{{ user.name | shout }}"))
    found = _only(validate(document), "invalid_template")
    assert (
        found.message
        == "Send email 'mail': subject is not a valid template at line 1: No filter named 'shout'."
    )


def test_a_broken_node_hides_nothing_else() -> None:
    document = _changed(_set(IS_VIP, id="is vip", config={"expression": "user.x >"}))
    document["nodes"][MAIL]["type"] = "sms"
    document["nodes"][WAIT]["config"]["timeout"] = "later"
    _edge(document, "e2").update(target="nowhere")
    found = {(item.code, item.path) for item in validate(document)}
    assert found >= {
        ("invalid_field", "/nodes/2/id"),
        ("invalid_expression", "/nodes/2/config/expression"),
        ("unknown_node_type", "/nodes/3/type"),
        ("invalid_config", "/nodes/1/config/timeout"),
        ("edge_unknown_target", "/edges/1/target"),
    }


def test_an_unknown_type_gives_no_follow_up_config_error() -> None:
    issues = validate(_changed(_set(MAIL, type="sms", config={"anything": [1, 2]})))
    assert [item.code for item in issues if item.node_id == "mail"] == ["unknown_node_type"]
    assert "use one of condition, delay" in issues[0].message


def test_action_only_fields_are_each_reported_once() -> None:
    issues = validate(_changed(_set(IS_VIP, retry={"max_attempts": 2}, timeout="PT1S")))
    assert [(item.code, item.path) for item in issues] == [
        ("action_only_field", "/nodes/2/retry"),
        ("action_only_field", "/nodes/2/timeout"),
    ]


def test_messages_speak_plainly() -> None:
    document = _changed(lambda d: d.update(key="Bad Key"))
    document["nodes"][MAIL]["config"].pop("to")
    document["nodes"][WAIT]["config"]["timeout"] = "soon"
    messages = {item.path: item.message for item in validate(document)}
    assert (
        messages["/key"]
        == "Journey: key: must be lowercase letters, digits and '-', starting with a letter or digit"
    )
    assert messages["/nodes/3/config/to"] == "Send email 'mail': to is required"
    assert messages["/nodes/1/config/timeout"] == (
        "Wait for event 'wait_order': timeout: "
        "must be a duration such as PT30S or P3D, or a number of seconds"
    )


def test_a_config_rule_of_the_model_is_reported_on_the_config() -> None:
    document = _changed(_config(MAIL, {"duration": "PT1H", "until": "{{ user.renewal }}"}))
    document["nodes"][MAIL] = {**document["nodes"][MAIL], "type": "delay", "retry": None}
    found = _only(validate(document), "invalid_config")
    assert found.path == "/nodes/3/config"
    assert found.message == "Delay 'mail': set exactly one of duration, until or time_of_day"


def test_json_nested_beyond_the_limit_is_reported_at_a_real_path() -> None:
    body: Any = "{{ user.id }}"
    for _ in range(400):
        body = [body]
    document = _changed(_set(MAIL, type="webhook", config={"url": "https://x.test", "body": body}))
    found = _only(validate(document), "invalid_config")
    assert found.path is not None
    assert found.path.startswith("/nodes/3/config/body/0/0/0/")
    assert set(found.path.removeprefix("/nodes/3/config/body/").split("/")) == {"0"}
    assert "body.0.0.0.....0.0.0" in found.message


def test_derived_edge_ids_that_repeat_are_duplicates() -> None:
    document = _changed(lambda d: d["edges"].append({"source": "mail", "target": "done"}))
    _edge(document, "e6").pop("id")
    found = _only(validate(document), "duplicate_edge_id")
    assert (found.edge_id, found.path) == ("mail-done", "/edges/6")


def test_a_self_loop_is_a_cycle() -> None:
    document = _changed(lambda d: d["edges"].append({"source": "mail", "target": "mail"}))
    assert _only(validate(document), "cycle_without_loop").node_id == "mail"


def test_a_cycle_inside_a_loop_body_that_avoids_the_loop_is_reported() -> None:
    document = _changed(_loop(body_back=True))
    _add_node(document, {"id": "again", "type": "log", "config": {"message": "x"}}, ("mail", "again", None))
    document["edges"].append({"source": "again", "target": "mail"})
    found = _only(validate(document), "cycle_without_loop")
    assert "'mail', 'again'" in found.message or "'again', 'mail'" in found.message


def test_a_long_chain_is_checked_without_recursion_limits() -> None:
    chain = [{"id": f"n{i}", "type": "log", "config": {"message": "x"}} for i in range(3000)]
    document = {
        "key": "long",
        "name": "Long",
        "nodes": [{"id": "start", "type": "trigger", "config": {"kind": "manual"}}, *chain],
        "edges": [
            {"source": "start", "target": "n0"},
            *({"source": f"n{i}", "target": f"n{i + 1}"} for i in range(2999)),
            {"source": "n2999", "target": "n0"},
        ],
    }
    assert [item.code for item in validate(document)] == ["cycle_without_loop"]


# --- parse -----------------------------------------------------------------------------------------


def test_parse_raises_with_every_issue() -> None:
    document = _changed(_config(IS_VIP, {"expression": "1 +"}))
    document["edges"].pop()
    with pytest.raises(DocumentInvalid) as raised:
        parse(document)
    assert {item.code for item in raised.value.issues} == {"invalid_expression", "path_without_end"}
    assert isinstance(raised.value, ValueError)
    assert "Condition 'is_vip': expression does not compile" in str(raised.value)


def test_parse_accepts_warnings() -> None:
    document = _changed(lambda d: d["edges"].pop())
    assert not has_errors(validate(document))
    assert parse(document).key == "abandoned-cart"


# --- hostile input ---------------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
_field_names = st.sampled_from(["id", "type", "config", "retry", "timeout", "on_error", "position", "name"])
_node_types = st.sampled_from([*NODE_TYPES.names(), "nope"])


def _config_field_names() -> list[str]:
    """Every config field name of every node type (and of the trigger's kinds)."""
    names = {"kind", "cron", "event", "filter", "timezone", "cases", "variants"}
    for spec in NODE_TYPES:
        names.update(info.alias or name for name, info in spec.config_model.model_fields.items())
    return sorted(names)


_CONFIG_FIELDS = _config_field_names()


@st.composite
def _hostile_nodes(draw: st.DrawFn) -> dict[str, Any]:
    """Nodes whose fields are mostly of the right shape, so validation goes deep before failing."""
    node: dict[str, Any] = {
        "id": draw(st.sampled_from(["a", "b", "start", "a b", ""])),
        "type": draw(_node_types),
    }
    node["config"] = draw(st.dictionaries(st.sampled_from(_CONFIG_FIELDS), _json | st.text(), max_size=5))
    node.update(draw(st.dictionaries(_field_names, _json, max_size=2)))
    return node


@st.composite
def _hostile_documents(draw: st.DrawFn) -> dict[str, Any]:
    document: dict[str, Any] = {"key": draw(st.sampled_from(["k", "abandoned-cart", "Bad"])), "name": "n"}
    document["nodes"] = draw(st.lists(_hostile_nodes() | _json, max_size=6))
    edge = st.fixed_dictionaries(
        {"source": st.sampled_from(["a", "b", "start", 3]), "target": st.sampled_from(["a", "b", "start"])},
        optional={
            "branch": st.sampled_from(["true", "body", "x", None, 1]),
            "id": st.sampled_from(["e", "e", 2]),
        },
    )
    document["edges"] = draw(st.lists(edge | _json, max_size=6))
    document.update(
        draw(st.dictionaries(st.sampled_from(["settings", "annotations", "metadata", "x"]), _json))
    )
    return document


def _never_raises(document: Any) -> None:
    issues = validate(document)
    assert all(item.code in CODES for item in issues)
    json.dumps([item.model_dump() for item in issues])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_json)
def test_any_json_value_is_reported_never_raised(document: Any) -> None:
    _never_raises(document)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_hostile_documents())
def test_half_written_documents_are_reported_never_raised(document: dict[str, Any]) -> None:
    _never_raises(document)


_TOKENS = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "user",
    ".",
    "(",
    ")",
    "[",
    "]",
    "|",
    "'",
    '"',
    "\\",
    " ",
    "\n",
]
_source_like = st.text(max_size=40) | st.lists(
    st.sampled_from([*_TOKENS, "&&", "?", ":", "1", "*", "/", "-"])
).map("".join)
"""Random text, and text made of the tokens of CEL, Jinja and cron, which reaches their parsers."""


@settings(max_examples=300, deadline=None)
@given(_source_like, _source_like, _source_like)
def test_any_expression_template_cron_or_zone_is_reported_never_raised(
    text: str, cron: str, zone: str
) -> None:
    document = _changed(_config(IS_VIP, {"expression": text}))
    document["nodes"][MAIL]["config"]["subject"] = text
    document["nodes"][START]["config"] = {"kind": "schedule", "cron": cron, "timezone": zone}
    document["settings"]["quiet_hours"]["timezone"] = zone
    _never_raises(document)


def test_a_node_without_config_names_the_missing_fields_under_config() -> None:
    document = {
        "key": "no-config",
        "name": "No config",
        "nodes": [
            {"id": "t", "type": "trigger", "config": {"kind": "manual"}},
            {"id": "m", "type": "send_email"},
        ],
        "edges": [{"source": "t", "target": "m"}],
    }

    missing = {issue.path: issue.message for issue in validate(document) if issue.code == "invalid_config"}

    assert missing == {
        "/nodes/1/config/to": "Send email 'm': to is required",
        "/nodes/1/config/subject": "Send email 'm': subject is required",
    }
