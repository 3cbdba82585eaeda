"""``log``: a structured log line written on a journey's behalf, bound to its run.

The journey, run, user and node travel as fields, not as text in the message, so a log search
can pick out one run or one user without parsing anything.
"""

from collections.abc import Mapping
from typing import Any

import structlog
from pydantic import JsonValue

from journey.actions.errors import ActionError

LEVELS = ("debug", "info", "warning", "error")

_logger = structlog.get_logger("journey.run")


def write_log(
    params: Mapping[str, Any], *, journey: str, run_id: str, user_id: str | None, node_id: str
) -> dict[str, JsonValue]:
    """Write ``params["message"]`` at ``params["level"]`` (default info); returns both."""
    message = params.get("message")
    if not isinstance(message, str):
        raise ActionError(f"message: must be a string, got {type(message).__name__}", retryable=False)
    level = params.get("level") or "info"
    if level not in LEVELS:
        raise ActionError(f"level: {level!r} is not one of {', '.join(LEVELS)}", retryable=False)
    logger = _logger.bind(journey=journey, run_id=run_id, user_id=user_id, node_id=node_id)
    getattr(logger, level)(message)
    return {"message": message, "level": level}
