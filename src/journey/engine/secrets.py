"""Secrets for templates (``{{ secrets.API_TOKEN }}``), read from ``JOURNEY_SECRET_*`` variables.

They reach the template context inside activities only: never CEL, never a workflow's history,
never a log line or an API response.
"""

import os
from collections.abc import Mapping

PREFIX = "JOURNEY_SECRET_"


def secrets_from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    source = os.environ if environ is None else environ
    return {name.removeprefix(PREFIX): value for name, value in source.items() if name.startswith(PREFIX)}
