"""Schema migrations (Alembic), run from code: ``journey db upgrade`` and the app at start-up.

The migration scripts live inside the package (``migrations/``), so an installed wheel can
upgrade its own database without an ``alembic.ini``.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from journey.store.engine import create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


async def upgrade(url: str) -> str | None:
    """Bring the database at ``url`` to the newest revision and return that revision.

    Already up to date, it changes nothing. Runs in one transaction: on failure nothing is left
    half-migrated (SQLite and PostgreSQL both have transactional DDL).
    """
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
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
