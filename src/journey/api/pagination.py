"""Cursor pagination: ``limit`` (default 50, at most 500) and an opaque ``cursor``.

The cursor is the sort key of the last item served, base64url-encoded JSON: opaque to clients,
stable under inserts, and a tampered one is a 422, never a 500.
"""

import base64
import binascii
import json
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from journey.errors import InvalidRequest

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
CursorParam = Annotated[str | None, Query(description="The next_cursor of the previous page")]


Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None = None


def encode_cursor(position: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None) -> list[Any] | None:
    """The position a cursor stands for; InvalidRequest (422) when it is not one of ours."""
    if cursor is None:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InvalidRequest("cursor: not a cursor this API returned") from None
    if not isinstance(position, list):
        raise InvalidRequest("cursor: not a cursor this API returned")
    return position
