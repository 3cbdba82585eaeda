"""ISO 8601 durations (``PT90S``, ``P3D``) or plain seconds, as used throughout the DSL.

Pydantic already parses ISO 8601 durations into ``timedelta`` and writes them back as ISO
strings, so a document round-trips; these aliases only add the sign rules the DSL needs.
"""

from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, Field


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be a positive duration, such as PT30S or P3D")
    return value


Duration = Annotated[
    timedelta,
    AfterValidator(_positive),
    Field(json_schema_extra={"format": "duration", "x-journey-widget": "duration"}),
]
"""A positive duration: ISO 8601 (``PT4H``) or a number of seconds."""

SignedDuration = Annotated[
    timedelta, Field(json_schema_extra={"format": "duration", "x-journey-widget": "duration"})
]
"""A duration that may be negative (``-P3D``), for offsets."""
