"""ActionError: a value object whose repr says what failed and whether a retry could help."""

from journey.actions.errors import ActionError


def test_carries_message_and_retryability_and_reads_well() -> None:
    error = ActionError("SMTP server answered 451 busy", retryable=True)
    assert (error.message, error.retryable, str(error)) == (
        "SMTP server answered 451 busy",
        True,
        "SMTP server answered 451 busy",
    )
    assert repr(error) == "ActionError('SMTP server answered 451 busy', retryable=True)"
