"""The router end to end: events appended to the SQL log start runs on a real Temporal dev server
and reach the runs that wait for them or exit on them."""

import pytest
from sqlalchemy import select

from journey.engine.ids import event_run_id
from journey.store.models import DeadLetterRow
from tests.events.conftest import Routing, event
from tests.events.journeys import calls, ends_at_once, triggered, waits_for
from tests.support.http_receiver import HttpReceiver, Reply

pytestmark = pytest.mark.integration


async def test_an_event_starts_one_run_and_the_same_event_again_starts_nothing(
    routing: Routing, http_receiver: HttpReceiver, unique: str
) -> None:
    key, path = f"welcome-{unique}", f"/welcome/{unique}"
    version = await routing.publish(calls(key, f"signed_up_{unique}", http_receiver.url(path)))
    signed_up = event(f"signed_up_{unique}", f"u-{unique}", plan="pro")

    await routing.send(signed_up)
    [request] = await http_receiver.wait_for_requests(path)

    run_id = event_run_id(signed_up.id, key, version)
    assert request.json() == {"run": run_id, "event": signed_up.id, "user": f"u-{unique}"}
    await routing.send(signed_up)
    await routing.log.commit("router", 0)  # redeliver everything, as after a crash
    await routing.settled()
    [run] = await routing.until_runs(
        key, lambda rows: bool(rows) and rows[0].status == "completed", what="the run completing"
    )
    assert (run.run_id, run.user_id, run.version) == (run_id, f"u-{unique}", version)
    assert len(http_receiver.requests(path)) == 1


async def test_names_prefixes_and_filters_choose_the_journeys(routing: Routing, unique: str) -> None:
    vip, regular = f"vip-{unique}", f"regular-{unique}"
    await routing.users.put(vip, {"vip": True})
    big_carts, vip_carts = f"big-{unique}", f"vips-{unique}"
    await routing.publish(ends_at_once(big_carts, f"cart_{unique}_*", filter="event.properties.total > 100"))
    await routing.publish(
        ends_at_once(vip_carts, f"cart_{unique}_updated", filter="has(user.vip) && user.vip"),
    )

    await routing.send(
        event(f"cart_{unique}_updated", regular, "e1", total=500),
        event(f"cart_{unique}_viewed", vip, "e2", total=50),
        event(f"cart_{unique}_updated", vip, "e3", total=50),
        event(f"checkout_{unique}", vip, "e4", total=500),
    )
    await routing.settled()

    assert {(run.user_id, run.run_id) for run in await routing.runs_of(big_carts)} == {
        (regular, event_run_id("e1", big_carts, 1))
    }
    assert {(run.user_id, run.run_id) for run in await routing.runs_of(vip_carts)} == {
        (vip, event_run_id("e3", vip_carts, 1))
    }


async def test_a_trigger_key_gives_one_run_per_user_and_key(routing: Routing, unique: str) -> None:
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


@pytest.mark.parametrize(("reentry", "expected_runs"), [("once", 1), ("when_not_active", 2), ("always", 3)])
async def test_reentry_decides_whether_a_user_enters_again(
    routing: Routing, unique: str, reentry: str, expected_runs: int
) -> None:
    """Two triggers while the first run waits, the awaited event, then a third trigger."""
    key, user = f"again-{unique}", f"u-{unique}"
    await routing.publish(waits_for(key, f"visit_{unique}", f"buy_{unique}", reentry=reentry))

    await routing.send(event(f"visit_{unique}", user), event(f"visit_{unique}", user))
    await routing.settled()
    await routing.send(event(f"buy_{unique}", user))
    await routing.until_runs(
        key, lambda rows: all(row.status == "completed" for row in rows), what="the waiting runs completing"
    )
    await routing.send(event(f"visit_{unique}", user))
    await routing.settled()

    runs = await routing.runs_of(key)
    assert len(runs) == expected_runs, [(run.run_id, run.status) for run in runs]


async def test_a_later_event_reaches_the_run_waiting_for_it(
    routing: Routing, http_receiver: HttpReceiver, unique: str
) -> None:
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


async def test_an_event_before_the_run_reaches_its_wait_still_counts(
    routing: Routing, http_receiver: HttpReceiver, unique: str
) -> None:
    """The order comes in the same batch as the cart, while the run is busy in a slow webhook."""
    key, slow, path, user = f"early-{unique}", f"/slow/{unique}", f"/ordered/{unique}", f"u-{unique}"
    http_receiver.reply(slow, Reply(delay=1.0))
    document = waits_for(key, f"cart_{unique}", f"order_{unique}", url=http_receiver.url(path))
    document["nodes"].append({"id": "slow", "type": "webhook", "config": {"url": http_receiver.url(slow)}})
    document["edges"] = [{"source": "start", "target": "slow"}, {"source": "slow", "target": "wait"}] + [
        edge for edge in document["edges"] if edge["source"] != "start"
    ]
    await routing.publish(document)

    order = event(f"order_{unique}", user)
    await routing.send(event(f"cart_{unique}", user), order)
    [request] = await http_receiver.wait_for_requests(path)

    assert request.json()["received"] == order.id
    [run] = await routing.until_runs(
        key, lambda rows: bool(rows) and rows[0].status == "completed", what="the run completing"
    )
    assert [step["node_id"] for step in run.steps] == ["start", "slow", "wait", "hook", "done"]


async def test_exit_on_ends_every_run_of_the_user_that_exits_on_the_event(
    routing: Routing, unique: str
) -> None:
    ada, bob = f"ada-{unique}", f"bob-{unique}"
    exits = {"exit_on": [{"event": f"unsubscribed_{unique}"}]}
    news, tips, other = f"news-{unique}", f"tips-{unique}", f"other-{unique}"
    await routing.publish(waits_for(news, f"joined_{unique}", f"never_{unique}", **exits))
    await routing.publish(waits_for(tips, f"joined_{unique}", f"never_{unique}", **exits))
    await routing.publish(waits_for(other, f"joined_{unique}", f"never_{unique}"))
    await routing.send(event(f"joined_{unique}", ada), event(f"joined_{unique}", bob))
    for key in (news, tips, other):
        await routing.until_runs(
            key, lambda rows: len(rows) == 2 and all(r.status == "waiting" for r in rows), what="runs waiting"
        )

    await routing.send(event(f"unsubscribed_{unique}", ada))

    for key in (news, tips):
        runs = await routing.until_runs(
            key, lambda rows: any(r.status == "exited" for r in rows), what=f"{key}: ada's run exiting"
        )
        assert {(run.user_id, run.status) for run in runs} == {(ada, "exited"), (bob, "waiting")}
    await routing.settled()
    assert {(run.user_id, run.status) for run in await routing.runs_of(other)} == {
        (ada, "waiting"),
        (bob, "waiting"),
    }


async def test_paused_archived_and_unpublished_journeys_start_nothing(routing: Routing, unique: str) -> None:
    name, user = f"ping_{unique}", f"u-{unique}"
    paused, archived, draft = f"paused-{unique}", f"archived-{unique}", f"draft-{unique}"
    await routing.publish(ends_at_once(paused, name), status="paused")
    await routing.publish(ends_at_once(archived, name), status="archived")
    await routing.publish(ends_at_once(draft, name), status="draft")
    await routing.send(event(name, user))
    await routing.settled()
    for key in (paused, archived, draft):
        assert await routing.runs_of(key) == []

    await routing.set_status(paused, "active")
    await routing.send(event(name, user, "again"))
    await routing.settled()

    assert [run.run_id for run in await routing.runs_of(paused)] == [event_run_id("again", paused, 1)]
    assert await routing.runs_of(archived) == []


async def test_an_event_a_filter_fails_on_is_dead_lettered_and_skipped(routing: Routing, unique: str) -> None:
    name, user = f"paid_{unique}", f"u-{unique}"
    strict, lenient = f"strict-{unique}", f"lenient-{unique}"
    await routing.publish(ends_at_once(strict, name, filter="event.properties.total > 0"))
    await routing.publish(ends_at_once(lenient, name, reentry="always"))

    await routing.send(event(name, user, "no-total"), event(name, user, "with-total", total=5))
    await routing.settled()

    assert {run.run_id for run in await routing.runs_of(strict)} == {event_run_id("with-total", strict, 1)}
    assert len(await routing.runs_of(lenient)) == 2
    async with routing.database.sessions() as session:
        letters = (
            await session.scalars(
                select(DeadLetterRow).where(DeadLetterRow.workspace_id == routing.workspace)
            )
        ).all()
    [letter] = letters
    assert letter.source == "router"
    assert letter.position.startswith(routing.position_prefix)
    assert f"journey {strict} v1: filter 'event.properties.total > 0' failed" in letter.reason
    assert '"id":"no-total"' in letter.payload


async def test_a_key_that_does_not_render_is_dead_lettered(routing: Routing, unique: str) -> None:
    name, key = f"keyed_{unique}", f"keyed-{unique}"
    await routing.publish(triggered(key, name, [], [], trigger_key="{{ event.properties.cart_id }}"))

    await routing.send(event(name, f"u-{unique}"), event(name, f"u-{unique}", cart_id="c1"))
    await routing.settled()

    assert len(await routing.runs_of(key)) == 1
    async with routing.database.sessions() as session:
        reasons = (
            await session.scalars(
                select(DeadLetterRow.reason).where(DeadLetterRow.workspace_id == routing.workspace)
            )
        ).all()
    assert len(reasons) == 1
    assert "did not render" in reasons[0]
