"""``journey schema`` and ``journey node-types``: the registry, as editors and people read it.

The JSON Schema is the one ``GET /api/v1/schema`` serves, so an editor configured with it
flags the same shape errors as the API (the graph rules need ``journey validate``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from journey.cli.output import fail, print_json, stdout

if TYPE_CHECKING:
    from journey.dsl import Branches


def schema_command(
    node: Annotated[
        str | None,
        typer.Option("--node", metavar="TYPE", help="Print the config schema of this node type instead."),
    ] = None,
) -> None:
    """Print the JSON Schema of a journey document, or of one node type's config."""
    from journey.dsl import NODE_TYPES
    from journey.dsl.schema import journey_schema, node_config_schema

    if node is None:
        print_json(journey_schema())
        return
    if node not in NODE_TYPES:
        fail(f"--node: unknown node type {node!r}; known: {', '.join(NODE_TYPES.names())}")
    print_json(node_config_schema(node))


def node_types_command() -> None:
    """List the node types in palette order: category, branches and what each one does."""
    from journey.dsl.schema import ordered_node_types

    table = Table("type", "category", "branches", "description", title="Node types", title_justify="left")
    for node_type in ordered_node_types():
        table.add_row(
            node_type.type, node_type.category.value, _branches(node_type.branches), node_type.description
        )
    stdout.print(table)


def _branches(branches: Branches) -> str:
    if branches.kind == "none":
        return "none"
    if branches.kind == "single":
        return "one"
    if branches.kind == "any":
        return "any number"
    derived = [f"each {branches.from_list}[].id"] if branches.kind == "derived" else []
    return ", ".join([*derived, *branches.names])
