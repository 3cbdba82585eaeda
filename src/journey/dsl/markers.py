"""Markers that tell validation, the schema and the designer what a string field holds.

A config field typed ``CelExpression`` is compiled as CEL; one typed ``Template`` (or holding
``TemplatedJson``) is parsed as a Jinja2 template. Validation, the simulator and the engine find
these fields by walking the config models, so a new node type gets all of it by using the types.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, JsonValue


@dataclass(frozen=True)
class CelMarker:
    """The field is a CEL expression, compiled once per definition."""


@dataclass(frozen=True)
class TemplateMarker:
    """The field is a Jinja2 template rendered inside an activity (every string, if JSON)."""

    json: bool = False


CelExpression = Annotated[
    str,
    CelMarker(),
    Field(min_length=1, json_schema_extra={"x-journey-widget": "cel"}),
]
Template = Annotated[str, TemplateMarker(), Field(json_schema_extra={"x-journey-widget": "template"})]
TemplatedJson = Annotated[
    JsonValue,
    TemplateMarker(json=True),
    Field(json_schema_extra={"x-journey-widget": "templated-json"}),
]
"""JSON whose strings are templates (webhook bodies, event properties, attribute values)."""


def is_marked(metadata: list[Any], marker: type) -> Any:
    """Return the first metadata entry of the given marker class, or None."""
    return next((item for item in metadata if isinstance(item, marker)), None)


EventName = Annotated[
    str,
    Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:/-]+$", examples=["order_completed"]),
]
EventPattern = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9_.:/-]+\*?$",
        description="An event name, or a prefix followed by * (cart_*)",
    ),
]
