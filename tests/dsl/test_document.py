"""The document models: configs parsed by the registry, unknown fields refused, round trips."""

import pytest
from pydantic import ValidationError

from journey.dsl import NODE_TYPES, Journey


def _journey(*nodes: dict, edges: list[dict] | None = None) -> dict:
    return {"key": "demo", "name": "Demo", "nodes": list(nodes), "edges": edges or []}


TRIGGER = {"id": "start", "type": "trigger", "config": {"kind": "event", "event": "cart_*"}}


def test_config_is_parsed_by_the_registered_model() -> None:
    journey = Journey.model_validate(
        _journey(TRIGGER, {"id": "c", "type": "condition", "config": {"expression": "user.vip"}})
    )
    condition = journey.node("c")
    assert isinstance(condition.config, NODE_TYPES["condition"].config_model)
    assert condition.config.expression == "user.vip"  # type: ignore[attr-defined]


def test_unknown_fields_are_errors_not_dropped() -> None:
    node = {"id": "c", "type": "condition", "config": {"expression": "true", "expresion": "x"}}
    with pytest.raises(ValidationError, match="expresion"):
        Journey.model_validate(_journey(TRIGGER, node))
    with pytest.raises(ValidationError, match="colour"):
        Journey.model_validate({**_journey(TRIGGER), "colour": "red"})


def test_action_fields_only_on_actions() -> None:
    node = {"id": "c", "type": "condition", "config": {"expression": "true"}, "retry": {}}
    with pytest.raises(ValidationError, match="only apply to action nodes"):
        Journey.model_validate(_journey(TRIGGER, node))


def test_document_round_trips_with_iso_durations() -> None:
    wait = {
        "id": "w",
        "type": "wait_for_event",
        "config": {"event": "order_completed", "timeout": 14400},
    }
    mail = {
        "id": "m",
        "type": "send_email",
        "config": {"to": "{{ user.email }}", "subject": "Hi", "text": "x", "from": "a@b.c"},
        "retry": {"max_attempts": 5},
    }
    journey = Journey.model_validate(_journey(TRIGGER, wait, mail))
    document = journey.to_document()
    assert document["nodes"][1]["config"]["timeout"] == "PT4H"
    assert document["nodes"][2]["config"]["from"] == "a@b.c"
    assert document["nodes"][2]["retry"]["initial_interval"] == "PT1S"
    assert Journey.model_validate(document).to_document() == document


@pytest.mark.parametrize(
    ("node_type", "config", "message"),
    [
        ("delay", {"duration": "PT1H", "until": "2030-01-01T00:00:00Z"}, "exactly one"),
        ("delay", {"duration": "-PT1H"}, "positive"),
        ("split", {"variants": [{"id": "a", "weight": 0}, {"id": "b", "weight": 0}]}, "more than 0"),
        ("switch", {"cases": [{"id": "default", "expression": "true"}]}, "fallback"),
        ("loop", {"foreach": "[1]", "while": "true", "max_iterations": 3}, "exactly one"),
        ("loop", {"foreach": "[1]", "max_iterations": 10001}, "10000"),
        ("send_email", {"to": "a@b.c", "subject": "s"}, "needs a body"),
        ("update_attributes", {}, "changes nothing"),
    ],
)
def test_config_rules(node_type: str, config: dict, message: str) -> None:
    node = {"id": "n", "type": node_type, "config": config}
    with pytest.raises(ValidationError, match=message):
        Journey.model_validate(_journey(TRIGGER, node))
