"""The simulator and the engine agree: every example journey runs for real and takes the simulated path.

Each scenario (most of them those of ``tests/test_examples.py``) puts its user in the store, starts
the example on the real dev server with the same input, drives it with the same events, and asserts
that the run ends with the status and the ``path`` of ``simulate(...)``, that the user's attributes
end as the simulated user's, and that the emails and webhook calls the simulation shows reached the
test SMTP server and HTTP receiver. Every example runs at least twice, on different paths.

How time is made to agree:

- A scenario whose run must time out (a delay, a wait that nobody answers) runs with time skipping,
  so days pass at once; a scenario that answers a wait with an event runs without, and signals the
  event once the run waits at the node the simulated event reaches.
- Quiet hours (``abandoned-cart``, ``re-engagement``) are judged by the activity on the worker's
  wall clock, not the run's virtual one. Each user's ``timezone`` is a fixed offset in which it is
  10:00-11:00 right now, and the simulation starts now, so no message falls into the 21:00-08:00
  window, for real or simulated.

Left out: ``test_cart_reminder_respects_quiet_hours`` (a message deferred by quiet hours). The
activity asks the wall clock whether the window is over, so a deferred message in a time-skipped
run is deferred again at once, forever (the worker's clock never reaches the end of the window),
and without time skipping the run would wait for the window to end (up to 11 hours).
"""

import asyncio
import json
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from journey.dsl.core.messages import Event
from journey.dsl.document import Journey
from journey.dsl.nodes.split import bucket
from journey.dsl.simulate import SimulationResult, simulate
from journey.dsl.validate import parse
from journey.engine.payloads import RunSnapshot
from journey.engine.runs import start_run
from journey.engine.worker import journey_worker
from journey.settings import Settings
from journey.store.database import Database
from journey.store.users import UserStore
from tests.support.http_receiver import HttpReceiver, Reply
from tests.support.smtp_server import SmtpServer

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TASK_QUEUE = "journey-examples"
WEBHOOK_SECRETS = {
    "points_url": "/examples/points",
    "warehouse_url": "/examples/warehouse",
    "crm_url": "/examples/crm",
    "analytics_url": "/examples/analytics",
}
"""The secrets the examples' webhook URLs default from, pointed at the HTTP receiver."""
RUN_TIMEOUT = 60.0

Handle = WorkflowHandle[Any, RunSnapshot]


@dataclass(frozen=True)
class Signal:
    """An event the run gets once it waits at ``at``; the simulation gets it ``after`` the start."""

    at: str
    name: str
    after: str
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Scenario:
    id: str
    example: str
    input: dict[str, Any]
    attributes: dict[str, Any] = field(default_factory=dict)
    signals: tuple[Signal, ...] = ()
    replies: dict[str, Reply] = field(default_factory=dict)
    """Scripted answers of the webhook receiver, by secret name; simulated as the node's output."""
    variant: str | None = None
    """The ``ab`` split variant the user must land in (re-engagement)."""
    status: str = "completed"
    path_has: tuple[str, ...] = ()
    """Nodes the path must contain, so the scenario takes the branch it is named after."""


CART = {"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}, {"sku": "tea"}]}
ORDER = {"order_id": "o-1001", "total": 89.5, "currency": "EUR"}
PURCHASE = {
    "order_id": "o-7",
    "items": [
        {"sku": "espresso-machine", "category": "premium", "price": 349},
        {"sku": "grinder", "category": "tools", "price": 120},
        {"sku": "beans", "category": "grocery", "price": 14},
    ],
}
RETURNED = Signal(at="wait_return", name="session_started", after="P2D")

SCENARIOS = [
    Scenario("welcome-tips", "welcome-series", {"plan": "pro"}, {"onboarded": True}, path_has=("tips",)),
    Scenario("welcome-nudge", "welcome-series", {}, path_has=("nudge",)),
    Scenario(
        "welcome-unsubscribed",
        "welcome-series",
        {},
        signals=(Signal(at="two_days", name="unsubscribed", after="P1D"),),
        status="exited",
    ),
    Scenario("cart-vip", "abandoned-cart", CART, {"lifetime_value": 900}, path_has=("vip_mail",)),
    Scenario("cart-regular", "abandoned-cart", CART, {"lifetime_value": 20}, path_has=("mail",)),
    Scenario(
        "cart-ordered",
        "abandoned-cart",
        CART,
        signals=(
            Signal(at="wait_order", name="order_completed", after="PT1H", properties={"cart_id": "c1"}),
        ),
        path_has=("ordered",),
    ),
    Scenario(
        "cart-cleared",
        "abandoned-cart",
        CART,
        signals=(
            Signal(at="wait_order", name="order_completed", after="PT1H", properties={"cart_id": "another"}),
            Signal(at="wait_order", name="cart_cleared", after="PT2H", properties={"cart_id": "c1"}),
        ),
        status="exited",
    ),
    *(
        Scenario(
            f"reengagement-{variant}",
            "re-engagement",
            {"days_inactive": 45},
            {"churn_risk": "high"},
            signals=(RETURNED,),
            variant=variant,
            path_has=("mark_active",),
        )
        for variant in ("discount", "digest", "holdout")
    ),
    Scenario(
        "reengagement-dormant",
        "re-engagement",
        {"days_inactive": 45},
        variant="digest",
        path_has=("mark_dormant",),
    ),
    Scenario("order-confirmed", "order-fanout", ORDER, path_has=("confirm",)),
    Scenario(
        "order-backordered",
        "order-fanout",
        ORDER,
        replies={"warehouse_url": Reply(status=409, body={"error": "out of stock"})},
        path_has=("backorder", "apologise"),
    ),
    Scenario(
        "order-analytics-down",
        "order-fanout",
        ORDER,
        replies={"analytics_url": Reply(status=503, body=None)},
        path_has=("confirm",),
    ),
    Scenario(
        "order-warehouse-refuses",
        "order-fanout",
        ORDER,
        replies={"warehouse_url": Reply(status=400, body={"error": "bad request"})},
        status="failed",
    ),
    Scenario(
        "loyalty-to-gold", "loyalty-loop", PURCHASE, {"loyalty_points": 950}, path_has=("promote_gold",)
    ),
    Scenario(
        "loyalty-to-silver", "loyalty-loop", PURCHASE, {"loyalty_points": 450}, path_has=("promote_silver",)
    ),
    Scenario(
        "loyalty-already-gold",
        "loyalty-loop",
        PURCHASE,
        {"loyalty_points": 950, "loyalty_tier": "gold"},
        path_has=("tier", "done"),
    ),
]


@pytest.fixture(scope="module")
async def examples_worker(
    temporal: WorkflowEnvironment,
    engine_settings: Settings,
    engine_database: Database,
    http_receiver: HttpReceiver,
) -> Any:
    """A worker of this module's own, whose webhook secrets point at the HTTP receiver."""
    settings = engine_settings.model_copy(update={"temporal_task_queue": TASK_QUEUE})
    async with AsyncExitStack() as stack:
        with pytest.MonkeyPatch.context() as environment:  # the worker reads the secrets on entry
            for name, path in WEBHOOK_SECRETS.items():
                environment.setenv(f"JOURNEY_SECRET_{name}", http_receiver.url(path))
            worker = await stack.enter_async_context(
                journey_worker(temporal.client, settings, engine_database)
            )
        task = asyncio.create_task(worker.run())
        yield
        await worker.shutdown()
        await asyncio.gather(task, return_exceptions=True)


def _load(example: str) -> Journey:
    return parse(json.loads((EXAMPLES / f"{example}.json").read_text(encoding="utf-8")))


def _ten_oclock_zone(now: datetime) -> str:
    """A fixed-offset zone in which ``now`` is between 10:00 and 11:00 (``Etc/GMT-3`` is UTC+3)."""
    offset = (10 - now.hour) % 24
    if offset > 14:
        offset -= 24
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


def _user_id(scenario: Scenario, unique: str) -> str:
    """A user id of its own, in the split variant the scenario needs."""
    for attempt in range(1000):
        user_id = f"{scenario.id}-{unique}-{attempt}"
        if scenario.variant is None or _variant(user_id) == scenario.variant:
            return user_id
    raise AssertionError(f"no user id lands in {scenario.variant}")


def _variant(user_id: str) -> str:
    point = bucket(user_id, "ab", 100)  # re-engagement's weights: 45 discount, 45 digest, 10 holdout
    return "discount" if point < 45 else "digest" if point < 90 else "holdout"


async def _until_waiting(handle: Handle, node_id: str, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while True:
        snapshot = await handle.query("snapshot", result_type=RunSnapshot)
        if snapshot.status == "waiting" and snapshot.active_nodes == [node_id]:
            return
        if snapshot.finished_at is not None or time.monotonic() > deadline:
            raise AssertionError(f"{handle.id} is not waiting at {node_id}: {snapshot}")
        await asyncio.sleep(0.05)


@pytest.mark.usefixtures("examples_worker")
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.id)
async def test_the_real_run_takes_the_simulated_path(
    scenario: Scenario,
    temporal: WorkflowEnvironment,
    engine_database: Database,
    http_receiver: HttpReceiver,
    smtp_server: SmtpServer,
    unique: str,
) -> None:
    journey = _load(scenario.example)
    now = datetime.now(UTC)
    user_id = _user_id(scenario, unique)
    attributes = {
        "email": f"{user_id}@example.test",
        "first_name": "Ada",
        "timezone": _ten_oclock_zone(now),
        **scenario.attributes,
    }
    outputs = {}
    for secret, reply in scenario.replies.items():
        http_receiver.reply(WEBHOOK_SECRETS[secret], reply)
        node_id = _webhook_node(journey, secret)
        outputs[node_id] = {"status": reply.status, "headers": {}, "body": reply.body}
    events = [
        {"after": signal.after, "name": signal.name, "properties": signal.properties}
        for signal in scenario.signals
    ]
    expected = simulate(journey, scenario.input, {"id": user_id, **attributes}, events, outputs, start=now)
    users = UserStore(engine_database)
    await users.put(user_id, attributes)

    try:
        result = await _run_for_real(temporal, journey, scenario, user_id, now)
    finally:
        for secret in scenario.replies:
            http_receiver.reply(WEBHOOK_SECRETS[secret], Reply())

    assert (result.status, result.path) == (expected.status, expected.path), result.error
    assert result.status == scenario.status, result.error
    assert set(scenario.path_has) <= set(result.path)
    stored = await users.get(user_id)
    assert stored is not None
    assert stored.attributes == {name: value for name, value in expected.user.items() if name != "id"}
    await _sent_what_was_simulated(journey, expected, user_id, http_receiver, smtp_server)


async def _run_for_real(
    temporal: WorkflowEnvironment, journey: Journey, scenario: Scenario, user_id: str, now: datetime
) -> RunSnapshot:
    trigger_config = journey.nodes[0].config.model_dump()
    assert trigger_config["kind"] == "event"
    trigger: dict[str, Any] = {
        "id": f"trigger-{user_id}",
        "name": trigger_config["event"],
        "user_id": user_id,
        "timestamp": now.isoformat(),
        "properties": scenario.input,
    }

    async def start() -> Handle:
        return await start_run(
            temporal.client,
            task_queue=TASK_QUEUE,
            journey=journey,
            version=1,
            user_id=user_id,
            trigger=trigger,
        )

    if scenario.signals:
        with temporal.with_time_skipping_disabled():
            handle = await start()
        for number, signal in enumerate(scenario.signals):
            await _until_waiting(handle, signal.at)
            event = Event(
                id=f"{user_id}-event-{number}",
                name=signal.name,
                user_id=user_id,
                timestamp=datetime.now(UTC),
                properties=signal.properties,
            )
            await handle.signal("event", event)
    else:
        handle = await start()
    result: RunSnapshot = await asyncio.wait_for(handle.result(), RUN_TIMEOUT)
    return result


def _webhook_node(journey: Journey, secret: str) -> str:
    """The webhook node whose URL comes from ``secret``."""
    [node_id] = [node.id for node in journey.nodes if _is_webhook(journey, node.id, secret)]
    return node_id


def _is_webhook(journey: Journey, node_id: str, secret: str) -> bool:
    [node] = [node for node in journey.nodes if node.id == node_id]
    return node.type == "webhook" and f"secrets.{secret}" in str(node.config.model_dump().get("url"))


async def _sent_what_was_simulated(
    journey: Journey,
    expected: SimulationResult,
    user_id: str,
    http_receiver: HttpReceiver,
    smtp_server: SmtpServer,
) -> None:
    """Every email and webhook call of the simulation reached its peer, rendered the same."""
    address = f"{user_id}@example.test"
    mails = [action.params for action in expected.actions if action.type == "send_email"]
    assert all(isinstance(mail, dict) and mail["to"] == address for mail in mails)
    received = await smtp_server.wait_for(lambda m: address in m.rcpt_tos, count=len(mails)) if mails else []
    assert sorted(m.message["Subject"] for m in received) == sorted(
        str(mail["subject"]) for mail in mails if isinstance(mail, dict)
    )
    assert smtp_server.messages_to(address) == received
    for action in expected.actions:
        if action.type != "webhook":
            continue
        assert isinstance(action.params, dict)
        [path] = [
            path for secret, path in WEBHOOK_SECRETS.items() if _is_webhook(journey, action.node_id, secret)
        ]
        bodies = [request.json() for request in http_receiver.requests(path)]
        assert action.params["body"] in bodies, f"{action.node_id} sent nothing like {action.params['body']}"
