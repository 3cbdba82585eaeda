"""Starting and addressing runs: the one place that knows workflow ids and search attributes."""

from typing import Any

from pydantic import JsonValue
from temporalio.client import Client, WorkflowHandle
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import WorkflowAlreadyStartedError

from journey.dsl.document import Journey
from journey.engine import ids
from journey.engine.payloads import RunInput, RunSnapshot
from journey.engine.workflow import RUN_STATUS, JourneyRunWorkflow

JOURNEY_KEY = SearchAttributeKey.for_keyword("JourneyKey")
JOURNEY_VERSION = SearchAttributeKey.for_int("JourneyVersion")
USER_ID = SearchAttributeKey.for_keyword("UserId")


class RunAlreadyActive(Exception):
    """The journey's ``reentry`` rule forbids this start: a run of this user exists."""

    def __init__(self, journey: str, user_id: str | None, workflow_id: str) -> None:
        super().__init__(f"journey {journey!r} already has a run for user {user_id!r} ({workflow_id})")
        self.journey = journey
        self.user_id = user_id
        self.workflow_id = workflow_id


async def start_run(
    client: Client,
    *,
    task_queue: str,
    journey: Journey,
    version: int | None,
    user_id: str | None,
    trigger: dict[str, JsonValue],
    run_id: str | None = None,
    trigger_key: str | None = None,
    user: dict[str, JsonValue] | None = None,
) -> WorkflowHandle[Any, RunSnapshot]:
    """Start one run; raises RunAlreadyActive when ``reentry`` says no."""
    run_id = run_id or ids.new_run_id()
    policy = ids.start_policy(
        journey_key=journey.key,
        reentry=journey.settings.reentry,
        user_id=user_id,
        trigger_key=trigger_key,
        run_id=run_id,
    )
    pairs: list[SearchAttributePair[Any]] = [
        SearchAttributePair(JOURNEY_KEY, journey.key),
        SearchAttributePair(RUN_STATUS, "running"),
    ]
    if version is not None:
        pairs.append(SearchAttributePair(JOURNEY_VERSION, version))
    if user_id is not None:
        pairs.append(SearchAttributePair(USER_ID, user_id))
    run_input = RunInput(
        run_id=run_id,
        journey_key=journey.key,
        version=version,
        document=journey.to_document(),
        user_id=user_id,
        trigger=trigger,
        user=user,
    )
    try:
        return await client.start_workflow(
            JourneyRunWorkflow.run,
            run_input,
            id=policy.workflow_id,
            task_queue=task_queue,
            id_reuse_policy=policy.reuse,
            id_conflict_policy=policy.conflict,
            search_attributes=TypedSearchAttributes(pairs),
            memo={"run_id": run_id},
        )
    except WorkflowAlreadyStartedError as error:
        raise RunAlreadyActive(journey.key, user_id, policy.workflow_id) from error


def manual_trigger(input_properties: dict[str, JsonValue]) -> dict[str, JsonValue]:
    """The trigger of a run started through the API or the CLI."""
    return {"properties": input_properties}
