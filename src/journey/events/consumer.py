"""The consumption interface: what the router needs from a log of events, and nothing more.

A consumer hands out events in batches, in log order; the router acks a batch once every start
and signal it caused was acknowledged by Temporal, and only then asks for the next one. A batch
that is not acked (the process died, the task was cancelled) is delivered again, whole: that is
at-least-once consumption, and the router's effects are idempotent (deterministic run ids, the
workflow ignores event ids it has seen), which makes the effect exactly once.

Two implementations are meant: ``SqlEventConsumer`` over the SQL event log (one consumer at a
time per name) and, next, a Kafka consumer group (a batch per poll, offsets committed on ack).
"""

from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import Protocol

from journey.dsl.core.messages import Event


@dataclass(frozen=True)
class Delivery:
    """One event and where it sits in its log, for logs and dead letters."""

    event: Event
    position: str
    """``sql:<sequence>`` for the SQL log; ``<topic>/<partition>:<offset>`` for Kafka."""


class Batch(Protocol):
    @property
    def deliveries(self) -> Sequence[Delivery]:
        """The batch's events, oldest first."""
        ...

    async def ack(self) -> None:
        """Record that every event of the batch is processed; returns once that is durable."""
        ...


class EventConsumer(Protocol):
    def batches(self) -> AsyncGenerator[Batch, None]:
        """Batches in log order, forever; ack each before asking for the next, and close the
        generator (``aclose``) to let go of the log."""
        ...
