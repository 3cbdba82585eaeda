"""A journey compiled for the core: nodes and edges indexed, CEL compiled once.

Compiling is done once per published version (the workflow keeps the program in memory, the
simulator builds it once per simulation); ``advance`` then only does dictionary lookups.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, get_args

from pydantic import BaseModel, JsonValue, RootModel

from journey.dsl.document import Journey, Node
from journey.dsl.expressions import Expression, ExpressionError, compile_expression
from journey.dsl.markers import CelMarker, is_marked
from journey.dsl.templates import is_template

from .errors import CoreError


@dataclass(frozen=True)
class Program:
    """Everything ``start`` and ``advance`` look up about one journey version."""

    journey: Journey
    version: int | None
    trigger_id: str
    nodes: Mapping[str, Node]
    outgoing: Mapping[str, Mapping[str | None, tuple[str, ...]]]
    """Targets by source node and branch (``None`` for an unnamed exit)."""
    successors: Mapping[str, tuple[str, ...]]
    """Every target of a node, in document order (a ``parallel`` starts one token each)."""
    incoming: Mapping[str, int]
    configs: Mapping[str, dict[str, JsonValue]]
    """Each node's config as JSON (``by_alias``, unset options left out), dumped once."""
    expressions: Mapping[str, Expression]
    awaited_events: frozenset[str]
    """Event names some ``wait_for_event`` listens for: only these are buffered."""
    user_expressions: frozenset[str]
    """Nodes with a CEL expression that reads ``user``: the core loads the user before them."""
    user_templates: frozenset[str]
    """Nodes whose templates the core has rendered (delay, subjourney) and that read ``user``."""

    @property
    def key(self) -> str:
        return self.journey.key

    def node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise CoreError(f"node {node_id!r} is not in journey {self.key!r}") from None

    def targets(self, node_id: str, branch: str | None = None) -> tuple[str, ...]:
        return self.outgoing.get(node_id, {}).get(branch, ())

    def expression(self, source: str) -> Expression:
        compiled = self.expressions.get(source)
        return compiled if compiled is not None else compile_expression(source)

    def reads_user(self, source: str | None) -> bool:
        return source is not None and "user" in self.expression(source).variables


def compile_journey(journey: Journey, version: int | None = None) -> Program:
    """Index ``journey`` for the core; it must be valid (see ``journey.dsl.validate``)."""
    nodes = {node.id: node for node in journey.nodes}
    outgoing: dict[str, dict[str | None, list[str]]] = {}
    successors: dict[str, list[str]] = {}
    incoming: dict[str, int] = dict.fromkeys(nodes, 0)
    for edge in journey.edges:
        outgoing.setdefault(edge.source, {}).setdefault(edge.branch, []).append(edge.target)
        successors.setdefault(edge.source, []).append(edge.target)
        incoming[edge.target] = incoming.get(edge.target, 0) + 1
    sources = [source for node in journey.nodes for source in _cel_sources(node.config)]
    sources += [rule.filter for rule in journey.settings.exit_on if rule.filter]
    try:
        expressions = {source: compile_expression(source) for source in sources}
        trigger_id = journey.trigger.id
    except (ExpressionError, StopIteration) as error:
        raise CoreError(f"journey {journey.key!r} is not valid: {error}") from error
    return Program(
        journey=journey,
        version=version,
        trigger_id=trigger_id,
        nodes=MappingProxyType(nodes),
        outgoing=MappingProxyType(
            {
                source: {branch: tuple(targets) for branch, targets in by_branch.items()}
                for source, by_branch in outgoing.items()
            }
        ),
        successors=MappingProxyType({source: tuple(targets) for source, targets in successors.items()}),
        incoming=MappingProxyType(incoming),
        configs=MappingProxyType(
            {
                node.id: node.config.model_dump(mode="json", by_alias=True, exclude_none=True)
                for node in journey.nodes
            }
        ),
        expressions=MappingProxyType(expressions),
        awaited_events=frozenset(
            getattr(node.config, "event", "") for node in journey.nodes if node.type == "wait_for_event"
        ),
        user_expressions=frozenset(
            node.id
            for node in journey.nodes
            if any("user" in expressions[source].variables for source in _cel_sources(node.config))
        ),
        user_templates=frozenset(
            node.id for node in journey.nodes if node.type in ("delay", "subjourney") and _reads_user(node)
        ),
    )


def _cel_sources(config: Any) -> Iterator[str]:
    """Every CEL string in a config, found through the ``CelExpression`` marker."""
    if isinstance(config, RootModel):
        yield from _cel_sources(config.root)
    elif isinstance(config, BaseModel):
        for name, field in type(config).model_fields.items():
            value = getattr(config, name)
            if isinstance(value, str) and _is_cel(field.metadata, field.annotation):
                yield value
            else:
                yield from _cel_sources(value)
    elif isinstance(config, list):
        for item in config:
            yield from _cel_sources(item)


def _is_cel(metadata: list[Any], annotation: Any) -> bool:
    """The marker sits on the field, or inside an ``Optional[CelExpression]`` annotation."""
    if is_marked(metadata, CelMarker):
        return True
    return any(is_marked(list(getattr(arg, "__metadata__", ())), CelMarker) for arg in get_args(annotation))


def _reads_user(node: Node) -> bool:
    """Whether a template of this node may read ``user`` (a cheap, safe over-approximation)."""
    text = node.config.model_dump_json()
    return "user" in text and is_template(text)
