"""The one error the core raises: a driver broke the contract (never a journey's fault)."""


class CoreError(Exception):
    """A driver misused the core, e.g. answered a timer with ``ActionCompleted``.

    A valid journey never causes it: what goes wrong in a run (an expression that fails, an
    action that gives up) fails the run instead, with the reason in ``RunState.error``.
    """
