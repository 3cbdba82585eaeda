"""JSON Schemas generated from the models and the registry: what the designer and tools read.

``journey_schema()`` is the whole document (``GET /api/v1/schema``); ``node_types_payload()``
is ``GET /api/v1/node-types``, from which the designer builds its palette and its forms. Both
are pydantic's JSON Schema 2020-12, adjusted so that Ajv2020 in the browser checks exactly what
the models accept:

- ``nodes.items`` is a ``oneOf`` of one variant per node type, each with ``type`` as a
  ``const``, its config schema, and ``retry``/``timeout``/``on_error`` for actions only. The
  ``discriminator`` keyword names ``type`` (Ajv's ``discriminator: true`` option then reports
  the errors of the matching variant only); its OpenAPI ``mapping``, which Ajv refuses, is left
  out, here and in the trigger's ``kind`` union.
- Durations are ISO 8601 strings or numbers of seconds, as the models accept.
- The ``x-journey-widget`` hints (``cel``, ``template``, ``templated-json``, ``duration``) stay:
  the designer picks its editors by them. Ajv needs them declared (``ajv.addKeyword``) or
  ``strict: false``.
"""

import copy
from collections.abc import Iterator
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from journey.dsl.document import Journey
from journey.dsl.registry import NODE_TYPES, NodeCategory, NodeType

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_CATEGORY_ORDER = (NodeCategory.TRIGGER, NodeCategory.ACTION, NodeCategory.FLOW)
_ACTION_ONLY = ("retry", "timeout", "on_error")


def journey_schema() -> dict[str, Any]:
    """The JSON Schema of a journey document (a fresh copy: callers may change it)."""
    return copy.deepcopy(_journey_schema())


def node_config_schema(node_type: str) -> dict[str, Any]:
    """The JSON Schema of one node type's ``config``, self-contained (its own ``$defs``)."""
    spec = NODE_TYPES.get(node_type)
    if spec is None:
        raise ValueError(f"unknown node type {node_type!r}; known: {', '.join(NODE_TYPES.names())}")
    return copy.deepcopy(_config_schema(spec.config_model))


def node_types_payload() -> list[dict[str, Any]]:
    """Every node type as ``GET /api/v1/node-types`` serves it: trigger, then actions, then flow."""
    return [
        {
            "type": spec.type,
            "category": spec.category.value,
            "title": spec.title,
            "description": spec.description,
            "icon": spec.icon,
            "side_effects": spec.side_effects,
            "config_schema": node_config_schema(spec.type),
            "branches": spec.branches.describe(),
        }
        for spec in ordered_node_types()
    ]


def ordered_node_types() -> list[NodeType]:
    """Node types in palette order: by category (trigger, action, flow), then registration."""
    return sorted(NODE_TYPES, key=lambda spec: _CATEGORY_ORDER.index(spec.category))


@cache
def _config_schema(model: type[BaseModel]) -> dict[str, Any]:
    return _for_ajv(model.model_json_schema())


@cache
def _journey_schema() -> dict[str, Any]:
    specs = ordered_node_types()
    mode: JsonSchemaMode = "validation"
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Journey, mode)]
    models += [(spec.config_model, mode) for spec in specs]
    refs, generated = models_json_schema(models, ref_template="#/$defs/{model}")
    definitions: dict[str, Any] = generated["$defs"]
    generic_node = definitions.pop("Node")
    definitions.pop("BaseModel", None)
    variants = []
    for spec in specs:
        name = "".join(word.capitalize() for word in spec.type.split("_")) + "Node"
        if name in definitions:
            raise RuntimeError(f"schema definition {name!r} is taken; rename the config model")
        config_ref = refs[(spec.config_model, mode)]["$ref"]
        definitions[name] = _node_variant(generic_node, spec, config_ref)
        variants.append({"$ref": f"#/$defs/{name}"})
    document = definitions.pop("Journey")
    document["properties"]["nodes"]["items"] = {
        "type": "object",
        "properties": {"type": {"enum": [spec.type for spec in specs]}},
        "required": ["type"],
        "discriminator": {"propertyName": "type"},
        "oneOf": variants,
    }
    return _for_ajv({"$schema": DIALECT, **document, "$defs": definitions})


def _node_variant(generic: dict[str, Any], spec: NodeType, config_ref: str) -> dict[str, Any]:
    """The generic node schema narrowed to one type: its ``type``, its config, its fields."""
    properties = {
        name: value
        for name, value in generic["properties"].items()
        if spec.side_effects or name not in _ACTION_ONLY
    }
    properties["type"] = {"const": spec.type, "type": "string", "title": "Type"}
    properties["config"] = {"$ref": config_ref}
    required = ["id", "type"] if _accepts_empty_config(spec) else ["id", "type", "config"]
    return {
        "title": f"{spec.title} node",
        "description": spec.description,
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": required,
    }


def _accepts_empty_config(spec: NodeType) -> bool:
    """A node may leave ``config`` out when its type needs no settings (it is parsed as ``{}``)."""
    try:
        spec.parse_config({})
    except ValidationError:
        return False
    return True


def _for_ajv(schema: dict[str, Any]) -> dict[str, Any]:
    """Fit Ajv's discriminator (no mapping, an object type) and let durations be seconds too."""
    for node in _objects(schema):
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict):
            discriminator.pop("mapping", None)
            node.setdefault("type", "object")
        if node.get("x-journey-widget") == "duration" and node.get("type") == "string":
            node["type"] = ["string", "number"]
    return schema


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object inside ``value``, ``value`` included."""
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)
