"""``emit_event``: appends an event to the log, so journeys can trigger journeys."""

from pydantic import Field

from journey.dsl.markers import EventName, Template, TemplatedJson
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class EmitEventConfig(NodeConfig):
    event: EventName
    properties: dict[str, TemplatedJson] = Field(default_factory=dict)
    user_id: Template | None = Field(default=None, description="Default: the run's user")
    topic: str | None = Field(default=None, description="Kafka topic; default the events topic")


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
