"""Action nodes: what RunAction carries, and how completion, failure and deferral move the run."""

from datetime import timedelta

import pytest

from journey.dsl.core import (
    ActionCompleted,
    ActionDeferred,
    ActionFailed,
    CancelAction,
    CancelTimer,
    CoreError,
    LoadUser,
    RunAction,
    StartTimer,
    TimerFired,
)

from .runner import T0, Run, action, chain, edge, journey, node

QUIET = {"start": "21:00", "end": "08:00", "timezone": "{{ user.timezone }}"}


def test_run_action_carries_config_context_key_retry_and_timeout() -> None:
    mail = action(
        "mail",
        "send_email",
        config={"to": "{{ user.email }}", "subject": "Hi", "text": "x", "from": "a@b.c"},
        retry={"max_attempts": 5},
        timeout="PT30S",
    )
    run = Run(journey([mail], chain("start", "mail")), trigger={"properties": {"cart": "c1"}})
    command = run.last(RunAction)
    assert command.id == "mail:1"
    assert command.node_type == "send_email"
    assert command.config == {"to": "{{ user.email }}", "subject": "Hi", "text": "x", "from": "a@b.c"}
    assert command.context["input"] == {"cart": "c1"}
    assert command.context["now"] == T0.isoformat()
    assert command.context["run"] == {"id": "run-1"}
    assert command.context["journey"] == {"key": "test", "version": 1}
    assert command.idempotency_key == "run-1:mail:1"
    assert command.retry.max_attempts == 5
    assert command.timeout == timedelta(seconds=30)
    assert command.quiet_hours is None
    assert run.state.status == "running"
    assert run.state.active_nodes() == ["mail"]


def test_completion_records_output_and_attempts_and_goes_on() -> None:
    run = Run(journey([action("a"), action("b")], chain("start", "a", "b")))
    run.send(ActionCompleted(id="a:1", at=T0, output={"sent": True}, attempts=2))
    assert run.state.nodes["a"] == {"sent": True}
    assert run.step("a").status == "completed"
    assert run.step("a").attempts == 2
    assert run.last(RunAction, "b").context["nodes"]["a"] == {"sent": True}
    run.complete("b")
    assert run.state.status == "completed"
    assert run.state.path == ["start", "a", "b"]
    assert run.kinds() == ["finish:completed"]


def test_a_failed_action_fails_the_run_and_cancels_the_rest() -> None:
    nodes = [node("fork", "parallel"), action("a"), node("wait", "delay", duration="P1D")]
    run = Run(journey(nodes, [edge("start", "fork"), edge("fork", "a"), edge("fork", "wait")]))
    run.send(ActionFailed(id="a:1", at=T0, error="SMTP said no", attempts=3))
    assert run.state.status == "failed"
    assert run.state.error == "a: SMTP said no"
    assert run.step("a").status == "failed"
    assert run.step("a").attempts == 3
    assert run.step("wait").status == "cancelled"
    assert run.kinds() == ["cancel_timer:wait:1", "finish:failed"]
    assert run.state.active_nodes() == []


def test_on_error_continue_records_the_error_and_goes_on() -> None:
    hook = action("hook", "webhook", config={"url": "https://x.test"}, on_error="continue")
    check = node("check", "condition", expression="has(nodes.hook.error)")
    edges = [*chain("start", "hook", "check"), edge("check", "yes", "true")]
    run = Run(journey([hook, check, action("yes")], edges))
    run.send(ActionFailed(id="hook:1", at=T0, error="HTTP 500"))
    assert run.step("hook").status == "failed"
    assert run.step("hook").output == {"error": "HTTP 500"}
    assert run.state.nodes["hook"] == {"error": "HTTP 500"}
    assert run.state.path == ["start", "hook", "check", "yes"]
    assert run.state.status == "running"


def test_quiet_hours_go_with_messages_only() -> None:
    hook = action("hook", "webhook", config={"url": "https://x.test"})
    message = action("message", "webhook", config={"url": "https://x.test", "message": True})
    mail = action("mail", "send_email", config={"to": "a@b.c", "subject": "s", "text": "t"})
    definition = journey(
        [hook, message, mail], chain("start", "hook", "message", "mail"), {"quiet_hours": QUIET}
    )
    run = Run(definition)
    assert run.last(RunAction, "hook").quiet_hours is None
    run.complete("hook")
    assert run.last(RunAction, "message").quiet_hours is not None
    run.complete("message")
    quiet = run.last(RunAction, "mail").quiet_hours
    assert quiet is not None
    assert (quiet.start, quiet.end, quiet.timezone) == ("21:00", "08:00", "{{ user.timezone }}")


def test_a_deferred_message_waits_then_is_sent_again_with_the_same_key() -> None:
    mail = action("mail", "send_email", config={"to": "a@b.c", "subject": "s", "text": "t"})
    run = Run(journey([mail], chain("start", "mail"), {"quiet_hours": QUIET}))
    until = T0 + timedelta(hours=10)
    run.send(ActionDeferred(id="mail:1", at=T0, until=until))
    assert run.commands == [StartTimer(id="mail:1:quiet-1", until=until)]
    assert run.step("mail").status == "waiting"
    assert run.step("mail").waiting_until == until
    assert run.state.status == "waiting"
    run.send(TimerFired(id="mail:1:quiet-1", at=until))
    again = run.last(RunAction)
    assert again.id == "mail:1:resend-1"
    assert again.idempotency_key == "run-1:mail:1"
    assert run.step("mail").status == "running"
    assert run.step("mail").waiting_until == until
    run.complete("mail", {"message_id": "m"}, after=timedelta(seconds=1))
    assert run.state.status == "completed"
    assert run.step("mail").output == {"message_id": "m"}


def test_update_attributes_is_visible_to_a_later_condition_without_a_reload() -> None:
    update = action("update", "update_attributes", config={"set": {"tier": "gold"}, "unset": ["trial"]})
    check = node("check", "condition", expression="user.tier == 'gold' && !has(user.trial)")
    edges = [
        *chain("start", "update", "check"),
        edge("check", "gold", "true"),
        edge("check", "other", "false"),
    ]
    run = Run(
        journey([update, check, action("gold"), action("other")], edges), user={"tier": "free", "trial": True}
    )
    run.complete("update", {"attributes": {"tier": "gold"}, "removed": ["trial"]})
    assert not any(isinstance(command, LoadUser) for command in run.issued)
    assert run.state.path[-1] == "gold"


def test_other_actions_make_the_user_stale() -> None:
    check = node("check", "condition", expression="user.vip")
    run = Run(journey([action("a"), check], chain("start", "a", "check")), user={"vip": False})
    run.complete("a")
    assert [type(command) for command in run.commands] == [LoadUser]
    assert run.state.user_id == "u1"
    run.load_user({"vip": True})
    assert run.state.nodes["check"] == {"result": True}


def test_a_late_answer_to_a_cancelled_action_is_ignored() -> None:
    nodes = [
        node("fork", "parallel"),
        action("slow"),
        node("pause", "delay", duration="PT1M"),
        node("join", "join", mode="any"),
    ]
    edges = [
        edge("start", "fork"),
        edge("fork", "slow"),
        edge("fork", "pause"),
        edge("slow", "join"),
        edge("pause", "join"),
    ]
    run = Run(journey(nodes, edges))
    run.fire("pause")
    assert CancelAction(id="slow:1") in run.commands
    before = run.state.model_dump_json()
    assert run.complete("slow", {"late": True}) == []
    assert run.state.model_dump_json() == before


def test_wrong_kind_of_answer_is_a_driver_bug() -> None:
    run = Run(journey([action("a")], chain("start", "a")))
    with pytest.raises(CoreError, match="timer answer came for command 'a:1'"):
        run.send(TimerFired(id="a:1", at=T0))


def test_cancel_timer_is_issued_for_the_max_duration_timer_at_the_end() -> None:
    run = Run(journey([action("a")], chain("start", "a"), {"max_duration": "P1D"}))
    assert run.issued[0] == StartTimer(id="@max-duration", until=T0 + timedelta(days=1))
    run.complete("a")
    assert run.commands == [CancelTimer(id="@max-duration"), run.finish()]
