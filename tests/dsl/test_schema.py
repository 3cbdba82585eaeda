"""The JSON Schema and the node-types payload: shaped for Ajv2020, true to the models.

No JSON Schema validator is installed here, so the tests check the structure that decides what
the schema accepts: every node type is a variant, each variant's properties are what the model
takes, every $ref resolves, and valid documents use no key the schema does not declare.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from bench.validate_bench import build_journey

from journey.dsl import NODE_TYPES, NodeCategory
from journey.dsl.schema import DIALECT, journey_schema, node_config_schema, node_types_payload
from tests.dsl.test_validate import EXAMPLE

ACTION_ONLY = {"retry", "timeout", "on_error"}


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def _variant(schema: dict[str, Any], node_type: str) -> dict[str, Any]:
    variants = [_resolve(schema, ref) for ref in schema["properties"]["nodes"]["items"]["oneOf"]]
    return next(variant for variant in variants if variant["properties"]["type"]["const"] == node_type)


def _config_properties(schema: dict[str, Any], node: dict[str, Any]) -> set[str]:
    """The config keys the schema declares for this node (the trigger: its kind's variant)."""
    config = _resolve(schema, _variant(schema, node["type"])["properties"]["config"])
    if "oneOf" in config:
        kind = node["config"]["kind"]
        config = next(
            member
            for member in (_resolve(schema, ref) for ref in config["oneOf"])
            if member["properties"]["kind"]["const"] == kind
        )
    return set(config["properties"])


def _undeclared_keys(schema: dict[str, Any], document: dict[str, Any]) -> list[str]:
    """Keys of the document's nodes and configs that the schema (additionalProperties false) refuses."""
    refused = [key for key in document if key not in schema["properties"]]
    for node in document["nodes"]:
        variant = _variant(schema, node["type"])
        refused += [f"{node['id']}.{key}" for key in node if key not in variant["properties"]]
        refused += [
            f"{node['id']}.config.{key}"
            for key in node.get("config", {})
            if key not in _config_properties(schema, node)
        ]
        refused += [f"{node['id']}.{key}" for key in variant["required"] if key not in node]
    return refused


def test_the_document_schema_is_2020_12_with_a_variant_per_node_type() -> None:
    schema = journey_schema()
    assert schema["$schema"] == DIALECT
    items = schema["properties"]["nodes"]["items"]
    assert items["discriminator"] == {"propertyName": "type"}
    assert items["required"] == ["type"]
    assert items["properties"]["type"]["enum"] == [item["type"] for item in node_types_payload()]
    assert len(items["oneOf"]) == len(NODE_TYPES.names())
    for spec in NODE_TYPES:
        variant = _variant(schema, spec.type)
        assert variant["additionalProperties"] is False
        assert ACTION_ONLY & set(variant["properties"]) == (ACTION_ONLY if spec.side_effects else set())
        assert _resolve(schema, variant["properties"]["config"])


def test_config_is_required_only_where_an_empty_config_is_invalid() -> None:
    schema = journey_schema()
    assert "config" in _variant(schema, "condition")["required"]
    assert "config" in _variant(schema, "delay")["required"]
    assert "config" not in _variant(schema, "parallel")["required"]
    assert "config" not in _variant(schema, "end")["required"]


def test_every_reference_resolves_and_no_mapping_is_left_for_ajv() -> None:
    schema = journey_schema()
    for node in _objects(schema):
        if "$ref" in node:
            assert node["$ref"].removeprefix("#/$defs/") in schema["$defs"], node["$ref"]
        if "discriminator" in node:
            assert "mapping" not in node["discriminator"]
            assert node["type"] == "object"
    assert "Node" not in schema["$defs"]
    assert "BaseModel" not in schema["$defs"]


def test_widget_hints_survive_and_durations_take_seconds() -> None:
    schema = journey_schema()
    definitions = schema["$defs"]

    def widget(definition: str, field: str) -> Any:
        found = definitions[definition]["properties"][field]
        return next(node["x-journey-widget"] for node in _objects(found) if "x-journey-widget" in node)

    assert widget("ConditionConfig", "expression") == "cel"
    assert widget("SendEmailConfig", "subject") == "template"
    assert widget("WebhookConfig", "body") == "templated-json"
    assert widget("WaitForEventConfig", "timeout") == "duration"
    assert definitions["WaitForEventConfig"]["properties"]["timeout"]["type"] == ["string", "number"]
    assert widget("JourneySettings", "max_duration") == "duration"


@pytest.mark.parametrize("document", [EXAMPLE, build_journey(200)], ids=["dsl-example", "realistic"])
def test_valid_documents_use_only_what_the_schema_declares(document: dict[str, Any]) -> None:
    assert _undeclared_keys(journey_schema(), document) == []


def test_obviously_wrong_documents_use_what_the_schema_refuses() -> None:
    schema = journey_schema()
    retry_on_condition = {"id": "c", "type": "condition", "config": {"expression": "x"}, "retry": {}}
    config_typo = {"id": "c", "type": "condition", "config": {"expresion": "x"}}
    document = {"key": "k", "name": "n", "colour": "red", "nodes": [retry_on_condition, config_typo]}
    assert _undeclared_keys(schema, document) == ["colour", "c.retry", "c.config.expresion"]
    assert "sms" not in schema["properties"]["nodes"]["items"]["properties"]["type"]["enum"]


def test_each_call_returns_a_fresh_copy() -> None:
    journey_schema()["$defs"].clear()
    node_config_schema("condition")["properties"].clear()
    assert journey_schema()["$defs"]
    assert node_config_schema("condition")["properties"]


def test_node_config_schema_is_self_contained() -> None:
    trigger = node_config_schema("trigger")
    assert trigger["discriminator"] == {"propertyName": "kind"}
    for node in _objects(trigger):
        if "$ref" in node:
            assert node["$ref"].removeprefix("#/$defs/") in trigger["$defs"]
    with pytest.raises(ValueError, match="unknown node type 'sms'"):
        node_config_schema("sms")


def test_node_types_payload_drives_the_palette() -> None:
    payload = node_types_payload()
    categories = [item["category"] for item in payload]
    assert categories == sorted(categories, key=[c.value for c in NodeCategory].index)
    assert categories[0] == "trigger"
    assert {item["type"] for item in payload} == set(NODE_TYPES.names())
    by_type = {item["type"]: item for item in payload}
    assert by_type["switch"]["branches"] == {"kind": "derived", "names": ["default"], "from": "cases[].id"}
    assert by_type["condition"]["branches"] == {"kind": "fixed", "names": ["true", "false"]}
    assert by_type["parallel"]["branches"] == {"kind": "any"}
    assert by_type["webhook"]["side_effects"] is True
    assert by_type["condition"]["config_schema"] == node_config_schema("condition")
    assert set(by_type["send_email"]) == {
        "type",
        "category",
        "title",
        "description",
        "icon",
        "side_effects",
        "config_schema",
        "branches",
    }
