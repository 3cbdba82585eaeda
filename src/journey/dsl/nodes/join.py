"""``join``: waits for the branches of a parallel node: all of them, or the first."""

from typing import Literal

from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class JoinConfig(NodeConfig):
    mode: Literal["all", "any"] = "all"


JOIN = register(
    NodeType(
        type="join",
        category=NodeCategory.FLOW,
        title="Join",
        description="Waits for all parallel branches, or goes on with the first and cancels the rest.",
        icon="merge",
        config_model=JoinConfig,
        branches=Branches("single"),
    )
)
