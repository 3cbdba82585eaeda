"""What part of the run's context one CEL expression can read.

Evaluating CEL converts its whole context on every call, so a big trigger (a cart of
thousands of items) would make each condition slow. An expression is given only the
top-level names it uses and, when it reads ``nodes`` only as ``nodes.<id>`` or
``nodes["<id>"]``, only those node outputs. Any other use of ``nodes`` (a macro such as
``nodes.exists(...)``, ``size(nodes)``) keeps every output: pruning is never wrong, only
sometimes skipped.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from journey.dsl.expressions import compile_expression

_NODES = re.compile(r"\bnodes\b")
_NODE_REFERENCE = re.compile(
    r"""\bnodes\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()|\[\s*(?:"([^"\\]+)"|'([^'\\]+)')\s*\])"""
)


@dataclass(frozen=True)
class Scope:
    variables: frozenset[str]
    node_ids: frozenset[str] | None
    """The node outputs the expression reads, or None for all of them."""


@lru_cache(maxsize=4096)
def scope_of(source: str) -> Scope:
    variables = compile_expression(source).variables
    if "nodes" not in variables:
        return Scope(variables, frozenset())
    references = list(_NODE_REFERENCE.finditer(source))
    if len(references) != len(_NODES.findall(source)):
        return Scope(variables, None)
    return Scope(
        variables, frozenset(next(group for group in match.groups() if group) for match in references)
    )
