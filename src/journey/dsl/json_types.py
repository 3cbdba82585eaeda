"""What a parsed JSON value is, in JSON's words, for error messages people read."""

from typing import Any


def json_type(value: Any) -> str:
    """``null``, ``a boolean``, ``a number``, ``a string``, ``an array`` or ``an object``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else type(value).__name__
