"""The API over the session's real database, called in-process: ``api`` is an ``httpx.AsyncClient``.

The app runs without an engine (``temporal`` is None); a test package that needs Temporal
overrides ``api_state``. Tests share one database per backend, so each uses journey keys of its
own (``journey_key``).
"""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from journey.api import ApiState, create_app
from journey.settings import Settings
from journey.store import Database, SqlEventLog


@pytest.fixture(scope="session")
def api_state(database: Database, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> ApiState:
    settings = Settings(data_dir=tmp_path_factory.mktemp("api"), database_url=database_url)
    return ApiState(settings=settings, database=database, events=SqlEventLog(database), temporal=None)


@pytest.fixture
async def api(api_state: ApiState) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(api_state))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
def journey_key() -> str:
    """A journey key no other test uses."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def journey_document(journey_key: str) -> dict[str, Any]:
    """A valid journey under ``journey_key``: on ``signed_up``, log a line, then end."""
    return {
        "dsl_version": "1",
        "key": journey_key,
        "name": "Welcome",
        "nodes": [
            {"id": "signed_up", "type": "trigger", "config": {"kind": "event", "event": "signed_up"}},
            {"id": "note", "type": "log", "config": {"message": "hello {{ user.id }}"}},
            {"id": "done", "type": "end"},
        ],
        "edges": [
            {"id": "e1", "source": "signed_up", "target": "note"},
            {"id": "e2", "source": "note", "target": "done"},
        ],
    }
