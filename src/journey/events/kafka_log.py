"""The event log on a Kafka topic: ``POST /events`` produces there, the routers consume it.

Each event is one record: the value is the event as JSON, in the shape ``POST /events`` takes
(``id``, ``name``, ``user_id``, ``properties``, ``timestamp``), the key is the user id, so every
event of a user lands in one partition and is routed in the order it was produced. ``append``
returns once the broker acknowledged every record with ``acks=all``: the 202 means durable.

Unlike the SQL log, Kafka does not refuse an event id it already holds: a retried append stores
the event again. The router makes that harmless (run ids derive from the event id, a run ignores
an event id it has seen). The idempotent producer (no duplicates from the producer's own retries)
is a setting, off by default, as not every Kafka-protocol broker supports it.

A broker that does not answer when the log starts is logged, not fatal: the API and the workers
start anyway (the health check says ``events: unavailable``, an append answers 503) and the
producer connects on first use once the broker is back.

Reading is the consumer group's business (``journey.events.kafka_consumer``): ``read_after``
only checks that the broker answers (the health check) and ``commit`` has nothing to do.
"""

import asyncio
from collections.abc import Sequence
from types import TracebackType
from typing import Self

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from aiokafka.structs import RecordMetadata

from journey.dsl.core.messages import Event
from journey.errors import Unavailable
from journey.store.event_log import LoggedEvent

MAX_REQUEST_BYTES = 8 * 1024 * 1024
"""Room for a full ``POST /events`` batch in one produce request."""
_log = structlog.get_logger("journey.events")


def record_value(event: Event) -> bytes:
    """The record an event becomes: what producers writing to the topic directly must send."""
    return event.model_dump_json(include={"id", "name", "user_id", "properties", "timestamp"}).encode()


def record_key(event: Event) -> bytes | None:
    return None if event.user_id is None else event.user_id.encode()


class KafkaEventLog:
    """The ``EventLog`` appending to ``topic``; use it as an async context manager (or ``start``
    and ``close``) so the producer connects once and flushes at the end."""

    def __init__(
        self, bootstrap: str, topic: str, *, idempotent: bool = False, client_id: str = "journey"
    ) -> None:
        self.topic = topic
        self._bootstrap = bootstrap
        self._started = False
        self._starting = asyncio.Lock()
        self._producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap,
            client_id=client_id,
            acks="all",
            enable_idempotence=idempotent,
            max_request_size=MAX_REQUEST_BYTES,
            linger_ms=0,
        )

    async def start(self) -> None:
        """Connect to the broker, or log that it does not answer and connect on first use."""
        try:
            await self._connected()
        except KafkaError as error:
            _log.warning(
                "the Kafka broker does not answer; connecting on first use",
                bootstrap=self._bootstrap,
                error=repr(error),
            )

    async def _connected(self) -> AIOKafkaProducer:
        if self._started:
            return self._producer
        async with self._starting:
            if not self._started:
                await self._producer.start()
                self._started = True
        return self._producer

    async def close(self) -> None:
        await self._producer.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()

    async def append(self, events: Sequence[Event], *, source: str = "api") -> list[str]:
        """Produce every event (the first of each id in ``events``) and wait for the broker's
        acknowledgement of all of them; return their ids in order."""
        return await self.append_to(self.topic, events, source=source)

    async def append_to(self, topic: str, events: Sequence[Event], *, source: str = "api") -> list[str]:
        """``append`` to another topic (``emit_event``'s ``topic``), for other services to read."""
        first_by_id: dict[str, Event] = {}
        for event in events:
            first_by_id.setdefault(event.id, event)
        try:
            await self.produce(list(first_by_id.values()), source=source, topic=topic)
        except KafkaError as error:
            raise Unavailable(f"the Kafka broker did not take the events: {error}") from error
        return list(first_by_id)

    async def produce(
        self, events: Sequence[Event], *, source: str = "api", topic: str | None = None
    ) -> list[RecordMetadata]:
        """Produce ``events`` as they are, in order, to ``topic`` (default the events topic);
        where each landed, once the broker acked all."""
        producer = await self._connected()
        sent = [
            await producer.send(
                topic or self.topic,
                value=record_value(event),
                key=record_key(event),
                headers=[("journey-source", source.encode())],
            )
            for event in events
        ]
        return [await acknowledged for acknowledged in sent]

    async def read_after(self, consumer: str, limit: int = 100) -> list[LoggedEvent]:
        """Nothing: the routers read through their consumer group. Raises if the broker does not
        answer, so the API's health check reports the log."""
        producer = await self._connected()
        await producer.client.fetch_all_metadata()
        return []

    async def commit(self, consumer: str, sequence: int) -> None:
        """Nothing to do: consumer groups commit their own offsets."""
