"""Journey: event-driven customer journeys, durably executed."""
