"""What crosses Temporal: the workflow's input, its query result, and activity arguments.

Everything is a pydantic model and travels as JSON through the pydantic data converter.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, JsonValue

from journey.dsl.core.messages import RunAction, StartSubjourney, StepRecord


class ResumeState(BaseModel):
    """What a run carries across continue-as-new: the core's state and its pending timers."""

    state: dict[str, Any]
    timers: dict[str, datetime] = Field(default_factory=dict)


class RunInput(BaseModel):
    run_id: str
    journey_key: str
    version: int | None = None
    document: dict[str, Any] = Field(description="The journey version this run keeps to its end")
    user_id: str | None = None
    trigger: dict[str, JsonValue] = Field(default_factory=dict)
    user: dict[str, JsonValue] | None = Field(
        default=None, description="The user's attributes when the starter already read them"
    )
    resume: ResumeState | None = None


class RunSnapshot(BaseModel):
    """A run as the query and the workflow result describe it."""

    run_id: str
    journey: str
    version: int | None
    user_id: str | None
    status: str
    started_at: datetime
    finished_at: datetime | None = None
    active_nodes: list[str] = Field(default_factory=list)
    path: list[str] = Field(default_factory=list)
    steps: list[StepRecord] = Field(default_factory=list)
    error: str | None = None
    nodes: dict[str, JsonValue] = Field(
        default_factory=dict, description="Each finished node's output: a subjourney's result"
    )


class ActionRequest(BaseModel):
    """One action for the ``run_action`` activity: the core's command plus who it is for."""

    command: RunAction
    journey: str
    run_id: str
    user_id: str | None
    at: datetime | None = Field(
        default=None, description="The run's clock when it asked: quiet hours are judged by it"
    )


class ActionResult(BaseModel):
    """What an action did, or, for a message inside quiet hours, when to try again."""

    output: JsonValue = None
    deferred_until: datetime | None = None
    attempts: int = 1


class RenderRequest(BaseModel):
    templates: dict[str, str]
    context: dict[str, JsonValue]
    user_id: str | None


class SubjourneyRequest(BaseModel):
    command: StartSubjourney
    user_id: str | None


class SubjourneyTarget(BaseModel):
    """The child journey's version document and its rendered input."""

    version: int | None
    document: dict[str, Any]
    input: dict[str, JsonValue]


class RecordRequest(BaseModel):
    """A run's latest state for the run index (``journey.record_run``)."""

    snapshot: RunSnapshot
    workflow_id: str
