"""The whole product's tables, declared once; the Alembic migrations must agree with them.

Every table carries ``workspace_id`` (``"default"`` until workspaces exist) inside its primary or
unique key, so several tenants can share one database without a migration later.
"""

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from journey.store.types import AutoIncrementBigInteger, JsonDocument, UtcDateTime, utc_now

DEFAULT_WORKSPACE = "default"
JOURNEY_STATUSES = ("draft", "active", "paused", "archived")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Stable constraint names, so later migrations (and SQLite batch mode) can refer to them."""

_ID = String(200)
_NAME = String(200)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JsonDocument,
        list[Any]: JsonDocument,
    }


def _workspace_key() -> Mapped[str]:
    return mapped_column(String(64), primary_key=True, default=DEFAULT_WORKSPACE)


class JourneyRow(Base):
    """A journey's editable draft and where it stands; published versions live apart."""

    __tablename__ = "journeys"
    __table_args__ = (CheckConstraint(f"status IN {JOURNEY_STATUSES!r}", name="status"),)

    workspace_id: Mapped[str] = _workspace_key()
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(_NAME)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    draft: Mapped[dict[str, Any]]
    published_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class JourneyVersionRow(Base):
    """An immutable published copy of a journey's draft; runs keep the version they started on."""

    __tablename__ = "journey_versions"
    __table_args__ = (
        ForeignKeyConstraint(["workspace_id", "journey_key"], ["journeys.workspace_id", "journeys.key"]),
    )

    workspace_id: Mapped[str] = _workspace_key()
    journey_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[dict[str, Any]]
    message: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(_NAME)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class UserRow(Base):
    """A user and their attributes, which templates and conditions read as ``user.*``."""

    __tablename__ = "users"

    workspace_id: Mapped[str] = _workspace_key()
    id: Mapped[str] = mapped_column(_ID, primary_key=True)
    attributes: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class EventRow(Base):
    """The append-only event log; ``sequence`` orders it and consumers remember where they are."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("workspace_id", "event_id"),
        Index(None, "workspace_id", "user_id", "sequence"),
        {"sqlite_autoincrement": True},
    )

    sequence: Mapped[int] = mapped_column(AutoIncrementBigInteger, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_WORKSPACE)
    event_id: Mapped[str] = mapped_column(_ID)
    name: Mapped[str] = mapped_column(_NAME)
    user_id: Mapped[str | None] = mapped_column(_ID)
    properties: Mapped[dict[str, Any]]
    timestamp: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utc_now)
    source: Mapped[str] = mapped_column(String(100))


class ConsumerOffsetRow(Base):
    """The last event sequence a consumer (the router, say) has fully processed."""

    __tablename__ = "consumer_offsets"

    workspace_id: Mapped[str] = _workspace_key()
    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    sequence: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class DeadLetterRow(Base):
    """Input that could not be processed (a malformed Kafka record, say), kept for a human."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(AutoIncrementBigInteger, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(String(64), default=DEFAULT_WORKSPACE, index=True)
    source: Mapped[str] = mapped_column(String(100))
    position: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class RunRow(Base):
    """One user going through one published version, as the API shows it."""

    __tablename__ = "runs"
    __table_args__ = (
        Index(None, "workspace_id", "journey_key", "status"),
        Index(None, "workspace_id", "user_id"),
    )

    workspace_id: Mapped[str] = _workspace_key()
    run_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    journey_key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str | None] = mapped_column(_ID)
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    active_nodes: Mapped[list[Any]] = mapped_column(default=list)
    steps: Mapped[list[Any]] = mapped_column(default=list)
    workflow_id: Mapped[str] = mapped_column(String(300))


class ActiveRunRow(Base):
    """Runs not yet finished, per user: what the router signals and what ``reentry`` checks."""

    __tablename__ = "active_runs"
    __table_args__ = (Index(None, "workspace_id", "journey_key", "user_id"),)

    workspace_id: Mapped[str] = _workspace_key()
    user_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    run_id: Mapped[str] = mapped_column(_ID, primary_key=True)
    journey_key: Mapped[str] = mapped_column(String(64))
