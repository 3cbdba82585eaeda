"""``update_attributes``: writes the user's attributes; later nodes read the new values."""

from pydantic import Field, model_validator

from journey.dsl.markers import TemplatedJson
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class UpdateAttributesConfig(NodeConfig):
    set: dict[str, TemplatedJson] = Field(default_factory=dict)
    increment: dict[str, float] = Field(default_factory=dict)
    unset: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _changes_something(self) -> "UpdateAttributesConfig":
        if not (self.set or self.increment or self.unset):
            raise ValueError("changes nothing: give set, increment or unset")
        names = [*self.set, *self.increment, *self.unset]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"attribute named more than once: {', '.join(repeated)}")
        return self


UPDATE_ATTRIBUTES = register(
    NodeType(
        type="update_attributes",
        category=NodeCategory.ACTION,
        title="Update attributes",
        description="Sets, increments or removes attributes of the run's user.",
        icon="user-pen",
        config_model=UpdateAttributesConfig,
        branches=Branches("single"),
        side_effects=True,
    )
)
