"""The built designer served by the API: files, the browser-routing fallback, and the API's
own answers left alone (unknown ``/api`` paths stay problem+json 404s)."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from journey.api import ApiState, create_app, static
from journey.settings import Settings
from journey.store import Database, SqlEventLog


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>designer</title>")
    (tmp_path / "assets" / "app-1234.js").write_text("console.log('hi')")
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    return tmp_path


async def _client(
    monkeypatch: pytest.MonkeyPatch, dist: Path, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setattr(static, "DEFAULT_DIST", dist)
    database = Database.connect("sqlite+aiosqlite://")
    state = ApiState(
        settings=Settings(data_dir=tmp_path), database=database, events=SqlEventLog(database), temporal=None
    )
    transport = httpx.ASGITransport(app=create_app(state))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await database.close()


@pytest.fixture
async def web(
    monkeypatch: pytest.MonkeyPatch, dist: Path, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _client(monkeypatch, dist, tmp_path):
        yield client


async def test_the_designer_is_served_at_the_root(web: httpx.AsyncClient) -> None:
    response = await web.get("/")
    assert response.status_code == 200
    assert "designer" in response.text
    assert response.headers["cache-control"] == "no-cache"


async def test_assets_are_cached_for_good(web: httpx.AsyncClient) -> None:
    response = await web.get("/assets/app-1234.js")
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]


async def test_browser_routes_fall_back_to_the_designer(web: httpx.AsyncClient) -> None:
    for path in ("/journeys/welcome", "/journeys/welcome/", "/no/such/file.js"):
        response = await web.get(path)
        assert response.status_code == 200, path
        assert "designer" in response.text


async def test_files_outside_the_build_stay_out_of_reach(web: httpx.AsyncClient) -> None:
    response = await web.get("/../secret.txt")
    assert "not for the web" not in response.text
    response = await web.get("/%2e%2e/secret.txt")
    assert "not for the web" not in response.text


async def test_the_api_keeps_its_own_answers(web: httpx.AsyncClient) -> None:
    for path in ("/api/v1/no-such-thing", "/api/nothing", "/api"):
        response = await web.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
    assert (await web.post("/journeys/x")).status_code in (404, 405)
    node_types = await web.get("/api/v1/node-types")
    assert node_types.status_code == 200
    assert isinstance(node_types.json(), list)


async def test_nothing_is_served_without_a_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    async for client in _client(monkeypatch, tmp_path / "missing", tmp_path):
        response = await client.get("/")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
