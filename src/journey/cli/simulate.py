"""``journey simulate FILE``: run a journey on a virtual clock and show what it would do.

Nothing is sent: the same interpreter core as the engine runs, and each action is shown with
its parameters rendered, at its time offset from the start. Exit 1 when the journey is
invalid (its issues are printed as ``journey validate`` prints them), 2 when an input cannot
be used.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from journey.cli.loading import LoadError, load_document, parse_text
from journey.cli.output import EXIT_PROBLEMS, fail, print_json, stdout
from journey.cli.validate import print_issues

if TYPE_CHECKING:
    from journey.dsl.simulate import SimulationResult

_STATUS_STYLES = {"completed": "bold green", "failed": "bold red"}


def simulate_command(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The journey document, JSON or YAML.", show_default=False)
    ],
    input_json: Annotated[
        str,
        typer.Option(
            "--input", metavar="JSON", help="The trigger's properties as JSON, or @FILE to read them."
        ),
    ] = "{}",
    user_json: Annotated[
        str,
        typer.Option("--user", metavar="JSON", help='The user: {"id": ..., <attributes>}, or @FILE.'),
    ] = '{"id": "user-1"}',
    events_file: Annotated[
        Path | None,
        typer.Option(
            "--events",
            metavar="FILE",
            help='JSON or YAML list of {"after": "PT2H", "name": ..., "properties": {...}}.',
        ),
    ] = None,
    outputs_json: Annotated[
        str,
        typer.Option(
            "--outputs",
            metavar="JSON",
            help='What actions answer, by node id, e.g. {"reserve_stock": {"status": 409}}, or @FILE.',
        ),
    ] = "{}",
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            metavar="DATETIME",
            help="Start of the virtual clock, ISO 8601 (UTC unless it has an offset); default now.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole result as JSON.")] = False,
) -> None:
    """Run a journey on a virtual clock, without side effects, and show its path and actions."""
    from journey.dsl.simulate import simulate
    from journey.dsl.validate import DocumentInvalid, parse

    input_value = _json_object(input_json, "--input")
    user = _json_object(user_json, "--user")
    outputs = _json_object(outputs_json, "--outputs")
    events = _events(events_file) if events_file is not None else []
    try:
        document = load_document(file)
    except LoadError as error:
        fail(str(error))
    try:
        journey = parse(document)
    except DocumentInvalid as invalid:
        print_issues(str(file), invalid.issues)
        raise typer.Exit(EXIT_PROBLEMS) from None
    started = _start(start) if start is not None else datetime.now(UTC)
    result = simulate(journey, input_value, user, events=events, outputs=outputs, start=started)
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        _print_result(result)


def _json_object(value: str, option: str) -> dict[str, Any]:
    """An option's JSON object, given inline or as ``@FILE``."""
    from journey.dsl.json_types import json_type

    try:
        if value.startswith("@"):
            parsed = load_document(Path(value[1:]))
        else:
            parsed = parse_text(value, option, yaml_allowed=False)
    except LoadError as error:
        fail(f"{option}: {error}" if value.startswith("@") else str(error))
    if not isinstance(parsed, dict):
        fail(f"{option}: must be a JSON object, not {json_type(parsed)}")
    return parsed


def _events(path: Path) -> list[dict[str, Any]]:
    """The scripted events, checked here so a bad one is one line naming it, not a traceback."""
    from pydantic import ValidationError

    from journey.dsl.json_types import json_type
    from journey.dsl.simulate import ScriptedEvent

    try:
        events = load_document(path)
    except LoadError as error:
        fail(str(error))
    if not isinstance(events, list):
        fail(f"{path}: must be a list of events, not {json_type(events)}")
    for number, event in enumerate(events, start=1):
        try:
            ScriptedEvent.model_validate(event)
        except ValidationError as error:
            detail = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in detail["loc"])
            fail(f"{path}: event {number}: {where + ': ' if where else ''}{detail['msg']}")
    return events


def _start(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--start: {value!r} is not an ISO 8601 date or datetime, such as 2026-01-05T09:00:00Z")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _print_result(result: SimulationResult) -> None:
    status = Text("status  ")
    status.append(result.status, style=_STATUS_STYLES.get(result.status, "bold yellow"))
    if result.error or result.reason:
        status.append(f"  ({result.error or result.reason})")
    stdout.print(status)
    stdout.print(Text(f"path    {' -> '.join(result.path)}"))
    elapsed = _offset(result.ended_at - result.started_at)
    stdout.print(Text(f"clock   {_moment(result.started_at)} to {_moment(result.ended_at)} ({elapsed})"))
    if not result.actions:
        stdout.print("actions none")
        return
    table = Table("at", "node", "type", "params", title="Actions", title_justify="left", show_lines=True)
    for action in result.actions:
        table.add_row(
            _offset(action.at - result.started_at), action.node_id, action.type, _params(action.params)
        )
    stdout.print(table)


def _offset(elapsed: timedelta) -> str:
    """``+2d 13h 30m``: how far into the run, to the minute (seconds only when under one)."""
    seconds = int(elapsed.total_seconds())
    if seconds < 60:
        return f"+{seconds}s"
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    parts = [f"{value}{unit}" for value, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if value]
    return "+" + " ".join(parts)


def _moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _params(params: Any) -> Text:
    """One ``name: value`` line per parameter; empty ones are left out."""
    if not isinstance(params, dict):
        return Text(str(params))
    lines = [f"{name}: {_value(value)}" for name, value in params.items() if value not in (None, {}, [], "")]
    return Text("\n".join(lines))


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
