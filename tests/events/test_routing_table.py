"""RoutingTables: the routes of active event-triggered journeys and what each journey listens for,
rebuilt only when the journeys change (on SQLite and PostgreSQL)."""

from typing import Any

from journey.events import RoutingTables
from journey.store.database import Database
from tests.events.conftest import publish, set_status
from tests.events.journeys import ends_at_once, triggered, waits_for


def _manual(key: str) -> dict[str, Any]:
    document = ends_at_once(key, "unused")
    document["nodes"][0]["config"] = {"kind": "manual"}
    return document


async def test_only_active_journeys_with_a_published_event_trigger_are_routes(
    database: Database, workspace: str
) -> None:
    await publish(database, workspace, ends_at_once("exact", "signed_up"))
    await publish(database, workspace, ends_at_once("prefix", "cart_*", filter="event.properties.total > 0"))
    await publish(database, workspace, ends_at_once("paused", "signed_up"), status="paused")
    await publish(database, workspace, ends_at_once("archived", "signed_up"), status="archived")
    await publish(database, workspace, ends_at_once("draft", "signed_up"), status="draft")
    await publish(database, workspace, _manual("manual"))

    table = await RoutingTables(database, workspace).current()

    assert [route.key for route in table.routes("signed_up")] == ["exact"]
    assert [route.key for route in table.routes("cart_updated")] == ["prefix"]
    assert [route.key for route in table.routes("cart_")] == ["prefix"]
    assert table.routes("car") == []
    assert table.routes("signed_up_twice") == []
    [prefix] = table.routes("cart_cleared")
    assert prefix.filter is not None
    assert prefix.filter.variables == {"event"}


async def test_the_table_follows_publishes_and_status_changes_and_is_kept_meanwhile(
    database: Database, workspace: str
) -> None:
    tables = RoutingTables(database, workspace)
    await publish(database, workspace, ends_at_once("welcome", "signed_up", filter="true"))
    first = await tables.current()
    [route] = first.routes("signed_up")

    assert await tables.current() is first
    await publish(database, workspace, ends_at_once("unrelated", "clicked"))
    assert (await tables.current()).routes("signed_up")[0] is route, (
        "an unchanged version is not compiled again"
    )

    await publish(database, workspace, ends_at_once("welcome", "registered"))
    table = await tables.current()
    assert table.routes("signed_up") == []
    assert [(r.key, r.version) for r in table.routes("registered")] == [("welcome", 2)]

    await set_status(database, workspace, "welcome", "paused")
    assert (await tables.current()).routes("registered") == []
    await set_status(database, workspace, "welcome", "active")
    assert len((await tables.current()).routes("registered")) == 1


async def test_each_journey_listens_for_the_waits_and_exit_rules_of_every_version(
    database: Database, workspace: str
) -> None:
    await publish(database, workspace, waits_for("cart", "cart_updated", "order_completed"))
    second = waits_for("cart", "cart_updated", "paid", exit_on=[{"event": "unsubscribed"}])
    await publish(database, workspace, second, status="paused")

    table = await RoutingTables(database, workspace).current()

    assert table.routes("cart_updated") == []
    for name in ("order_completed", "paid", "unsubscribed"):
        assert table.listens("cart", name), name
    assert not table.listens("cart", "cart_updated")
    assert table.listens("never-stored", "anything"), "runs of unknown journeys get every event"


async def test_a_stored_version_that_cannot_be_read_routes_nothing_and_hears_everything(
    database: Database, workspace: str
) -> None:
    await publish(database, workspace, triggered("broken", "signed_up", [], [], filter="event.(("))

    table = await RoutingTables(database, workspace).current()

    assert table.routes("signed_up") == []
    assert table.listens("broken", "anything")
