"""``log``: a structured log line bound to the journey, run and user."""

from typing import Literal

from pydantic import Field

from journey.dsl.markers import Template
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class LogConfig(NodeConfig):
    message: Template = Field(min_length=1)
    level: Literal["debug", "info", "warning", "error"] = "info"


LOG = register(
    NodeType(
        type="log",
        category=NodeCategory.ACTION,
        title="Log",
        description="Writes a structured log line with the journey, run and user bound.",
        icon="scroll-text",
        config_model=LogConfig,
        branches=Branches("single"),
        side_effects=True,
    )
)
