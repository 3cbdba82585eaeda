"""``journey validate``: one line per issue, and exit codes that tell a broken file from a broken journey."""

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from journey.cli.app import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

BROKEN = {
    "key": "broken",
    "name": "Broken",
    "nodes": [
        {"id": "start", "type": "trigger", "config": {"kind": "manual"}},
        {"id": "vip", "type": "condition", "config": {"expression": "user.ltv >"}},
        {"id": "done", "type": "end"},
    ],
    "edges": [
        {"id": "e1", "source": "start", "target": "vip"},
        {"id": "e2", "source": "vip", "target": "done", "branch": "true"},
        {"id": "e3", "source": "vip", "target": "done", "branch": "false"},
    ],
}
OPEN_ENDED = {
    "key": "open-ended",
    "name": "Open ended",
    "nodes": [
        {"id": "start", "type": "trigger", "config": {"kind": "manual"}},
        {"id": "note", "type": "log", "config": {"message": "hello {{ user.id }}"}},
    ],
    "edges": [{"id": "e1", "source": "start", "target": "note"}],
}


def test_valid_examples_pass(runner: CliRunner) -> None:
    files = sorted(str(path) for path in EXAMPLES.glob("*.json"))
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{file}: valid" for file in files]


def test_errors_are_one_line_each_and_exit_1(runner: CliRunner, write_json: Any) -> None:
    path = write_json("broken.json", BROKEN)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}: vip: invalid_expression: ")
    assert "column" in lines[0]


def test_warnings_alone_exit_0(runner: CliRunner, write_json: Any) -> None:
    path = write_json("open.json", OPEN_ENDED)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{path}: note: path_without_end: ")


def test_issues_without_a_node_show_a_dash(runner: CliRunner, write_json: Any) -> None:
    path = write_json("no-trigger.json", {"key": "x", "name": "X", "nodes": []})
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}: -: no_trigger: " in result.stdout


def test_json_report(runner: CliRunner, write_json: Any) -> None:
    broken = write_json("broken.json", BROKEN)
    valid = EXAMPLES / "abandoned-cart.json"
    result = runner.invoke(app, ["validate", "--json", str(valid), str(broken)])
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert reports[0] == {"file": str(valid), "valid": True, "issues": []}
    assert reports[1]["file"] == str(broken)
    assert reports[1]["valid"] is False
    [found] = reports[1]["issues"]
    assert found["code"] == "invalid_expression"
    assert found["severity"] == "error"
    assert found["node_id"] == "vip"
    assert found["path"] == "/nodes/1/config/expression"


def test_yaml_documents_are_checked_too(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(
        "key: hello\nname: Hello\nnodes:\n"
        "  - {id: start, type: trigger, config: {kind: manual}}\n"
        "  - {id: done, type: end}\n"
        "edges:\n  - {id: e1, source: start, target: done}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: valid\n"


def test_unusable_files_are_one_line_and_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{\n  "key": "x",\n  "name": \n}', encoding="utf-8")
    missing = tmp_path / "missing.json"
    valid = EXAMPLES / "welcome-series.json"
    result = runner.invoke(app, ["validate", str(bad_json), str(missing), str(valid)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{bad_json}: not JSON or YAML: line 4 column 1: Expecting value",
        f"{missing}: cannot read: No such file or directory",
    ]
    assert result.stdout == f"{valid}: valid\n"


def test_unusable_file_in_the_json_report(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    result = runner.invoke(app, ["validate", "--json", str(missing)])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [
        {
            "file": str(missing),
            "valid": False,
            "issues": [],
            "error": f"{missing}: cannot read: No such file or directory",
        }
    ]


def test_not_an_object_is_an_issue_not_a_crash(runner: CliRunner, write_json: Any) -> None:
    path = write_json("list.json", [1, 2])
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}: -: invalid_document: ")
