"""write_log: one structured line at the asked level, with the run's identity bound as fields."""

import pytest
from structlog.testing import capture_logs

from journey.actions.errors import ActionError
from journey.actions.log import write_log


def test_writes_the_message_at_its_level_with_the_run_bound() -> None:
    with capture_logs() as logs:
        output = write_log(
            {"message": "cart abandoned: 3 items", "level": "warning"},
            journey="abandoned-cart",
            run_id="run-1",
            user_id="u-42",
            node_id="note",
        )
    assert output == {"message": "cart abandoned: 3 items", "level": "warning"}
    assert logs == [
        {
            "event": "cart abandoned: 3 items",
            "log_level": "warning",
            "journey": "abandoned-cart",
            "run_id": "run-1",
            "user_id": "u-42",
            "node_id": "note",
        }
    ]


def test_level_defaults_to_info_and_a_run_may_have_no_user() -> None:
    with capture_logs() as logs:
        output = write_log({"message": "tick"}, journey="j", run_id="r", user_id=None, node_id="n")
    assert output == {"message": "tick", "level": "info"}
    assert logs[0]["log_level"] == "info"
    assert logs[0]["user_id"] is None


@pytest.mark.parametrize(
    ("params", "complaint"),
    [({"message": "x", "level": "loud"}, "level: 'loud' is not one of"), ({}, "message: must be a string")],
)
def test_bad_parameters_are_not_retryable(params: dict[str, str], complaint: str) -> None:
    with pytest.raises(ActionError) as caught:
        write_log(params, journey="j", run_id="r", user_id=None, node_id="n")
    assert complaint in caught.value.message
    assert caught.value.retryable is False
