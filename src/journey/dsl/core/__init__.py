"""The interpreter core: a deterministic state machine over a validated journey."""
