"""``journey simulate``: the path and rendered actions of a run, and one clear line for bad input."""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from journey.cli.app import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CART = str(EXAMPLES / "abandoned-cart.json")
CART_INPUT = json.dumps({"cart_id": "c1", "total": 120, "items": [{"sku": "mug"}, {"sku": "tea"}]})
VIP = json.dumps({"id": "u1", "email": "ada@example.com", "first_name": "Ada", "lifetime_value": 900})


def test_prints_status_path_and_rendered_actions(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["simulate", CART, "--input", CART_INPUT, "--user", VIP, "--start", "2026-01-05T10:00:00Z"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "status  completed"
    assert lines[1] == "path    start -> wait_order -> is_vip -> vip_mail -> reminded"
    assert lines[2] == "clock   2026-01-05 10:00 UTC to 2026-01-05 14:00 UTC (+4h)"
    assert "│ +4h " in result.stdout
    assert "vip_mail" in result.stdout
    assert "to: ada@example.com" in result.stdout
    assert "Your 2 items are waiting" in result.stdout


def test_json_result_with_events_from_a_file(runner: CliRunner, write_json: Any) -> None:
    events = write_json(
        "events.json", [{"after": "PT1H", "name": "order_completed", "properties": {"cart_id": "c1"}}]
    )
    result = runner.invoke(
        app, ["simulate", CART, "--input", CART_INPUT, "--user", VIP, "--events", str(events), "--json"]
    )
    assert result.exit_code == 0, result.output
    simulated = json.loads(result.stdout)
    assert simulated["status"] == "completed"
    assert simulated["path"] == ["start", "wait_order", "ordered"]
    assert simulated["actions"] == []
    assert simulated["nodes"]["wait_order"]["properties"] == {"cart_id": "c1"}


def test_quiet_hours_show_in_the_time_offset(runner: CliRunner) -> None:
    """The reminder falls due at 23:00 UTC, inside quiet hours: it goes at 08:00, 13 h in."""
    result = runner.invoke(
        app,
        ["simulate", CART, "--input", CART_INPUT, "--user", VIP, "--start", "2026-01-05T19:00:00", "--json"],
    )
    assert result.exit_code == 0, result.output
    [action] = json.loads(result.stdout)["actions"]
    assert action["node_id"] == "vip_mail"
    assert action["type"] == "send_email"
    assert action["at"] == "2026-01-06T08:00:00Z"
    assert action["params"]["subject"] == "Your 2 items are waiting, with 10% off"


def test_inputs_and_outputs_from_files(runner: CliRunner, write_json: Any) -> None:
    order = write_json("order.json", {"order_id": "o-1", "total": 10})
    outputs = write_json("outputs.json", {"reserve_stock": {"status": 409, "headers": {}, "body": None}})
    result = runner.invoke(
        app,
        [
            "simulate",
            str(EXAMPLES / "order-fanout.json"),
            "--input",
            f"@{order}",
            "--outputs",
            f"@{outputs}",
            "--user",
            VIP,
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["path"][-3:] == ["backorder", "apologise", "done"]


def test_a_failed_run_says_why(runner: CliRunner) -> None:
    result = runner.invoke(app, ["simulate", CART, "--input", CART_INPUT, "--user", '{"id": "u1"}'])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("status  failed  (")
    assert "email" in result.stdout.splitlines()[0]


def test_an_invalid_journey_prints_its_issues_and_exits_1(runner: CliRunner, write_json: Any) -> None:
    path = write_json("bad.json", {"key": "bad", "name": "Bad", "nodes": []})
    result = runner.invoke(app, ["simulate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}: -: no_trigger: ")


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--input", "{cart", "--input: not JSON: line 1 column 2: Expecting property name enclosed in"),
        ("--user", "[1]", "--user: must be a JSON object, not an array"),
        ("--input", "@missing.json", "--input: missing.json: cannot read: No such file or directory"),
        ("--events", "events.json", "events.json: event 1: name: Field required"),
        ("--events", "none.yaml", "none.yaml: cannot read: No such file or directory"),
        ("--start", "yesterday", "--start: 'yesterday' is not an ISO 8601 date or datetime"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(
    runner: CliRunner,
    write_json: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    option: str,
    value: str,
    expected: str,
) -> None:
    write_json("events.json", [{"after": "PT1H"}])
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["simulate", CART, option, value])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(expected)
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_an_unreadable_journey_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["simulate", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'nope.json'}: cannot read: No such file or directory\n"
