"""``GET /api/v1/health`` and ``POST /api/v1/events`` with Kafka as the event log, over the real
app, a real Temporal dev server and real Tansu brokers: a broker that answers is ``ok``; one that
went away, or was never there, makes ``events`` ``unavailable`` in a 503 that says so (never a
500), and an append a 503 problem. An API started before its broker connects once it is up."""

import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from journey.api import ApiState, create_app
from journey.events.kafka_log import KafkaEventLog
from journey.settings import Settings
from journey.store.database import Database
from tests.events.kafka.conftest import create_topic, read_topic, tansu_broker
from tests.support.ports import free_port

pytestmark = pytest.mark.integration

HEALTH = "/api/v1/health"
EVENTS = "/api/v1/events"
ANSWERS_WITHIN = 6.0
"""Seconds: each health check has 2 s; the rest is room for a busy machine."""


@asynccontextmanager
async def _api(
    bootstrap: str, topic: str, settings: Settings, database: Database, client: Client
) -> AsyncIterator[httpx.AsyncClient]:
    """The API on a Kafka event log, as ``journey api`` builds it with ``JOURNEY_KAFKA_BOOTSTRAP``."""
    async with KafkaEventLog(bootstrap, topic) as log:
        state = ApiState(settings=settings, database=database, events=log, temporal=client)
        transport = httpx.ASGITransport(app=create_app(state))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as api:
            yield api


async def _health(api: httpx.AsyncClient) -> tuple[int, dict[str, Any]]:
    began = time.monotonic()
    response = await api.get(HEALTH)
    assert time.monotonic() - began < ANSWERS_WITHIN, "the health check hung"
    body: dict[str, Any] = response.json()
    return response.status_code, body


async def test_health_reports_a_kafka_log_that_answers(
    kafka: str, engine_settings: Settings, engine_database: Database, router_client: Client
) -> None:
    async with _api(kafka, "journey.events", engine_settings, engine_database, router_client) as api:
        status, body = await _health(api)

    assert (status, body) == (
        200,
        {"status": "ok", "checks": {"database": "ok", "temporal": "ok", "events": "ok"}},
    )


async def test_health_reports_a_broker_that_went_away(
    engine_settings: Settings, engine_database: Database, router_client: Client
) -> None:
    with ExitStack() as broker:
        bootstrap = broker.enter_context(tansu_broker(free_port()))
        async with _api(bootstrap, "journey.events", engine_settings, engine_database, router_client) as api:
            assert (await _health(api))[0] == 200
            broker.close()  # the broker process is killed; the API's producer is not told

            status, body = await _health(api)

    assert status == 503
    assert body == {
        "status": "degraded",
        "checks": {"database": "ok", "temporal": "ok", "events": "unavailable"},
    }


async def test_an_api_started_before_its_broker_says_so_then_connects_once_the_broker_is_up(
    engine_settings: Settings, engine_database: Database, router_client: Client
) -> None:
    port, topic = free_port(), f"events-{uuid.uuid4().hex[:10]}"
    bootstrap = f"127.0.0.1:{port}"
    async with _api(bootstrap, topic, engine_settings, engine_database, router_client) as api:
        status, body = await _health(api)
        assert status == 503
        assert body["checks"] == {"database": "ok", "temporal": "ok", "events": "unavailable"}
        refused = await api.post(EVENTS, json={"name": "signed_up", "user_id": "u1"})
        assert refused.status_code == 503
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"].startswith("the Kafka broker did not take the events")

        with tansu_broker(port):
            await create_topic(bootstrap, topic)
            assert (await _health(api))[0] == 200
            accepted = await api.post(EVENTS, json={"id": "late-1", "name": "signed_up", "user_id": "u1"})
            assert accepted.status_code == 202, accepted.text
            [record] = await read_topic(bootstrap, topic, 1)

    assert record.key == b"u1"
    assert json.loads(record.value)["id"] == "late-1"
