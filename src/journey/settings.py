"""All configuration in one object, read from ``JOURNEY_*`` environment variables.

The defaults are the embedded stack's, so ``journey up`` needs no configuration at all.
"""

from functools import lru_cache
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JOURNEY_", extra="ignore")

    data_dir: Path = Field(default=Path(".journey"), description="Where embedded data lives")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: str = "info"
    log_format: str = Field(default="console", pattern="^(console|json)$")

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default a SQLite file in the data dir"
    )

    temporal_address: str | None = Field(
        default=None, description="An existing Temporal frontend; unset starts the dev server"
    )
    temporal_namespace: str = "default"
    temporal_port: int = Field(default=7233, ge=1, le=65535)
    temporal_ui_port: int = Field(default=8233, ge=1, le=65535)
    temporal_task_queue: str = "journey"
    temporal_api_key: SecretStr | None = None
    temporal_tls: bool = False

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_from: str = "journey@localhost"

    kafka_bootstrap: str | None = Field(
        default=None, description="Kafka bootstrap servers; unset uses the SQL event log"
    )
    kafka_events_topic: str = "journey.events"
    kafka_group: str = Field(default="journey-router", description="The routers' consumer group")
    kafka_dead_letter_topic: str | None = Field(
        default=None, description="Also copy malformed records here (always kept in dead_letters)"
    )
    kafka_idempotent: bool = Field(default=False, description="Idempotent producer (needs broker support)")
    kafka_max_event_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Larger records are dead-lettered, not routed"
    )
    kafka_session_timeout_ms: int = Field(
        default=10_000,
        ge=1000,
        le=3_600_000,
        description="How long the group waits for a silent router before its partitions move",
    )
    kafka_heartbeat_interval_ms: int | None = Field(
        default=None, ge=100, description="A router's heartbeat; unset, a fifth of the session timeout"
    )
    kafka_max_poll_interval_ms: int = Field(
        default=300_000, ge=1000, description="A router holding one batch longer leaves the group"
    )
    kafka_fetch_max_wait_ms: int = Field(
        default=50,
        ge=0,
        le=10_000,
        description="How long the broker may hold a fetch while there is nothing new",
    )

    @model_validator(mode="after")
    def _heartbeat_within_session(self) -> Self:
        if self.kafka_heartbeat_interval_ms is not None and (
            self.kafka_heartbeat_interval_ms >= self.kafka_session_timeout_ms
        ):
            raise ValueError(
                "JOURNEY_KAFKA_HEARTBEAT_INTERVAL_MS must be below JOURNEY_KAFKA_SESSION_TIMEOUT_MS"
            )
        return self

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "journey.db"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.sqlite_path}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
