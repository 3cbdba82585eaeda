"""The one error an action raises, and whether trying again could help.

::

    Exception
     └── ActionError          message + retryable
          retryable=True      the world may change: connection refused, timeout, 4xx SMTP, HTTP 5xx/408/429
          retryable=False     the request itself is wrong: a bad address or URL, 5xx SMTP, HTTP 4xx

The caller (the activity) turns a non-retryable one into a non-retryable Temporal
``ApplicationError``, so Temporal stops at once instead of spending the node's retry budget.
"""


class ActionError(Exception):
    """An action failed; ``message`` is one line fit for a step record (never a secret)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.retryable = retryable

    def __repr__(self) -> str:
        return f"ActionError({self.message!r}, retryable={self.retryable})"
