"""The registry of node types: each type is declared once, here everything else reads it.

Validation, the JSON Schema, ``GET /node-types``, the designer's palette and forms, the
interpreter core, the simulator and the engine all look node types up in ``NODE_TYPES``.
Adding a node type is one module in ``journey.dsl.nodes`` that calls :func:`register`.
"""

import builtins
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, JsonValue


class NodeConfig(BaseModel):
    """Base of every node's ``config`` model: unknown fields are errors, never dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class NodeCategory(StrEnum):
    TRIGGER = "trigger"
    ACTION = "action"
    FLOW = "flow"


BranchKind = Literal["none", "single", "fixed", "derived", "any"]


@dataclass(frozen=True)
class Branches:
    """Which outgoing handles a node has.

    ``none``: no exit (``end``). ``single``: one unnamed exit. ``fixed``: the ``names``.
    ``derived``: the ``id`` of each item of the config list ``from_list``, then ``names``
    (``switch`` has its cases then ``default``). ``any``: any number of unnamed edges
    (``parallel``: each edge is a branch).
    """

    kind: BranchKind
    names: tuple[str, ...] = ()
    from_list: str | None = None

    def resolve(self, config: BaseModel) -> tuple[str, ...]:
        """The branch names this config has; empty for ``none``, ``single`` and ``any``."""
        if self.kind == "fixed":
            return self.names
        if self.kind == "derived" and self.from_list is not None:
            items = getattr(config, self.from_list)
            return (*(str(item.id) for item in items), *self.names)
        return ()

    def describe(self) -> dict[str, Any]:
        """How the designer derives the handles, as served by ``GET /node-types``."""
        described: dict[str, Any] = {"kind": self.kind}
        if self.names:
            described["names"] = list(self.names)
        if self.from_list is not None:
            described["from"] = f"{self.from_list}[].id"
        return described


class DecisionEnv(Protocol):
    """What a pure decision (condition, switch, split) may look at when a run reaches it."""

    @property
    def node_id(self) -> str: ...

    @property
    def user_id(self) -> str | None: ...

    @property
    def run_id(self) -> str: ...

    def evaluate(self, expression: str) -> Any:
        """Evaluate a CEL expression of this node against the run's context."""
        ...


@dataclass(frozen=True)
class Decision:
    """The branch a decision node takes and the output recorded for it (``nodes.<id>``)."""

    branch: str
    output: JsonValue


Decide = Callable[[Any, DecisionEnv], Decision]


@dataclass(frozen=True)
class NodeType:
    """One node type: its config model, exits, presentation and behaviour.

    ``side_effects`` types are actions: the engine runs them as activities (templates are
    rendered there) and the simulator records them. ``decide`` is the pure behaviour of a
    decision node. The remaining flow types (trigger, delay, wait_for_event, parallel, join,
    loop, subjourney, end) are primitives of the interpreter core.
    """

    type: str
    category: NodeCategory
    title: str
    description: str
    icon: str
    config_model: builtins.type[BaseModel]
    branches: Branches
    side_effects: bool = False
    decide: Decide | None = None
    message: Callable[[Any], bool] = field(default=lambda _config: False)
    """Whether an action of this config sends a message (quiet hours then apply)."""

    def parse_config(self, raw: Any) -> BaseModel:
        return self.config_model.model_validate(raw)


class _Registry:
    """Node types by name, in registration order (the palette's order)."""

    def __init__(self) -> None:
        self._types: dict[str, NodeType] = {}

    def register(self, node_type: NodeType) -> NodeType:
        if node_type.type in self._types:
            raise ValueError(f"node type {node_type.type!r} is registered twice")
        self._types[node_type.type] = node_type
        return node_type

    def get(self, name: str) -> NodeType | None:
        return self._types.get(name)

    def __getitem__(self, name: str) -> NodeType:
        return self._types[name]

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[NodeType]:
        return iter(self._types.values())

    def names(self) -> list[str]:
        return list(self._types)


NODE_TYPES = _Registry()


def register(node_type: NodeType) -> NodeType:
    """Add a node type to the registry; a module in ``journey.dsl.nodes`` calls this once."""
    return NODE_TYPES.register(node_type)
