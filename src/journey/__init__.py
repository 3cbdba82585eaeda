"""Journey: event-driven customer journeys, durably executed."""

__version__ = "0.1.0"
