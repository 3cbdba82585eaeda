"""Journeys: create, list, read and save drafts, publish versions, pause, resume and archive.

A draft carries a revision, sent as the ``ETag`` (``"3"``); a save or publish with
``If-Match: "3"`` applies only if no one saved in between, else 412 and nothing changes.
"""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request, Response
from pydantic import JsonValue

from journey.api.body_limit import limited_body
from journey.api.pagination import DEFAULT_LIMIT, CursorParam, Limit, Page, decode_cursor, encode_cursor
from journey.api.schemas import (
    JourneyDetail,
    JourneyListItem,
    JourneySummary,
    PublishRequest,
    VersionDetail,
    VersionSummary,
    problems,
)
from journey.api.state import State
from journey.errors import InvalidRequest
from journey.services.journeys import Draft, JourneyService, is_journey_key
from journey.store.journeys import JourneyStatus, JourneyStore

MAX_NUMBER = 2**31 - 1
"""Revisions and versions are 32-bit integers in the database."""
MAX_BODY_BYTES = 1024 * 1024
"""Room for a journey of several hundred nodes; the largest example is under 10 KiB."""

router = APIRouter(prefix="/journeys", tags=["journeys"], route_class=limited_body(MAX_BODY_BYTES))

_ETAG = {
    "ETag": {"description": 'The revision, quoted: "3"; send it as If-Match', "schema": {"type": "string"}}
}
_LOCATION = {"Location": {"description": "The URL of what was created", "schema": {"type": "string"}}}
_IF_MATCH = re.compile(r'"([1-9][0-9]{0,9})"|([1-9][0-9]{0,9})')


def _service(state: State) -> JourneyService:
    return JourneyService(JourneyStore(state.database))


Journeys = Annotated[JourneyService, Depends(_service)]
Key = Annotated[str, Path(description="The journey's key")]
IfMatch = Annotated[
    str | None,
    Header(description='The revision the change is based on, as the ETag gave it ("3"); "*" or none: any'),
]
JourneyDocument = Annotated[
    dict[str, JsonValue],
    Body(
        description="A journey document (its JSON Schema: GET /api/v1/schema). Drafts may have "
        "errors; the key must be usable.",
        examples=[
            {
                "key": "welcome",
                "name": "Welcome",
                "nodes": [
                    {"id": "signed_up", "type": "trigger", "config": {"kind": "event", "event": "signed_up"}},
                    {"id": "done", "type": "end"},
                ],
                "edges": [{"source": "signed_up", "target": "done"}],
            }
        ],
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=JourneyDetail,
    responses={201: {"headers": {**_ETAG, **_LOCATION}}, **problems(400, 409, 413, 422)},
)
async def create_journey(
    document: JourneyDocument, journeys: Journeys, request: Request, response: Response
) -> JourneyDetail:
    """A new journey whose draft is the document, errors and all; 409 when the key is taken."""
    draft = await journeys.create(document)
    response.headers["Location"] = str(request.url_for("get_journey", key=draft.journey.key))
    return _detail(draft, response)


@router.get("", response_model=Page[JourneyListItem], responses=problems(422))
async def list_journeys(
    journeys: Journeys,
    status: Annotated[JourneyStatus | None, Query(description="Only journeys in this status")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: CursorParam = None,
) -> Page[JourneyListItem]:
    """Journeys in order of their keys, each with its number of runs in progress."""
    found = await journeys.list(limit=limit, after=_key_after(cursor), status=status)
    items = [JourneyListItem.model_validate(journey, from_attributes=True) for journey in found.items]
    return Page(items=items, next_cursor=encode_cursor([items[-1].key]) if found.more else None)


@router.get("/{key}", response_model=JourneyDetail, responses={200: {"headers": _ETAG}, **problems(404, 422)})
async def get_journey(key: Key, journeys: Journeys, response: Response) -> JourneyDetail:
    """The journey with its draft and the draft's issues."""
    return _detail(await journeys.get(key), response)


@router.put(
    "/{key}",
    response_model=JourneyDetail,
    responses={200: {"headers": _ETAG}, **problems(400, 404, 409, 412, 413, 422)},
)
async def save_journey(
    key: Key, document: JourneyDocument, journeys: Journeys, response: Response, if_match: IfMatch = None
) -> JourneyDetail:
    """Save the draft (errors allowed): a new revision. The document's key must be the journey's."""
    draft = await journeys.save(key, document, expected_revision=_expected_revision(if_match))
    return _detail(draft, response)


@router.delete("/{key}", status_code=204, response_class=Response, responses=problems(404, 422))
async def archive_journey(key: Key, journeys: Journeys) -> Response:
    """Archive the journey: it starts no new runs and cannot change any more (runs inside go on)."""
    await journeys.archive(key)
    return Response(status_code=204)


@router.post(
    "/{key}/publish",
    status_code=201,
    response_model=VersionSummary,
    responses={201: {"headers": _LOCATION}, **problems(400, 404, 409, 412, 413, 422)},
)
async def publish_journey(
    key: Key,
    journeys: Journeys,
    request: Request,
    response: Response,
    body: Annotated[PublishRequest | None, Body()] = None,
    if_match: IfMatch = None,
) -> VersionSummary:
    """Copy the draft into the next immutable version; new runs start on it. 422 with ``issues``
    when the draft has errors. A draft journey becomes active; a paused one stays paused."""
    version = await journeys.publish(
        key, message=(body or PublishRequest()).message, expected_revision=_expected_revision(if_match)
    )
    location = request.url_for("get_journey_version", key=key, version=str(version.version))
    response.headers["Location"] = str(location)
    return VersionSummary.model_validate(version, from_attributes=True)


@router.post("/{key}/pause", response_model=JourneySummary, responses=problems(404, 409, 422))
async def pause_journey(key: Key, journeys: Journeys) -> JourneySummary:
    """Start no new runs (runs inside go on). 409 for a journey never published or archived."""
    return JourneySummary.model_validate(await journeys.pause(key), from_attributes=True)


@router.post("/{key}/resume", response_model=JourneySummary, responses=problems(404, 409, 422))
async def resume_journey(key: Key, journeys: Journeys) -> JourneySummary:
    """Start new runs again. 409 for a journey never published or archived."""
    return JourneySummary.model_validate(await journeys.resume(key), from_attributes=True)


@router.get("/{key}/versions", response_model=Page[VersionSummary], responses=problems(404, 422))
async def list_journey_versions(
    key: Key, journeys: Journeys, limit: Limit = DEFAULT_LIMIT, cursor: CursorParam = None
) -> Page[VersionSummary]:
    """Published versions, newest first."""
    found = await journeys.versions(key, limit=limit, before=_version_before(cursor))
    items = [VersionSummary.model_validate(version, from_attributes=True) for version in found.items]
    return Page(items=items, next_cursor=encode_cursor([items[-1].version]) if found.more else None)


@router.get("/{key}/versions/{version}", response_model=VersionDetail, responses=problems(404, 422))
async def get_journey_version(
    key: Key, version: Annotated[int, Path(ge=1, le=MAX_NUMBER)], journeys: Journeys
) -> VersionDetail:
    """One published version with its document."""
    return VersionDetail.model_validate(await journeys.version(key, version), from_attributes=True)


def _detail(draft: Draft, response: Response) -> JourneyDetail:
    response.headers["ETag"] = f'"{draft.journey.revision}"'
    fields: dict[str, Any] = {**vars(draft.journey), "issues": draft.issues}
    return JourneyDetail.model_validate(fields)


def _expected_revision(if_match: str | None) -> int | None:
    """The revision ``If-Match`` names: ``"3"`` as the ETag gives it, or ``3``; ``*`` or none: any."""
    if if_match is None or if_match.strip() == "*":
        return None
    matched = _IF_MATCH.fullmatch(if_match.strip())
    revision = int(matched.group(1) or matched.group(2)) if matched is not None else None
    if revision is None or revision > MAX_NUMBER:
        raise InvalidRequest('If-Match: expected a revision as the ETag gives it, such as "3"')
    return revision


def _key_after(cursor: str | None) -> str | None:
    position = decode_cursor(cursor)
    if position is None:
        return None
    if len(position) == 1 and isinstance(position[0], str) and is_journey_key(position[0]):
        return position[0]
    raise InvalidRequest("cursor: not a cursor this API returned")


def _version_before(cursor: str | None) -> int | None:
    position = decode_cursor(cursor)
    if position is None:
        return None
    number = position[0] if len(position) == 1 else None
    if isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= MAX_NUMBER:
        return number
    raise InvalidRequest("cursor: not a cursor this API returned")
