"""Records that are not events, produced to the topic directly: each is dead-lettered with its
reason and position, and the events behind them on the same partition are routed."""

import json

import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import select

from journey.engine.ids import event_run_id
from journey.events.kafka_consumer import SOURCE
from journey.store.models import DeadLetterRow
from tests.events.conftest import event, eventually
from tests.events.journeys import ends_at_once
from tests.events.kafka.conftest import KafkaRouting

pytestmark = pytest.mark.integration

HOSTILE: list[tuple[bytes | None, str]] = [
    (b"not json at all", "not an event: value: Invalid JSON"),
    (b"\xff\xfe\x00garbage", "not an event: value: Invalid JSON"),
    (b"[1, 2, 3]", "not an event: value: Input should be an object"),
    (json.dumps({"name": "paid"}).encode(), "not an event: user_id: Field required"),
    (
        json.dumps({"name": "paid", "user_id": 42}).encode(),
        "not an event: user_id: Input should be a valid string",
    ),
    (
        json.dumps({"name": "paid", "user_id": "u", "properties": "no"}).encode(),
        "not an event: properties: Input should be an object",
    ),
    (json.dumps({"name": "paid", "user_id": "u", "extra": 1}).encode(), "not an event: extra: Extra inputs"),
    (b'{"name": "paid", "user_id": "u", "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}', "over the limit"),
    (None, "the record has no value"),
]


async def test_every_malformed_record_is_dead_lettered_and_the_partition_moves_on(
    kafka_routing: KafkaRouting, unique: str
) -> None:
    routing = kafka_routing
    name, user = f"paid_{unique}", f"u-{unique}"
    key = f"paid-{unique}"
    await routing.publish(ends_at_once(key, name, reentry="always"))
    producer = AIOKafkaProducer(bootstrap_servers=routing.bootstrap, max_request_size=8 * 1024 * 1024)
    await producer.start()
    try:
        hostile = [
            (value.replace(b'"paid"', f'"{name}"'.encode()) if value else value) for value, _ in HOSTILE
        ]
        positions = []
        for value in hostile:  # one key: one partition, behind which the good events wait
            sent = await producer.send_and_wait(routing.topic, value=value, key=user.encode())
            routing.produced(sent)
            positions.append(f"{routing.topic}/{sent.partition}:{sent.offset}")
    finally:
        await producer.stop()
    first, second = event(name, user, "before"), event(name, user, "after")
    await routing.send(first)
    await routing.send(second)

    await routing.settled()

    runs = await routing.runs_of(key)
    assert {run.run_id for run in runs} == {event_run_id(e, key, 1) for e in ("before", "after")}
    letters = await _dead_letters(routing)
    assert [letter.position for letter in letters] == positions
    for letter, (_, reason) in zip(letters, HOSTILE, strict=True):
        assert reason in letter.reason, (letter.position, letter.reason)
    assert len(letters[7].payload) == 64 * 1024  # a 5 MB body is kept in part
    assert sum(consumer.dead_lettered for consumer in routing.consumers) >= len(HOSTILE)


async def test_dead_letters_are_copied_to_the_dead_letter_topic(
    kafka_routing: KafkaRouting, unique: str
) -> None:
    routing = kafka_routing
    await routing.stop()
    dead_topic = f"dead-{unique}"
    routing.start_with(dead_letter_topic=dead_topic)
    producer = AIOKafkaProducer(bootstrap_servers=routing.bootstrap)
    await producer.start()
    try:
        sent = await producer.send_and_wait(routing.topic, value=b"{broken", key=b"k")
    finally:
        await producer.stop()

    async def copied() -> bool:
        return bool(await _dead_letters(routing))

    await eventually(copied, what="the record dead-lettered")
    records = await routing.read_topic(dead_topic, 1)
    assert records[0].value == b"{broken"
    headers = dict(records[0].headers)
    assert headers["journey-position"] == f"{routing.topic}/{sent.partition}:{sent.offset}".encode()
    assert headers["journey-reason"].startswith(b"not an event: value: Invalid JSON")


async def _dead_letters(routing: KafkaRouting) -> list[DeadLetterRow]:
    async with routing.database.sessions() as session:
        rows = await session.scalars(
            select(DeadLetterRow)
            .where(DeadLetterRow.workspace_id == routing.workspace, DeadLetterRow.source == SOURCE)
            .order_by(DeadLetterRow.id)
        )
        return list(rows)
