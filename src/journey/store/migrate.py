"""Schema migrations (Alembic), run from code: ``journey db upgrade`` and the app at start-up.

The migration scripts live inside the package (``migrations/``), so an installed wheel can
upgrade its own database without an ``alembic.ini``.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection

from journey.store.engine import WRITE_LOCK, create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 0x6A6F75726E6579
"""PostgreSQL advisory lock key held while migrating ("journey" in ASCII)."""


async def upgrade(url: str) -> str | None:
    """Bring the database at ``url`` to the newest revision and return that revision.

    Already up to date, it changes nothing. Runs in one transaction: on failure nothing is left
    half-migrated (SQLite and PostgreSQL both have transactional DDL). Processes starting together
    (API, worker, router) take turns: the transaction first takes the database's write lock on
    SQLite, an advisory lock on PostgreSQL, so the later ones find the schema already there.
    Within one process, call it once at a time: Alembic keeps its running context in globals.
    """
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(**{WRITE_LOCK: True})
            async with connection.begin():
                if connection.dialect.name == "postgresql":
                    await connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK}
                    )
                await connection.run_sync(_upgrade_to_head)
                return await connection.run_sync(_current_revision)
    finally:
        await engine.dispose()


def alembic_config(connection: Connection) -> Config:
    """Alembic's configuration for our scripts, running on ``connection`` (see ``env.py``)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def _upgrade_to_head(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
