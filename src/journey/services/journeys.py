"""Journeys: drafts that may hold errors, published versions that may not, and the status that
decides whether new runs start; also checking and simulating a document without storing it.

The designer saves whatever the user has drawn, errors included, so a draft is refused only
when it cannot be stored at all (no usable key, text a database cannot hold). Publishing is
where errors stop: it copies a draft without errors into the next immutable version.

Status, one journey's life::

    draft ──publish──> active ──pause──> paused ──resume──> active
    any status ──archive (DELETE)──> archived

Publishing a paused journey adds the version and leaves it paused (resume is a decision of its
own). Pausing or resuming a journey that was never published is a conflict: nothing runs yet.
Archived is final: the journey can be read, never saved, published, paused or resumed, and its
key stays taken.
"""

import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import JsonValue, TypeAdapter, ValidationError

from journey.dsl.document import KEY_PATTERN
from journey.dsl.issues import Issue, has_errors
from journey.dsl.simulate import ScriptedEvent, SimulationResult, simulate
from journey.dsl.validate import DocumentInvalid, parse, validate
from journey.errors import Conflict, DocumentRejected, InvalidRequest, NotFound, StaleRevision
from journey.services.storable import StorableObject
from journey.store.journeys import (
    JourneyOverview,
    JourneyStatus,
    JourneyStore,
    LockedJourney,
    StoredJourney,
    StoredVersion,
    VersionInfo,
)

MAX_NAME_LENGTH = 200

_KEY = re.compile(KEY_PATTERN)
_STORABLE: TypeAdapter[dict[str, JsonValue]] = TypeAdapter(StorableObject)
Item = TypeVar("Item")


@dataclass(frozen=True)
class Slice(Generic[Item]):
    """One page of a list: its items, and whether more follow the last one."""

    items: list[Item]
    more: bool


@dataclass(frozen=True)
class Draft:
    """A journey with the validation issues of its draft: what the designer shows."""

    journey: StoredJourney
    issues: list[Issue]


class JourneyService:
    """The journeys of the store's workspace."""

    def __init__(self, store: JourneyStore) -> None:
        self._store = store

    async def create(self, document: dict[str, JsonValue]) -> Draft:
        """A new journey whose draft is ``document``; Conflict when its key is taken."""
        _require_storable(journey=document)
        issues = validate(document)
        key = _key_of(document, issues)
        created = await self._store.create(key=key, name=_name_of(document, key), draft=document)
        if created is None:
            raise Conflict(f"a journey with key '{key}' exists (archived ones keep theirs); choose another")
        return Draft(created, issues)

    async def get(self, key: str) -> Draft:
        journey = await self._store.get(key) if is_journey_key(key) else None
        if journey is None:
            raise _missing(key)
        return Draft(journey, validate(journey.draft))

    async def list(
        self, *, limit: int, after: str | None = None, status: JourneyStatus | None = None
    ) -> Slice[JourneyOverview]:
        """Journeys in byte order of their keys, from the first key after ``after``."""
        listed = await self._store.page(after=after, limit=limit + 1, status=status)
        return Slice(listed[:limit], more=len(listed) > limit)

    async def save(
        self, key: str, document: dict[str, JsonValue], *, expected_revision: int | None = None
    ) -> Draft:
        """Replace the draft (errors allowed); StaleRevision when ``expected_revision`` is not current."""
        _require_storable(journey=document)
        if document.get("key") != key:
            raise InvalidRequest(f"key: must be '{key}', the journey's key; a journey's key never changes")
        issues = validate(document)
        async with self._locked(key) as locked:
            journey = locked.journey
            _refuse_archived(journey, "saved")
            _require_revision(journey, expected_revision)
            saved = await locked.save_draft(name=_name_of(document, key), draft=document)
        return Draft(saved, issues)

    async def publish(
        self,
        key: str,
        *,
        message: str = "",
        expected_revision: int | None = None,
        author: str | None = None,
    ) -> StoredVersion:
        """Copy the draft into the next version; DocumentRejected when the draft has errors."""
        _require_storable(message=message)
        async with self._locked(key) as locked:
            journey = locked.journey
            _refuse_archived(journey, "published")
            _require_revision(journey, expected_revision)
            issues = validate(journey.draft)
            if has_errors(issues):
                raise DocumentRejected("the draft has errors; fix them before publishing", _as_json(issues))
            version = await locked.add_version(document=journey.draft, message=message, author=author)
            if journey.status == "draft":
                await locked.set_status("active")
        return version

    async def pause(self, key: str) -> StoredJourney:
        """Stop new runs from starting (runs inside go on); pausing a paused journey changes nothing."""
        return await self._switch_published(key, "paused", done="paused")

    async def resume(self, key: str) -> StoredJourney:
        """Let new runs start again; resuming an active journey changes nothing."""
        return await self._switch_published(key, "active", done="resumed")

    async def _switch_published(self, key: str, status: JourneyStatus, *, done: str) -> StoredJourney:
        """Set a published, unarchived journey's ``status``; ``done`` names the act in refusals."""
        async with self._locked(key) as locked:
            journey = locked.journey
            _refuse_archived(journey, done)
            _refuse_unpublished(journey, done)
            if journey.status == status:
                return journey
            return await locked.set_status(status)

    async def archive(self, key: str) -> StoredJourney:
        """Retire the journey for good: no new runs, no changes (runs inside go on)."""
        async with self._locked(key) as locked:
            journey = locked.journey
            if journey.status == "archived":
                return journey
            return await locked.set_status("archived")

    async def versions(self, key: str, *, limit: int, before: int | None = None) -> Slice[VersionInfo]:
        """Published versions, newest first, from the first one numbered below ``before``."""
        await self._require_journey(key)
        listed = await self._store.versions(key, before=before, limit=limit + 1)
        return Slice(listed[:limit], more=len(listed) > limit)

    async def version(self, key: str, version: int) -> StoredVersion:
        found = await self._store.version(key, version) if is_journey_key(key) else None
        if found is None:
            await self._require_journey(key)
            raise NotFound(f"journey '{key}' has no version {version}")
        return found

    async def _require_journey(self, key: str) -> None:
        if not (is_journey_key(key) and await self._store.exists(key)):
            raise _missing(key)

    @asynccontextmanager
    async def _locked(self, key: str) -> AsyncIterator[LockedJourney]:
        if not is_journey_key(key):
            raise _missing(key)
        async with self._store.locked(key) as locked:
            if locked is None:
                raise _missing(key)
            yield locked


def check_document(document: JsonValue) -> list[Issue]:
    """Every issue of ``document``, which may be any JSON value; nothing is stored."""
    _require_storable(journey=document)
    return validate(document)


def simulate_document(
    document: JsonValue,
    *,
    input: dict[str, JsonValue],
    user: dict[str, JsonValue],
    events: Sequence[ScriptedEvent] = (),
    outputs: dict[str, JsonValue] | None = None,
    start: datetime | None = None,
) -> SimulationResult:
    """Run ``document`` on a virtual clock, without side effects; DocumentRejected when it has errors."""
    sent = [event.model_dump(mode="json") for event in events]
    _require_storable(journey=document, input=input, user=user, outputs=outputs, events=list(sent))
    try:
        journey = parse(document)
    except DocumentInvalid as invalid:
        raise DocumentRejected("the journey has errors; see issues", _as_json(invalid.issues)) from None
    try:
        return simulate(journey, input, user, events=sent, outputs=outputs, start=start)
    except OverflowError:
        raise InvalidRequest(
            "the simulation reaches a date past the year 9999; shorten its delays or event offsets"
        ) from None


def is_journey_key(key: str) -> bool:
    """Whether ``key`` is shaped like a journey's key (lowercase letters, digits and '-')."""
    return _KEY.fullmatch(key) is not None


def _require_storable(**values: JsonValue) -> None:
    """Refuse (a 422 saying where) what a database or the response could not carry: NUL, NaN,
    unpaired surrogates, deep nesting (see ``journey.services.storable``)."""
    try:
        _STORABLE.validate_python(values)
    except ValidationError as error:
        raise InvalidRequest(error.errors()[0]["msg"].removeprefix("Value error, ").lstrip("/")) from None


def _key_of(document: dict[str, JsonValue], issues: list[Issue]) -> str:
    key = document.get("key")
    if isinstance(key, str) and is_journey_key(key):
        return key
    raise DocumentRejected(
        "key: a journey needs a key (lowercase letters, digits and '-') before it can be saved",
        _as_json([found for found in issues if found.path == "/key"]),
    )


def _name_of(document: dict[str, JsonValue], key: str) -> str:
    """The document's name, or its key while the name is missing or invalid (drafts may be)."""
    name = document.get("name")
    return name if isinstance(name, str) and 1 <= len(name) <= MAX_NAME_LENGTH else key


def _refuse_archived(journey: StoredJourney, verb: str) -> None:
    if journey.status == "archived":
        raise Conflict(f"journey '{journey.key}' is archived; an archived journey cannot be {verb}")


def _refuse_unpublished(journey: StoredJourney, verb: str) -> None:
    if journey.status == "draft":
        raise Conflict(
            f"journey '{journey.key}' was never published, so it starts no runs and cannot be {verb}; "
            "publish it first"
        )


def _require_revision(journey: StoredJourney, expected: int | None) -> None:
    if expected is not None and expected != journey.revision:
        raise StaleRevision(
            f"journey '{journey.key}' is at revision {journey.revision}, not {expected}: "
            "someone saved it meanwhile; reload it and apply your change again",
            revision=journey.revision,
        )


def _missing(key: str) -> NotFound:
    return NotFound(f"no journey with key {key!r}")


def _as_json(issues: Sequence[Issue]) -> list[dict[str, Any]]:
    return [found.model_dump(mode="json") for found in issues]
