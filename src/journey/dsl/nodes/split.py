"""``split``: an A/B split by weight, sticky per user (a hash of user id and node id)."""

import hashlib

from pydantic import BaseModel, ConfigDict, Field, field_validator

from journey.dsl.nodes.switch import BRANCH_ID
from journey.dsl.registry import (
    Branches,
    Decision,
    DecisionEnv,
    NodeCategory,
    NodeConfig,
    NodeType,
    register,
)


class SplitVariant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=BRANCH_ID)
    weight: int = Field(ge=0, le=1_000_000)


class SplitConfig(NodeConfig):
    variants: list[SplitVariant] = Field(min_length=2)

    @field_validator("variants")
    @classmethod
    def _sane_variants(cls, variants: list[SplitVariant]) -> list[SplitVariant]:
        ids = [variant.id for variant in variants]
        if len(set(ids)) != len(ids):
            raise ValueError("variant ids must be distinct")
        if sum(variant.weight for variant in variants) <= 0:
            raise ValueError("the weights must add up to more than 0")
        return variants


def bucket(sticky_key: str, node_id: str, total: int) -> int:
    """A stable number in ``[0, total)`` for this user and node, the same on every machine."""
    digest = hashlib.sha256(f"{sticky_key}\x1f{node_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % total


def _decide(config: SplitConfig, env: DecisionEnv) -> Decision:
    total = sum(variant.weight for variant in config.variants)
    point = bucket(env.user_id or env.run_id, env.node_id, total)
    for variant in config.variants:
        if point < variant.weight:
            return Decision(branch=variant.id, output={"variant": variant.id})
        point -= variant.weight
    raise AssertionError("bucket() is below the total weight")


SPLIT = register(
    NodeType(
        type="split",
        category=NodeCategory.FLOW,
        title="A/B split",
        description="Sends each user down one variant by weight; a user always gets the same one.",
        icon="shuffle",
        config_model=SplitConfig,
        branches=Branches("derived", from_list="variants"),
        decide=_decide,
    )
)
