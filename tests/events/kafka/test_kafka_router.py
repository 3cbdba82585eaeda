"""The SQL suite's routing scenarios with the events on a Kafka topic: the very test functions of
``tests.events.test_router``, collected here, where ``routing`` is a ``KafkaRouting`` (see this
package's conftest). Plus what only Kafka has to show: a user's events stay in order across
partitions routed in parallel."""

import pytest

from tests.events.conftest import event
from tests.events.journeys import waits_for
from tests.events.kafka.conftest import KafkaRouting
from tests.events.test_router import (
    test_a_key_that_does_not_render_is_dead_lettered,
    test_a_later_event_reaches_the_run_waiting_for_it,
    test_a_trigger_key_gives_one_run_per_user_and_key,
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
    "test_an_event_before_the_run_reaches_its_wait_still_counts",
    "test_an_event_starts_one_run_and_the_same_event_again_starts_nothing",
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
