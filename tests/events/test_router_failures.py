"""The router when Temporal cannot be reached: the event is retried with backoff, the offset
stays where it was, and once Temporal answers again the run starts, once."""

from collections.abc import AsyncIterator

import pytest
import structlog
from sqlalchemy import select
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RetryConfig
from temporalio.testing import WorkflowEnvironment

from journey.engine.ids import event_run_id
from journey.store.models import ConsumerOffsetRow
from tests.events.conftest import Routing, event, eventually
from tests.events.journeys import ends_at_once
from tests.events.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration


@pytest.fixture
async def proxy(temporal: WorkflowEnvironment) -> AsyncIterator[TcpProxy]:
    """A proxy in front of the session's Temporal dev server."""
    host, port = temporal.client.service_client.config.target_host.rsplit(":", 1)
    proxy = TcpProxy(host, int(port))
    await proxy.start()
    yield proxy
    await proxy.cut()


async def test_an_event_waits_while_temporal_is_unreachable_and_starts_its_run_once_it_is_back(
    routing: Routing, proxy: TcpProxy, unique: str
) -> None:
    client = await Client.connect(
        f"127.0.0.1:{proxy.port}",
        data_converter=pydantic_data_converter,
        retry_config=RetryConfig(max_retries=1, max_elapsed_time_millis=1000),
    )
    await routing.stop()
    routing.start(client)
    key, name = f"outage-{unique}", f"outage_{unique}"
    await routing.publish(ends_at_once(key, name))

    await proxy.cut()
    with structlog.testing.capture_logs() as logs:
        await routing.send(event(name, f"u-{unique}", "during-outage"))

        async def retried_twice() -> bool:
            return sum(log["event"] == "routing an event failed" for log in logs) >= 2

        await eventually(retried_twice, within=20, what="two failed attempts")
        async with routing.database.sessions() as session:
            offset = await session.scalar(
                select(ConsumerOffsetRow.sequence).where(ConsumerOffsetRow.workspace_id == routing.workspace)
            )
        assert offset is None, "nothing may be acked while Temporal is unreachable"
        await proxy.restore()
        await routing.settled()
        await routing.stop()

    [run] = await routing.until_runs(
        key, lambda rows: bool(rows) and rows[0].status == "completed", what="the run completing"
    )
    assert run.run_id == event_run_id("during-outage", key, 1)
    failures = [log for log in logs if log["event"] == "routing an event failed"]
    assert {(log["event_id"], log["user_id"]) for log in failures} == {("during-outage", f"u-{unique}")}
    assert [log["retry_in"] for log in failures[:2]] == [0.05, 0.1]
