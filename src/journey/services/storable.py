"""Values the API accepts for storage: what SQLite and PostgreSQL both keep, and give back intact.

Python's JSON parser and pydantic's ``JsonValue`` let through things the way down or back up
refuses: ``NaN`` and ``Infinity`` (and numbers too large for a float, which parse as infinity)
are not JSON; PostgreSQL cannot hold the NUL character in text or ``jsonb``; an unpaired UTF-16
surrogate (``"\\ud800"``, valid JSON text) is no character and cannot be encoded; nesting
deeper than anyone means runs every reader that recurses (encoders, CEL) out of stack. Refused
here, each is a 422 that says where, not a 500 from a database.
"""

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, JsonValue

ID_MAX_LENGTH = 200
WITHOUT_NUL = r"^[^\x00]*$"
"""Ids are stored as text, which cannot hold NUL on PostgreSQL."""
MAX_DEPTH = 32
"""How many objects and arrays may nest in one another, the outermost included: far more than
attributes and properties need."""

_UNSTORABLE_TEXT = "must not hold NUL or unpaired surrogates"

StorableId = Annotated[str, Field(min_length=1, max_length=ID_MAX_LENGTH, pattern=WITHOUT_NUL)]


def _storable_object(value: dict[str, JsonValue]) -> dict[str, JsonValue]:
    for path, item, depth in _walk(value):
        if isinstance(item, dict | list) and depth >= MAX_DEPTH:
            raise ValueError(f"{path}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, float) and not math.isfinite(item):
            raise ValueError(f"{path}: numbers must be finite (no NaN, no Infinity)")
        if isinstance(item, str) and not _storable_text(item):
            raise ValueError(f"{path}: text {_UNSTORABLE_TEXT}")
        unstorable_keys = [key for key in item if not _storable_text(key)] if isinstance(item, dict) else []
        if unstorable_keys:
            raise ValueError(f"{path}/{_escaped(unstorable_keys[0])}: names {_UNSTORABLE_TEXT}")
    return value


def _walk(value: JsonValue) -> Iterator[tuple[str, JsonValue, int]]:
    """Every value in ``value``, in document order, with its JSON pointer and depth; a loop, as
    the nesting is not checked yet."""
    pending: list[tuple[str, JsonValue, int]] = [("", value, 0)]
    while pending:
        path, item, depth = pending.pop()
        yield path, item, depth
        if isinstance(item, dict):
            children = [(f"{path}/{_escaped(key)}", child) for key, child in item.items()]
        elif isinstance(item, list):
            children = [(f"{path}/{index}", child) for index, child in enumerate(item)]
        else:
            continue
        pending.extend((child_path, child, depth + 1) for child_path, child in reversed(children))


def _escaped(key: str) -> str:
    """A key as a JSON pointer segment, printable even when the key is not storable."""
    segment = key.replace("~", "~0").replace("/", "~1")
    return segment.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def _storable_text(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


StorableObject = Annotated[dict[str, JsonValue], AfterValidator(_storable_object)]
"""A JSON object both databases store and return as it came."""


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("the instant falls outside the years 1 to 9999 in UTC") from None


UtcTimestamp = Annotated[AwareDatetime, AfterValidator(_in_utc)]
"""An instant with its offset given (a naive one would have to be guessed), kept in UTC."""
