"""The event log's interface: durable append, then each consumer reads on from its offset.

Implemented over SQL (``SqlEventLog``, the embedded default) and meant for Kafka at scale; the
router and the API depend on this ``Protocol`` only.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from journey.dsl.core.messages import Event


@dataclass(frozen=True)
class LoggedEvent:
    """An event and its position in the log; commit ``sequence`` once it is processed."""

    sequence: int
    event: Event


class EventLog(Protocol):
    async def append(self, events: Sequence[Event], *, source: str = "api") -> list[str]:
        """Store ``events`` durably before returning; return the ids that were new, in order.

        An event whose id the log already holds is not stored again, so a client or an activity
        may retry an append safely.
        """
        ...

    async def read_after(self, consumer: str, limit: int = 100) -> list[LoggedEvent]:
        """Up to ``limit`` events after ``consumer``'s committed offset, oldest first."""
        ...

    async def commit(self, consumer: str, sequence: int) -> None:
        """Record that ``consumer`` has processed every event up to ``sequence``."""
        ...


@runtime_checkable
class TopicEventLog(Protocol):
    """A log with named topics (Kafka), where ``emit_event`` may send to another topic than the
    events topic; the SQL log has one stream and does not offer it."""

    async def append_to(self, topic: str, events: Sequence[Event], *, source: str = "api") -> list[str]:
        """``append``, to ``topic``."""
        ...
