"""The event log and the router the settings ask for: Kafka when ``JOURNEY_KAFKA_BOOTSTRAP`` is
set, the SQL log otherwise. ``journey up``, ``journey api`` and ``journey router`` build theirs here."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from temporalio.client import Client

from journey.events.dead_letters import DeadLetters
from journey.events.kafka_consumer import KafkaEventConsumer
from journey.events.kafka_log import KafkaEventLog
from journey.events.router import Router
from journey.events.routing_table import RoutingTables
from journey.events.run_index import RunIndexReader
from journey.events.sql_router import sql_router
from journey.settings import Settings
from journey.store.database import Database
from journey.store.event_log import EventLog
from journey.store.runs import RunStore
from journey.store.sql_event_log import SqlEventLog
from journey.store.users import UserStore


@asynccontextmanager
async def event_log(settings: Settings, database: Database) -> AsyncIterator[EventLog]:
    """The log ``POST /events`` appends to, for as long as the block lasts."""
    if settings.kafka_bootstrap is None:
        yield SqlEventLog(database)
        return
    async with KafkaEventLog(
        settings.kafka_bootstrap, settings.kafka_events_topic, idempotent=settings.kafka_idempotent
    ) as log:
        yield log


def event_router(settings: Settings, database: Database, client: Client) -> Router:
    """The router of the configured log: a member of the ``kafka_group`` consumer group, or the
    one consumer of the SQL log."""
    task_queue = settings.temporal_task_queue
    if settings.kafka_bootstrap is None:
        return sql_router(database, client, task_queue=task_queue)
    consumer = KafkaEventConsumer(
        database,
        bootstrap=settings.kafka_bootstrap,
        topic=settings.kafka_events_topic,
        group=settings.kafka_group,
        dead_letter_topic=settings.kafka_dead_letter_topic,
        max_event_bytes=settings.kafka_max_event_bytes,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=settings.kafka_heartbeat_interval_ms,
        max_poll_interval_ms=settings.kafka_max_poll_interval_ms,
        fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms,
    )
    return Router(
        consumer=consumer,
        tables=RoutingTables(database),
        client=client,
        task_queue=task_queue,
        runs=RunStore(database),
        index=RunIndexReader(database),
        users=UserStore(database),
        dead_letters=DeadLetters(database),
    )
