"""The journey document (DSL version 1): the public contract in ``docs/dsl.md``.

A node's ``config`` is parsed by the model its type declares in the registry, so these models
know no node type by name. ``Journey.model_validate`` raises on the first bad document; use
:func:`journey.dsl.validate` to get every problem as an issue instead.
"""

from datetime import timedelta
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    SerializeAsAny,
    ValidationInfo,
    field_validator,
    model_validator,
)

from journey.dsl import nodes as _nodes  # noqa: F401  (registers the built-in node types)
from journey.dsl.durations import Duration
from journey.dsl.markers import CelExpression, EventName, Template
from journey.dsl.registry import NODE_TYPES, NodeType

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Position(_Strict):
    x: float
    y: float


class Size(_Strict):
    width: float = Field(gt=0)
    height: float = Field(gt=0)


class RetryPolicy(_Strict):
    """How an action is retried; becomes the Temporal activity's RetryPolicy."""

    max_attempts: int = Field(default=3, ge=1, le=100)
    initial_interval: Duration = timedelta(seconds=1)
    backoff: float = Field(default=2.0, ge=1.0, le=10.0)
    max_interval: Duration = timedelta(minutes=1)


class Node(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    type: str
    name: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    config: SerializeAsAny[BaseModel] = Field(default=None, validate_default=True)
    position: Position | None = None
    retry: RetryPolicy | None = Field(default=None, description="Actions only")
    timeout: Duration | None = Field(default=None, description="Actions only: per attempt")
    on_error: Literal["fail", "continue"] | None = Field(default=None, description="Actions only")

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in NODE_TYPES:
            raise ValueError(f"unknown node type {value!r}; known: {', '.join(NODE_TYPES.names())}")
        return value

    @field_validator("config", mode="before")
    @classmethod
    def _parse_config(cls, value: Any, info: ValidationInfo) -> BaseModel:
        node_type = NODE_TYPES.get(info.data.get("type", ""))
        if node_type is None:
            raise ValueError("config cannot be checked: the node type is unknown")
        if isinstance(value, node_type.config_model):
            return value
        return node_type.parse_config({} if value is None else value)

    @model_validator(mode="after")
    def _action_fields_on_actions_only(self) -> "Node":
        if not self.spec.side_effects:
            used = [name for name in ("retry", "timeout", "on_error") if getattr(self, name) is not None]
            if used:
                raise ValueError(f"{', '.join(used)} only apply to action nodes, not {self.type}")
        return self

    @property
    def spec(self) -> NodeType:
        """The registry entry of this node's type."""
        return NODE_TYPES[self.type]

    @property
    def effective_retry(self) -> RetryPolicy:
        return self.retry or RetryPolicy()


class Edge(_Strict):
    id: str | None = Field(default=None, pattern=ID_PATTERN, description="Derived when omitted")
    source: str = Field(pattern=ID_PATTERN)
    target: str = Field(pattern=ID_PATTERN)
    branch: str | None = Field(default=None, max_length=64)

    @property
    def key(self) -> str:
        """The edge's id, or the one derived from its ends and branch."""
        if self.id is not None:
            return self.id
        return f"{self.source}-{self.branch}-{self.target}" if self.branch else f"{self.source}-{self.target}"


class ExitRule(_Strict):
    event: EventName
    filter: CelExpression | None = None


class QuietHours(_Strict):
    start: str = Field(pattern=CLOCK_PATTERN, examples=["21:00"])
    end: str = Field(pattern=CLOCK_PATTERN, examples=["08:00"])
    timezone: Template = Field(default="UTC", examples=["{{ user.timezone | default('UTC') }}"])

    @model_validator(mode="after")
    def _not_empty(self) -> "QuietHours":
        if self.start == self.end:
            raise ValueError("start and end must differ")
        return self


class JourneySettings(_Strict):
    reentry: Literal["always", "once", "when_not_active"] = "when_not_active"
    exit_on: list[ExitRule] = Field(default_factory=list)
    quiet_hours: QuietHours | None = None
    max_duration: Duration | None = None


class Annotation(_Strict):
    """A sticky note or a labelled group on the canvas; the engine ignores it."""

    id: str = Field(pattern=ID_PATTERN)
    kind: Literal["note", "group"]
    text: str = Field(default="", max_length=10_000)
    position: Position
    size: Size | None = None
    nodes: list[str] = Field(default_factory=list, description="Groups: the node ids framed")
    color: str | None = Field(default=None, max_length=32)


class Journey(_Strict):
    """One journey definition, as saved by the designer and versioned by the API."""

    dsl_version: Literal["1"] = "1"
    key: str = Field(pattern=KEY_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    settings: JourneySettings = Field(default_factory=JourneySettings)
    nodes: list[Node]
    edges: list[Edge] = Field(default_factory=list)
    annotations: list[Annotation] = Field(default_factory=list)
    metadata: dict[str, JsonValue] = Field(
        default_factory=dict, description="Free-form data for tools; the engine ignores it"
    )

    def node(self, node_id: str) -> Node:
        return next(node for node in self.nodes if node.id == node_id)

    @property
    def trigger(self) -> Node:
        return next(node for node in self.nodes if node.type == "trigger")

    def to_document(self) -> dict[str, Any]:
        """The JSON document, normalized (durations as ISO 8601, unset options left out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
