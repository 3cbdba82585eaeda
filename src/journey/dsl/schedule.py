"""Wall-clock maths in a time zone: the next local time of day, and the end of quiet hours.

The interpreter core (``delay.time_of_day``), the simulator and the activity that sends
messages all call these, so a run and its simulation wake at the same instant. Local times
follow ``zoneinfo``: a time that does not exist on a spring-forward day moves forward by the
gap (02:30 becomes 03:30), an ambiguous one on a fall-back day means its first occurrence.
"""

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from journey.dsl.timezones import zone

_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_clock(clock: str) -> time:
    """``"09:30"`` as a time; ValueError for anything else."""
    if not _CLOCK.fullmatch(clock):
        raise ValueError(f"not a time of day {clock!r}; use HH:MM such as 09:30")
    return time(int(clock[:2]), int(clock[3:]))


def next_time_of_day(
    now: datetime, clock: str, timezone: str, weekdays: Sequence[str] | None = None
) -> datetime:
    """The first instant strictly after ``now`` when the clock in ``timezone`` shows ``clock``
    on one of ``weekdays`` (``"mon"`` .. ``"sun"``; every day when None). Returned in UTC."""
    _require_aware(now)
    wanted = parse_clock(clock)
    tz = zone(timezone)
    allowed = _weekday_numbers(weekdays)
    today = now.astimezone(tz).date()
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.weekday() not in allowed:
            continue
        candidate = _local_instant(day, wanted, tz)
        if candidate > now:
            return candidate
    raise AssertionError("eight consecutive days always contain an allowed weekday")


def quiet_until(now: datetime, start: str, end: str, timezone: str) -> datetime | None:
    """When the quiet window ``start``-``end`` (local time in ``timezone``) that contains
    ``now`` ends, in UTC; None when ``now`` is outside it. A window may cross midnight
    (``21:00``-``08:00``); it includes its start and excludes its end."""
    _require_aware(now)
    opens, closes = parse_clock(start), parse_clock(end)
    tz = zone(timezone)
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if opens < closes:
        inside, end_day = opens <= clock < closes, local.date()
    else:
        inside = clock >= opens or clock < closes
        end_day = local.date() + timedelta(days=1) if clock >= opens else local.date()
    if not inside:
        return None
    until = _local_instant(end_day, closes, tz)
    return until if until > now else None


def _local_instant(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def _weekday_numbers(weekdays: Sequence[str] | None) -> frozenset[int]:
    if weekdays is None:
        return frozenset(range(7))
    unknown = [day for day in weekdays if day not in WEEKDAY_NAMES]
    if unknown or not weekdays:
        raise ValueError(f"weekdays must be some of {', '.join(WEEKDAY_NAMES)}, not {list(weekdays)}")
    return frozenset(WEEKDAY_NAMES.index(day) for day in weekdays)


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
