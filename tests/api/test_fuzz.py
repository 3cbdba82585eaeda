"""Schemathesis against the app's own OpenAPI: requests generated for every operation, some fitting
the schema and some not. None may get a 5xx, and every answer must be one the OpenAPI documents
(status, media type, headers, body).

The cases are drawn by Hypothesis inside an async test and sent with the ``api`` client, on the
event loop the database connections belong to (schemathesis' own ASGI client would run the app
on a loop of its own). The budget is small (``MAX_EXAMPLES`` per operation, mode and backend):
this catches a route that crashes or lies about its answers, not every corner.
"""

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from journey.api import ApiState, create_app
from journey.settings import Settings
from journey.store import Database, SqlEventLog

MAX_EXAMPLES = 4
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _openapi() -> dict[str, Any]:
    """The app's OpenAPI document. Building it touches nothing, but ``create_app`` wants a state:
    this one's database is never connected to."""
    database = Database.connect("sqlite+aiosqlite://")
    state = ApiState(settings=Settings(), database=database, events=SqlEventLog(database), temporal=None)
    return create_app(state).openapi()


def _needs_engine(operation: APIOperation) -> bool:
    """Operations that may answer 503 depend on Temporal, which the ``api`` fixture runs without."""
    return "503" in operation.definition.raw.get("responses", {})


def _breakable(operation: APIOperation) -> bool:
    """Whether a query or a body can break the operation's schema: where neither can (free text,
    any JSON, nothing), Hypothesis would search for a negative case in vain. Path segments and
    headers do not count: most values that break them cannot be sent at all."""
    raw = operation.definition.raw
    query = [parameter for parameter in raw.get("parameters", []) if parameter["in"] == "query"]
    if not all(_free(parameter["schema"]) for parameter in query):
        return True
    body = raw.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    return body is not None and not _free(body)


def _free(schema: dict[str, Any]) -> bool:
    """Any text (possibly null), or any JSON value."""
    if "$ref" in schema:
        return OPENAPI["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]] == {}
    variants = schema.get("anyOf", [schema])
    return all(variant.get("type", "string") in ("string", "null") for variant in variants) and not any(
        constraint in variant for variant in variants for constraint in _CONSTRAINTS
    )


_CONSTRAINTS = ("pattern", "enum", "const", "format", "minLength", "maxLength", "properties", "items")
OPENAPI = _openapi()
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)


def cases(*, engine: bool) -> list[tuple[APIOperation, GenerationMode]]:
    """Each operation (needing the engine or not) with the generation modes that can find cases."""
    return [
        (operation, mode)
        for operation in (result.ok() for result in SCHEMA.get_all_operations())
        if _needs_engine(operation) == engine
        for mode in GenerationMode
        if mode == GenerationMode.POSITIVE or _breakable(operation)
    ]


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.too_slow,
    ],
)


def case_id(value: object) -> str:
    return str(getattr(value, "label", value))


@pytest.mark.parametrize(("operation", "mode"), cases(engine=False), ids=case_id)
@FUZZ_SETTINGS
@given(data=st.data())
async def test_every_answer_is_documented_and_none_is_a_server_error(
    api: httpx.AsyncClient, operation: APIOperation, mode: GenerationMode, data: st.DataObject
) -> None:
    case = data.draw(operation.as_strategy(generation_mode=mode))

    response = await api.request(**_httpx_arguments(case.as_transport_kwargs(base_url=str(api.base_url))))

    case.validate_response(response, checks=CHECKS)


def _httpx_arguments(request: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis speaks ``requests``: a raw body is ``data`` there, ``content`` for httpx."""
    arguments = {name: request[name] for name in ("method", "url", "params", "headers") if request.get(name)}
    if "json" in request:
        arguments["json"] = request["json"]
    if "data" in request:
        body = request["data"]
        arguments["content"] = body.encode() if isinstance(body, str) else body
    return arguments
