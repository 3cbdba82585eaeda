"""Reading journey documents (and other JSON or YAML inputs) from files for the CLI.

Every way a file can be unusable ends as one :class:`LoadError` whose message is a single line
that names the file, so the commands print it and exit 2 instead of showing a traceback.
"""

import json
from pathlib import Path
from typing import Any

import yaml

YAML_SUFFIXES = (".yaml", ".yml")


class LoadError(Exception):
    """A file that cannot be read or is neither JSON nor YAML; ``str()`` is the line to print."""


class _JsonLikeLoader(yaml.SafeLoader):
    """Safe YAML that reads dates as strings, so a YAML journey means what its JSON twin means."""


_JsonLikeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path) -> str:
    """The file's text; LoadError when it is missing, a directory, unreadable or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LoadError(f"{path}: cannot read: not UTF-8 text") from None
    except OSError as error:
        raise LoadError(f"{path}: cannot read: {error.strerror or error}") from None


def parse_text(text: str, source: str, *, yaml_allowed: bool = True) -> Any:
    """Parse JSON, or YAML when allowed and the text does not look like JSON.

    Text starting with ``{`` or ``[`` is held to JSON: YAML would accept a trailing comma or a
    missing quote there and hide the mistake.
    """
    if not yaml_allowed or text.lstrip().startswith(("{", "[")):
        return _parse_json(text, source, "not JSON" if not yaml_allowed else "not JSON or YAML")
    return _parse_yaml(text, source)


def load_document(path: Path) -> Any:
    """The JSON value in a ``.json`` file, or the YAML one in a ``.yaml``/``.yml`` file.

    Any other name is read as JSON when it looks like JSON, else as YAML.
    """
    text = read_text(path)
    if path.suffix.lower() in YAML_SUFFIXES:
        return _parse_yaml(text, str(path))
    if path.suffix.lower() == ".json":
        return _parse_json(text, str(path), "not JSON or YAML")
    return parse_text(text, str(path))


def _parse_json(text: str, source: str, label: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise LoadError(f"{source}: {label}: line {error.lineno} column {error.colno}: {error.msg}") from None


def _parse_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_JsonLikeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark is not None else ""
        problem = error.problem or error.context or "invalid YAML"
        raise LoadError(f"{source}: not JSON or YAML: {where}{problem}") from None
    except yaml.YAMLError as error:
        raise LoadError(f"{source}: not JSON or YAML: {str(error).splitlines()[0]}") from None
