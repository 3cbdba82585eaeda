"""The SQL suite's routing scenarios with the events on a Kafka topic: a trigger starts exactly one
run, a waiting run gets its later event, exit_on ends runs, redelivery starts nothing twice."""

import pytest

from journey.engine.ids import event_run_id
from tests.events.conftest import event
from tests.events.journeys import calls, waits_for
from tests.events.kafka.conftest import KafkaRouting
from tests.support.http_receiver import HttpReceiver

pytestmark = pytest.mark.integration


async def test_an_event_starts_one_run_and_redelivery_starts_nothing_twice(
    kafka_routing: KafkaRouting, http_receiver: HttpReceiver, unique: str
) -> None:
    routing = kafka_routing
    key, path = f"welcome-{unique}", f"/welcome/{unique}"
    version = await routing.publish(calls(key, f"signed_up_{unique}", http_receiver.url(path)))
    signed_up = event(f"signed_up_{unique}", f"u-{unique}", plan="pro")

    await routing.send(signed_up)
    [request] = await http_receiver.wait_for_requests(path)

    run_id = event_run_id(signed_up.id, key, version)
    assert request.json() == {"run": run_id, "event": signed_up.id, "user": f"u-{unique}"}
    await routing.send(signed_up)  # Kafka keeps a retried append: the router must not care
    await routing.settled()
    await routing.redeliver_all()
    await routing.settled()
    [run] = await routing.until_runs(
        key, lambda rows: bool(rows) and rows[0].status == "completed", what="the run completing"
    )
    assert (run.run_id, run.user_id, run.version) == (run_id, f"u-{unique}", version)
    assert len(http_receiver.requests(path)) == 1


async def test_a_trigger_key_gives_one_run_per_user_and_key(kafka_routing: KafkaRouting, unique: str) -> None:
    routing = kafka_routing
    key = f"carts-{unique}"
    await routing.publish(
        waits_for(key, f"cart_{unique}", f"order_{unique}", trigger_key="{{ event.properties.cart_id }}")
    )
    ada, bob = f"ada-{unique}", f"bob-{unique}"

    await routing.send(
        event(f"cart_{unique}", ada, "a1", cart_id="c1"),
        event(f"cart_{unique}", ada, "a2", cart_id="c1"),
        event(f"cart_{unique}", ada, "a3", cart_id="c2"),
        event(f"cart_{unique}", bob, "b1", cart_id="c1"),
    )
    await routing.settled()

    runs = await routing.runs_of(key)
    assert sorted(run.run_id for run in runs) == sorted(event_run_id(e, key, 1) for e in ("a1", "a3", "b1"))


async def test_a_later_event_reaches_the_run_waiting_for_it(
    kafka_routing: KafkaRouting, http_receiver: HttpReceiver, unique: str
) -> None:
    routing = kafka_routing
    key, path, user = f"abandoned-{unique}", f"/ordered/{unique}", f"u-{unique}"
    await routing.publish(
        waits_for(
            key,
            f"cart_updated_{unique}",
            f"order_completed_{unique}",
            wait_filter="event.properties.cart_id == trigger.properties.cart_id",
            url=http_receiver.url(path),
            trigger_key="{{ event.properties.cart_id }}",
        )
    )
    await routing.send(event(f"cart_updated_{unique}", user, cart_id="c1"))
    [run] = await routing.until_runs(
        key, lambda rows: bool(rows) and rows[0].status == "waiting", what="the run waiting"
    )

    order = event(f"order_completed_{unique}", user, cart_id="c1")
    await routing.send(event(f"order_completed_{unique}", user, cart_id="other"), order)
    [request] = await http_receiver.wait_for_requests(path)

    assert request.json() == {"run": run.run_id, "received": order.id}


async def test_exit_on_ends_every_run_of_the_user_that_exits_on_the_event(
    kafka_routing: KafkaRouting, unique: str
) -> None:
    routing = kafka_routing
    ada, bob = f"ada-{unique}", f"bob-{unique}"
    exits = {"exit_on": [{"event": f"unsubscribed_{unique}"}]}
    news, other = f"news-{unique}", f"other-{unique}"
    await routing.publish(waits_for(news, f"joined_{unique}", f"never_{unique}", **exits))
    await routing.publish(waits_for(other, f"joined_{unique}", f"never_{unique}"))
    await routing.send(event(f"joined_{unique}", ada), event(f"joined_{unique}", bob))
    for key in (news, other):
        await routing.until_runs(
            key, lambda rows: len(rows) == 2 and all(r.status == "waiting" for r in rows), what="runs waiting"
        )

    await routing.send(event(f"unsubscribed_{unique}", ada))

    runs = await routing.until_runs(
        news, lambda rows: any(r.status == "exited" for r in rows), what="ada's run exiting"
    )
    assert {(run.user_id, run.status) for run in runs} == {(ada, "exited"), (bob, "waiting")}
    await routing.settled()
    assert {(run.user_id, run.status) for run in await routing.runs_of(other)} == {
        (ada, "waiting"),
        (bob, "waiting"),
    }


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
