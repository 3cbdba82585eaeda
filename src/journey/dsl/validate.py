"""Validation of journey documents: every problem at once, as issues, never an exception.

The designer saves drafts with errors and shows all of them, so validation reads each node on
its own: a broken node is reported and the others are still checked, and the graph rules run on
whatever nodes and edges could be read. The document models stay the single source of truth:
their pydantic errors become issues (with the node id and a JSON Pointer), then come the checks
the models cannot make alone: CEL and templates (found by their types, see ``fields.py``), cron,
time zones, and the graph (``graph.py``). :func:`parse` is the strict door for the interpreter,
the CLI and the API: a ``Journey``, or :class:`DocumentInvalid` carrying the issues.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from croniter import croniter
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from journey.dsl.document import (
    CLOCK_PATTERN,
    ID_PATTERN,
    KEY_PATTERN,
    Edge,
    Journey,
    JourneySettings,
    Node,
)
from journey.dsl.expressions import ExpressionError, compile_expression
from journey.dsl.fields import MarkedString, document_path, in_document, marked_strings
from journey.dsl.graph import GraphEdge, GraphNode, graph_issues
from journey.dsl.issues import CODES, DocumentInvalid, Issue, has_errors, issue, node_label, pointer
from journey.dsl.json_types import json_type
from journey.dsl.nodes.subjourney import SubjourneyConfig
from journey.dsl.registry import NODE_TYPES, NodeType
from journey.dsl.templates import TemplateError, check_template, is_template
from journey.dsl.timezones import zone

__all__ = ["CODES", "DocumentInvalid", "Issue", "has_errors", "parse", "validate"]

_EDGES: TypeAdapter[list[Edge]] = TypeAdapter(list[Edge])
_ACTION_ONLY = ("retry", "timeout", "on_error")
_PATTERNS = {
    ID_PATTERN: "must be 1 to 64 letters, digits, '_' or '-'",
    KEY_PATTERN: "must be lowercase letters, digits and '-', starting with a letter or digit",
    CLOCK_PATTERN: "must be a time of day such as 09:30",
}


def validate(document: Any) -> list[Issue]:
    """Every problem of ``document`` (any JSON value), errors and warnings; empty when clean."""
    return _check(document)[0]


def parse(document: Any) -> Journey:
    """The journey of a document without errors; raises :class:`DocumentInvalid` otherwise.

    Warnings do not stop it (they stay available through :func:`validate`)."""
    issues, journey = _check(document)
    if journey is None or has_errors(issues):
        raise DocumentInvalid(issues)
    return journey


def _check(document: Any) -> tuple[list[Issue], Journey | None]:
    if not isinstance(document, dict):
        kind = json_type(document)
        return [issue("invalid_document", f"A journey must be a JSON object, not {kind}", path="")], None
    issues: list[Issue] = []
    nodes = [_read_node(index, raw, issues) for index, raw in enumerate(_items(document.get("nodes")))]
    graph_edges, edges = _read_edges(_items(document.get("edges")), issues)
    journey = _read_journey(document, nodes, edges, issues)
    for read in nodes:
        if read.config is not None:
            issues.extend(_config_issues(read, read.config, document.get("key")))
    settings = journey.settings if journey is not None else _settings_alone(document.get("settings"))
    if settings is not None:
        issues.extend(_marked_issues(settings, "/settings", None))
    graph_nodes = [_graph_node(read, read.id) for read in nodes if read.id is not None]
    issues.extend(graph_issues(graph_nodes, graph_edges))
    return issues, journey


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# --- nodes -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _ReadNode:
    """What could be read of one node: the model when valid, else at least its config if that is."""

    index: int
    id: str | None
    type: str | None
    spec: NodeType | None
    node: Node | None
    config: BaseModel | None

    @property
    def label(self) -> str:
        return node_label(self.id, self.type, self.index)


def _read_node(index: int, raw: Any, issues: list[Issue]) -> _ReadNode:
    fields = raw if isinstance(raw, dict) else {}
    node_id = fields.get("id") if isinstance(fields.get("id"), str) else None
    type_name = fields.get("type") if isinstance(fields.get("type"), str) else None
    spec = NODE_TYPES.get(type_name) if type_name is not None else None
    try:
        node = Node.model_validate(raw)
    except ValidationError as error:
        read = _ReadNode(index, node_id, type_name, spec, None, _config_alone(spec, fields.get("config")))
        action_only = _action_only_issues(read, fields)
        issues.extend(action_only)
        for details in error.errors(include_url=False):
            found = _node_error(details, read, fields, skip_node_level=bool(action_only))
            if found is not None:
                issues.append(found)
        issues.extend(_cron_issues(read, fields.get("config")))
        return read
    read = _ReadNode(index, node_id, type_name, spec, node, node.config)
    issues.extend(_cron_issues(read, fields.get("config")))
    return read


def _node_error(
    details: ErrorDetails, read: _ReadNode, raw: dict[str, Any], *, skip_node_level: bool
) -> Issue | None:
    loc = details["loc"]
    if loc[:1] == ("config",):
        if read.spec is None:
            return None
        inside = (*document_path(read.spec.config_model, loc[1:]), *_tag_field(details))
        field = ("config", *in_document(raw.get("config") or {}, inside))
        path = pointer("nodes", read.index, *field)
        return issue("invalid_config", _message(read.label, field[1:], details), node_id=read.id, path=path)
    if loc == ("type",) and details["type"] != "missing":
        given = details["input"]
        what = f"'{given}' is not a node type" if isinstance(given, str) else "the type must be a string"
        message = f"{read.label}: {what}; use one of {', '.join(NODE_TYPES.names())}"
        return issue("unknown_node_type", message, node_id=read.id, path=pointer("nodes", read.index, "type"))
    if not loc and skip_node_level:
        return None
    field = in_document(raw, document_path(Node, loc))
    path = pointer("nodes", read.index, *field)
    return issue(_code(details), _message(read.label, field, details), node_id=read.id, path=path)


def _action_only_issues(read: _ReadNode, fields: dict[str, Any]) -> list[Issue]:
    """retry, timeout and on_error on a flow node, each at its own path (the model only says
    that some are there)."""
    if read.spec is None or read.spec.side_effects:
        return []
    return [
        issue(
            "action_only_field",
            f"{read.label}: {name} only applies to action nodes; remove it",
            node_id=read.id,
            path=pointer("nodes", read.index, name),
        )
        for name in _ACTION_ONLY
        if fields.get(name) is not None
    ]


def _cron_issues(read: _ReadNode, config: Any) -> list[Issue]:
    """A schedule's cron, read from the document so that other errors of the config hide nothing.

    The model checks there are five fields; croniter checks what they say."""
    if read.type != "trigger" or not isinstance(config, dict) or config.get("kind") != "schedule":
        return []
    cron = config.get("cron")
    if not isinstance(cron, str) or len(cron.split()) != 5 or croniter.is_valid(cron):
        return []
    return [
        issue(
            "invalid_cron",
            f"{read.label}: cron '{cron}' is not a valid cron expression (minute hour day month weekday)",
            node_id=read.id,
            path=pointer("nodes", read.index, "config", "cron"),
        )
    ]


def _config_alone(spec: NodeType | None, raw: Any) -> BaseModel | None:
    """The config of a node that failed for other reasons, so its CEL and templates are checked."""
    if spec is None:
        return None
    try:
        return spec.parse_config({} if raw is None else raw)
    except ValidationError:
        return None


def _config_issues(read: _ReadNode, config: BaseModel, journey_key: object) -> Iterator[Issue]:
    yield from _marked_issues(config, f"/nodes/{read.index}/config", read)
    if isinstance(config, SubjourneyConfig) and config.journey == journey_key:
        yield issue(
            "subjourney_calls_itself",
            f"{read.label} runs journey '{config.journey}', which is this journey",
            node_id=read.id,
            path=pointer("nodes", read.index, "config", "journey"),
        )


def _graph_node(read: _ReadNode, node_id: str) -> GraphNode:
    spec = read.spec
    if spec is None:
        return GraphNode(read.index, node_id, read.type, exits=None, branch_names=None)
    names: tuple[str, ...] | None = None
    if read.config is not None:
        names = spec.branches.resolve(read.config)
    elif spec.branches.kind == "fixed":
        names = spec.branches.names
    return GraphNode(read.index, node_id, read.type, exits=spec.branches.kind, branch_names=names)


# --- CEL, templates and time zones ---------------------------------------------------------------


def _marked_issues(model: BaseModel, base: str, read: _ReadNode | None) -> Iterator[Issue]:
    """The CEL and template problems of a node's config (``read``) or of the settings (None)."""
    for found in marked_strings(model, base):
        problem = _expression_problem(found) if found.kind == "cel" else _template_problem(found)
        if problem is not None:
            code, text, line, column = problem
            label = read.label if read is not None else "Journey settings"
            message = f"{label}: {_field_name(found.path[len(base) :])} {text}"
            node_id = read.id if read is not None else None
            yield issue(code, message, node_id=node_id, path=found.path, line=line, column=column)


_Problem = tuple[str, str, int | None, int | None]
"""An issue code, what is wrong (said after the field's name), line and column."""


def _expression_problem(found: MarkedString) -> _Problem | None:
    try:
        expression = compile_expression(found.source)
    except ExpressionError as error:
        where = f" at {_position(error.line, error.column)}" if error.column is not None else ""
        text = f"does not compile{where}: {_cel_detail(error.message)}"
        return "invalid_expression", text, error.line, error.column
    if "secrets" in expression.variables:
        return "secrets_in_expression", "reads secrets; only templates may use them", None, None
    return None


def _template_problem(found: MarkedString) -> _Problem | None:
    try:
        check_template(found.source)
    except TemplateError as error:
        where = f" at line {error.line}" if error.line is not None else ""
        text = f"is not a valid template{where}: {error.message.split(': ', 1)[-1]}"
        return "invalid_template", text, error.line, None
    if found.path.endswith("/timezone") and not is_template(found.source):
        try:
            zone(found.source)
        except ValueError:
            text = f"'{found.source}' is not a time zone; use a name such as Europe/Paris"
            return "invalid_timezone", text, None, None
    return None


def _position(line: int | None, column: int) -> str:
    return f"column {column}" if line in (None, 1) else f"line {line}, column {column}"


_CEL_REWRITES = (
    (re.compile(r"^CEL (syntax )?error( at line \d+, column \d+)?: (Syntax error: )?"), ""),
    (re.compile(r" expecting (\{.*\}|\S+)$"), ""),
    (re.compile(r"mismatched input '<EOF>'"), "the expression ends too early"),
    (re.compile(r"mismatched input "), "unexpected "),
    (re.compile(r"token recognition error at: "), "unexpected character "),
)


def _cel_detail(message: str) -> str:
    """The CEL parser's message in plainer words (no grammar tokens)."""
    for pattern, replacement in _CEL_REWRITES:
        message = pattern.sub(replacement, message)
    return message


def _settings_alone(raw: Any) -> JourneySettings | None:
    try:
        return JourneySettings.model_validate({} if raw is None else raw)
    except ValidationError:
        return None


# --- edges and the document --------------------------------------------------------------------


def _read_edges(raw_edges: list[Any], issues: list[Issue]) -> tuple[list[GraphEdge], list[Edge] | None]:
    """The edges for the graph rules (every one whose ends can be read), and the parsed edges
    when all are valid. One pydantic call for all: edges are many and small."""
    try:
        edges = _EDGES.validate_python(raw_edges)
    except ValidationError as error:
        for details in error.errors(include_url=False):
            index, *loc = details["loc"]
            raw = raw_edges[int(index)]
            edge_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
            label = f"Edge '{edge_id}'" if edge_id is not None else f"Edge #{int(index) + 1}"
            field = in_document(raw, document_path(Edge, loc))
            path = pointer("edges", index, *field)
            issues.append(issue(_code(details), _message(label, field, details), edge_id=edge_id, path=path))
        readable = (_graph_edge(index, raw) for index, raw in enumerate(raw_edges))
        return [edge for edge in readable if edge is not None], None
    graph = [
        GraphEdge(index, edge.key, edge.source, edge.target, edge.branch, has_id=edge.id is not None)
        for index, edge in enumerate(edges)
    ]
    return graph, edges


def _graph_edge(index: int, raw: Any) -> GraphEdge | None:
    fields = raw if isinstance(raw, dict) else {}
    edge_id, source, target, branch = (fields.get(name) for name in ("id", "source", "target", "branch"))
    if not (isinstance(source, str) and isinstance(target, str) and isinstance(branch, str | None)):
        return None
    edge_id = edge_id if isinstance(edge_id, str) else None
    key = Edge.model_construct(id=edge_id, source=source, target=target, branch=branch).key
    return GraphEdge(index, key, source, target, branch, has_id=edge_id is not None)


def _read_journey(
    document: dict[str, Any], nodes: Sequence[_ReadNode], edges: list[Edge] | None, issues: list[Issue]
) -> Journey | None:
    """The journey when every part is valid; the top-level fields are checked either way.

    The journey gets the nodes and edges parsed above, which pydantic takes as they are, so
    nothing is parsed twice."""
    shell = dict(document)
    if isinstance(document.get("nodes"), list):
        shell["nodes"] = [read.node for read in nodes if read.node is not None]
    if isinstance(document.get("edges"), list):
        shell["edges"] = edges or []
    try:
        journey = Journey.model_validate(shell)
    except ValidationError as error:
        for details in error.errors(include_url=False):
            path = in_document(document, document_path(Journey, details["loc"]))
            issues.append(issue(_code(details), _message("Journey", path, details), path=pointer(*path)))
        return None
    complete = edges is not None and all(read.node is not None for read in nodes)
    return journey if complete else None


# --- pydantic errors in plain words --------------------------------------------------------------


def _code(details: ErrorDetails) -> str:
    if details["type"] == "missing":
        return "missing_field"
    if details["type"] == "extra_forbidden":
        return "unknown_field"
    return "invalid_field"


def _message(label: str, path: Sequence[int | str], details: ErrorDetails) -> str:
    field = _field_name(pointer(*path))
    if details["type"] in ("missing", "union_tag_not_found"):
        return f"{label}: {field} is required"
    if details["type"] == "extra_forbidden":
        return f"{label}: {field} is not a known field"
    return f"{label}: {field}: {_detail(details)}" if field else f"{label}: {_detail(details)}"


def _detail(details: ErrorDetails) -> str:
    kind, context = details["type"], details.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in context:
        return str(context["error"])
    if kind == "string_pattern_mismatch" and context.get("pattern") in _PATTERNS:
        return _PATTERNS[context["pattern"]]
    if kind in ("time_delta_parsing", "time_delta_type"):
        return "must be a duration such as PT30S or P3D, or a number of seconds"
    if kind == "union_tag_invalid":
        return f"'{context.get('tag')}' is not one of {context.get('expected_tags')}"
    if kind in ("model_type", "dict_type"):
        return f"must be an object, not {json_type(details['input'])}"
    message = details["msg"]
    return message[len("Input ") :] if message.startswith("Input should") else message


def _tag_field(details: ErrorDetails) -> tuple[str, ...]:
    """A discriminated union's tag error belongs to the tag field (a trigger's ``kind``)."""
    if details["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return (str((details.get("ctx") or {}).get("discriminator", "")).strip("'"),)
    return ()


def _field_name(path: str) -> str:
    """``/cases/0/expression`` as ``cases.0.expression``: what a message calls a field (the
    middle of a very deep path left out)."""
    parts = [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]
    return ".".join(parts if len(parts) <= 8 else [*parts[:4], "...", *parts[-3:]])
