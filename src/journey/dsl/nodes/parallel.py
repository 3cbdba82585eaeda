"""``parallel``: every outgoing edge starts a branch at once."""

from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class ParallelConfig(NodeConfig):
    """No settings: the outgoing edges are the branches."""


PARALLEL = register(
    NodeType(
        type="parallel",
        category=NodeCategory.FLOW,
        title="Parallel",
        description="Starts every outgoing edge as a branch of its own, at once.",
        icon="git-fork",
        config_model=ParallelConfig,
        branches=Branches("any"),
    )
)
