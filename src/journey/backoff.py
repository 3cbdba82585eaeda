"""Growing pauses between attempts: retries after failures, polls of an idle log, and waits
for another process to finish switching a SQLite file to WAL.

They want the same shape: short at first (a blip heals fast, an event usually follows another
soon), longer while the condition lasts (no hammering of a database that is down, no CPU burnt
by an idle poll), and back to short once it passes.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial: float
    maximum: float
    factor: float = 2.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after the ``attempt``-th failure in a row (1 for the first)."""
        return min(self.maximum, self.initial * self.factor ** max(0, attempt - 1))


RETRY = Backoff(initial=0.1, maximum=30.0)
"""After a failure that may heal (Temporal or the database unreachable)."""
IDLE_POLL = Backoff(initial=0.01, maximum=0.2)
"""Between reads of an empty SQL log: at most 5 cheap queries a second while nothing happens."""
