"""Validation issues: what :func:`journey.dsl.validate` reports, and the stable codes it uses.

An issue says what is wrong in words a non-programmer can act on, and where: the node or edge,
and a JSON Pointer into the document that the designer uses to highlight the field. Codes are a
public contract (the API returns them, the docs list them from ``CODES``): add, never rename.
"""

from collections.abc import Iterable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from journey.dsl.registry import NODE_TYPES

Severity = Literal["error", "warning"]

CODES: dict[str, str] = {
    "invalid_document": "The document is not a JSON object.",
    "invalid_field": "A field has a value of the wrong type or outside its allowed range.",
    "unknown_field": "A field that the DSL does not define (often a typo).",
    "missing_field": "A required field is absent.",
    "unknown_node_type": "A node's type is not one of the registered node types.",
    "invalid_config": "A node's config does not match its type's schema.",
    "action_only_field": "retry, timeout or on_error on a node that is not an action.",
    "duplicate_node_id": "Two nodes share an id.",
    "duplicate_edge_id": "Two edges share an id (or connect the same handle to the same node twice).",
    "no_trigger": "The journey has no trigger node, so nothing can start it.",
    "multiple_triggers": "The journey has more than one trigger node.",
    "edge_unknown_source": "An edge starts at a node that does not exist.",
    "edge_unknown_target": "An edge ends at a node that does not exist.",
    "edge_from_end": "An edge leaves an end node, which has no exit.",
    "edge_into_trigger": "An edge enters the trigger, which only starts runs.",
    "missing_branch": "A branch of a node is not connected to anything.",
    "unknown_branch": "An edge names a branch its source node does not have.",
    "duplicate_branch": "Two edges leave the same branch of a node.",
    "branch_required": "An edge leaves a node with several branches without naming one.",
    "unreachable_node": "No path leads from the trigger to this node.",
    "cycle_without_loop": "Edges form a cycle that does not pass through a loop node.",
    "loop_body_open": "A loop's body branch never leads back to the loop node.",
    "join_needs_two_inputs": "A join node has fewer than two incoming edges.",
    "join_outside_parallel": "A join node that no parallel node leads to has nothing to wait for.",
    "invalid_expression": "A CEL expression does not compile.",
    "secrets_in_expression": "A CEL expression reads secrets, which only templates may use.",
    "invalid_template": "A template does not parse.",
    "invalid_cron": "A schedule trigger's cron expression is not valid.",
    "invalid_timezone": "A time zone is not a known IANA name.",
    "subjourney_calls_itself": "A subjourney node runs the journey it is part of.",
    "path_without_end": "A path stops at a node that is not an end node.",
}
"""Every issue code and what it means, for docs and for the designer's problem panel."""

WARNING_CODES: frozenset[str] = frozenset({"path_without_end", "join_outside_parallel"})
"""Codes reported as warnings: worth a look, but they do not block publishing."""


class Issue(BaseModel):
    """One problem in a journey document."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    node_id: str | None = None
    edge_id: str | None = None
    path: str | None = None
    """JSON Pointer into the document, e.g. ``/nodes/3/config/expression``."""
    line: int | None = None
    column: int | None = None


def issue(
    code: str,
    message: str,
    *,
    node_id: str | None = None,
    edge_id: str | None = None,
    path: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> Issue:
    """An issue of a known ``code``, with the severity that code always has."""
    if code not in CODES:
        raise KeyError(f"unknown issue code {code!r}")
    severity: Severity = "warning" if code in WARNING_CODES else "error"
    return Issue(
        code=code,
        severity=severity,
        message=message,
        node_id=node_id,
        edge_id=edge_id,
        path=path,
        line=line,
        column=column,
    )


def has_errors(issues: Iterable[Issue]) -> bool:
    """Whether any issue blocks publishing (warnings do not)."""
    return any(item.severity == "error" for item in issues)


class DocumentInvalid(ValueError):
    """A journey document with errors; ``issues`` holds every problem found, warnings included."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        errors = [item for item in self.issues if item.severity == "error"]
        shown = "; ".join(item.message for item in errors[:3])
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        super().__init__(f"invalid journey: {shown}{more}")

    def __repr__(self) -> str:
        return f"DocumentInvalid({len(self.issues)} issues)"


def pointer(*parts: str | int) -> str:
    """A JSON Pointer (RFC 6901) from path segments: ``pointer("nodes", 3)`` is ``/nodes/3``."""
    return "".join([f"/{part}" if isinstance(part, int) else "/" + _escape(part) for part in parts])


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1") if "~" in segment or "/" in segment else segment


def node_label(node_id: str | None, node_type: object = None, index: int | None = None) -> str:
    """How messages name a node: ``Condition 'is_vip'``, or ``Node #4`` when it has no id."""
    spec = NODE_TYPES.get(node_type) if isinstance(node_type, str) else None
    kind = spec.title if spec is not None else "Node"
    if node_id is not None:
        return f"{kind} '{node_id}'"
    return f"{kind} #{(index or 0) + 1}"
