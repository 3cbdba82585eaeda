"""Generates the node reference and the validation codes of ``docs/dsl.md``, so the docs cannot drift.

The node reference reads the registry and the config schemas that ``GET /api/v1/node-types``
serves; the codes come from ``journey.dsl.issues.CODES``. Each section lives between
``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->`` markers; everything outside them is
written by hand. ``python -m journey.docs_gen`` rewrites the sections in place and
``tests/test_docs.py`` fails while the committed ones are stale.
"""

import json
import re
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from journey.dsl import NODE_TYPES, NodeCategory, NodeType
from journey.dsl.issues import CODES, WARNING_CODES
from journey.dsl.registry import Branches
from journey.dsl.schema import node_config_schema

DSL_DOC = Path(__file__).resolve().parents[2] / "docs" / "dsl.md"

_CATEGORY_HEADINGS = {
    NodeCategory.TRIGGER: "Triggers",
    NodeCategory.ACTION: "Actions",
    NodeCategory.FLOW: "Flow",
}
_WIDGETS = {
    "cel": "CEL",
    "template": "template",
    "templated-json": "JSON, strings are templates",
    "duration": "duration",
}


def node_reference() -> str:
    """Markdown for every registered node type, grouped by category in the palette's order."""
    parts: list[str] = []
    for category, heading in _CATEGORY_HEADINGS.items():
        node_types = [node_type for node_type in NODE_TYPES if node_type.category == category]
        if node_types:
            parts.append(f"### {heading}")
            parts.extend(_node_section(node_type) for node_type in node_types)
    return "\n\n".join(parts)


def codes_reference(codes: Mapping[str, str], warnings: Collection[str]) -> str:
    """Markdown table of the validation issue codes, their severity and what each one means."""
    rows = [
        f"| `{code}` | {'warning' if code in warnings else 'error'} | {_cell(explanation)} |"
        for code, explanation in sorted(codes.items())
    ]
    return "\n".join(["| code | severity | meaning |", "| --- | --- | --- |", *rows])


def generated_sections() -> dict[str, str]:
    """Every generated section of ``docs/dsl.md`` by marker name."""
    return {"nodes": node_reference(), "codes": codes_reference(CODES, WARNING_CODES)}


def replace_sections(text: str, sections: Mapping[str, str]) -> str:
    """``text`` with the body of each ``<!-- generated:NAME -->`` section replaced."""
    for name, body in sections.items():
        pattern = re.compile(
            rf"(<!-- generated:{re.escape(name)} -->\n).*?(<!-- /generated:{re.escape(name)} -->)", re.DOTALL
        )
        match = pattern.search(text)
        if match is None:
            raise ValueError(f"no <!-- generated:{name} --> ... <!-- /generated:{name} --> section found")
        text = f"{text[: match.end(1)]}\n{body}\n\n{text[match.start(2) :]}"
    return text


def main(argv: list[str] | None = None) -> int:
    """Rewrite the generated sections of the given file (default ``docs/dsl.md``) in place."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DSL_DOC
    try:
        text = path.read_text(encoding="utf-8")
        updated = replace_sections(text, generated_sections())
    except (OSError, ValueError) as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"updated {path}")
    else:
        print(f"{path} is up to date")
    return 0


def _node_section(node_type: NodeType) -> str:
    facts = [f"Category: {node_type.category.value}.", f"Branches: {_branches(node_type.branches)}."]
    if node_type.side_effects:
        facts.append("An action: it takes `retry`, `timeout` and `on_error`.")
    lines = [f"#### `{node_type.type}`: {node_type.title}", "", node_type.description, "", " ".join(facts)]
    schema = node_config_schema(node_type.type)
    variants = schema.get("oneOf")
    if variants is not None:
        discriminator = schema.get("discriminator", {}).get("propertyName", "kind")
        for variant in variants:
            variant_schema = _resolve(variant, schema)
            kind = variant_schema["properties"][discriminator]["const"]
            summary = _prose(variant_schema.get("description"))
            lines += ["", f"`{discriminator}: {json.dumps(kind)}`: {summary}"]
            lines += ["", _fields_table(variant_schema, schema, skip=discriminator)]
    else:
        lines += ["", _fields_table(schema, schema)]
    return "\n".join(lines)


def _branches(branches: Branches) -> str:
    names = ", ".join(f"`{name}`" for name in branches.names)
    if branches.kind == "none":
        return "none, it ends the branch"
    if branches.kind == "single":
        return "one"
    if branches.kind == "any":
        return "any number, each outgoing edge starts a branch"
    if branches.kind == "derived":
        return f"one per `{branches.from_list}[].id`" + (f", then {names}" if names else "")
    return names


def _fields_table(model: Mapping[str, Any], root: Mapping[str, Any], skip: str | None = None) -> str:
    rows = [row for row in _field_rows(model, root, prefix="") if row[0] != skip]
    if not rows:
        return "No config."
    lines = ["| field | type | default | description |", "| --- | --- | --- | --- |"]
    lines += [f"| `{name}` | {kind} | {default} | {_cell(text)} |" for name, kind, default, text in rows]
    return "\n".join(lines)


def _field_rows(model: Mapping[str, Any], root: Mapping[str, Any], prefix: str) -> Iterator[tuple[str, ...]]:
    required = set(model.get("required", []))
    for name, field in model.get("properties", {}).items():
        yield prefix + name, _type(field, root), _default(name, field, required), _description(field)
        item = _list_item_model(field, root)
        if item is not None:
            yield from _field_rows(item, root, prefix=f"{prefix}{name}[].")


def _description(field: Mapping[str, Any]) -> str:
    text = _prose(field.get("description"))
    examples = field.get("examples")
    if examples and "e.g." not in text:
        example = ", ".join(
            f"`{value if isinstance(value, str) else json.dumps(value)}`" for value in examples
        )
        text = f"{text}; e.g. {example}" if text else f"e.g. {example}"
    return text


def _list_item_model(field: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any] | None:
    if field.get("type") != "array" or "items" not in field:
        return None
    item = _resolve(field["items"], root)
    return item if "properties" in item else None


def _type(field: Mapping[str, Any], root: Mapping[str, Any]) -> str:
    field = _resolve(field, root)
    options = [option for option in field.get("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        return _type(options[0], root)
    if field.get("x-journey-widget") in _WIDGETS:
        return _WIDGETS[field["x-journey-widget"]]
    if "const" in field:
        return f"`{json.dumps(field['const'])}`"
    if "enum" in field:
        return "one of " + ", ".join(f"`{json.dumps(value)}`" for value in field["enum"])
    kind = field.get("type")
    if kind == "array":
        item = _resolve(field.get("items", {}), root)
        if "properties" in item:
            return "list of objects"
        if "enum" in item:
            return "list, each one of " + ", ".join(f"`{json.dumps(value)}`" for value in item["enum"])
        return f"list of {_type(item, root)}"
    if kind == "object":
        values = field.get("additionalProperties")
        if isinstance(values, dict):
            return f"map of name to {_type(values, root)}"
        return "object"
    if kind in ("integer", "number"):
        return _with_bounds(kind, field)
    if kind is None:
        return "JSON"
    return str(kind)


def _with_bounds(kind: str, field: Mapping[str, Any]) -> str:
    low, high = field.get("minimum"), field.get("maximum")
    if low is not None and high is not None:
        return f"{kind}, {low} to {high}"
    if low is not None:
        return f"{kind}, at least {low}"
    if high is not None:
        return f"{kind}, at most {high}"
    return kind


def _default(name: str, field: Mapping[str, Any], required: set[str]) -> str:
    if name in required:
        return "required"
    if "default" in field:
        return "none" if field["default"] is None else f"`{json.dumps(field['default'])}`"
    return "empty"


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow a local ``$ref``, keeping the keys written beside it (``description``, widgets)."""
    reference = schema.get("$ref")
    if not isinstance(reference, str):
        return schema
    target = root["$defs"][reference.rsplit("/", 1)[-1]]
    return {**target, **{key: value for key, value in schema.items() if key != "$ref"}}


def _prose(text: str | None) -> str:
    return (text or "").replace("``", "`").strip()


def _cell(text: str) -> str:
    escaped = _prose(text).replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
    return escaped.replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main())
