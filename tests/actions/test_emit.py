"""emit_event: the rendered event lands in the log once, however often the activity retries."""

import uuid
from collections.abc import AsyncIterator

import pytest
from pydantic import ValidationError

from journey.actions.emit import emit_event
from journey.actions.errors import ActionError
from journey.store import Database, SqlEventLog, upgrade


@pytest.fixture(scope="module")
async def database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('emit') / 'journey.db'}"
    await upgrade(url)
    async with Database.connect(url) as opened:
        yield opened


@pytest.fixture
def log(database: Database) -> SqlEventLog:
    return SqlEventLog(database, workspace_id=uuid.uuid4().hex)


async def test_a_retried_emit_appends_once(log: SqlEventLog) -> None:
    params = {"event": "vip_reached", "properties": {"tier": "gold", "score": 9}}

    first = await emit_event(log, params, default_user_id="u1", idempotency_key="run-1/notify/1")
    retried = await emit_event(log, params, default_user_id="u1", idempotency_key="run-1/notify/1")

    assert retried == first
    assert first["name"] == "vip_reached"
    assert first["user_id"] == "u1"
    [logged] = await log.read_after("router")
    assert logged.event.id == first["id"]
    assert logged.event.properties == {"tier": "gold", "score": 9}


async def test_each_idempotency_key_gets_its_own_event(log: SqlEventLog) -> None:
    params = {"event": "ping"}
    ids = {
        (await emit_event(log, params, default_user_id="u1", idempotency_key=key))["id"]
        for key in ("run-1/ping/1", "run-1/ping/2", "run-2/ping/1")
    }
    assert len(ids) == 3
    assert len(await log.read_after("router")) == 3


async def test_user_id_param_overrides_the_runs_user(log: SqlEventLog) -> None:
    to_other = await emit_event(
        log, {"event": "invited", "user_id": "friend"}, default_user_id="u1", idempotency_key="k1"
    )
    rendered_empty = await emit_event(
        log, {"event": "invited", "user_id": ""}, default_user_id="u1", idempotency_key="k2"
    )
    without_user = await emit_event(log, {"event": "tick"}, default_user_id=None, idempotency_key="k3")

    assert [to_other["user_id"], rendered_empty["user_id"], without_user["user_id"]] == ["friend", "u1", None]


async def test_a_bad_event_name_is_refused(log: SqlEventLog) -> None:
    with pytest.raises(ValidationError, match="event"):
        await emit_event(log, {"event": "no spaces"}, default_user_id="u1", idempotency_key="k")
    assert await log.read_after("router") == []


async def test_a_topic_fails_the_step_on_the_local_log_without_appending(log: SqlEventLog) -> None:
    params = {"event": "vip_reached", "topic": "crm.events"}
    with pytest.raises(ActionError, match=r"'crm\.events' needs the Kafka event log") as refused:
        await emit_event(log, params, default_user_id="u1", idempotency_key="k")
    assert refused.value.retryable is False
    assert await log.read_after("router") == []
