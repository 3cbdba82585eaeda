"""delay: a duration, until a datetime (literal or template), or until a local time of day."""

from datetime import UTC, datetime, timedelta

from journey.dsl.core import LoadUser, RenderTemplates, StartTimer, TemplatesFailed, TemplatesRendered

from .runner import T0, Run, action, chain, journey, node


def _delay_run(**config: object) -> Run:
    return Run(journey([node("pause", "delay", **config), action("after")], chain("start", "pause", "after")))


def test_a_duration_sleeps_then_goes_on() -> None:
    run = _delay_run(duration="P3D")
    assert run.commands == [StartTimer(id="pause:1", until=T0 + timedelta(days=3))]
    assert run.state.status == "waiting"
    assert run.step("pause").status == "waiting"
    assert run.step("pause").waiting_until == T0 + timedelta(days=3)
    run.fire("pause")
    assert run.step("pause").status == "completed"
    assert run.step("pause").finished_at == T0 + timedelta(days=3)
    assert run.state.path == ["start", "pause", "after"]
    assert run.state.status == "running"


def test_a_literal_until_with_an_offset() -> None:
    run = _delay_run(until="2026-04-01T10:00:00+02:00", offset="-P1D")
    assert run.commands == [StartTimer(id="pause:1", until=datetime(2026, 3, 31, 8, 0, tzinfo=UTC))]


def test_an_until_without_a_zone_is_utc() -> None:
    run = _delay_run(until="2026-03-05")
    assert run.commands == [StartTimer(id="pause:1", until=datetime(2026, 3, 5, tzinfo=UTC))]


def test_an_until_in_the_past_goes_on_at_once() -> None:
    run = _delay_run(until="2020-01-01T00:00:00Z")
    assert run.state.path == ["start", "pause", "after"]
    assert run.step("pause").status == "completed"
    assert not any(isinstance(command, StartTimer) for command in run.issued)


def test_a_templated_until_is_rendered_by_the_driver() -> None:
    run = _delay_run(until="{{ input.renewal }}", offset="-P3D")
    render = run.last(RenderTemplates)
    assert render.id == "pause:1:render"
    assert render.templates == {"until": "{{ input.renewal }}"}
    assert render.context["now"] == T0.isoformat()
    assert run.state.status == "running"
    run.send(TemplatesRendered(id=render.id, at=T0, values={"until": "2026-06-10T09:00:00Z"}))
    assert run.commands == [StartTimer(id="pause:1", until=datetime(2026, 6, 7, 9, tzinfo=UTC))]


def test_a_template_that_fails_fails_the_run() -> None:
    run = _delay_run(until="{{ user.renewal }}")
    run.load_user({})
    run.send(
        TemplatesFailed(
            id=run.last(RenderTemplates).id, at=T0, error="'dict object' has no attribute 'renewal'"
        )
    )
    assert run.state.status == "failed"
    assert run.state.error == "pause: 'dict object' has no attribute 'renewal'"


def test_a_rendered_value_that_is_no_datetime_fails_the_run() -> None:
    run = _delay_run(until="{{ input.when }}")
    run.send(TemplatesRendered(id="pause:1:render", at=T0, values={"until": "soon"}))
    assert run.state.status == "failed"
    assert run.state.error == "pause: until gave 'soon', not an ISO 8601 datetime"


def test_time_of_day_is_the_next_local_time_strictly_after_now() -> None:
    run = _delay_run(time_of_day="09:00", timezone="UTC")
    assert run.last(StartTimer).until == T0 + timedelta(days=1)
    run = _delay_run(time_of_day="10:30", timezone="Europe/Paris")
    assert run.last(StartTimer).until == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_time_of_day_is_dst_correct() -> None:
    # Europe/Paris moves to summer time on Sunday 2026-03-29: 09:00 local is 08:00 UTC before
    # and 07:00 UTC after.
    saturday = datetime(2026, 3, 28, 12, tzinfo=UTC)
    definition = journey(
        [node("pause", "delay", time_of_day="09:00", timezone="Europe/Paris")], chain("start", "pause")
    )
    run = Run(definition, at=saturday)
    assert run.last(StartTimer).until == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_time_of_day_on_weekdays_only() -> None:
    friday_evening = datetime(2026, 3, 6, 18, tzinfo=UTC)
    config = {"time_of_day": "09:00", "weekdays": ["mon"], "timezone": "America/New_York"}
    run = Run(journey([node("pause", "delay", **config)], chain("start", "pause")), at=friday_evening)
    # New York moves to daylight time on Sunday 2026-03-08: Monday 09:00 EDT is 13:00 UTC.
    assert run.last(StartTimer).until == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)


def test_a_templated_time_zone_uses_the_user() -> None:
    config = {"time_of_day": "09:00", "timezone": "{{ user.timezone }}"}
    run = Run(journey([node("pause", "delay", **config)], chain("start", "pause")))
    assert [type(command) for command in run.commands] == [LoadUser]
    run.load_user({"timezone": "Asia/Tokyo"})
    render = run.last(RenderTemplates)
    assert render.templates == {"timezone": "{{ user.timezone }}"}
    assert render.context["user"] == {"timezone": "Asia/Tokyo", "id": "u1"}
    run.send(TemplatesRendered(id=render.id, at=T0, values={"timezone": " Asia/Tokyo "}))
    assert run.last(StartTimer).until == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)


def test_an_unknown_time_zone_fails_the_run() -> None:
    run = _delay_run(time_of_day="09:00", timezone="Mars/Olympus")
    assert run.state.status == "failed"
    assert run.state.error is not None
    assert "unknown time zone 'Mars/Olympus'" in run.state.error
