"""The run-index writer: concurrent records share transactions, and every caller's is committed."""

import asyncio
from datetime import UTC, datetime

from journey.engine.run_index import RunIndexWriter
from journey.store import Database
from journey.store.runs import RunRecord, RunStore


async def test_concurrent_records_are_all_committed(database: Database, workspace: str) -> None:
    store = RunStore(database, workspace)
    writer = RunIndexWriter(store)
    records = [
        RunRecord(
            run_id=f"run-{number}",
            workflow_id=f"wf-{number}",
            journey_key="cart",
            version=1,
            user_id=f"user-{number % 5}",
            status="completed" if number % 2 else "waiting",
            started_at=datetime(2026, 11, 29, tzinfo=UTC),
        )
        for number in range(40)
    ]

    await asyncio.gather(*(writer.write(record) for record in records))

    stored = {row.run_id: row.status for row in await store.find(journey="cart", limit=100)}
    assert stored == {record.run_id: record.status for record in records}
    assert sorted(run for run, _ in await store.active_of_user("user-0")) == [
        "run-0",
        "run-10",
        "run-20",
        "run-30",
    ]
