"""The typer application; each command group lives in a module of its own beside this one."""

import sys

import typer

from journey.cli.db import db_app
from journey.cli.schema import node_types_command, schema_command
from journey.cli.simulate import simulate_command
from journey.cli.validate import validate_command

app = typer.Typer(
    name="journey",
    help="Journey: event-driven customer journeys, durably executed on Temporal.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


app.add_typer(db_app, name="db")
app.command("validate")(validate_command)
app.command("simulate")(simulate_command)
app.command("schema")(schema_command)
app.command("node-types")(node_types_command)


@app.callback()
def _root() -> None:
    """Journey: event-driven customer journeys, durably executed on Temporal."""


def main() -> None:
    """Console-script entry point: run the app and exit with its code."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
