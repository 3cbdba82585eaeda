"""``webhook``: one HTTP request; its response is the node's output."""

from typing import Any, Literal

from pydantic import Field

from journey.dsl.durations import Duration
from journey.dsl.markers import Template, TemplatedJson
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class WebhookConfig(NodeConfig):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "POST"
    url: Template = Field(min_length=1)
    headers: dict[str, Template] = Field(default_factory=dict)
    body: TemplatedJson = Field(default=None, description="JSON (strings are templates) or a template string")
    timeout: Duration | None = Field(default=None, description="Per request; default 10 s")
    expect_status: list[int] | None = Field(
        default=None, description="Statuses that count as success; default any 2xx"
    )
    message: bool = Field(default=False, description="A message to the user: quiet hours apply")


def _is_message(config: Any) -> bool:
    return bool(config.message)


WEBHOOK = register(
    NodeType(
        type="webhook",
        category=NodeCategory.ACTION,
        title="Webhook",
        description="Calls an HTTP endpoint with a stable Idempotency-Key; the response is the output.",
        icon="globe",
        config_model=WebhookConfig,
        branches=Branches("single"),
        side_effects=True,
        message=_is_message,
    )
)
