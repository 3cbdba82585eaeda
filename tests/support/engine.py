"""One real Temporal dev server (with per-workflow time skipping), one worker, one SQLite
database, one SMTP server and one HTTP receiver per pytest run, for every test package that needs
the engine (a pytest plugin loaded by ``tests/conftest.py``)."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from journey.engine.devserver import find_temporal_cli
from journey.engine.runs import JOURNEY_KEY, JOURNEY_VERSION, USER_ID
from journey.engine.worker import journey_worker
from journey.engine.workflow import RUN_STATUS
from journey.settings import Settings
from journey.store.database import Database
from journey.store.migrate import upgrade
from tests.support.http_receiver import HttpReceiver
from tests.support.smtp_server import SmtpServer

TASK_QUEUE = "journey-tests"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture(scope="session")
def http_receiver() -> Iterator[HttpReceiver]:
    with HttpReceiver() as receiver:
        yield receiver


@pytest.fixture(scope="session")
async def temporal() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping_v2(
        dev_server_existing_path=str(find_temporal_cli()),
        search_attributes=[JOURNEY_KEY, JOURNEY_VERSION, USER_ID, RUN_STATUS],
        data_converter=pydantic_data_converter,
        dev_server_extra_args=[
            *("--dynamic-config-value", "frontend.WorkflowTimeSkippingEnabled=true"),
            *("--dynamic-config-value", 'history.timerProcessorMaxTimeShift="10ms"'),
        ],
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
def engine_settings(tmp_path_factory: pytest.TempPathFactory, smtp_server: SmtpServer) -> Settings:
    data_dir: Path = tmp_path_factory.mktemp("engine")
    return Settings(
        data_dir=data_dir,
        temporal_task_queue=TASK_QUEUE,
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_from="journeys@example.test",
    )


@pytest.fixture(scope="session")
async def engine_database(engine_settings: Settings) -> AsyncIterator[Database]:
    await upgrade(engine_settings.resolved_database_url)
    async with Database.connect(engine_settings.resolved_database_url) as database:
        yield database


@pytest.fixture(scope="session")
async def worker(
    temporal: WorkflowEnvironment, engine_settings: Settings, engine_database: Database
) -> AsyncIterator[None]:
    async with journey_worker(temporal.client, engine_settings, engine_database) as running:
        task = asyncio.create_task(running.run())
        yield
        await running.shutdown()
        await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
def client(temporal: WorkflowEnvironment, worker: None) -> Client:
    """A client whose runs skip time (delays of days finish at once)."""
    return temporal.client


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]
