"""What goes into the interpreter core (happenings) and what comes out (commands).

The core is a pure state machine: ``start`` and ``advance`` take the run's state and one
happening and return the new state and the commands to carry out. Two drivers carry them out:
the Temporal workflow (activities, durable timers, signals) and the simulator (a virtual clock,
no side effects). Every message is a pydantic model so it crosses Temporal as JSON.

Command ids are unique within a run and stable under replay: the driver answers a command by
sending back a happening with the same ``id``. The core ignores answers it no longer expects
(a timer of a branch that a ``join`` cancelled, a duplicate event), so a driver never has to.
"""

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from journey.dsl.document import QuietHours, RetryPolicy

RunStatus = Literal["running", "waiting", "completed", "failed", "cancelled", "exited", "timed_out"]
FINAL_STATUSES: frozenset[str] = frozenset({"completed", "failed", "cancelled", "exited", "timed_out"})
StepStatus = Literal["running", "waiting", "completed", "failed", "cancelled"]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Event(_Message):
    """An event as the event log carries it."""

    id: str
    name: str
    user_id: str | None = None
    timestamp: datetime
    properties: dict[str, JsonValue] = Field(default_factory=dict)


# --- commands: what the driver must do ------------------------------------------------------


class RunAction(_Message):
    """Run a side-effect node (send_email, webhook, emit_event, update_attributes, log).

    The driver renders ``config``'s templates against ``context`` (plus the user, read now, and
    secrets) inside the activity, applies ``retry`` and ``timeout``, and answers with
    ``ActionCompleted``, ``ActionFailed`` or, for a message inside ``quiet_hours``,
    ``ActionDeferred``. ``idempotency_key`` is stable across retries and replays.
    """

    kind: Literal["run_action"] = "run_action"
    id: str
    node_id: str
    node_type: str
    config: dict[str, JsonValue]
    context: dict[str, JsonValue]
    idempotency_key: str
    retry: RetryPolicy
    timeout: timedelta | None = None
    quiet_hours: QuietHours | None = None


class StartTimer(_Message):
    """Answer with ``TimerFired`` at ``until`` (delays, wait timeouts, quiet hours, max_duration)."""

    kind: Literal["start_timer"] = "start_timer"
    id: str
    until: datetime


class CancelTimer(_Message):
    kind: Literal["cancel_timer"] = "cancel_timer"
    id: str


class CancelAction(_Message):
    """Cancel a running action or subjourney; its late answer will be ignored anyway."""

    kind: Literal["cancel_action"] = "cancel_action"
    id: str


class LoadUser(_Message):
    """Read the user's attributes now and answer with ``UserLoaded`` (a cheap local read)."""

    kind: Literal["load_user"] = "load_user"
    id: str
    user_id: str


class RenderTemplates(_Message):
    """Render templates the core needs to decide (a delay's ``until`` or time zone) and answer
    with ``TemplatesRendered``; rendering never happens in workflow code."""

    kind: Literal["render_templates"] = "render_templates"
    id: str
    node_id: str
    templates: dict[str, str]
    context: dict[str, JsonValue]


class StartSubjourney(_Message):
    """Start a child run of another journey for the same user; ``input`` holds templates.

    With ``wait`` the driver answers with ``SubjourneyFinished`` when the child ends, otherwise
    as soon as it started (status ``started``)."""

    kind: Literal["start_subjourney"] = "start_subjourney"
    id: str
    node_id: str
    journey: str
    version: int | None
    input: dict[str, JsonValue]
    context: dict[str, JsonValue]
    wait: bool


class Finish(_Message):
    """The run is over; no command follows this one."""

    kind: Literal["finish"] = "finish"
    status: RunStatus
    reason: str | None = None


Command = Annotated[
    RunAction
    | StartTimer
    | CancelTimer
    | CancelAction
    | LoadUser
    | RenderTemplates
    | StartSubjourney
    | Finish,
    Field(discriminator="kind"),
]


# --- happenings: what the driver tells the core -----------------------------------------------


class _Happening(_Message):
    at: datetime


class ActionCompleted(_Happening):
    kind: Literal["action_completed"] = "action_completed"
    id: str
    output: JsonValue = None
    attempts: int = 1


class ActionFailed(_Happening):
    """The action failed after its last retry (or with an error that no retry can fix)."""

    kind: Literal["action_failed"] = "action_failed"
    id: str
    error: str
    attempts: int = 1


class ActionDeferred(_Happening):
    """A message fell inside quiet hours and was not sent: run it again at ``until``."""

    kind: Literal["action_deferred"] = "action_deferred"
    id: str
    until: datetime


class TimerFired(_Happening):
    kind: Literal["timer_fired"] = "timer_fired"
    id: str


class EventReceived(_Happening):
    """An event of this run's user (for waits and ``exit_on``); duplicates by id are ignored."""

    kind: Literal["event_received"] = "event_received"
    event: Event


class UserLoaded(_Happening):
    kind: Literal["user_loaded"] = "user_loaded"
    id: str
    attributes: dict[str, JsonValue]


class TemplatesRendered(_Happening):
    kind: Literal["templates_rendered"] = "templates_rendered"
    id: str
    values: dict[str, str]


class TemplatesFailed(_Happening):
    kind: Literal["templates_failed"] = "templates_failed"
    id: str
    error: str


class SubjourneyFinished(_Happening):
    kind: Literal["subjourney_finished"] = "subjourney_finished"
    id: str
    status: str
    output: JsonValue = None


class CancelRequested(_Happening):
    """Cancel the run (``POST /runs/{id}/cancel``): status ``cancelled``."""

    kind: Literal["cancel_requested"] = "cancel_requested"
    reason: str | None = None


Happening = Annotated[
    ActionCompleted
    | ActionFailed
    | ActionDeferred
    | TimerFired
    | EventReceived
    | UserLoaded
    | TemplatesRendered
    | TemplatesFailed
    | SubjourneyFinished
    | CancelRequested,
    Field(discriminator="kind"),
]


class RunStart(_Message):
    """Everything the core needs to start a run."""

    run_id: str
    user_id: str | None
    trigger: dict[str, JsonValue] = Field(
        description="The triggering event (name, id, user_id, timestamp, properties) or {'properties': input}"
    )
    journey_version: int | None = None
    at: datetime
    user: dict[str, JsonValue] | None = Field(
        default=None, description="The user's attributes if the driver already has them"
    )


class StepRecord(BaseModel):
    """What one node did in a run; a node inside a loop gets one record per iteration."""

    node_id: str
    status: StepStatus
    started_at: datetime
    finished_at: datetime | None = None
    attempts: int = 0
    output: JsonValue = None
    error: str | None = None
    waiting_until: datetime | None = None
    iteration: int | None = None
