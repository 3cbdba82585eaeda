"""Initial schema: every table of the product.

Revision ID: 0001
Revises:
Created: 2026-11-29

Column types are spelled out here rather than imported from the models, so this revision keeps
creating the same schema however the models change later.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_SEQUENCE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _timestamp(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _workspace() -> sa.Column[str]:
    return sa.Column("workspace_id", sa.String(64), nullable=False)


def upgrade() -> None:
    op.create_table(
        "journeys",
        _workspace(),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("draft", _JSON, nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'paused', 'archived')", name=op.f("ck_journeys_status")
        ),
        sa.PrimaryKeyConstraint("workspace_id", "key", name=op.f("pk_journeys")),
    )
    op.create_table(
        "journey_versions",
        _workspace(),
        sa.Column("journey_key", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", _JSON, nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["workspace_id", "journey_key"],
            ["journeys.workspace_id", "journeys.key"],
            name=op.f("fk_journey_versions_workspace_id_journey_key_journeys"),
        ),
        sa.PrimaryKeyConstraint("workspace_id", "journey_key", "version", name=op.f("pk_journey_versions")),
    )
    op.create_table(
        "users",
        _workspace(),
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("attributes", _JSON, nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("workspace_id", "id", name=op.f("pk_users")),
    )
    op.create_table(
        "events",
        sa.Column("sequence", _SEQUENCE, autoincrement=True, nullable=False),
        _workspace(),
        sa.Column("event_id", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=True),
        sa.Column("properties", _JSON, nullable=False),
        _timestamp("timestamp"),
        _timestamp("received_at"),
        sa.Column("source", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_events")),
        sa.UniqueConstraint("workspace_id", "event_id", name=op.f("uq_events_workspace_id_event_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_events_workspace_id_user_id_sequence"), "events", ["workspace_id", "user_id", "sequence"]
    )
    op.create_table(
        "consumer_offsets",
        _workspace(),
        sa.Column("consumer", sa.String(100), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("workspace_id", "consumer", name=op.f("pk_consumer_offsets")),
    )
    op.create_table(
        "dead_letters",
        sa.Column("id", _SEQUENCE, autoincrement=True, nullable=False),
        _workspace(),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("position", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dead_letters")),
    )
    op.create_index(op.f("ix_dead_letters_workspace_id"), "dead_letters", ["workspace_id"])
    op.create_table(
        "runs",
        _workspace(),
        sa.Column("run_id", sa.String(200), nullable=False),
        sa.Column("journey_key", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        _timestamp("started_at"),
        _timestamp("finished_at", nullable=True),
        sa.Column("active_nodes", _JSON, nullable=False),
        sa.Column("steps", _JSON, nullable=False),
        sa.Column("workflow_id", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "run_id", name=op.f("pk_runs")),
    )
    op.create_index(
        op.f("ix_runs_workspace_id_journey_key_status"), "runs", ["workspace_id", "journey_key", "status"]
    )
    op.create_index(op.f("ix_runs_workspace_id_user_id"), "runs", ["workspace_id", "user_id"])
    op.create_table(
        "active_runs",
        _workspace(),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("run_id", sa.String(200), nullable=False),
        sa.Column("journey_key", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "user_id", "run_id", name=op.f("pk_active_runs")),
    )
    op.create_index(
        op.f("ix_active_runs_workspace_id_journey_key_user_id"),
        "active_runs",
        ["workspace_id", "journey_key", "user_id"],
    )


def downgrade() -> None:
    for table in (
        "active_runs",
        "runs",
        "dead_letters",
        "consumer_offsets",
        "events",
        "users",
        "journey_versions",
        "journeys",
    ):
        op.drop_table(table)
