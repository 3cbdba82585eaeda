"""``send_email``: one email over SMTP; a message, so quiet hours apply."""

from pydantic import Field, model_validator

from journey.dsl.markers import Template
from journey.dsl.registry import Branches, NodeCategory, NodeConfig, NodeType, register


class SendEmailConfig(NodeConfig):
    to: Template = Field(min_length=1, description="Recipient address(es), comma separated")
    subject: Template = Field(min_length=1)
    text: Template | None = Field(default=None, description="Plain-text body")
    html: Template | None = Field(default=None, description="HTML body")
    from_: Template | None = Field(
        default=None, alias="from", description="Sender; defaults to JOURNEY_SMTP_FROM"
    )
    reply_to: Template | None = None
    cc: Template | None = None
    bcc: Template | None = None

    @model_validator(mode="after")
    def _has_body(self) -> "SendEmailConfig":
        if not self.text and not self.html:
            raise ValueError("needs a body: set text, html or both")
        return self


SEND_EMAIL = register(
    NodeType(
        type="send_email",
        category=NodeCategory.ACTION,
        title="Send email",
        description="Sends an email over SMTP, rendered from templates.",
        icon="mail",
        config_model=SendEmailConfig,
        branches=Branches("single"),
        side_effects=True,
        message=lambda _config: True,
    )
)
