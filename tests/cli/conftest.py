"""Shared helpers of the CLI tests: a runner for the real app, and JSON files to feed it."""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write_json(tmp_path: Path) -> Any:
    """Write a JSON value to a file in the test's directory and return its path."""

    def write(name: str, value: Any) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(value), encoding="utf-8")
        return path

    return write
