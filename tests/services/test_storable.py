"""What storable values refuse: what a database or the way back out would choke on, said where."""

import math
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import JsonValue, TypeAdapter, ValidationError

from journey.services.storable import MAX_DEPTH, StorableId, StorableObject, UtcTimestamp

OBJECT: TypeAdapter[dict[str, JsonValue]] = TypeAdapter(StorableObject)


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"plan": "pro", "orders": 3, "score": 1.5, "vip": False, "note": None},
        {"tags": ["a", "b"], "address": {"city": "Zürich", "emoji": "🚀"}, "": ""},
        {"big": 10**30, "tiny": 5e-324, "max": 1.7976931348623157e308},
        _nested(MAX_DEPTH),
    ],
)
def test_ordinary_json_is_kept_as_it_is(value: dict[str, Any]) -> None:
    assert OBJECT.validate_python(value) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": {"b": [1, math.nan]}}, "/a/b/1: numbers must be finite"),
        ({"a": math.inf}, "/a: numbers must be finite"),
        ({"a": [-math.inf]}, "/a/0: numbers must be finite"),
        ({"a": "x\x00y"}, "/a: text must not hold NUL"),
        ({"a": ["\ud800"]}, "/a/0: text must not hold NUL or unpaired surrogates"),
        ({"a": {"b\x00": 1}}, "/a/b\\x00: names must not hold NUL"),
        ({"x/y~": {"\udfff": 1}}, "/x~1y~0/\\udfff: names must not hold"),
        (_nested(MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} levels deep"),
        ({"list": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}, "levels deep"),
    ],
)
def test_what_a_database_refuses_is_refused_with_its_place(value: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("\\", "\\\\")):
        OBJECT.validate_python(value)


def test_the_first_problem_in_document_order_is_named() -> None:
    with pytest.raises(ValidationError, match="/a/0: "):
        OBJECT.validate_python({"a": [math.nan, "\x00"], "b": math.nan})


@pytest.mark.parametrize("value", ["", "x" * 201, "a\x00b", "\ud800", 5, None])
def test_ids_are_1_to_200_characters_of_storable_text(value: Any) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(StorableId).validate_python(value)


@pytest.mark.parametrize("value", ["u", "x" * 200, "user@example.com", "ü/ñ 🚀"])
def test_ids_within_the_limits_pass(value: str) -> None:
    assert TypeAdapter(StorableId).validate_python(value) == value


def test_timestamps_are_kept_in_utc() -> None:
    adapter: TypeAdapter[datetime] = TypeAdapter(UtcTimestamp)
    stamp = adapter.validate_python("2026-03-01T13:30:00+01:30")
    assert stamp == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert stamp.tzinfo is UTC
    for refused in ["2026-03-01T12:00:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-02:00"]:
        with pytest.raises(ValidationError):
            adapter.validate_python(refused)
