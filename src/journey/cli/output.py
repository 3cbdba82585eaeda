"""Output helpers shared by the commands: rich for people, plain JSON for programs.

The consoles soft-wrap, so a long line stays one line when piped into grep, and markup is off
wherever user text (messages, ids) is printed, so a ``[`` in it is never taken for a style.
"""

import json
from typing import Any, NoReturn

import typer
from rich.console import Console

EXIT_PROBLEMS = 1
"""The input was read, and it has errors (an invalid journey)."""
EXIT_UNUSABLE = 2
"""An input could not be used at all: unreadable, not JSON or YAML, a bad option value."""

stdout = Console(soft_wrap=True, highlight=False)
stderr = Console(stderr=True, soft_wrap=True, highlight=False)


def print_json(value: Any) -> None:
    """Plain, indented JSON on stdout, for programs (never colored or wrapped)."""
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def fail(message: str, code: int = EXIT_UNUSABLE) -> NoReturn:
    """Print one line to stderr and exit with ``code``."""
    stderr.print(message, markup=False)
    raise typer.Exit(code)
