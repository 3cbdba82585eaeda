"""``subjourney``: runs another journey for the same user; its result is the output."""

from pydantic import Field

from journey.dsl.markers import TemplatedJson
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register

JOURNEY_KEY = r"^[a-z0-9][a-z0-9-]{0,63}$"


class SubjourneyConfig(NodeConfig):
    journey: str = Field(pattern=JOURNEY_KEY, description="Key of the journey to run")
    version: int | None = Field(default=None, ge=1, description="Default: the published version")
    input: dict[str, TemplatedJson] = Field(default_factory=dict)
    wait: bool = Field(default=True, description="Wait for the child run to finish")


SUBJOURNEY = register(
    NodeType(
        type="subjourney",
        category=NodeCategory.FLOW,
        title="Subjourney",
        description="Runs another published journey for the same user, and waits for its result.",
        icon="workflow",
        config_model=SubjourneyConfig,
        branches=Branches("single"),
    )
)
