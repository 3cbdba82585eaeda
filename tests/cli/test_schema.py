"""``journey schema`` and ``journey node-types``: what the registry says, printed."""

import json

from typer.testing import CliRunner

from journey.cli.app import app
from journey.dsl import NODE_TYPES
from journey.dsl.schema import journey_schema, node_config_schema


def test_schema_prints_the_document_schema(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == journey_schema()


def test_schema_of_one_node_type(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "--node", "wait_for_event"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema == node_config_schema("wait_for_event")
    assert schema["required"] == ["event", "timeout"]


def test_an_unknown_node_type_is_one_line_and_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "--node", "sms"])
    assert result.exit_code == 2
    assert result.stderr.startswith("--node: unknown node type 'sms'; known: ")
    assert "send_email" in result.stderr
    assert result.stdout == ""


def test_node_types_lists_every_type_with_its_branches(runner: CliRunner) -> None:
    result = runner.invoke(app, ["node-types"])
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("│ ")}
    assert set(NODE_TYPES.names()) <= rows.keys()
    assert "event, timeout" in rows["wait_for_event"]
    assert "each cases[].id" in rows["switch"]
    assert (
        result.stdout.index("│ trigger ")
        < result.stdout.index("│ webhook ")
        < result.stdout.index("│ condition ")
    )
