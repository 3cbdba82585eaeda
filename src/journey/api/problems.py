"""Every error leaves the API as ``application/problem+json`` (RFC 9457), from this module only.

FastAPI's own 422s, unknown routes, wrong methods and unexpected exceptions included: a client
never sees an HTML page or a bare traceback, and a 5xx is always a bug or an outage.
"""

import json
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from journey.errors import JourneyError

MEDIA_TYPE = "application/problem+json"
_log = structlog.get_logger("journey.api")


class ProblemResponse(JSONResponse):
    """problem+json rendered as ASCII: an error that quotes the client's own bad input (an
    unpaired surrogate, say) must still encode, or the error itself would become a 500."""

    media_type = MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def problem(status: int, detail: str, *, title: str | None = None, **extra: Any) -> JSONResponse:
    body = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    return ProblemResponse(body, status_code=status)


async def _journey_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, JourneyError)
    return problem(error.status, error.detail, title=error.title, **error.extra)


async def _http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    response = problem(error.status_code, detail)
    for name, value in (error.headers or {}).items():
        response.headers[name] = value
    return response


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [
        {"location": [str(part) for part in item.get("loc", ())], "message": item.get("msg", "invalid")}
        for item in error.errors()
    ]
    first = errors[0] if errors else {"location": [], "message": "invalid request"}
    where = ".".join(first["location"])
    return problem(422, f"{where}: {first['message']}" if where else str(first["message"]), errors=errors)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    _log.error("unhandled error", path=request.url.path, error=repr(error), exc_info=error)
    return problem(500, "An unexpected error occurred; it has been logged.")


def install(app: FastAPI) -> None:
    """Map every error to problem+json on ``app``."""
    app.add_exception_handler(JourneyError, _journey_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
