"""Logging for every part of Journey: structlog in front, the standard library underneath.

The root logger gets one handler whose formatter runs structlog's processors, so the lines of
uvicorn, the Temporal SDK and SQLAlchemy come out in the same format as Journey's own, and go
through the same redaction of anything that looks like a secret.
"""

import logging
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

SECRET_KEY_PARTS = ("password", "secret", "token", "api_key", "apikey", "authorization")
REDACTED = "[redacted]"

_HANDLER_NAME = "journey"
_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
_CHATTY_LOGGERS = ("alembic",)
"""Libraries whose INFO lines narrate their internals ("Context impl SQLiteImpl."): warnings only."""
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def configure_logging(level: str, fmt: str = "console", *, stream: TextIO | None = None) -> None:
    """Route structlog and the standard library to one handler on ``stream`` (default stderr).

    ``level`` and ``fmt`` (``console`` or ``json``) take ``JOURNEY_LOG_LEVEL`` and ``JOURNEY_LOG_FORMAT``.

    Calling it again replaces Journey's handler instead of adding a second one.
    """
    level_name = level.upper()
    if level_name not in _LEVELS:
        raise ValueError(f"log level {level!r} is not one of {', '.join(_LEVELS).lower()}")
    if fmt not in ("console", "json"):
        raise ValueError(f"log format {fmt!r} is not 'console' or 'json'")
    output = stream or sys.stderr

    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            redact_secrets,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    renderer: list[Processor] = (
        [structlog.processors.dict_tracebacks, structlog.processors.JSONRenderer()]
        if fmt == "json"
        else [structlog.dev.ConsoleRenderer(colors=output.isatty())]
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(), redact_secrets],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )
    handler: logging.StreamHandler[TextIO] = (
        logging.StreamHandler(stream) if stream is not None else _CurrentStderrHandler()
    )
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(formatter)

    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(level_name)
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    for name in _UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True


class _CurrentStderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a record is emitted, not when the handler was
    made: a test runner or an embedding program may swap it, and a handler holding the old,
    closed stream turns every later log line into a "Logging error"."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """StreamHandler assigns the stream it was given; the current stderr is used instead."""


def redact_secrets(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Replace the value of every key that looks secret, at any depth of the event."""
    return {key: _scrub(key, value) for key, value in event_dict.items()}


def _scrub(key: Any, value: Any) -> Any:
    if isinstance(key, str) and _looks_secret(key):
        return REDACTED
    if isinstance(value, Mapping):
        return {inner_key: _scrub(inner_key, inner) for inner_key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(None, item) for item in value]
    return value


def _looks_secret(key: str) -> bool:
    normalised = key.lower().replace("-", "_")
    return any(part in normalised for part in SECRET_KEY_PARTS)
