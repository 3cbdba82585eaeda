"""``journey router`` without a Temporal to talk to says what to do and exits.

(It routing for real, as a process killed and restarted, is ``test_router_crash``.)
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journey.cli import app
from journey.settings import get_settings
from tests.support.ports import free_port


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_router_refuses_to_start_without_temporal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    port = free_port()
    monkeypatch.delenv("JOURNEY_TEMPORAL_ADDRESS", raising=False)
    monkeypatch.setenv("JOURNEY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOURNEY_TEMPORAL_PORT", str(port))

    result = CliRunner().invoke(app, ["router"])

    assert result.exit_code == 2
    assert result.output.startswith(f"nothing answers on 127.0.0.1:{port}: set JOURNEY_TEMPORAL_ADDRESS")
