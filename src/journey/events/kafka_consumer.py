"""``EventConsumer`` over a Kafka consumer group: several routers share the topic's partitions.

Each poll (``getmany``) becomes one batch; its offsets are committed, manually, when the router
acks it, so a router that dies mid-batch leaves the batch to whoever gets its partitions next
(at-least-once; the router's effects are idempotent). A user's events share a partition (the key
is the user id), so they reach one router, in order.

A record that is not an event (not JSON, not an object, no ``user_id``, a field of the wrong type,
over ``max_event_bytes``, no value at all) is logged with its partition and offset, counted, kept
in ``dead_letters`` with the reason (and copied to the dead-letter topic when one is set), and
its offset is committed with the rest: it never holds its partition.

Latency: a broker may hold a fetch for ``fetch_max_wait_ms`` while it has nothing new. Apache
Kafka answers as soon as a record arrives; Tansu (what the tests run) answers late, so an event
could wait most of aiokafka's default 500 ms before its router saw it. Hence ``FETCH_MAX_WAIT_MS``:
an idle router then sends a fetch per partition leader every 50 ms, a cheap request.
"""

import asyncio
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError, KafkaError
from pydantic import ValidationError
from sqlalchemy import select

from journey.backoff import RETRY, Backoff
from journey.dsl.core.messages import Event
from journey.events.consumer import Batch, Delivery
from journey.services.events import IncomingEvent
from journey.store.database import Database
from journey.store.engine import write_transaction
from journey.store.models import DEFAULT_WORKSPACE, DeadLetterRow

SOURCE = "kafka"
"""``dead_letters.source`` of the records this consumer could not read."""
MAX_EVENT_BYTES = 1024 * 1024
SESSION_TIMEOUT_MS = 10_000
MAX_POLL_INTERVAL_MS = 300_000
FETCH_MAX_WAIT_MS = 50
KEPT_PAYLOAD_CHARS = 64 * 1024
"""How much of a dead-lettered record's value ``dead_letters`` keeps."""
_log = structlog.get_logger("journey.router")


def position(topic: str, partition: int, offset: int) -> str:
    """How a place in a Kafka topic is written in logs and dead letters."""
    return f"{topic}/{partition}:{offset}"


class Malformed(ValueError):
    """A record that is not an event; the message is the reason."""


def parse_record(record: ConsumerRecord, *, max_bytes: int = MAX_EVENT_BYTES) -> Event:
    """The event a record carries, or ``Malformed`` saying why it is none.

    The value has the shape of one event of ``POST /events``; an event without ``id`` gets one
    derived from its place in the topic (stable across redeliveries), one without ``timestamp``
    the record's time.
    """
    value = record.value
    if value is None:
        raise Malformed("the record has no value")
    if len(value) > max_bytes:
        raise Malformed(f"the record's value is {len(value)} bytes, over the limit of {max_bytes}")
    try:
        incoming = IncomingEvent.model_validate_json(value)
    except ValidationError as error:
        raise Malformed(_summary(error)) from None
    return Event(
        id=incoming.id or f"kafka:{position(record.topic, record.partition, record.offset)}",
        name=incoming.name,
        user_id=incoming.user_id,
        timestamp=incoming.timestamp or datetime.fromtimestamp(record.timestamp / 1000, UTC),
        properties=incoming.properties,
    )


def _summary(error: ValidationError) -> str:
    problems = [
        f"{'.'.join(str(part) for part in item['loc']) or 'value'}: {item['msg']}"
        for item in error.errors(include_url=False, include_input=False)
    ]
    return "not an event: " + "; ".join(problems[:5])


@dataclass
class _KafkaBatch:
    consumer: "KafkaEventConsumer"
    deliveries: Sequence[Delivery]
    offsets: dict[TopicPartition, int]

    async def ack(self) -> None:
        await self.consumer.commit(self.offsets)


class KafkaEventConsumer:
    """The events of ``topic`` for the consumer group ``group``; the database keeps dead letters."""

    def __init__(
        self,
        database: Database,
        *,
        bootstrap: str,
        topic: str,
        group: str,
        workspace_id: str = DEFAULT_WORKSPACE,
        dead_letter_topic: str | None = None,
        max_event_bytes: int = MAX_EVENT_BYTES,
        batch_size: int = 100,
        poll_ms: int = 200,
        session_timeout_ms: int = SESSION_TIMEOUT_MS,
        heartbeat_interval_ms: int | None = None,
        max_poll_interval_ms: int = MAX_POLL_INTERVAL_MS,
        fetch_max_wait_ms: int = FETCH_MAX_WAIT_MS,
        retry: Backoff = RETRY,
        client_id: str = "journey-router",
    ) -> None:
        self._database = database
        self._bootstrap = bootstrap
        self.topic = topic
        self.group = group
        self._workspace_id = workspace_id
        self._dead_letter_topic = dead_letter_topic
        self._max_event_bytes = max_event_bytes
        self._batch_size = batch_size
        self._poll_ms = poll_ms
        self._session_timeout_ms = session_timeout_ms
        self._heartbeat_interval_ms = heartbeat_interval_ms or max(session_timeout_ms // 5, 100)
        self._max_poll_interval_ms = max_poll_interval_ms
        self._fetch_max_wait_ms = fetch_max_wait_ms
        self._retry = retry
        self._client_id = client_id
        self._consumer: AIOKafkaConsumer | None = None
        self._producer: AIOKafkaProducer | None = None
        self.dead_lettered = 0
        """Records dead-lettered by this consumer since it was made."""

    def assignment(self) -> set[TopicPartition]:
        """The partitions this consumer holds now (none before it joined or after it left)."""
        return set() if self._consumer is None else set(self._consumer.assignment())

    async def batches(self) -> AsyncGenerator[Batch, None]:
        """Batches until closed; close it (``aclosing``) to leave the group at once."""
        consumer = AIOKafkaConsumer(
            self.topic,
            bootstrap_servers=self._bootstrap,
            group_id=self.group,
            client_id=self._client_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self._batch_size,
            # a record over the limit is still fetched whole, then dead-lettered
            max_partition_fetch_bytes=max(self._max_event_bytes * 2, 1024 * 1024),
            fetch_max_bytes=max(self._max_event_bytes * 4, 50 * 1024 * 1024),
            fetch_max_wait_ms=self._fetch_max_wait_ms,
            session_timeout_ms=self._session_timeout_ms,
            heartbeat_interval_ms=self._heartbeat_interval_ms,
            max_poll_interval_ms=self._max_poll_interval_ms,
        )
        try:
            # Started inside the try: a router stopped while it is still joining the group must
            # leave it too, or the partitions it was given stay with a consumer nobody reads.
            await self._start(consumer)
            self._consumer = consumer
            if self._dead_letter_topic is not None:
                self._producer = AIOKafkaProducer(
                    bootstrap_servers=self._bootstrap, acks="all", client_id=self._client_id
                )
                await self._start(self._producer)
            while True:
                fetched = await self._poll(consumer)
                if not fetched:
                    continue
                deliveries: list[Delivery] = []
                offsets: dict[TopicPartition, int] = {}
                for partition, records in fetched.items():
                    for record in records:
                        where = position(record.topic, record.partition, record.offset)
                        try:
                            deliveries.append(
                                Delivery(parse_record(record, max_bytes=self._max_event_bytes), where)
                            )
                        except Malformed as malformed:
                            await self._dead_letter(record, where, str(malformed))
                    offsets[partition] = records[-1].offset + 1
                if deliveries:
                    yield _KafkaBatch(self, deliveries, offsets)
                else:
                    await self.commit(offsets)
        finally:
            self._consumer = None
            producer, self._producer = self._producer, None
            await asyncio.shield(self._stop(consumer, producer))

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        """Commit ``offsets`` of the partitions still held; a partition gone to another router
        in a rebalance is that router's to redeliver."""
        consumer = self._consumer
        if consumer is None:
            return
        failures = 0
        while True:
            held = {tp: offset for tp, offset in offsets.items() if tp in consumer.assignment()}
            if not held:
                return
            try:
                await consumer.commit(held)
                return
            except (CommitFailedError, IllegalStateError) as error:
                _log.info("offsets not committed: the group rebalanced", group=self.group, error=repr(error))
                return
            except KafkaError as error:
                failures += 1
                _log.warning("committing offsets failed", group=self.group, error=repr(error))
                await asyncio.sleep(self._retry.delay(failures))

    async def _poll(self, consumer: AIOKafkaConsumer) -> dict[TopicPartition, list[ConsumerRecord]]:
        failures = 0
        while True:
            try:
                fetched: dict[TopicPartition, list[ConsumerRecord]] = await consumer.getmany(
                    timeout_ms=self._poll_ms, max_records=self._batch_size
                )
                return fetched
            except KafkaError as error:
                failures += 1
                _log.warning("polling Kafka failed", group=self.group, error=repr(error))
                await asyncio.sleep(self._retry.delay(failures))

    async def _start(self, client: AIOKafkaConsumer | AIOKafkaProducer) -> None:
        failures = 0
        while True:
            try:
                await client.start()
                return
            except KafkaError as error:
                failures += 1
                _log.warning("connecting to Kafka failed", bootstrap=self._bootstrap, error=repr(error))
                await asyncio.sleep(self._retry.delay(failures))

    @staticmethod
    async def _stop(consumer: AIOKafkaConsumer, producer: AIOKafkaProducer | None) -> None:
        await consumer.stop()
        if producer is not None:
            await producer.stop()

    async def _dead_letter(self, record: ConsumerRecord, where: str, reason: str) -> None:
        self.dead_lettered += 1
        reason = reason.replace("\x00", "\ufffd")
        size = None if record.value is None else len(record.value)
        _log.error(
            "malformed record dead-lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            bytes=size,
            reason=reason,
        )
        failures = 0
        while True:
            try:
                await self._keep(record, where, reason)
                return
            except Exception as error:
                failures += 1
                _log.warning("keeping a dead letter failed", position=where, error=repr(error))
                await asyncio.sleep(self._retry.delay(failures))

    async def _keep(self, record: ConsumerRecord, where: str, reason: str) -> None:
        raw: bytes = record.value or b""
        payload = raw[:KEPT_PAYLOAD_CHARS].decode("utf-8", errors="replace").replace("\x00", "\ufffd")
        async with write_transaction(self._database.sessions) as session:
            known = await session.scalar(
                select(DeadLetterRow.id).where(
                    DeadLetterRow.workspace_id == self._workspace_id,
                    DeadLetterRow.source == SOURCE,
                    DeadLetterRow.position == where,
                )
            )
            if known is None:
                session.add(
                    DeadLetterRow(
                        workspace_id=self._workspace_id,
                        source=SOURCE,
                        position=where,
                        payload=payload,
                        reason=reason,
                    )
                )
        if self._producer is not None and self._dead_letter_topic is not None:
            headers = [("journey-reason", reason.encode()), ("journey-position", where.encode())]
            await self._producer.send_and_wait(
                self._dead_letter_topic,
                value=raw[: self._max_event_bytes],
                key=record.key,
                headers=headers,
            )
