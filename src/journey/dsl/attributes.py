"""Arithmetic on user attributes, shared by the store and the simulator so both agree:
a whole-number increment of an integer stays an integer (``1`` plus ``1`` is ``2``, not ``2.0``)."""

from typing import Any

from pydantic import JsonValue


class AttributeNotNumeric(ValueError):
    """An increment met an attribute that holds something other than a number."""

    def __init__(self, name: str, value: JsonValue) -> None:
        super().__init__(f"cannot increment attribute {name!r}: it holds {value!r}, not a number")


def incremented(name: str, current: Any, amount: float) -> int | float:
    """``current + amount``; AttributeNotNumeric when ``current`` is not a number."""
    if isinstance(current, bool) or not isinstance(current, int | float):
        raise AttributeNotNumeric(name, current)
    total = current + amount
    if isinstance(current, int) and float(amount).is_integer():
        return int(total)
    return total
