"""The Kafka consumer settings as ``JOURNEY_*`` variables: read, bounded, and a heartbeat that
could never keep a session alive refused with a message naming both variables."""

import os

import pytest
from pydantic import ValidationError

from journey.settings import Settings


def test_the_group_timings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEY_KAFKA_SESSION_TIMEOUT_MS", "4000")
    monkeypatch.setenv("JOURNEY_KAFKA_HEARTBEAT_INTERVAL_MS", "500")
    monkeypatch.setenv("JOURNEY_KAFKA_MAX_POLL_INTERVAL_MS", "60000")
    monkeypatch.setenv("JOURNEY_KAFKA_FETCH_MAX_WAIT_MS", "20")

    settings = Settings()

    assert settings.kafka_session_timeout_ms == 4000
    assert settings.kafka_heartbeat_interval_ms == 500
    assert settings.kafka_max_poll_interval_ms == 60000
    assert settings.kafka_fetch_max_wait_ms == 20


def test_the_defaults_suit_a_kafka_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("JOURNEY_KAFKA_")]:
        monkeypatch.delenv(name)

    settings = Settings()

    assert settings.kafka_session_timeout_ms == 10_000
    assert settings.kafka_heartbeat_interval_ms is None
    assert settings.kafka_fetch_max_wait_ms == 50


def test_a_heartbeat_as_long_as_the_session_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEY_KAFKA_SESSION_TIMEOUT_MS", "3000")
    monkeypatch.setenv("JOURNEY_KAFKA_HEARTBEAT_INTERVAL_MS", "3000")

    with pytest.raises(ValidationError, match="JOURNEY_KAFKA_HEARTBEAT_INTERVAL_MS must be below"):
        Settings()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("JOURNEY_KAFKA_SESSION_TIMEOUT_MS", "999"),
        ("JOURNEY_KAFKA_SESSION_TIMEOUT_MS", "soon"),
        ("JOURNEY_KAFKA_FETCH_MAX_WAIT_MS", "-1"),
        ("JOURNEY_KAFKA_MAX_POLL_INTERVAL_MS", "10"),
    ],
)
def test_out_of_range_timings_are_refused(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)

    with pytest.raises(ValidationError, match=variable.removeprefix("JOURNEY_").lower()):
        Settings()
