"""The worker: runs the journey workflow and its activities against one task queue.

The workflow sandbox stays on, with Journey's pure DSL package and the compiled CEL module
passed through: they are deterministic, and re-importing them per workflow run would cost
throughput (see notes.md).
"""

from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

import httpx
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from journey.actions.email import EmailSender
from journey.actions.webhook import WebhookCaller
from journey.engine.activities import JourneyActivities
from journey.engine.journeys import SqlJourneySource
from journey.engine.secrets import secrets_from_environment
from journey.engine.workflow import JourneyRunWorkflow
from journey.settings import Settings
from journey.store.database import Database
from journey.store.sql_event_log import SqlEventLog
from journey.store.users import UserStore

PASSTHROUGH = ("journey", "cel", "pydantic", "pydantic_core", "jinja2", "markupsafe", "structlog")


def workflow_runner() -> SandboxedWorkflowRunner:
    restrictions = SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
    return SandboxedWorkflowRunner(restrictions=restrictions)


@asynccontextmanager
async def journey_worker(client: Client, settings: Settings, database: Database) -> AsyncIterator[Worker]:
    """A configured worker with its adapters; ``run()`` it, and leaving closes the adapters."""
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as http:
        activities = JourneyActivities(
            users=UserStore(database),
            events=SqlEventLog(database),
            email=EmailSender.from_settings(settings),
            webhooks=WebhookCaller(http),
            journeys=SqlJourneySource(database),
            secrets=secrets_from_environment(),
        )
        with ThreadPoolExecutor(max_workers=4) as executor:
            yield Worker(
                client,
                task_queue=settings.temporal_task_queue,
                workflows=[JourneyRunWorkflow],
                activities=activities.all(),
                activity_executor=executor,
                workflow_runner=workflow_runner(),
                max_concurrent_local_activities=200,
            )
