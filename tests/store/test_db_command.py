"""``journey db upgrade``: migrates the configured database and says to which revision."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journey.cli import app
from journey.settings import get_settings


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings re-read from the environment the test sets."""
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_upgrade_prints_the_revision_and_repeats_harmlessly(
    configured: pytest.MonkeyPatch, fresh_database_url: str
) -> None:
    configured.setenv("JOURNEY_DATABASE_URL", fresh_database_url)

    first = CliRunner().invoke(app, ["db", "upgrade"])
    second = CliRunner().invoke(app, ["db", "upgrade"])

    assert first.exit_code == 0, first.output
    assert first.output.strip().endswith("is at revision 0001")
    assert second.output == first.output


def test_upgrade_uses_a_sqlite_file_in_the_data_dir_by_default(
    configured: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    configured.delenv("JOURNEY_DATABASE_URL", raising=False)
    configured.setenv("JOURNEY_DATA_DIR", str(tmp_path / "data"))

    result = CliRunner().invoke(app, ["db", "upgrade"])

    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "journey.db").is_file()


def test_an_unreachable_database_is_one_clear_line(configured: pytest.MonkeyPatch) -> None:
    configured.setenv("JOURNEY_DATABASE_URL", "postgresql+asyncpg://postgres:hunter2@127.0.0.1:1/journey")

    result = CliRunner().invoke(app, ["db", "upgrade"])

    assert result.exit_code == 2
    assert "cannot upgrade postgresql+asyncpg://postgres:***@127.0.0.1:1/journey" in result.output
    assert "hunter2" not in result.output
