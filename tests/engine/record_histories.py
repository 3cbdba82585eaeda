"""Records the histories that ``test_replay.py`` replays: ``python -m tests.engine.record_histories``.

Small journeys that together use every node type and every way the workflow talks to Temporal
(durable timers, cancelled timers, local activities and their retries, signals, child workflows,
continue-as-new, search attributes) run on a real dev server, with a real HTTP receiver
and SMTP server as their peers. Each run must end as expected; its history is then written to
``tests/engine/histories/<name>.json`` as ``{"workflow_id", "history"}``, where ``history`` is
Temporal's JSON form of the history (what ``temporal workflow show --output json`` prints).

Re-record only on purpose: a history recorded by the current code always replays, so a new
recording hides exactly the incompatibility the replay test is there to catch. Record again
when a change is meant to break running journeys (and then guard it with ``workflow.patched``),
or to add a journey.
"""

import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle, WorkflowHistory

from journey.dsl import Journey
from journey.dsl.core.messages import Event
from journey.engine.client import connect
from journey.engine.devserver import DevServer
from journey.engine.payloads import RunSnapshot
from journey.engine.runs import manual_trigger, start_run
from journey.engine.worker import journey_worker
from journey.settings import Settings
from journey.store.database import Database
from journey.store.migrate import upgrade
from journey.store.models import DEFAULT_WORKSPACE, JourneyRow, JourneyVersionRow
from tests.support.http_receiver import HttpReceiver, Reply
from tests.support.ports import free_port
from tests.support.smtp_server import SmtpServer

HISTORIES = Path(__file__).parent / "histories"
TASK_QUEUE = "journey-record"
HOOK_SECRET = "hook_url"
"""Webhook URLs come from a secret, so the recorded documents do not hold the receiver's port."""
CONTINUE_AS_NEW_AFTER = 12
"""Events after which the server suggests continue-as-new, on the server of ``LONG_RECORDINGS``."""

Handle = WorkflowHandle[Any, RunSnapshot]
Edge = tuple[str, str] | tuple[str, str, str]


def journey(key: str, nodes: list[dict[str, Any]], edges: list[Edge], **settings: Any) -> Journey:
    """A journey with a manual trigger ``start`` and ``reentry: always``."""
    return Journey.model_validate(
        {
            "key": key,
            "name": key,
            "settings": {"reentry": "always", **settings},
            "nodes": [{"id": "start", "type": "trigger", "config": {"kind": "manual"}}, *nodes],
            "edges": [
                {"source": edge[0], "target": edge[1], **({"branch": edge[2]} if len(edge) == 3 else {})}
                for edge in edges
            ],
        }
    )


def node(node_id: str, node_type: str, **config: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "config": config}


def hook(node_id: str, path: str, **extra: Any) -> dict[str, Any]:
    """A webhook node to the receiver's ``path``."""
    config = {"url": "{{ secrets." + HOOK_SECRET + " }}" + path, "body": {"run": "{{ run.id }}"}}
    return {"id": node_id, "type": "webhook", "config": config, **extra}


async def until_waiting(handle: Handle, node_id: str, within: float = 20.0) -> None:
    """Poll the run until ``node_id`` is its only active node and the run waits."""
    deadline = time.monotonic() + within
    while True:
        snapshot = await handle.query("snapshot", result_type=RunSnapshot)
        if snapshot.status == "waiting" and snapshot.active_nodes == [node_id]:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{handle.id} is not waiting at {node_id}: {snapshot.active_nodes}")
        await asyncio.sleep(0.05)


def event(event_id: str, name: str, user_id: str, **properties: Any) -> Event:
    return Event(
        id=event_id,
        name=name,
        user_id=user_id,
        timestamp=datetime(2026, 11, 29, 12, tzinfo=UTC),
        properties=properties,
    )


async def send_unmatched_then_matching_order(handle: Handle) -> None:
    await until_waiting(handle, "wait")
    user = "u-wait-event"
    await handle.signal("event", event("o1", "order_completed", user, cart="other"))
    await handle.signal("event", event("o2", "order_completed", user))
    await handle.signal("event", event("o3", "order_completed", user, cart="c1"))
    await handle.signal("event", event("o3", "order_completed", user, cart="c1"))


async def unsubscribe(handle: Handle) -> None:
    await until_waiting(handle, "nap")
    await handle.signal("event", event("bye", "unsubscribed", "u-exit-on"))


async def cancel(handle: Handle) -> None:
    await until_waiting(handle, "nap")
    await handle.signal("cancel", "recorded cancel")


@dataclass(frozen=True)
class Recording:
    name: str
    journey: Journey
    path: list[str]
    properties: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)
    """The trigger's properties, or a function that makes them at the start."""
    status: str = "completed"
    drive: Callable[[Handle], Awaitable[None]] | None = None
    """What to do to the run while it runs (signals)."""
    children: int = 0
    """Child workflows whose histories are recorded too."""

    @property
    def user_id(self) -> str:
        return f"u-{self.name}"


CHILD = journey(
    "replay-child",
    [node("hello", "log", message="child of {{ input.parent }}"), node("done", "end", reason="child done")],
    [("start", "hello"), ("hello", "done")],
)

# No recording has an action that fails for good: the workflow catches ``ActivityError``, but a
# failed local activity raises ``ApplicationError`` (temporalio 1.35), so such a run never gets
# its ``ActionFailed`` and waits forever. Add one (``on_error: continue`` too) once that is fixed.
RECORDINGS = [
    Recording(
        "decisions",
        journey(
            "replay-decisions",
            [
                node("ab", "split", variants=[{"id": "a", "weight": 1}, {"id": "b", "weight": 1}]),
                node(
                    "remember", "update_attributes", set={"tier": "{{ input.tier }}"}, increment={"visits": 1}
                ),
                node("gold", "condition", expression="user.tier == 'gold' && user.visits == 1.0"),
                node("size", "switch", cases=[{"id": "big", "expression": "input.amount >= 100"}]),
                node("big", "log", message="big order of {{ input.amount }}", level="warning"),
                node("small", "log", message="small order"),
                node("done", "end", reason="decided"),
                node("not_gold", "end", status="failed", reason="not gold"),
            ],
            [
                ("start", "ab"),
                ("ab", "remember", "a"),
                ("ab", "remember", "b"),
                ("remember", "gold"),
                ("gold", "size", "true"),
                ("gold", "not_gold", "false"),
                ("size", "big", "big"),
                ("size", "small", "default"),
                ("big", "done"),
                ("small", "done"),
            ],
        ),
        ["start", "ab", "remember", "gold", "size", "big", "done"],
        {"tier": "gold", "amount": 120},
    ),
    Recording(
        "delay-webhook",
        journey(
            "replay-delay-webhook",
            [node("nap", "delay", duration="PT1S"), hook("call", "/ok"), node("done", "end")],
            [("start", "nap"), ("nap", "call"), ("call", "done")],
            max_duration="PT1H",
        ),
        ["start", "nap", "call", "done"],
    ),
    Recording(
        "delay-until",
        journey(
            "replay-delay-until",
            [node("at", "delay", until="{{ input.at }}"), node("woke", "log", message="woke")],
            [("start", "at"), ("at", "woke")],
        ),
        ["start", "at", "woke"],
        lambda: {"at": (datetime.now(UTC) + timedelta(seconds=1)).isoformat()},
    ),
    Recording(
        "webhook-retries",
        journey(
            "replay-webhook-retries",
            [
                {**hook("flaky", "/flaky"), "retry": {"max_attempts": 5, "initial_interval": 0.1}},
                node("done", "end"),
            ],
            [("start", "flaky"), ("flaky", "done")],
        ),
        ["start", "flaky", "done"],
    ),
    Recording(
        "wait-event",
        journey(
            "replay-wait-event",
            [
                node(
                    "wait",
                    "wait_for_event",
                    event="order_completed",
                    filter="has(event.properties.cart) && event.properties.cart == input.cart",
                    timeout="PT1H",
                ),
                node("bought", "log", message="bought {{ input.cart }}"),
                node("gave_up", "log", message="gave up"),
            ],
            [("start", "wait"), ("wait", "bought", "event"), ("wait", "gave_up", "timeout")],
        ),
        ["start", "wait", "bought"],
        {"cart": "c1"},
        drive=send_unmatched_then_matching_order,
    ),
    Recording(
        "wait-timeout",
        journey(
            "replay-wait-timeout",
            [
                node("wait", "wait_for_event", event="order_completed", timeout="PT1S"),
                node("bought", "log", message="bought"),
                node("gave_up", "log", message="gave up"),
            ],
            [("start", "wait"), ("wait", "bought", "event"), ("wait", "gave_up", "timeout")],
        ),
        ["start", "wait", "gave_up"],
    ),
    Recording(
        "join-all",
        journey(
            "replay-join-all",
            [
                node("fork", "parallel"),
                node("nap", "delay", duration="PT1S"),
                node("note", "log", message="branch b"),
                node("both", "join", mode="all"),
                node("done", "end"),
            ],
            [
                ("start", "fork"),
                ("fork", "nap"),
                ("fork", "note"),
                ("nap", "both"),
                ("note", "both"),
                ("both", "done"),
            ],
        ),
        ["start", "fork", "nap", "note", "both", "done"],
    ),
    Recording(
        "join-any",
        journey(
            "replay-join-any",
            [
                node("fork", "parallel"),
                node("long", "delay", duration="PT1H"),
                node("quick", "delay", duration="PT1S"),
                node("first", "join", mode="any"),
                node("done", "end"),
            ],
            [
                ("start", "fork"),
                ("fork", "long"),
                ("fork", "quick"),
                ("long", "first"),
                ("quick", "first"),
                ("first", "done"),
            ],
        ),
        ["start", "fork", "long", "quick", "first", "done"],
    ),
    Recording(
        "loop",
        journey(
            "replay-loop",
            [
                node("each", "loop", foreach="input.items", max_iterations=10),
                node("say", "log", message="item {{ nodes.each.item }}"),
                {
                    "id": "again",
                    "type": "loop",
                    "config": {"while": "!has(user.rounds) || user.rounds < 2.0", "max_iterations": 5},
                },
                node("bump", "update_attributes", increment={"rounds": 1}),
                node("done", "end"),
            ],
            [
                ("start", "each"),
                ("each", "say", "body"),
                ("say", "each"),
                ("each", "again", "done"),
                ("again", "bump", "body"),
                ("bump", "again"),
                ("again", "done", "done"),
            ],
        ),
        ["start", "each", "say", "each", "say", "each", "again", "bump", "again", "bump", "again", "done"],
        {"items": ["x", "y"]},
    ),
    Recording(
        "messages",
        journey(
            "replay-messages",
            [
                node(
                    "mail",
                    "send_email",
                    to="{{ user.id }}@example.test",
                    subject="Hi",
                    text="Hello {{ user.id }}",
                ),
                node("emit", "emit_event", event="greeted", properties={"by": "{{ journey.key }}"}),
                node("done", "end"),
            ],
            [("start", "mail"), ("mail", "emit"), ("emit", "done")],
        ),
        ["start", "mail", "emit", "done"],
    ),
    Recording(
        "subjourney",
        journey(
            "replay-subjourney",
            [
                node("child", "subjourney", journey="replay-child", input={"parent": "{{ run.id }}"}),
                node("detached", "subjourney", journey="replay-child", input={"parent": "x"}, wait=False),
                node("done", "end"),
            ],
            [("start", "child"), ("child", "detached"), ("detached", "done")],
        ),
        ["start", "child", "detached", "done"],
        children=1,
    ),
    Recording(
        "exit-on",
        journey(
            "replay-exit-on",
            [node("nap", "delay", duration="PT1H"), node("after", "log", message="woke")],
            [("start", "nap"), ("nap", "after")],
            exit_on=[{"event": "unsubscribed"}],
        ),
        ["start", "nap"],
        status="exited",
        drive=unsubscribe,
    ),
    Recording(
        "cancel",
        journey(
            "replay-cancel",
            [node("nap", "delay", duration="PT1H"), node("after", "log", message="woke")],
            [("start", "nap"), ("nap", "after")],
        ),
        ["start", "nap"],
        status="cancelled",
        drive=cancel,
    ),
]

LONG_RECORDINGS = [
    Recording(
        "continue-as-new",
        journey(
            "replay-continue-as-new",
            [
                node("each", "loop", foreach="input.items", max_iterations=10),
                node("nap", "delay", duration=0.1),
                node("done", "end"),
            ],
            [("start", "each"), ("each", "nap", "body"), ("nap", "each"), ("each", "done", "done")],
        ),
        ["start", "each", "nap", "each", "nap", "each", "nap", "each", "done"],
        {"items": [1, 2, 3]},
    ),
]
"""Run on a server that suggests continue-as-new after ``CONTINUE_AS_NEW_AFTER`` events."""


async def publish(database: Database, document: Journey) -> None:
    """Publish ``document`` as version 1, as the API would, for subjourneys to find it."""
    content = document.to_document()
    async with database.sessions() as session, session.begin():
        session.add(
            JourneyRow(
                workspace_id=DEFAULT_WORKSPACE,
                key=document.key,
                name=document.name,
                status="active",
                draft=content,
                published_version=1,
            )
        )
        session.add(
            JourneyVersionRow(
                workspace_id=DEFAULT_WORKSPACE, journey_key=document.key, version=1, document=content
            )
        )


async def run_one(client: Client, recording: Recording) -> list[tuple[str, WorkflowHistory]]:
    """Run ``recording``, check how it ended and return the histories of all its workflow runs."""
    properties = recording.properties() if callable(recording.properties) else recording.properties
    handle: Handle = await start_run(
        client,
        task_queue=TASK_QUEUE,
        journey=recording.journey,
        version=1,
        user_id=recording.user_id,
        trigger=manual_trigger(properties),
        run_id=f"replay-{recording.name}",
    )
    if recording.drive is not None:
        await recording.drive(handle)
    result = await asyncio.wait_for(handle.result(), 60)
    if result.status != recording.status or result.path != recording.path:
        raise AssertionError(f"{recording.name} ended {result.status} {result.path} ({result.error})")
    histories: list[tuple[str, WorkflowHistory]] = []
    run_id: str | None = handle.first_execution_run_id
    part = 0
    while run_id is not None:
        history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        part += 1
        histories.append((recording.name if part == 1 else f"{recording.name}-{part}", history))
        run_id = None
        for history_event in history.events:
            if history_event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
                run_id = (
                    history_event.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
                )
    children = [
        e.child_workflow_execution_started_event_attributes.workflow_execution
        for e in histories[0][1].events
        if e.event_type == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED
    ]
    for index, child in enumerate(children[: recording.children], start=1):
        child_handle = client.get_workflow_handle(child.workflow_id, run_id=child.run_id)
        await asyncio.wait_for(child_handle.result(), 30)
        histories.append((f"{recording.name}-child-{index}", await child_handle.fetch_history()))
    return histories


async def record_on_server(
    data_dir: Path, recordings: list[Recording], extra_args: list[str], smtp: SmtpServer
) -> list[tuple[str, WorkflowHistory]]:
    settings = Settings(
        data_dir=data_dir,
        temporal_address=None,
        temporal_namespace="default",
        temporal_port=free_port(),
        temporal_ui_port=free_port(),
        temporal_task_queue=TASK_QUEUE,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_from="journeys@example.test",
    )
    await upgrade(settings.resolved_database_url)
    async with (
        Database.connect(settings.resolved_database_url) as database,
        DevServer(settings, extra_args=extra_args) as server,
    ):
        await publish(database, CHILD)
        client = await connect(settings, server.address)
        async with journey_worker(client, settings, database) as worker:
            task = asyncio.create_task(worker.run())
            try:
                recorded = await asyncio.gather(*(run_one(client, r) for r in recordings))
            finally:
                await worker.shutdown()
                await asyncio.gather(task, return_exceptions=True)
    return [history for histories in recorded for history in histories]


async def record() -> list[Path]:
    with tempfile.TemporaryDirectory() as scratch, HttpReceiver() as receiver, SmtpServer() as smtp:
        os.environ[f"JOURNEY_SECRET_{HOOK_SECRET}"] = receiver.url("")
        receiver.reply("/flaky", Reply(status=500), Reply(status=502), Reply(status=200))
        histories = await record_on_server(Path(scratch) / "main", RECORDINGS, [], smtp)
        long_args = [
            "--dynamic-config-value",
            f"limit.historyCount.suggestContinueAsNew={CONTINUE_AS_NEW_AFTER}",
        ]
        histories += await record_on_server(Path(scratch) / "long", LONG_RECORDINGS, long_args, smtp)
    HISTORIES.mkdir(exist_ok=True)
    for old in HISTORIES.glob("*.json"):
        old.unlink()
    written = []
    for name, history in histories:
        target = HISTORIES / f"{name}.json"
        target.write_text(history_file(history))
        written.append(target)
    return written


def history_file(history: WorkflowHistory) -> str:
    """``{"workflow_id": ..., "history": {"events": [...]}}`` with one event per line, for diffs."""
    events = json.loads(history.to_json())["events"]
    lines = ",\n".join(json.dumps(event, separators=(",", ":")) for event in events)
    return f'{{"workflow_id":{json.dumps(history.workflow_id)},\n"history":{{"events":[\n{lines}\n]}}}}\n'


def main() -> None:
    logging.getLogger("temporalio.activity").setLevel(logging.ERROR)  # the expected retries' tracebacks
    code = 0
    try:
        for path in asyncio.run(record()):
            print(f"{path.stat().st_size:7d} {path}")
    except Exception as error:
        print(f"recording failed: {error!r}", file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
