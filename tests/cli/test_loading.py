"""Reading documents: JSON and YAML mean the same, and every unusable file is one line."""

from pathlib import Path

import pytest

from journey.cli.loading import LoadError, load_document, parse_text


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_and_json_give_the_same_document(tmp_path: Path) -> None:
    as_json = _write(tmp_path, "j.json", '{"key": "demo", "until": "2026-01-05", "n": [1, 2.5, true, null]}')
    as_yaml = _write(tmp_path, "j.yaml", "key: demo\nuntil: 2026-01-05\nn: [1, 2.5, true, null]\n")
    assert load_document(as_yaml) == load_document(as_json)


def test_other_suffixes_are_read_by_their_look(tmp_path: Path) -> None:
    assert load_document(_write(tmp_path, "a.txt", '{"a": 1}')) == {"a": 1}
    assert load_document(_write(tmp_path, "b", "a: 1\n")) == {"a": 1}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bad.json", '{\n  "key": "x",\n}', "not JSON or YAML: line 3 column 1: Expecting property name"),
        ("bad.yaml", "key: [x\nname: y\n", "not JSON or YAML: line 2 column 5: expected ',' or ']'"),
        ("bad.txt", '{"key": ', "not JSON or YAML: line 1 column 9: Expecting value"),
    ],
)
def test_a_syntax_error_is_one_line_with_its_position(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(LoadError) as raised:
        load_document(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {expected}")
    assert "\n" not in message


def test_a_json_file_is_held_to_json(tmp_path: Path) -> None:
    """YAML would accept the trailing comma; a .json file must not silently pass with it."""
    with pytest.raises(LoadError, match="not JSON or YAML"):
        load_document(_write(tmp_path, "trailing.json", '{"a": 1,}'))


def test_unreadable_files_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"missing\.json: cannot read: No such file or directory$"):
        load_document(tmp_path / "missing.json")
    with pytest.raises(LoadError, match=r": cannot read: Is a directory$"):
        load_document(tmp_path)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(LoadError, match=r"binary\.json: cannot read: not UTF-8 text$"):
        load_document(binary)


def test_option_values_can_be_held_to_json() -> None:
    assert parse_text('{"total": 12}', "--input", yaml_allowed=False) == {"total": 12}
    with pytest.raises(LoadError, match=r"^--input: not JSON: line 1 column 1: Expecting value$"):
        parse_text("total: 12", "--input", yaml_allowed=False)
