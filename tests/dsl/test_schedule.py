"""Clock maths in a time zone: next time of day and the end of quiet hours, DST included."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journey.dsl.schedule import WEEKDAY_NAMES, next_time_of_day, parse_clock, quiet_until

PARIS = "Europe/Paris"
ZONES = ["UTC", PARIS, "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize("clock", ["9:00", "09-00", "24:00", "09:60", "0900", "ab:cd", "09:5"])
def test_bad_clocks_are_refused(clock: str) -> None:
    with pytest.raises(ValueError, match="time of day"):
        parse_clock(clock)


def test_next_time_of_day_is_strictly_after_now() -> None:
    assert next_time_of_day(utc(2026, 3, 2, 9), "09:00", "UTC") == utc(2026, 3, 3, 9)
    assert next_time_of_day(utc(2026, 3, 2, 8, 59), "09:00", "UTC") == utc(2026, 3, 2, 9)


def test_next_time_of_day_in_a_zone_and_on_weekdays() -> None:
    monday_noon = utc(2026, 3, 2, 12)
    assert next_time_of_day(monday_noon, "09:30", "Asia/Kolkata") == utc(2026, 3, 3, 4, 0)
    assert next_time_of_day(monday_noon, "09:00", PARIS, ["sat", "sun"]) == utc(2026, 3, 7, 8, 0)
    assert next_time_of_day(monday_noon, "14:00", PARIS, ["mon"]) == utc(2026, 3, 2, 13, 0)
    assert next_time_of_day(monday_noon, "12:00", "UTC", ["mon"]) == utc(2026, 3, 9, 12, 0)


def test_a_time_that_does_not_exist_moves_forward_by_the_gap() -> None:
    # 2026-03-29 02:30 does not exist in Paris (02:00 jumps to 03:00): it means 03:30 CEST.
    assert next_time_of_day(utc(2026, 3, 28, 12), "02:30", PARIS) == utc(2026, 3, 29, 1, 30)


def test_an_ambiguous_time_means_its_first_occurrence() -> None:
    # 2026-10-25 02:30 happens twice in Paris; the first is 02:30 CEST = 00:30 UTC.
    assert next_time_of_day(utc(2026, 10, 24, 12), "02:30", PARIS) == utc(2026, 10, 25, 0, 30)


def test_naive_now_and_unknown_zones_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_time_of_day(datetime(2026, 1, 1), "09:00", "UTC")
    with pytest.raises(ValueError, match="unknown time zone 'Nowhere/City'"):
        quiet_until(utc(2026, 1, 1), "21:00", "08:00", "Nowhere/City")
    with pytest.raises(ValueError, match="weekdays"):
        next_time_of_day(utc(2026, 1, 1), "09:00", "UTC", ["someday"])


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 3, 2, 20, 59), None),
        (utc(2026, 3, 2, 21, 0), utc(2026, 3, 3, 8, 0)),
        (utc(2026, 3, 2, 23, 30), utc(2026, 3, 3, 8, 0)),
        (utc(2026, 3, 3, 3, 0), utc(2026, 3, 3, 8, 0)),
        (utc(2026, 3, 3, 8, 0), None),
        (utc(2026, 3, 3, 12, 0), None),
    ],
)
def test_quiet_hours_across_midnight(now: datetime, expected: datetime | None) -> None:
    assert quiet_until(now, "21:00", "08:00", "UTC") == expected


def test_quiet_hours_within_one_day() -> None:
    assert quiet_until(utc(2026, 3, 2, 13), "12:00", "14:00", "UTC") == utc(2026, 3, 2, 14)
    assert quiet_until(utc(2026, 3, 2, 11), "12:00", "14:00", "UTC") is None


def test_quiet_hours_follow_the_users_zone_and_dst() -> None:
    # 22:00 in New York on the night the clocks go forward; 08:00 EDT is 12:00 UTC.
    now = datetime(2026, 3, 7, 22, 0, tzinfo=ZoneInfo("America/New_York"))
    assert quiet_until(now, "21:00", "08:00", "America/New_York") == utc(2026, 3, 8, 12, 0)
    assert quiet_until(utc(2026, 3, 2, 11), "21:00", "08:00", "Asia/Tokyo") is None
    assert quiet_until(utc(2026, 3, 2, 14), "21:00", "08:00", "Asia/Tokyo") == utc(2026, 3, 2, 23, 0)


moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)
clocks = st.builds(lambda hour, minute: f"{hour:02d}:{minute:02d}", st.integers(0, 23), st.integers(0, 59))


@settings(max_examples=150, deadline=None)
@given(
    now=moments,
    clock=clocks,
    zone=st.sampled_from(ZONES),
    days=st.sets(st.sampled_from(WEEKDAY_NAMES), min_size=1),
)
def test_next_time_of_day_properties(now: datetime, clock: str, zone: str, days: set[str]) -> None:
    weekdays = sorted(days)
    wake = next_time_of_day(now, clock, zone, weekdays)
    assert now < wake <= now + timedelta(days=8)
    local = wake.astimezone(ZoneInfo(zone))
    assert WEEKDAY_NAMES[local.weekday()] in days
    assert local.time() == parse_clock(clock) or not _exists(local, clock, zone)
    assert next_time_of_day(wake - timedelta(microseconds=1), clock, zone, weekdays) == wake


@settings(max_examples=150, deadline=None)
@given(now=moments, start=clocks, end=clocks, zone=st.sampled_from(ZONES))
def test_quiet_until_properties(now: datetime, start: str, end: str, zone: str) -> None:
    if start == end:
        return
    until = quiet_until(now, start, end, zone)
    if until is None:
        return
    assert now < until <= now + timedelta(days=1, hours=3)
    local = until.astimezone(ZoneInfo(zone))
    assert local.time() == parse_clock(end) or not _exists(local, end, zone)
    # The window excludes its end, so at ``until`` a message may go (unless the end moved
    # through a DST gap into the next window).
    assert quiet_until(until, start, end, zone) is None or not _exists(local, end, zone)


def _exists(day: datetime, clock: str, zone: str) -> bool:
    """Whether ``clock`` exists on the local date of ``day`` (not skipped by a DST gap)."""
    local = datetime.combine(day.date(), parse_clock(clock), tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).astimezone(ZoneInfo(zone)).time() == parse_clock(clock)
