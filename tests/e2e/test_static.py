"""The built designer served by the API: files, the browser-routing fallback, and the API's
own answers left alone (unknown ``/api`` paths stay problem+json 404s).

Synchronous, each request run on an event loop of its own in a worker thread: these tests
share a package with the browser tests, whose Playwright keeps a loop running in the main thread.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from journey.api import ApiState, create_app, static
from journey.settings import Settings
from journey.store import Database, SqlEventLog


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    build = tmp_path / "dist"
    (build / "assets").mkdir(parents=True)
    (build / "index.html").write_text("<!doctype html><title>designer</title>")
    (build / "assets" / "app-1234.js").write_text("console.log('hi')")
    (tmp_path / "secret.txt").write_text("not for the web")
    return build


class Web:
    """Requests to the app, in process (httpx's ASGI transport)."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app

    def request(self, method: str, path: str) -> httpx.Response:
        async def _send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self._app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.request(method, path)

        with ThreadPoolExecutor(1) as worker:
            return worker.submit(asyncio.run, _send()).result()

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)

    def post(self, path: str) -> httpx.Response:
        return self.request("POST", path)


def _client(monkeypatch: pytest.MonkeyPatch, dist: Path, tmp_path: Path) -> Web:
    monkeypatch.setattr(static, "DEFAULT_DIST", dist)
    database = Database.connect("sqlite+aiosqlite://")
    events = SqlEventLog(database)
    state = ApiState(settings=Settings(data_dir=tmp_path), database=database, events=events, temporal=None)
    return Web(create_app(state))


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch, dist: Path, tmp_path: Path) -> Web:
    return _client(monkeypatch, dist, tmp_path)


def test_the_designer_is_served_at_the_root(web: Web) -> None:
    response = web.get("/")
    assert response.status_code == 200
    assert "designer" in response.text
    assert response.headers["cache-control"] == "no-cache"


def test_assets_are_cached_for_good(web: Web) -> None:
    response = web.get("/assets/app-1234.js")
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]


def test_browser_routes_fall_back_to_the_designer(web: Web) -> None:
    for path in ("/journeys/welcome", "/journeys/welcome/", "/no/such/file.js"):
        response = web.get(path)
        assert response.status_code == 200, path
        assert "designer" in response.text


def test_files_outside_the_build_stay_out_of_reach(web: Web) -> None:
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
        assert "not for the web" not in web.get(path).text, path


def test_the_api_keeps_its_own_answers(web: Web) -> None:
    for path in ("/api/v1/no-such-thing", "/api/nothing", "/api"):
        response = web.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
    assert web.post("/journeys/x").status_code in (404, 405)
    node_types = web.get("/api/v1/node-types")
    assert node_types.status_code == 200
    assert isinstance(node_types.json(), list)


def test_nothing_is_served_without_a_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    response = _client(monkeypatch, tmp_path / "missing", tmp_path).get("/")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
