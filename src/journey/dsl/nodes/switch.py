"""``switch``: the first case whose CEL expression is true wins, else ``default``."""

from pydantic import BaseModel, ConfigDict, Field, field_validator

from journey.dsl.markers import CelExpression
from journey.dsl.registry import (
    Branches,
    Decision,
    DecisionEnv,
    NodeCategory,
    NodeConfig,
    NodeType,
    register,
)

BRANCH_ID = r"^[A-Za-z0-9_-]{1,64}$"


class SwitchCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=BRANCH_ID)
    expression: CelExpression


class SwitchConfig(NodeConfig):
    cases: list[SwitchCase] = Field(min_length=1)

    @field_validator("cases")
    @classmethod
    def _distinct_ids(cls, cases: list[SwitchCase]) -> list[SwitchCase]:
        ids = [case.id for case in cases]
        if "default" in ids:
            raise ValueError("'default' is the fallback branch; give the case another id")
        if len(set(ids)) != len(ids):
            raise ValueError("case ids must be distinct")
        return cases


def _decide(config: SwitchConfig, env: DecisionEnv) -> Decision:
    for case in config.cases:
        result = env.evaluate(case.expression)
        if not isinstance(result, bool):
            raise TypeError(f"case {case.id!r} gave {type(result).__name__}, not a boolean")
        if result:
            return Decision(branch=case.id, output={"case": case.id})
    return Decision(branch="default", output={"case": "default"})


SWITCH = register(
    NodeType(
        type="switch",
        category=NodeCategory.FLOW,
        title="Switch",
        description="Takes the branch of the first case whose CEL expression is true, else default.",
        icon="split",
        config_model=SwitchConfig,
        branches=Branches("derived", from_list="cases", names=("default",)),
        decide=_decide,
    )
)
