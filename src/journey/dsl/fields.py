"""Finding CEL expressions and templates inside parsed configs, by their types alone.

A config field typed ``CelExpression`` holds CEL, one typed ``Template`` holds a template, and
in a ``TemplatedJson`` value every string is a template (``markers.py``). This module walks the
pydantic models, lists, dicts and unions of any config and yields each such string with its JSON
Pointer, so validation (and anything that wants to compile a definition up front) needs no list
of fields: a new node type is covered by using the types.

It also maps the ``loc`` of a pydantic error back to a path in the document, which is not the
same thing: pydantic puts the tag of a discriminated union (``event`` of a trigger's ``kind``)
and the labels of union members (``list``, ``str``) into ``loc`` although the document has no
such levels.
"""

import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, Literal, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo

from journey.dsl.document import Journey, Node
from journey.dsl.issues import pointer
from journey.dsl.markers import CelMarker, TemplateMarker

MarkedKind = Literal["cel", "template"]


class MarkedString(NamedTuple):
    """One CEL expression or template string, and where it sits in the document."""

    kind: MarkedKind
    path: str
    """JSON Pointer, e.g. ``/nodes/2/config/cases/0/expression``."""
    source: str


_Walker = Callable[[Any, str, list[MarkedString]], None]
"""Appends the marked strings found in a value at a path to a list (no generators: it is hot)."""


def marked_strings(model: BaseModel, base: str = "") -> list[MarkedString]:
    """Every CEL expression and template string in ``model``, with paths below ``base``."""
    found: list[MarkedString] = []
    _walk_model(model, base, found)
    return found


def journey_marked_strings(journey: Journey) -> Iterator[tuple[Node | None, MarkedString]]:
    """Every CEL expression and template of a journey: node configs, then the settings
    (``exit_on[].filter``, ``quiet_hours.timezone``); the node is None for the settings."""
    for index, node in enumerate(journey.nodes):
        for found in marked_strings(node.config, pointer("nodes", index, "config")):
            yield node, found
    for found in marked_strings(journey.settings, pointer("settings")):
        yield None, found


def _walk_model(value: Any, path: str, found: list[MarkedString]) -> None:
    if isinstance(value, BaseModel):
        for attribute, segment, walker in _model_plan(type(value)):
            walker(getattr(value, attribute), path + segment, found)


@cache
def _model_plan(model: type[BaseModel]) -> tuple[tuple[str, str, _Walker], ...]:
    """The fields of ``model`` that can hold marked strings, each with its path segment and
    walker, worked out once per model class."""
    return _plan(model, frozenset({model}))


def _plan(model: type[BaseModel], seen: frozenset[type]) -> tuple[tuple[str, str, _Walker], ...]:
    plan: list[tuple[str, str, _Walker]] = []
    for attribute, info in model.model_fields.items():
        walker = _marker_walker(info.metadata) or _walker(info.annotation, seen)
        if walker is not None:
            segment = "" if issubclass(model, RootModel) else pointer(info.alias or attribute)
            plan.append((attribute, segment, walker))
    return tuple(plan)


def _marker_walker(metadata: Sequence[Any]) -> _Walker | None:
    for item in metadata:
        if isinstance(item, CelMarker):
            return _leaf("cel")
        if isinstance(item, TemplateMarker):
            return _json_templates if item.json else _leaf("template")
    return None


def _walker(annotation: Any, seen: frozenset[Any]) -> _Walker | None:
    """How to find marked strings in a value of this type; None when it cannot hold any.

    ``seen`` holds the models and aliases being worked out, so recursive types end."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        return _marker_walker(metadata) or _walker(inner, seen)
    if _is_alias(annotation):
        return None if annotation in seen else _walker(annotation.__value__, seen | {annotation})
    if origin in (Union, types.UnionType):
        return _union([walker for arg in get_args(annotation) if (walker := _walker(arg, seen))])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return _walk_model
        return _walk_model if _plan(annotation, seen | {annotation}) else None
    if _is_container(origin, Sequence):
        items = _union([walker for arg in get_args(annotation) if (walker := _walker(arg, seen))])
        return _sequence(items) if items else None
    if _is_container(origin, Mapping):
        args = get_args(annotation)
        values = _walker(args[1], seen) if len(args) == 2 else None
        return _mapping(values) if values else None
    return None


def _is_alias(annotation: Any) -> bool:
    return type(annotation).__name__ == "TypeAliasType" and hasattr(annotation, "__value__")


def _is_container(origin: Any, kind: type) -> bool:
    """Whether a generic's origin (``list``, ``dict``, ``Sequence``...) is a ``kind`` of container."""
    if origin is set or origin is frozenset:
        return kind is Sequence
    return isinstance(origin, type) and issubclass(origin, kind) and not issubclass(origin, (str, bytes))


def _leaf(kind: MarkedKind) -> _Walker:
    def walk(value: Any, path: str, found: list[MarkedString]) -> None:
        if isinstance(value, str):
            found.append(MarkedString(kind, path, value))

    return walk


def _json_templates(value: Any, path: str, found: list[MarkedString]) -> None:
    """Every string inside a JSON value is a template; keys are not."""
    if isinstance(value, str):
        found.append(MarkedString("template", path, value))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _json_templates(item, f"{path}/{index}", found)
    elif isinstance(value, dict):
        for key, item in value.items():
            _json_templates(item, path + pointer(key), found)


def _union(members: list[_Walker]) -> _Walker | None:
    """The first member that finds anything in the value wins, so nothing is reported twice."""
    if len(members) <= 1:
        return members[0] if members else None

    def walk(value: Any, path: str, found: list[MarkedString]) -> None:
        for member in members:
            before = len(found)
            member(value, path, found)
            if len(found) > before:
                return

    return walk


def _sequence(items: _Walker) -> _Walker:
    def walk(value: Any, path: str, found: list[MarkedString]) -> None:
        if isinstance(value, list | tuple):
            for index, item in enumerate(value):
                items(item, f"{path}/{index}", found)

    return walk


def _mapping(values: _Walker) -> _Walker:
    def walk(value: Any, path: str, found: list[MarkedString]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                values(item, path + pointer(key), found)

    return walk


# --- pydantic error locations -> document paths ----------------------------------------------


def document_path(annotation: Any, loc: Sequence[int | str]) -> tuple[int | str, ...]:
    """The path in the document of a pydantic error at ``loc`` when validating ``annotation``.

    Tags of discriminated unions and the label of a plain union's member are dropped; below a
    type that is not a model, list or dict the rest of ``loc`` is kept as it is, and
    :func:`in_document` drops what the document does not have.
    """
    if not loc:
        return ()
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        tagged = [
            item.discriminator for item in metadata if isinstance(item, FieldInfo) and item.discriminator
        ]
        return _tagged_path(inner, tagged[0], loc) if tagged else document_path(inner, loc)
    if _is_alias(annotation):
        return document_path(annotation.__value__, loc)
    if origin in (Union, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return document_path(members[0], loc)
        return tuple(loc[1:])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model_path(annotation, loc)
    if _is_container(origin, Sequence) or _is_container(origin, Mapping):
        args = get_args(annotation)
        return (loc[0], *document_path(args[-1] if args else Any, loc[1:]))
    return tuple(loc)


def in_document(document: Any, path: Sequence[int | str]) -> tuple[int | str, ...]:
    """``path`` less the segments ``document`` does not have: the labels pydantic gives the
    members of a plain union (``list``, ``str``). The last segment stays, present or not: it
    names the field that is missing."""
    kept: list[int | str] = []
    current = document
    for position, segment in enumerate(path):
        if _has(current, segment):
            current = current[segment]
        elif position < len(path) - 1:
            continue
        kept.append(segment)
    return tuple(kept)


def _has(value: Any, segment: int | str) -> bool:
    if isinstance(value, dict):
        return segment in value
    return isinstance(value, list) and isinstance(segment, int) and 0 <= segment < len(value)


def _model_path(model: type[BaseModel], loc: Sequence[int | str]) -> tuple[int | str, ...]:
    if issubclass(model, RootModel):
        return _field_path(model.model_fields["root"], loc)
    info = _fields_by_loc_name(model).get(loc[0]) if isinstance(loc[0], str) else None
    if info is None:
        return tuple(loc)
    return (loc[0], *_field_path(info, loc[1:]))


def _field_path(info: FieldInfo, loc: Sequence[int | str]) -> tuple[int | str, ...]:
    if not loc:
        return ()
    if info.discriminator is not None:
        return _tagged_path(info.annotation, info.discriminator, loc)
    return document_path(info.annotation, loc)


def _tagged_path(union: Any, discriminator: object, loc: Sequence[int | str]) -> tuple[int | str, ...]:
    """``loc[0]`` is the tag pydantic inserted: skip it and go on in the member it names."""
    tag, rest = loc[0], loc[1:]
    for member in get_args(union):
        if (
            isinstance(member, type)
            and issubclass(member, BaseModel)
            and _has_tag(member, discriminator, tag)
        ):
            return document_path(member, rest)
    return tuple(rest)


def _has_tag(model: type[BaseModel], discriminator: object, tag: object) -> bool:
    info = _fields_by_loc_name(model).get(discriminator) if isinstance(discriminator, str) else None
    return info is not None and get_origin(info.annotation) is Literal and tag in get_args(info.annotation)


@cache
def _fields_by_loc_name(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """Fields by the name pydantic puts in ``loc`` (the alias when there is one) and by name."""
    fields: dict[str, FieldInfo] = {}
    for name, info in model.model_fields.items():
        fields[name] = info
        if info.alias:
            fields[info.alias] = info
    return fields
