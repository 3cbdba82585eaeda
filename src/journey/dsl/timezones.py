"""IANA time zones by name, with one readable error for an unknown one."""

from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """The zone called ``name`` (``Europe/Paris``); ValueError if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}; use an IANA name such as Europe/Paris") from error
