"""``condition``: a CEL boolean picks the ``true`` or the ``false`` branch."""

from typing import Any

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


class ConditionConfig(NodeConfig):
    expression: CelExpression


def _decide(config: ConditionConfig, env: DecisionEnv) -> Decision:
    result: Any = env.evaluate(config.expression)
    if not isinstance(result, bool):
        raise TypeError(f"expression gave {type(result).__name__}, not a boolean")
    return Decision(branch="true" if result else "false", output={"result": result})


CONDITION = register(
    NodeType(
        type="condition",
        category=NodeCategory.FLOW,
        title="Condition",
        description="Takes the true or the false branch by a CEL expression.",
        icon="git-branch",
        config_model=ConditionConfig,
        branches=Branches("fixed", names=("true", "false")),
        decide=_decide,
    )
)
