"""``loop``: runs its ``body`` for each item of a list or while a condition holds."""

from pydantic import Field, model_validator

from journey.dsl.markers import CelExpression
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register

MAX_ITERATIONS = 10_000


class LoopConfig(NodeConfig):
    foreach: CelExpression | None = Field(
        default=None, description="CEL list; the body sees nodes.<loop_id>.item and .index"
    )
    while_: CelExpression | None = Field(
        default=None, alias="while", description="CEL condition checked before each iteration"
    )
    max_iterations: int = Field(ge=1, le=MAX_ITERATIONS)

    @model_validator(mode="after")
    def _exactly_one_mode(self) -> "LoopConfig":
        if (self.foreach is None) == (self.while_ is None):
            raise ValueError("set exactly one of foreach or while")
        return self


LOOP = register(
    NodeType(
        type="loop",
        category=NodeCategory.FLOW,
        title="Loop",
        description="Runs the body branch per item of a list or while a condition holds, then done.",
        icon="repeat",
        config_model=LoopConfig,
        branches=Branches("fixed", names=("body", "done")),
    )
)
