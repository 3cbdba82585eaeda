"""``journey db``: the database schema, migrated by the Alembic scripts shipped in the package."""

import asyncio

import typer

EXIT_UNREACHABLE = 2

db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_command() -> None:
    """Migrate the database (JOURNEY_DATABASE_URL, default a SQLite file) to the newest schema."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from journey.settings import get_settings
    from journey.store.migrate import upgrade

    url = get_settings().resolved_database_url
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        revision = asyncio.run(upgrade(url))
    except (SQLAlchemyError, OSError) as error:
        reason = error.orig if isinstance(error, DBAPIError) else error
        typer.echo(f"cannot upgrade {shown}: {reason}", err=True)
        raise typer.Exit(EXIT_UNREACHABLE) from error
    typer.echo(f"{shown} is at revision {revision}")
