"""The errors the use cases raise, in one tree; the API maps each to problem+json in one place.

JourneyError
├── NotFound            404  a journey, version, run or user that does not exist
├── Conflict            409  the request contradicts the current state (reentry, duplicate key)
├── StaleRevision       412  a draft saved over a newer revision (If-Match)
├── InvalidRequest      422  the request is well formed but its content is not acceptable
│   └── DocumentRejected     a journey document with validation errors (carries the issues)
└── Unavailable         503  a dependency (Temporal, the database) does not answer
"""

from collections.abc import Sequence
from typing import Any


class JourneyError(Exception):
    """Base of the errors a use case raises on purpose; ``detail`` is safe to show to users."""

    status = 500
    title = "Error"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.detail!r})"


class NotFound(JourneyError):
    status = 404
    title = "Not found"


class Conflict(JourneyError):
    status = 409
    title = "Conflict"


class StaleRevision(JourneyError):
    status = 412
    title = "Stale revision"


class InvalidRequest(JourneyError):
    status = 422
    title = "Invalid request"


class DocumentRejected(InvalidRequest):
    """A journey document with errors; ``issues`` are the validation issues as JSON."""

    title = "Invalid journey"

    def __init__(self, detail: str, issues: Sequence[dict[str, Any]]) -> None:
        super().__init__(detail, issues=list(issues))


class Unavailable(JourneyError):
    status = 503
    title = "Service unavailable"
