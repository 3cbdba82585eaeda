"""Templates: ``{{ ... }}`` in Jinja2's sandbox, rendered only inside activities.

The sandbox refuses attribute walks into Python internals (``__class__``, ``__globals__``) and
``StrictUndefined`` turns a missing value into an error instead of an empty string. A string
with no ``{{`` or ``{%`` is a literal and never touches Jinja2.
"""

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import JsonValue


class _JsonFirstEnvironment(SandboxedEnvironment):
    """A key of the data wins over a method of its dict: ``{{ cart.items }}`` is the key."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


_ENVIRONMENT = _JsonFirstEnvironment(undefined=StrictUndefined, autoescape=False)


class TemplateError(ValueError):
    """A template that does not parse, or fails when rendered."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __repr__(self) -> str:
        return f"TemplateError({self.message!r}, line={self.line})"


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text


@lru_cache(maxsize=4096)
def _compile(source: str) -> Any:
    try:
        return _ENVIRONMENT.from_string(source)
    except TemplateSyntaxError as error:
        raise TemplateError(
            f"template syntax error at line {error.lineno}: {error.message}", error.lineno
        ) from error


def check_template(source: str) -> None:
    """Raise TemplateError if ``source`` does not parse; literals always pass."""
    if is_template(source):
        _compile(source)


def render(source: str, context: dict[str, Any]) -> str:
    """Render one template string against a run's context."""
    if not is_template(source):
        return source
    try:
        return str(_compile(source).render(context))
    except TemplateError:
        raise
    except JinjaTemplateError as error:
        raise TemplateError(f"template failed: {error}") from error
    except (TypeError, ValueError, ArithmeticError, LookupError) as error:
        raise TemplateError(f"template failed: {type(error).__name__}: {error}") from error


def reads_user_attributes(value: JsonValue) -> bool:
    """Whether rendering ``value`` reads any attribute of ``user`` other than its ``id``.

    The run already knows the user's id, so an action whose templates read nothing else can
    skip the database read of the user: one read less per action on the hot path.
    """
    if isinstance(value, str):
        return is_template(value) and _reads_user_attributes(value)
    if isinstance(value, list):
        return any(reads_user_attributes(item) for item in value)
    if isinstance(value, dict):
        return any(reads_user_attributes(item) for item in value.values())
    return False


@lru_cache(maxsize=4096)
def _reads_user_attributes(source: str) -> bool:
    try:
        tree = _ENVIRONMENT.parse(source)
    except TemplateSyntaxError:
        return True
    loads = sum(1 for name in tree.find_all(nodes.Name) if name.name == "user" and name.ctx == "load")
    id_reads = sum(
        1 for access in tree.find_all(nodes.Getattr) if _is_user(access.node) and access.attr == "id"
    )
    id_reads += sum(
        1
        for access in tree.find_all(nodes.Getitem)
        if _is_user(access.node) and isinstance(access.arg, nodes.Const) and access.arg.value == "id"
    )
    return loads > id_reads


def _is_user(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == "user" and node.ctx == "load"


def render_json(value: JsonValue, context: dict[str, Any]) -> JsonValue:
    """Render every string inside a JSON value (webhook bodies, event properties)."""
    if isinstance(value, str):
        return render(value, context)
    if isinstance(value, list):
        return [render_json(item, context) for item in value]
    if isinstance(value, dict):
        return {key: render_json(item, context) for key, item in value.items()}
    return value
