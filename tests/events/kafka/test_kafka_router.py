"""The SQL suite's routing scenarios with the events on a Kafka topic: the very test functions of
``tests.events.test_router``, collected here, where ``routing`` is a ``KafkaRouting`` (see this
package's conftest). Plus what only Kafka has to show: a user's events stay in order across
partitions routed in parallel."""

import json

import pytest
from aiokafka import AIOKafkaProducer

from journey.engine.ids import event_run_id
from tests.events.conftest import event
from tests.events.journeys import ends_at_once, waits_for
from tests.events.kafka.conftest import KafkaRouting
from tests.events.test_router import (
    test_a_key_that_does_not_render_is_dead_lettered,
    test_a_later_event_reaches_the_run_waiting_for_it,
    test_a_trigger_key_gives_one_run_per_user_and_key,
    test_an_event_a_filter_fails_on_is_dead_lettered_and_skipped,
    test_an_event_before_the_run_reaches_its_wait_still_counts,
    test_an_event_starts_one_run_and_the_same_event_again_starts_nothing,
    test_exit_on_ends_every_run_of_the_user_that_exits_on_the_event,
    test_names_prefixes_and_filters_choose_the_journeys,
    test_paused_archived_and_unpublished_journeys_start_nothing,
    test_reentry_decides_whether_a_user_enters_again,
)

__all__ = [
    "test_a_key_that_does_not_render_is_dead_lettered",
    "test_a_later_event_reaches_the_run_waiting_for_it",
    "test_a_trigger_key_gives_one_run_per_user_and_key",
    "test_a_users_events_are_routed_in_the_order_produced",
    "test_an_event_a_filter_fails_on_is_dead_lettered_and_skipped",
    "test_an_event_before_the_run_reaches_its_wait_still_counts",
    "test_an_event_starts_one_run_and_the_same_event_again_starts_nothing",
    "test_events_other_services_produce_are_routed_like_api_events",
    "test_exit_on_ends_every_run_of_the_user_that_exits_on_the_event",
    "test_names_prefixes_and_filters_choose_the_journeys",
    "test_paused_archived_and_unpublished_journeys_start_nothing",
    "test_reentry_decides_whether_a_user_enters_again",
]

pytestmark = pytest.mark.integration


async def test_a_users_events_are_routed_in_the_order_produced(
    kafka_routing: KafkaRouting, unique: str
) -> None:
    """Fifty users, each a trigger then its order in one append: every run gets its order."""
    routing = kafka_routing
    key = f"ordered-{unique}"
    await routing.publish(waits_for(key, f"cart_{unique}", f"order_{unique}"))
    users = [f"u{n}-{unique}" for n in range(50)]

    await routing.send(
        *[e for user in users for e in (event(f"cart_{unique}", user), event(f"order_{unique}", user))]
    )

    runs = await routing.until_runs(
        key,
        lambda rows: len(rows) == len(users) and all(r.status == "completed" for r in rows),
        within=40,
        what="every run completing",
    )
    assert {run.user_id for run in runs} == set(users)


async def test_events_other_services_produce_are_routed_like_api_events(
    kafka_routing: KafkaRouting, unique: str
) -> None:
    """The documented record shape, from a plain producer: with every field, and with only the
    required ones (its id is then its position, stable when the topic is routed again)."""
    routing = kafka_routing
    key, name = f"outside-{unique}", f"bought_{unique}"
    await routing.publish(ends_at_once(key, name, reentry="always"))
    full = {
        "id": f"ext-{unique}",
        "name": name,
        "user_id": f"u1-{unique}",
        "properties": {"sku": "a-1", "total": 120.5},
        "timestamp": "2026-11-29T18:04:05.123Z",
    }
    bare = {"name": name, "user_id": f"u2-{unique}"}
    producer = AIOKafkaProducer(bootstrap_servers=routing.bootstrap, acks="all")
    await producer.start()
    try:
        landed = [
            await producer.send_and_wait(
                routing.topic, json.dumps(value).encode(), key=value["user_id"].encode()
            )
            for value in (full, bare)
        ]
    finally:
        await producer.stop()
    for record in landed:
        routing.produced(record)
    bare_id = f"kafka:{routing.topic}/{landed[1].partition}:{landed[1].offset}"
    expected = {event_run_id(full["id"], key, 1), event_run_id(bare_id, key, 1)}

    runs = await routing.until_runs(key, lambda rows: len(rows) == 2, what="both events starting runs")
    assert {run.run_id for run in runs} == expected
    assert {run.user_id for run in runs} == {full["user_id"], bare["user_id"]}
    await routing.redeliver_all()
    await routing.settled()
    assert {run.run_id for run in await routing.runs_of(key)} == expected
