"""``delay``: waits a duration, until a date (often one stored on the user), or until a local
time of day. Primitive of the interpreter core, which computes the wake-up time."""

from typing import Literal

from pydantic import Field, model_validator

from journey.dsl.durations import Duration, SignedDuration
from journey.dsl.markers import Template
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class DelayConfig(NodeConfig):
    duration: Duration | None = Field(default=None, description="Wait this long, e.g. P3D")
    until: Template | None = Field(
        default=None,
        description="Wait until this ISO datetime, e.g. {{ user.renewal_date }}; past dates go on at once",
    )
    offset: SignedDuration | None = Field(
        default=None, description="With until: shift it, e.g. -P3D for three days before"
    )
    time_of_day: str | None = Field(
        default=None,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="Wait until the next HH:MM in the time zone",
    )
    weekdays: list[Weekday] | None = Field(
        default=None, description="With time_of_day: only these days (default every day)"
    )
    timezone: Template = Field(
        default="UTC",
        description="With time_of_day: IANA zone, e.g. {{ user.timezone | default('UTC') }}",
    )

    @model_validator(mode="after")
    def _exactly_one_mode(self) -> "DelayConfig":
        modes = [name for name in ("duration", "until", "time_of_day") if getattr(self, name)]
        if len(modes) != 1:
            raise ValueError("set exactly one of duration, until or time_of_day")
        if self.offset is not None and self.until is None:
            raise ValueError("offset goes with until")
        if self.weekdays is not None and self.time_of_day is None:
            raise ValueError("weekdays go with time_of_day")
        if self.weekdays is not None and not self.weekdays:
            raise ValueError("weekdays, when given, must name at least one day")
        return self


DELAY = register(
    NodeType(
        type="delay",
        category=NodeCategory.FLOW,
        title="Delay",
        description="Waits a duration, until a date, or until a time of day in the user's zone.",
        icon="clock",
        config_model=DelayConfig,
        branches=Branches("single"),
    )
)
