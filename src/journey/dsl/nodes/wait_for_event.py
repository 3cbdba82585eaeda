"""``wait_for_event``: waits for a matching event (``event`` branch) or the timeout."""

from pydantic import Field

from journey.dsl.durations import Duration
from journey.dsl.markers import CelExpression, EventName
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class WaitForEventConfig(NodeConfig):
    event: EventName
    filter: CelExpression | None = Field(
        default=None,
        description="CEL on the candidate event, e.g. event.properties.cart_id == trigger.properties.cart_id",
    )
    timeout: Duration = Field(description="How long to wait before the timeout branch, e.g. PT4H")


WAIT_FOR_EVENT = register(
    NodeType(
        type="wait_for_event",
        category=NodeCategory.FLOW,
        title="Wait for event",
        description="Waits for a matching event of the user, or takes the timeout branch.",
        icon="hourglass",
        config_model=WaitForEventConfig,
        branches=Branches("fixed", names=("event", "timeout")),
    )
)
