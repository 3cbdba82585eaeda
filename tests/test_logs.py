"""configure_logging: one handler for structlog and stdlib lines alike, secrets redacted, idempotent."""

import io
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from journey.logs import REDACTED, configure_logging, redact_secrets


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Put back the global logging state that configure_logging changes."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    uvicorn = logging.getLogger("uvicorn")
    uvicorn_state = (list(uvicorn.handlers), uvicorn.propagate)
    structlog_config = structlog.get_config()
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    uvicorn.handlers[:], uvicorn.propagate = uvicorn_state
    structlog.configure(**structlog_config)


def _json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_level_logger_time_and_bound_fields() -> None:
    stream = io.StringIO()
    configure_logging("info", "json", stream=stream)
    structlog.get_logger("journey.test").bind(run_id="r-1").info("run started", nodes=3)

    (line,) = _json_lines(stream)
    assert line["event"] == "run started"
    assert (line["level"], line["logger"], line["run_id"], line["nodes"]) == (
        "info",
        "journey.test",
        "r-1",
        3,
    )
    assert line["timestamp"].endswith("Z")


def test_secrets_are_redacted_at_any_depth_in_structlog_and_stdlib_lines() -> None:
    stream = io.StringIO()
    configure_logging("info", "json", stream=stream)
    structlog.get_logger("journey.test").info(
        "calling", smtp_password="p4ss", request={"headers": {"Authorization": "Bearer t0k"}, "ok": 1}
    )
    logging.getLogger("temporalio.worker").warning("stdlib line", extra={"api_key": "k3y", "attempt": 2})

    structlog_line, stdlib_line = _json_lines(stream)
    assert structlog_line["smtp_password"] == REDACTED
    assert structlog_line["request"] == {"headers": {"Authorization": REDACTED}, "ok": 1}
    assert (stdlib_line["event"], stdlib_line["logger"]) == ("stdlib line", "temporalio.worker")
    assert (stdlib_line["api_key"], stdlib_line["attempt"]) == (REDACTED, 2)
    for secret in ("p4ss", "t0k", "k3y"):
        assert secret not in stream.getvalue()


def test_redaction_matches_key_names_in_any_case_and_spelling() -> None:
    event = {
        "event": "e",
        "X-Api-Key": "a",
        "ACCESS_TOKEN": "b",
        "client_secret": "c",
        "items": [{"password": "d", "name": "kept"}],
        "user": "kept",
    }
    assert redact_secrets(None, "info", event) == {
        "event": "e",
        "X-Api-Key": REDACTED,
        "ACCESS_TOKEN": REDACTED,
        "client_secret": REDACTED,
        "items": [{"password": REDACTED, "name": "kept"}],
        "user": "kept",
    }


def test_uvicorn_lines_go_through_the_same_handler() -> None:
    uvicorn_own = io.StringIO()
    logging.getLogger("uvicorn").addHandler(logging.StreamHandler(uvicorn_own))
    stream = io.StringIO()
    configure_logging("info", "json", stream=stream)
    logging.getLogger("uvicorn.error").info("Application startup complete.")

    assert _json_lines(stream)[0]["event"] == "Application startup complete."
    assert uvicorn_own.getvalue() == ""


def test_configuring_twice_keeps_one_handler_and_applies_the_new_level() -> None:
    first, second = io.StringIO(), io.StringIO()
    configure_logging("debug", "json", stream=first)
    configure_logging("warning", "json", stream=second)
    log = structlog.get_logger("journey.test")
    log.info("dropped")
    log.warning("kept")

    assert first.getvalue() == ""
    assert [line["event"] for line in _json_lines(second)] == ["kept"]
    assert [h.get_name() for h in logging.getLogger().handlers].count("journey") == 1


def test_console_format_is_readable_and_redacted() -> None:
    stream = io.StringIO()
    configure_logging("info", "console", stream=stream)
    structlog.get_logger("journey.test").info("email sent", to="ann@example.com", token="t0k")

    output = stream.getvalue()
    assert "email sent" in output
    assert "to=ann@example.com" in output
    assert "t0k" not in output
    assert "\x1b[" not in output


def test_unknown_level_or_format_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="log level 'loud' is not one of"):
        configure_logging("loud", "json")
    with pytest.raises(ValueError, match="log format 'xml' is not"):
        configure_logging("info", "xml")


def test_logs_follow_stderr_when_it_is_swapped(monkeypatch: pytest.MonkeyPatch) -> None:
    configure_logging("info", "json")
    first = io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    logging.getLogger("journey.test").info("one")
    first.close()
    second = io.StringIO()
    monkeypatch.setattr(sys, "stderr", second)

    logging.getLogger("journey.test").info("two")

    assert json.loads(second.getvalue())["event"] == "two"
