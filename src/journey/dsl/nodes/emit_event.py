"""``emit_event``: appends an event to the log, so journeys can trigger journeys."""

from pydantic import Field

from journey.dsl.markers import EventName, Template, TemplatedJson
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class EmitEventConfig(NodeConfig):
    event: EventName
    properties: dict[str, TemplatedJson] = Field(default_factory=dict)
    user_id: Template | None = Field(default=None, description="Default: the run's user")
    topic: str | None = Field(
        default=None,
        description="A Kafka topic other than the events topic, for other services (journeys start from "
        "the events topic only); needs the Kafka event log",
    )


EMIT_EVENT = register(
    NodeType(
        type="emit_event",
        category=NodeCategory.ACTION,
        title="Emit event",
        description="Appends an event to the event log; it can trigger or reach other journeys.",
        icon="send",
        config_model=EmitEventConfig,
        branches=Branches("single"),
        side_effects=True,
    )
)
