"""The bodies the API reads and writes, declared once: the OpenAPI document is built from them.

Errors have one shape, :class:`Problem`, and :func:`problems` documents it for the statuses a
route may answer with, under the media type ``journey.api.problems`` really sends
(``application/problem+json``), so that generated clients and schemathesis know it exactly.
"""

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue

from journey.api.problems import MEDIA_TYPE
from journey.dsl.issues import Issue
from journey.dsl.registry import BranchKind
from journey.dsl.simulate import ScriptedEvent
from journey.store.journeys import JourneyStatus

# --- errors ------------------------------------------------------------------------------------


class FieldError(BaseModel):
    location: list[str] = Field(description='Where in the request, e.g. ["query", "limit"]')
    message: str


class Problem(BaseModel):
    """An error (RFC 9457), as every error of the API is written."""

    type: str = Field(description='"about:blank": the status and title say what kind of error it is')
    title: str
    status: int
    detail: str = Field(description="What went wrong, in words meant for people")
    issues: list[Issue] | None = Field(
        default=None, description="The validation issues of a journey with errors (422)"
    )
    errors: list[FieldError] | None = Field(default=None, description="The request's faulty fields (422)")
    revision: int | None = Field(default=None, description="The journey's current revision (412)")


_MEANINGS = {
    400: "The body cannot be read (it is not UTF-8, say)",
    404: "No such journey or version",
    409: "The request contradicts the journey's state or an existing key",
    412: "If-Match names a revision that is no longer the current one; nothing was changed",
    413: "The body is larger than the endpoint accepts",
    422: "The request is well formed but not acceptable (its detail, errors or issues say why)",
    503: "A dependency (the engine, the database) does not answer",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a route for these error statuses, each a :class:`Problem`."""
    return {
        status: {"description": _MEANINGS[status], "content": {MEDIA_TYPE: {"schema": _PROBLEM_SCHEMA}}}
        for status in statuses
    }


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its ``$defs`` written in place: inside an OpenAPI document, ``#/$defs/...``
    would point at the document's root, not at the schema."""
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {name: resolve(value) for name, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


_PROBLEM_SCHEMA = _inlined(Problem.model_json_schema())


# --- health and metadata -------------------------------------------------------------------------

CheckResult = Literal["ok", "unavailable"]


class HealthChecks(BaseModel):
    database: CheckResult
    temporal: CheckResult = Field(description='"unavailable" also when the API runs without an engine')
    events: CheckResult


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(description='"degraded" (and a 503) when a check fails')
    checks: HealthChecks


class NodeBranches(BaseModel):
    """Which outgoing handles a node has (see ``journey.dsl.registry.Branches``)."""

    model_config = ConfigDict(populate_by_name=True)

    kind: BranchKind
    names: list[str] = Field(default_factory=list, description="The fixed names (fixed, derived)")
    from_list: str | None = Field(
        default=None, alias="from", description="derived: the config list whose items' ids are branches"
    )


class NodeTypeInfo(BaseModel):
    type: str
    category: Literal["trigger", "action", "flow"]
    title: str
    description: str
    icon: str
    side_effects: bool = Field(description="An action: run as an activity, recorded by the simulator")
    config_schema: dict[str, Any] = Field(description="JSON Schema 2020-12 of the node's config")
    branches: NodeBranches


# --- checking without storing --------------------------------------------------------------------


class ValidationResult(BaseModel):
    valid: bool = Field(description="No errors (warnings do not count): the journey can be published")
    issues: list[Issue]


def _default_user() -> dict[str, JsonValue]:
    return {"id": "user-1"}


class SimulationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    journey: JsonValue = Field(description="The journey document (its JSON Schema: GET /api/v1/schema)")
    input: dict[str, JsonValue] = Field(default_factory=dict, description="The trigger's properties")
    user: dict[str, JsonValue] = Field(
        default_factory=_default_user, description='The user: {"id": ..., <attributes>}'
    )
    events: list[ScriptedEvent] = Field(default_factory=list, description="Events the user sends, in order")
    outputs: dict[str, JsonValue] = Field(
        default_factory=dict,
        description='What actions answer, by node id, e.g. {"reserve_stock": {"status": 409}}',
    )
    start: AwareDatetime | None = Field(default=None, description="Start of the virtual clock; default now")


# --- journeys ------------------------------------------------------------------------------------


class JourneySummary(BaseModel):
    key: str
    name: str = Field(description="The draft's name (its key while the draft has no valid name)")
    status: JourneyStatus
    published_version: int | None = Field(description="The version new runs start on; null until published")
    updated_at: datetime


class JourneyListItem(JourneySummary):
    runs_in_progress: int = Field(description="Its runs (of any version) not yet ended: running or waiting")


class JourneyDetail(JourneySummary):
    revision: int = Field(description="Goes up by one with every save; send it back as If-Match")
    draft: dict[str, JsonValue] = Field(description="The journey document being edited, errors and all")
    issues: list[Issue] = Field(description="The draft's validation issues")
    created_at: datetime


class PublishRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(default="", max_length=2000, description="What changed, for the version history")


class VersionSummary(BaseModel):
    version: int
    message: str
    author: str | None = Field(description="Who published it; null until the API authenticates users")
    created_at: datetime


class VersionDetail(VersionSummary):
    document: dict[str, JsonValue] = Field(description="The journey document, as published")
