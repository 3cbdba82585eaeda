"""CEL expressions: compiled once per definition, evaluated against a run's context.

CEL is side-effect free and cannot reach Python objects, so an expression such as
``user.__class__`` is only a missing field. Errors carry the line and column of the source.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cel

_POSITION = re.compile(r"<input>:(\d+):(\d+):")


class ExpressionError(ValueError):
    """A CEL expression that does not compile, or fails when evaluated."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __repr__(self) -> str:
        return f"ExpressionError({self.message!r}, line={self.line}, column={self.column})"


@dataclass(frozen=True)
class Expression:
    """A compiled CEL expression and the top-level names it reads (``user``, ``nodes``, ...)."""

    source: str
    program: Any
    variables: frozenset[str]

    def evaluate(self, context: dict[str, Any]) -> Any:
        try:
            return self.program.execute(context)
        except KeyError as error:
            raise ExpressionError(f"{self.source!r}: no such field {error.args[0]!r}") from error
        except (TypeError, ValueError, RuntimeError) as error:
            raise ExpressionError(f"{self.source!r}: {_first_line(str(error))}") from error


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> Expression:
    """Compile ``source`` once; the same source is served from a cache afterwards."""
    try:
        program = cel.compile(source)
    except (ValueError, RuntimeError) as error:
        text = str(error)
        match = _POSITION.search(text)
        detail = _syntax_detail(text)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            raise ExpressionError(
                f"CEL syntax error at line {line}, column {column}: {detail}", line, column
            ) from error
        raise ExpressionError(f"CEL error: {detail}") from error
    return Expression(source=source, program=program, variables=frozenset(program.variables()))


def _syntax_detail(text: str) -> str:
    match = _POSITION.search(text)
    if match:
        return _first_line(text[match.end() :]).strip()
    return _first_line(text)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"
