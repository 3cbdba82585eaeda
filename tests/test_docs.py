"""``docs/dsl.md`` carries the generated node reference of the registry as it is now."""

import json
from pathlib import Path

import pytest

from journey import docs_gen
from journey.dsl import NODE_TYPES
from journey.dsl.issues import CODES
from journey.dsl.validate import validate


def test_committed_reference_is_up_to_date() -> None:
    text = docs_gen.DSL_DOC.read_text(encoding="utf-8")
    assert docs_gen.replace_sections(text, docs_gen.generated_sections()) == text, (
        "docs/dsl.md is stale: run `python -m journey.docs_gen`"
    )


def test_reference_documents_every_node_type_and_field() -> None:
    reference = docs_gen.node_reference()
    for node_type in NODE_TYPES:
        assert f"#### `{node_type.type}`: {node_type.title}" in reference
    assert "| `max_iterations` | integer, 1 to 10000 | required |" in reference
    assert '| `method` | one of `"GET"`, `"POST"`, `"PUT"`, `"PATCH"`, `"DELETE"` | `"POST"` |' in reference
    assert "| `cases[].expression` | CEL | required |" in reference
    assert "| `from` | template | none | Sender; defaults to JOURNEY_SMTP_FROM |" in reference
    assert '`kind: "schedule"`: One run per cron tick' in reference
    assert "Branches: one per `cases[].id`, then `default`." in reference


def test_cells_cannot_break_the_table_or_hide_as_html() -> None:
    reference = docs_gen.node_reference()
    assert "{{ user.timezone \\| default('UTC') }}" in reference
    assert "nodes.&lt;loop_id&gt;.item" in reference


def test_codes_table_is_sorted_escaped_and_shows_severity() -> None:
    table = docs_gen.codes_reference({"b_code": "second", "a_code": "x | y"}, warnings={"b_code"})
    assert table.splitlines()[2:] == ["| `a_code` | error | x \\| y |", "| `b_code` | warning | second |"]


def test_every_validation_code_is_documented() -> None:
    text = docs_gen.DSL_DOC.read_text(encoding="utf-8")
    assert all(f"| `{code}` |" in text for code in CODES)
    assert "| `path_without_end` | warning |" in text


def test_only_the_generated_sections_change() -> None:
    text = "intro\n<!-- generated:nodes -->\nold\n<!-- /generated:nodes -->\noutro\n"
    updated = docs_gen.replace_sections(text, {"nodes": "new"})
    assert updated == "intro\n<!-- generated:nodes -->\n\nnew\n\n<!-- /generated:nodes -->\noutro\n"
    assert docs_gen.replace_sections(updated, {"nodes": "new"}) == updated


def test_a_missing_section_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="no <!-- generated:nodes -->"):
        docs_gen.replace_sections("no markers here", {"nodes": "new"})
    document = tmp_path / "dsl.md"
    document.write_text("no markers here", encoding="utf-8")
    assert docs_gen.main([str(document)]) == 1
    assert "no <!-- generated:nodes -->" in capsys.readouterr().err


def test_main_rewrites_a_stale_file_in_place(tmp_path: Path) -> None:
    document = tmp_path / "dsl.md"
    stale = (
        "# DSL\n<!-- generated:nodes -->\nstale\n<!-- /generated:nodes -->\n"
        "<!-- generated:codes -->\n<!-- /generated:codes -->\n"
    )
    document.write_text(stale, encoding="utf-8")
    assert docs_gen.main([str(document)]) == 0
    updated = document.read_text(encoding="utf-8")
    assert "#### `webhook`: Webhook" in updated
    assert "| `no_trigger` | error |" in updated
    assert "stale" not in updated


def test_the_first_journey_in_the_docs_is_valid() -> None:
    text = docs_gen.DSL_DOC.read_text(encoding="utf-8")
    snippet = text.split("```json\n", 1)[1].split("```", 1)[0]
    assert validate(json.loads(snippet)) == []
