"""The typer application; each command group lives in a module of its own beside this one."""

import os
import sys

import typer

from journey.cli.db import db_app
from journey.cli.engine import api_command, run_command, up_command, worker_command
from journey.cli.router import router_command
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
app.command("run")(run_command)
app.command("worker")(worker_command)
app.command("up")(up_command)
app.command("api")(api_command)
app.command("router")(router_command)


@app.callback()
def _root() -> None:
    """Journey: event-driven customer journeys, durably executed on Temporal."""


def main() -> None:
    """Console-script entry point: run the app and exit with its code.

    It leaves through ``os._exit`` after flushing: a process that ran a Temporal worker can
    otherwise abort in interpreter shutdown (exit 134) after doing all its work correctly.
    """
    code = 0
    try:
        app()
    except KeyboardInterrupt:
        code = 130
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
