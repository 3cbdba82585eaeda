"""The run index: starters and workflows write it in either order, lists page newest first."""

from datetime import UTC, datetime, timedelta

from journey.store import Database
from journey.store.runs import RunRecord, RunStore

T0 = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def _record(run_id: str, user: str | None, status: str, minutes: int = 0, **fields: object) -> RunRecord:
    return RunRecord(
        run_id=run_id,
        workflow_id=f"wf-{run_id}",
        journey_key="cart",
        version=1,
        user_id=user,
        status=status,
        started_at=T0 + timedelta(minutes=minutes),
        **fields,  # type: ignore[arg-type]
    )


async def test_a_starter_record_after_the_end_changes_nothing(database: Database, workspace: str) -> None:
    runs = RunStore(database, workspace)
    await runs.record(_record("r1", "ada", "completed", finished_at=T0, steps=[{"node_id": "start"}]))

    await runs.started(_record("r1", "ada", "running"))

    row = await runs.get("r1")
    assert row is not None
    assert row.status == "completed"
    assert row.steps == [{"node_id": "start"}]
    assert await runs.active_of_user("ada") == []


async def test_the_active_index_follows_the_run(database: Database, workspace: str) -> None:
    runs = RunStore(database, workspace)
    await runs.started(_record("r2", "bo", "running"))
    assert await runs.active_of_user("bo") == [("r2", "cart")]

    await runs.record(_record("r2", "bo", "waiting", active_nodes=["nap"]))
    assert await runs.active_of_user("bo") == [("r2", "cart")]
    assert await runs.has_run("cart", "bo")

    await runs.record(_record("r2", "bo", "exited", finished_at=T0))
    assert await runs.active_of_user("bo") == []


async def test_a_batch_keeps_each_runs_latest_record(database: Database, workspace: str) -> None:
    runs = RunStore(database, workspace)
    await runs.started(_record("b1", "cy", "running"))
    await runs.started(_record("b2", "cy", "running"))

    await runs.record_many(
        [
            _record("b1", "cy", "waiting", active_nodes=["nap"]),
            _record("b2", "cy", "waiting", active_nodes=["nap"]),
            _record("b3", "di", "running"),
            _record("b1", "cy", "completed", finished_at=T0, steps=[{"node_id": "end"}]),
            _record("b4", None, "completed", finished_at=T0),
        ]
    )

    first = await runs.get("b1")
    assert first is not None
    assert (first.status, first.finished_at, first.steps) == ("completed", T0, [{"node_id": "end"}])
    second = await runs.get("b2")
    assert second is not None
    assert (second.status, second.active_nodes) == ("waiting", ["nap"])
    assert await runs.active_of_user("cy") == [("b2", "cart")]
    assert await runs.active_of_user("di") == [("b3", "cart")]
    no_user = await runs.get("b4")
    assert no_user is not None
    assert no_user.status == "completed"


async def test_lists_page_newest_first_with_filters(database: Database, workspace: str) -> None:
    runs = RunStore(database, workspace)
    for minute in range(5):
        await runs.started(_record(f"p{minute}", "cy", "running", minutes=minute))
    await runs.record(_record("p2", "cy", "completed", minutes=2, finished_at=T0))

    first = await runs.find(user_id="cy", limit=2)
    assert [row.run_id for row in first] == ["p4", "p3"]
    rest = await runs.find(user_id="cy", after=(first[-1].started_at, first[-1].run_id), limit=10)
    assert [row.run_id for row in rest] == ["p2", "p1", "p0"]
    assert [row.run_id for row in await runs.find(status="completed")] == ["p2"]
