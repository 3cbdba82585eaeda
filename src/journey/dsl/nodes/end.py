"""``end``: ends the branch; ``failed`` ends the whole run as failed."""

from typing import Literal

from pydantic import Field

from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class EndConfig(NodeConfig):
    status: Literal["completed", "failed"] = "completed"
    reason: str | None = Field(default=None, max_length=500)


END = register(
    NodeType(
        type="end",
        category=NodeCategory.FLOW,
        title="End",
        description="Ends the branch; with status failed, ends the whole run as failed.",
        icon="flag",
        config_model=EndConfig,
        branches=Branches("none"),
    )
)
