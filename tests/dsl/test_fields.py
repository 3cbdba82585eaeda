"""Marked strings are found by type in any config shape, and error locations map to document paths."""

from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, Field, RootModel, ValidationError

from journey.dsl import NODE_TYPES, Journey, NodeConfig
from journey.dsl.fields import (
    MarkedString,
    document_path,
    in_document,
    journey_marked_strings,
    marked_strings,
)
from journey.dsl.markers import CelExpression, Template, TemplatedJson


def _found(node_type: str, config: dict[str, object]) -> list[tuple[str, str, str]]:
    parsed = NODE_TYPES[node_type].parse_config(config)
    return [(item.kind, item.path, item.source) for item in marked_strings(parsed, "/c")]


def test_plain_and_optional_fields() -> None:
    assert _found("condition", {"expression": "user.vip"}) == [("cel", "/c/expression", "user.vip")]
    assert _found("wait_for_event", {"event": "e", "timeout": 60}) == []


def test_aliases_are_the_names_of_the_document() -> None:
    assert _found("loop", {"while": "nodes.l.index < 3", "max_iterations": 5}) == [
        ("cel", "/c/while", "nodes.l.index < 3")
    ]
    found = _found("send_email", {"to": "a@b.c", "subject": "s", "text": "t", "from": "{{ user.rep }}"})
    assert ("template", "/c/from", "{{ user.rep }}") in found


def test_lists_of_models() -> None:
    cases = [{"id": "a", "expression": "x == 1"}, {"id": "b", "expression": "x == 2"}]
    assert _found("switch", {"cases": cases}) == [
        ("cel", "/c/cases/0/expression", "x == 1"),
        ("cel", "/c/cases/1/expression", "x == 2"),
    ]


def test_a_root_model_union_adds_no_level() -> None:
    config = {"kind": "event", "event": "cart_*", "filter": "event.total > 0", "key": "{{ event.id }}"}
    assert _found("trigger", config) == [
        ("cel", "/c/filter", "event.total > 0"),
        ("template", "/c/key", "{{ event.id }}"),
    ]
    assert _found("trigger", {"kind": "schedule", "cron": "0 9 * * *", "input": {"a": "{{ x }}"}}) == []


def test_every_string_of_templated_json_and_of_template_dicts() -> None:
    config = {
        "url": "https://x.test",
        "headers": {"X/Auth": "{{ secrets.t }}"},
        "body": {"a": ["{{ user.id }}", 3, {"b~": "lit"}], "n": None},
    }
    assert _found("webhook", config) == [
        ("template", "/c/url", "https://x.test"),
        ("template", "/c/headers/X~1Auth", "{{ secrets.t }}"),
        ("template", "/c/body/a/0", "{{ user.id }}"),
        ("template", "/c/body/a/2/b~0", "lit"),
    ]
    assert _found("webhook", {"url": "u", "body": "{{ user.id }}"})[-1] == (
        "template",
        "/c/body",
        "{{ user.id }}",
    )


def test_journey_marked_strings_cover_nodes_and_settings() -> None:
    journey = Journey.model_validate(
        {
            "key": "k",
            "name": "K",
            "settings": {
                "exit_on": [{"event": "bought", "filter": "event.total > 1"}],
                "quiet_hours": {"start": "21:00", "end": "08:00", "timezone": "{{ user.tz }}"},
            },
            "nodes": [{"id": "t", "type": "trigger", "config": {"kind": "manual"}}],
        }
    )
    assert [(node, item) for node, item in journey_marked_strings(journey)] == [
        (None, MarkedString("cel", "/settings/exit_on/0/filter", "event.total > 1")),
        (None, MarkedString("template", "/settings/quiet_hours/timezone", "{{ user.tz }}")),
    ]


# A config a new node type could declare: markers in nested, optional, keyed and recursive places.


class _Step(BaseModel):
    when: CelExpression
    say: dict[str, Template] = Field(default_factory=dict)
    then: "_Step | None" = None


class _Chat(BaseModel):
    kind: Literal["chat"]
    steps: list[_Step]


class _Silent(BaseModel):
    kind: Literal["silent"]
    note: str


class _NewNodeConfig(NodeConfig):
    flow: Annotated[_Chat | _Silent, Field(discriminator="kind")]
    extra: TemplatedJson = None
    fallback: _Step | None = None


class _Rooted(RootModel[list[_Step]]):
    pass


def test_a_new_node_type_is_covered_by_its_types_alone() -> None:
    config = _NewNodeConfig.model_validate(
        {
            "flow": {
                "kind": "chat",
                "steps": [{"when": "a", "say": {"x": "{{ y }}"}, "then": {"when": "b"}}],
            },
            "extra": ["{{ z }}"],
        }
    )
    assert [(item.kind, item.path) for item in marked_strings(config)] == [
        ("cel", "/flow/steps/0/when"),
        ("template", "/flow/steps/0/say/x"),
        ("cel", "/flow/steps/0/then/when"),
        ("template", "/extra/0"),
    ]
    silent = _NewNodeConfig.model_validate({"flow": {"kind": "silent", "note": "{{ not a template }}"}})
    assert marked_strings(silent) == []
    assert [item.path for item in marked_strings(_Rooted.model_validate([{"when": "a"}]), "/r")] == [
        "/r/0/when"
    ]


# --- pydantic locations -> document paths ---------------------------------------------------------


def _error_paths(model: type[BaseModel], raw: object) -> list[tuple[int | str, ...]]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(raw)
    return [document_path(model, error["loc"]) for error in raised.value.errors()]


def test_discriminated_union_tags_are_not_part_of_the_path() -> None:
    trigger = NODE_TYPES["trigger"].config_model
    assert _error_paths(trigger, {"kind": "event", "event": "", "filter": 3}) == [("event",), ("filter",)]
    raw = {"flow": {"kind": "chat", "steps": [{"when": "a", "then": {"when": 5}}]}}
    assert _error_paths(_NewNodeConfig, raw) == [("flow", "steps", 0, "then", "when")]


def test_paths_follow_aliases_lists_and_dicts() -> None:
    assert _error_paths(NODE_TYPES["loop"].config_model, {"while": 3, "max_iterations": 1}) == [("while",)]
    assert _error_paths(NODE_TYPES["webhook"].config_model, {"url": "u", "headers": {"a": 1}}) == [
        ("headers", "a")
    ]
    assert _error_paths(Journey, {"key": "k", "name": "n", "nodes": [], "settings": {"exit_on": [{}]}}) == [
        ("settings", "exit_on", 0, "event")
    ]


def test_union_labels_are_dropped_when_the_document_has_no_such_level() -> None:
    document = {"body": [[{"a": 1}]], "kind": "event", "event": "x"}
    assert in_document(document, ("body", 0, "list", 0, "dict", "a")) == ("body", 0, 0, "a")
    assert in_document(document, ("body", 0, 0, "missing")) == ("body", 0, 0, "missing")
    assert in_document(document, ("event",)) == ("event",)


def test_unknown_locations_are_kept_as_they_are() -> None:
    assert document_path(Journey, ("colour",)) == ("colour",)
    assert document_path(Journey, ()) == ()
