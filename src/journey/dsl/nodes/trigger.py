"""``trigger``: what starts a run: an API call, a matching event, or a schedule."""

from typing import Annotated, Literal

from pydantic import Field, JsonValue, RootModel, field_validator

from journey.dsl.markers import CelExpression, EventPattern, Template
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class ManualTrigger(NodeConfig):
    """Started through the API (``POST /journeys/{key}/runs``) with an ``input``."""

    kind: Literal["manual"]


class EventTrigger(NodeConfig):
    """Started by each event whose name matches (``prefix*`` matches a prefix)."""

    kind: Literal["event"]
    event: EventPattern
    filter: CelExpression | None = None
    key: Template | None = Field(
        default=None,
        description="One run per user and rendered key, e.g. {{ event.properties.cart_id }}",
    )


class ScheduleTrigger(NodeConfig):
    """One run per cron tick, run as a Temporal Schedule."""

    kind: Literal["schedule"]
    cron: str = Field(min_length=1, description="Five-field cron expression, e.g. '0 9 * * MON'")
    timezone: str = Field(default="UTC", description="IANA time zone of the cron expression")
    user_id: str | None = None
    input: dict[str, JsonValue] = Field(default_factory=dict)

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str) -> str:
        if len(value.split()) != 5:
            raise ValueError("must have five fields: minute hour day-of-month month day-of-week")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from journey.dsl.timezones import zone

        zone(value)
        return value


class TriggerConfig(
    RootModel[Annotated[ManualTrigger | EventTrigger | ScheduleTrigger, Field(discriminator="kind")]]
):
    """The trigger's config, discriminated by ``kind``."""


TRIGGER = register(
    NodeType(
        type="trigger",
        category=NodeCategory.TRIGGER,
        title="Trigger",
        description="Starts a run: manually through the API, on a matching event, or on a schedule.",
        icon="zap",
        config_model=TriggerConfig,
        branches=Branches("single"),
    )
)
