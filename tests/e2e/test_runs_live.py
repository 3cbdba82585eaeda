"""A run watched live against the real engine: the API, a Temporal dev server and a Journey
worker in one thread, the designer in Chromium. The run waits for an event, so the canvas shows
it waiting with its deadline; cancelling it from the run view ends it."""

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from journey.api import ApiState, create_app
from journey.engine.devserver import find_temporal_cli
from journey.engine.runs import JOURNEY_KEY, JOURNEY_VERSION, USER_ID
from journey.engine.worker import journey_worker
from journey.engine.workflow import RUN_STATUS
from journey.settings import Settings
from journey.store import Database, SqlEventLog, upgrade
from tests.e2e.test_designer import _new_journey

TASK_QUEUE = "journey-e2e"


@pytest.fixture(scope="module")
def engine_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API with an engine on http://127.0.0.1:<port>, for this module's tests."""
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


def test_a_real_run_waits_live_on_the_canvas_and_is_cancelled(engine_page: Page) -> None:
    page = engine_page
    _new_journey(page, f"Cart {uuid.uuid4().hex[:6]}", template="abandoned-cart")
    expect(page.get_by_test_id("problems-empty")).to_be_visible()
    page.get_by_test_id("publish").click()
    page.get_by_test_id("publish-message").fill("First")
    page.get_by_test_id("publish-confirm").click()
    expect(page.get_by_test_id("published-version")).to_be_visible()

    page.get_by_test_id("runs-open").click()
    page.get_by_test_id("run-user").fill("u-live")
    page.get_by_test_id("run-input").fill(
        json.dumps({"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}]})
    )
    page.get_by_test_id("run-start").click()
    expect(page.get_by_test_id("run-view")).to_be_visible()
    expect(page.get_by_test_id("run-status")).to_have_text("waiting")
    expect(page.get_by_test_id("node-start")).to_have_attribute("data-run-status", "completed")
    expect(page.get_by_test_id("node-wait_order")).to_have_attribute("data-run-status", "waiting")
    expect(page.get_by_test_id("node-run-wait_order")).to_contain_text("until")

    page.get_by_test_id("run-cancel").click()
    expect(page.get_by_test_id("run-status")).to_have_text("cancelled")
    expect(page.get_by_test_id("run-cancel")).to_be_hidden()
    page.get_by_test_id("run-back").click()
    expect(page.get_by_test_id("run-row").first).to_contain_text("cancelled")
