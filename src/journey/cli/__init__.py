"""The ``journey`` command line (typer + rich)."""

from journey.cli.app import app, main

__all__ = ["app", "main"]
