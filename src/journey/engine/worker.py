"""The worker: runs the journey workflow and its activities against one task queue.

The one workflow runs outside Temporal's sandbox. The sandbox guards hand-written workflows
against accidental non-determinism, but ours is a thin driver of a pure, property-tested core,
and entering and leaving the sandbox on every activation was the largest single cost in the
worker's profile (see bench/engine_bench.py). Determinism is guarded instead by replaying
recorded histories in the tests (tests/engine/test_replay.py).
"""

import gc
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import httpx
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from journey.actions.email import EmailSender
from journey.actions.webhook import WebhookCaller
from journey.engine.activities import JourneyActivities
from journey.engine.journeys import SqlJourneySource
from journey.engine.secrets import secrets_from_environment
from journey.engine.workflow import JourneyRunWorkflow
from journey.events.factory import event_log
from journey.settings import Settings
from journey.store.database import Database
from journey.store.runs import RunStore
from journey.store.users import UserStore


def workflow_runner() -> UnsandboxedWorkflowRunner:
    """The runner the worker and the replay tests share."""
    return UnsandboxedWorkflowRunner()


@asynccontextmanager
async def journey_worker(client: Client, settings: Settings, database: Database) -> AsyncIterator[Worker]:
    """A configured worker with its adapters; ``run()`` it, and leaving closes the adapters."""
    async with (
        httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as http,
        event_log(settings, database) as events,
    ):
        activities = JourneyActivities(
            users=UserStore(database),
            events=events,
            email=EmailSender.from_settings(settings),
            webhooks=WebhookCaller(http),
            journeys=SqlJourneySource(database),
            runs=RunStore(database),
            secrets=secrets_from_environment(),
        )
        with ThreadPoolExecutor(max_workers=4) as executor:
            worker = Worker(
                client,
                task_queue=settings.temporal_task_queue,
                workflows=[JourneyRunWorkflow],
                activities=activities.all(),
                activity_executor=executor,
                workflow_runner=workflow_runner(),
                max_concurrent_local_activities=200,
                no_remote_activities=True,  # every activity of the workflow is a local one
            )
            # What exists now (modules, schemas, the SDK) lives as long as the process: moving it
            # out of the collector's sight keeps each full collection from walking it all again
            # (they cost milliseconds per run on a busy worker, see bench/engine_bench.py).
            gc.freeze()
            yield worker
