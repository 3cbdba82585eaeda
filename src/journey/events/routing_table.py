"""The routing table: which journeys an event starts, and which event names each journey hears.

Built from the database: every journey with status ``active`` and a published version whose
trigger is ``kind: event`` is a route, found by exact event name or by prefix (``cart_*``), its
filter compiled once per version. Beside the routes, per journey key, the event names its
``wait_for_event`` nodes and ``exit_on`` rules listen for, over every published version: runs
keep the version they started on, and runs of a paused journey still wait and exit.

``RoutingTables.current()`` is called once per batch: it compares a cheap fingerprint (each
journey's status and published version, and the list of versions) with the last one and
rebuilds only when it changed, parsing only versions it has not seen (versions are immutable).
So a journey published before an event was appended routes that event, and a paused or
archived one starts nothing from the next batch on.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import structlog
from pydantic import ValidationError
from sqlalchemy import select

from journey.dsl.document import Journey
from journey.dsl.expressions import Expression, ExpressionError, compile_expression
from journey.dsl.nodes.trigger import EventTrigger, TriggerConfig
from journey.dsl.nodes.wait_for_event import WaitForEventConfig
from journey.dsl.templates import TemplateError, check_template, reads_user_attributes
from journey.store.database import Database
from journey.store.models import DEFAULT_WORKSPACE, JourneyRow, JourneyVersionRow

_log = structlog.get_logger("journey.router")


@dataclass(frozen=True)
class EventRoute:
    """One active journey's published version, as an event trigger."""

    journey: Journey
    version: int
    trigger: EventTrigger
    filter: Expression | None

    @property
    def key(self) -> str:
        return self.journey.key

    @property
    def reads_user(self) -> bool:
        """Whether deciding needs the user's attributes (the filter or the key reads them)."""
        in_filter = self.filter is not None and "user" in self.filter.variables
        return in_filter or (self.trigger.key is not None and reads_user_attributes(self.trigger.key))

    def matches_name(self, name: str) -> bool:
        pattern = self.trigger.event
        return name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern


@dataclass(frozen=True)
class RoutingTable:
    by_name: Mapping[str, tuple[EventRoute, ...]] = field(default_factory=dict)
    by_prefix: tuple[EventRoute, ...] = ()
    listening: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Per journey key: the event names its waits and exit rules listen for (every version)."""

    def routes(self, name: str) -> list[EventRoute]:
        """The routes whose event pattern matches ``name``, exact names first."""
        return [*self.by_name.get(name, ()), *(r for r in self.by_prefix if r.matches_name(name))]

    def listens(self, journey_key: str, name: str) -> bool:
        """Whether runs of ``journey_key`` may care about an event ``name``; a journey this
        table does not know (a run of ``journey run FILE``) is assumed to."""
        names = self.listening.get(journey_key)
        return names is None or name in names


@dataclass(frozen=True)
class _Version:
    route: EventRoute | None
    listening: frozenset[str]


_Fingerprint = tuple[frozenset[tuple[str, str, int | None]], frozenset[tuple[str, int]]]


class RoutingTables:
    """The current ``RoutingTable`` of one workspace, rebuilt when its journeys change."""

    def __init__(self, database: Database, workspace_id: str = DEFAULT_WORKSPACE) -> None:
        self._sessions = database.sessions
        self._workspace_id = workspace_id
        self._fingerprint: _Fingerprint | None = None
        self._table = RoutingTable()
        self._versions: dict[tuple[str, int], _Version | None] = {}

    async def current(self) -> RoutingTable:
        fingerprint = await self._read_fingerprint()
        if fingerprint != self._fingerprint:
            await self._parse_new(fingerprint[1])
            self._table = self._build(fingerprint)
            self._fingerprint = fingerprint
            _log.info("routing table rebuilt", routes=sum(map(len, self._table.by_name.values())))
        return self._table

    async def _read_fingerprint(self) -> _Fingerprint:
        async with self._sessions() as session:
            journeys = await session.execute(
                select(JourneyRow.key, JourneyRow.status, JourneyRow.published_version).where(
                    JourneyRow.workspace_id == self._workspace_id
                )
            )
            versions = await session.execute(
                select(JourneyVersionRow.journey_key, JourneyVersionRow.version).where(
                    JourneyVersionRow.workspace_id == self._workspace_id
                )
            )
            return (
                frozenset((key, status, published) for key, status, published in journeys),
                frozenset((key, version) for key, version in versions),
            )

    async def _parse_new(self, versions: frozenset[tuple[str, int]]) -> None:
        new = versions - self._versions.keys()
        if not new:
            return
        keys = {key for key, _version in new}
        async with self._sessions() as session:
            rows = await session.execute(
                select(JourneyVersionRow.journey_key, JourneyVersionRow.version, JourneyVersionRow.document)
                .where(JourneyVersionRow.workspace_id == self._workspace_id)
                .where(JourneyVersionRow.journey_key.in_(keys))
            )
            for key, version, document in rows:
                if (key, version) in new:
                    self._versions[key, version] = _compile(key, version, document)

    def _build(self, fingerprint: _Fingerprint) -> RoutingTable:
        journeys, versions = fingerprint
        by_name: dict[str, list[EventRoute]] = {}
        by_prefix: list[EventRoute] = []
        for key, status, published in sorted(journeys):
            compiled = self._versions.get((key, published)) if published is not None else None
            if status != "active" or compiled is None or compiled.route is None:
                continue
            route = compiled.route
            if route.trigger.event.endswith("*"):
                by_prefix.append(route)
            else:
                by_name.setdefault(route.trigger.event, []).append(route)
        listening: dict[str, frozenset[str]] = {}
        unreadable: set[str] = set()
        for key, version in versions:
            compiled = self._versions.get((key, version))
            if compiled is None:
                unreadable.add(key)
            else:
                listening[key] = listening.get(key, frozenset()) | compiled.listening
        return RoutingTable(
            by_name={name: tuple(routes) for name, routes in by_name.items()},
            by_prefix=tuple(by_prefix),
            listening={key: names for key, names in listening.items() if key not in unreadable},
        )


def _compile(key: str, version: int, document: dict[str, object]) -> _Version | None:
    """A stored version as a route (if its trigger is an event) and the names it listens for;
    None (logged) when it cannot be read, which publishing should have made impossible."""
    try:
        journey = Journey.model_validate(document)
        listening = frozenset(
            [rule.event for rule in journey.settings.exit_on]
            + [node.config.event for node in journey.nodes if isinstance(node.config, WaitForEventConfig)]
        )
        config = journey.trigger.config
        trigger = config.root if isinstance(config, TriggerConfig) else None
        if not isinstance(trigger, EventTrigger):
            return _Version(None, listening)
        compiled = compile_expression(trigger.filter) if trigger.filter else None
        if trigger.key is not None:
            check_template(trigger.key)
    except (ValidationError, ExpressionError, TemplateError, StopIteration) as error:
        _log.error("published version cannot be routed", journey=key, version=version, error=str(error))
        return None
    return _Version(EventRoute(journey, version, trigger, compiled), listening)
