"""The designer in a real browser against the real API: Debian's Chromium driven by Playwright.

The API runs in-process under uvicorn on a loopback ephemeral port, in a thread with its own
event loop, over a SQLite file in a temp dir and without an engine (``temporal`` is None),
serving the built designer (``web/dist``, ``make web-build``). Each failed test leaves a
screenshot in ``test-results/e2e/``. Without Chromium or a build the tests skip, except under
CI, where they fail: ``make test`` installs both (``e2e-deps``, ``web-build``). Tests of real
runs take ``engine_page`` instead: the API with a Temporal dev server and a worker, started once
for the package.
"""

import asyncio
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from journey.api import ApiState, create_app
from journey.api.static import DEFAULT_DIST
from journey.engine.devserver import find_temporal_cli
from journey.engine.runs import JOURNEY_KEY, JOURNEY_VERSION, USER_ID
from journey.engine.worker import journey_worker
from journey.engine.workflow import RUN_STATUS
from journey.settings import Settings
from journey.store import Database, SqlEventLog, upgrade

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "e2e"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the designer in a real browser")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} (make test installs it)")
    pytest.skip(what)


@dataclass(frozen=True)
class LiveServer:
    url: str

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=f"{self.url}/api/v1", timeout=10)


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The API and the designer on http://127.0.0.1:<ephemeral port>, for this package's tests.

    Package-scoped like the browser: Playwright's sync API keeps an event loop running in the
    main thread, which the async tests of the other packages must not meet.
    """
    if not (DEFAULT_DIST / "index.html").is_file():
        _missing(f"the designer is not built ({DEFAULT_DIST}); run `make web-build`")
    data_dir = tmp_path_factory.mktemp("e2e")
    url = f"sqlite+aiosqlite:///{data_dir / 'journey.db'}"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    holder: dict[str, uvicorn.Server] = {}

    async def _serve() -> None:
        await upgrade(url)
        async with Database.connect(url) as database:
            settings = Settings(data_dir=data_dir, database_url=url)
            events = SqlEventLog(database)
            state = ApiState(settings=settings, database=database, events=events, temporal=None)
            config = uvicorn.Config(create_app(state), log_config=None, access_log=False, lifespan="off")
            holder["server"] = uvicorn.Server(config)
            await holder["server"].serve(sockets=[sock])

    thread = threading.Thread(target=lambda: asyncio.run(_serve()), name="e2e-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not (holder.get("server") and holder["server"].started):
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the API did not start within 30 s")
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}")
    holder["server"].should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing; run `make e2e-deps`")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser tab on the designer; a screenshot of it is kept when the test fails."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is None or report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
    assert not errors, f"the page raised: {errors}"


TASK_QUEUE = "journey-e2e"


@pytest.fixture(scope="package")
def engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API with an engine (a Temporal dev server and a worker) on http://127.0.0.1:<port>,
    started once for the package's tests that need real runs."""
    try:
        cli = str(find_temporal_cli())
    except Exception as error:  # any reason means no engine here
        pytest.skip(f"no Temporal CLI: {error}")
    data_dir = tmp_path_factory.mktemp("e2e-engine")
    url = f"sqlite+aiosqlite:///{data_dir / 'journey.db'}"
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    holder: dict[str, Any] = {}

    async def _serve() -> None:
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=cli,
            search_attributes=[JOURNEY_KEY, JOURNEY_VERSION, USER_ID, RUN_STATUS],
            data_converter=pydantic_data_converter,
        )
        try:
            await upgrade(url)
            settings = Settings(data_dir=data_dir, database_url=url, temporal_task_queue=TASK_QUEUE)
            async with (
                Database.connect(url) as database,
                journey_worker(env.client, settings, database) as worker,
            ):
                task = asyncio.create_task(worker.run())
                state = ApiState(
                    settings=settings, database=database, events=SqlEventLog(database), temporal=env.client
                )
                config = uvicorn.Config(create_app(state), log_config=None, access_log=False, lifespan="off")
                holder["server"] = uvicorn.Server(config)
                await holder["server"].serve(sockets=[sock])
                await worker.shutdown()
                await asyncio.gather(task, return_exceptions=True)
        finally:
            await env.shutdown()

    thread = threading.Thread(target=lambda: asyncio.run(_serve()), name="e2e-engine", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not (holder.get("server") and holder["server"].started):
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the API with its engine did not start within 60 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    holder["server"].should_exit = True
    thread.join(30)
    sock.close()


@pytest.fixture
def engine_page(browser: Browser, engine_url: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, base_url=engine_url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"the page raised: {errors}"
