"""wait_for_event, the event buffer, duplicate events and exit_on."""

from datetime import timedelta

from journey.dsl.core import CancelTimer, LoadUser, StartTimer
from journey.dsl.core.events import EVENT_BUFFER_SIZE

from .runner import T0, Run, action, chain, edge, event, journey, node

CART = {"cart_id": "c1"}
WAIT = node(
    "wait", "wait_for_event", event="paid", filter="event.properties.cart_id == input.cart_id", timeout="PT4H"
)
WAIT_EDGES = [edge("wait", "thanks", "event"), edge("wait", "nudge", "timeout")]


def _wait_run(*before: dict, settings: dict | None = None, **options: object) -> Run:
    ids = ["start", *(item["id"] for item in before), "wait"]
    definition = journey(
        [*before, WAIT, action("thanks"), action("nudge")], [*chain(*ids), *WAIT_EDGES], settings
    )
    return Run(definition, trigger={"id": "trigger-event", "properties": CART}, **options)


def test_a_matching_event_takes_the_event_branch_and_cancels_the_timeout() -> None:
    run = _wait_run()
    assert run.commands == [StartTimer(id="wait:1", until=T0 + timedelta(hours=4))]
    assert run.state.status == "waiting"
    assert run.step("wait").waiting_until == T0 + timedelta(hours=4)
    paid = event("paid", "e1", cart_id="c1")
    run.receive(paid, after=timedelta(minutes=5))
    assert run.commands[0] == CancelTimer(id="wait:1")
    assert run.state.path == ["start", "wait", "thanks"]
    assert run.state.nodes["wait"] == paid.model_dump(mode="json")
    assert run.step("wait").finished_at == T0 + timedelta(minutes=5)


def test_an_event_that_does_not_match_is_not_taken() -> None:
    run = _wait_run()
    assert run.receive(event("paid", "e1", cart_id="other")) == []
    assert run.receive(event("refunded", "e2", cart_id="c1")) == []
    assert run.state.active_nodes() == ["wait"]
    run.fire("wait")
    assert run.state.path == ["start", "wait", "nudge"]
    assert run.state.nodes["wait"] is None


def test_an_event_that_came_before_the_wait_is_taken_when_the_run_gets_there() -> None:
    run = _wait_run(node("pause", "delay", duration="PT1H"))
    run.receive(event("paid", "early", cart_id="c1"), after=timedelta(minutes=1))
    assert run.state.event_buffer[0].id == "early"
    run.fire("pause")
    assert run.state.path == ["start", "pause", "wait", "thanks"]
    assert run.state.nodes["wait"]["id"] == "early"
    assert run.state.event_buffer == []
    assert not any(isinstance(command, StartTimer) and command.id == "wait:1" for command in run.issued)


def test_the_oldest_matching_buffered_event_is_taken_first() -> None:
    run = _wait_run(node("pause", "delay", duration="PT1H"))
    run.receive(event("paid", "other-cart", cart_id="c2"))
    run.receive(event("paid", "first", cart_id="c1"))
    run.receive(event("paid", "second", cart_id="c1"))
    run.fire("pause")
    assert run.state.nodes["wait"]["id"] == "first"
    assert [item.id for item in run.state.event_buffer] == ["other-cart", "second"]


def test_only_events_some_wait_listens_for_are_buffered_and_only_the_latest() -> None:
    run = _wait_run(node("pause", "delay", duration="PT1H"))
    run.receive(event("page_viewed", "v1"))
    for number in range(EVENT_BUFFER_SIZE + 5):
        run.receive(event("paid", f"p{number}", cart_id="other"))
    buffered = [item.id for item in run.state.event_buffer]
    assert len(buffered) == EVENT_BUFFER_SIZE
    assert buffered[0] == "p5"
    assert buffered[-1] == f"p{EVENT_BUFFER_SIZE + 4}"


def test_duplicate_events_are_ignored() -> None:
    loop = node("again", "loop", **{"while": "true", "max_iterations": 2})
    definition = journey(
        [loop, WAIT, action("thanks"), action("nudge")],
        [
            edge("start", "again"),
            edge("again", "wait", "body"),
            edge("wait", "thanks", "event"),
            edge("wait", "nudge", "timeout"),
            edge("thanks", "again"),
            edge("nudge", "again"),
        ],
    )
    run = Run(definition, trigger={"properties": CART})
    run.receive(event("paid", "once", cart_id="c1"))
    run.complete("thanks")
    assert run.state.active_nodes() == ["wait"]
    assert run.receive(event("paid", "once", cart_id="c1")) == []
    assert run.state.active_nodes() == ["wait"]
    assert run.state.event_buffer == []


def test_the_triggering_event_is_never_taken_by_a_wait() -> None:
    run = _wait_run()
    assert run.receive(event("paid", "trigger-event", cart_id="c1")) == []
    assert run.state.active_nodes() == ["wait"]


def test_a_filter_that_reads_the_user_loads_it_first() -> None:
    wait = node(
        "wait",
        "wait_for_event",
        event="paid",
        filter="event.properties.total > user.threshold",
        timeout="P1D",
    )
    run = Run(
        journey([wait, action("big")], [edge("start", "wait"), edge("wait", "big", "event")]),
        user={"threshold": 1},
    )
    run.receive(event("paid", "e1", total=50))
    assert [type(command) for command in run.commands] == [LoadUser]
    assert run.state.active_nodes() == ["wait"]
    run.receive(event("paid", "e2", total=500))
    assert run.commands == []
    run.load_user({"threshold": 100})
    assert run.state.path == ["start", "wait", "big"]
    assert run.state.nodes["wait"]["id"] == "e2"


def test_a_filter_error_fails_the_run_on_the_wait() -> None:
    run = _wait_run()
    run.receive(event("paid", "e1"))
    assert run.state.status == "failed"
    assert run.step("wait").status == "failed"
    assert run.state.error == "wait: 'event.properties.cart_id == input.cart_id': no such field 'cart_id'"


def test_exit_on_ends_the_run_wherever_it_is() -> None:
    settings = {
        "exit_on": [
            {"event": "unsubscribed"},
            {"event": "paid", "filter": "event.properties.cart_id == 'c1'"},
        ]
    }
    run = _wait_run(node("pause", "delay", duration="P1D"), settings=settings)
    assert run.receive(event("paid", "e1", cart_id="c9")) == []
    run.receive(event("paid", "e2", cart_id="c1"))
    assert run.state.status == "exited"
    assert run.state.reason == "exit_on paid"
    assert run.state.error is None
    assert run.kinds() == ["cancel_timer:pause:1", "finish:exited"]
    assert run.step("pause").status == "cancelled"
    assert run.receive(event("unsubscribed", "e3")) == []


def test_exit_on_is_checked_before_the_waits() -> None:
    run = _wait_run(settings={"exit_on": [{"event": "paid"}]})
    run.receive(event("paid", "e1", cart_id="c1"))
    assert run.state.status == "exited"
    assert run.state.path == ["start", "wait"]
    assert run.step("wait").status == "cancelled"


def test_events_after_a_user_load_wait_keep_their_order() -> None:
    settings = {"exit_on": [{"event": "bye", "filter": "user.leaving"}]}
    run = _wait_run(settings=settings)
    run.receive(event("bye", "e1"))
    assert [type(command) for command in run.commands] == [LoadUser]
    run.receive(event("paid", "e2", cart_id="c1"))
    assert run.state.active_nodes() == ["wait"]
    run.load_user({"leaving": False})
    assert run.state.path == ["start", "wait", "thanks"]
