"""The baseline of the engine benchmark: the 5-node journey written by hand as a Temporal workflow.

What a developer would write without Journey: the condition in workflow code, then two regular
(not local) activities, one that updates the user's attributes and one that POSTs the webhook.
The module imports nothing but temporalio and the standard library, so the default sandbox
re-imports only this small file for each run. The activities live in ``engine_bench`` and are
called by name.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

WORKFLOW_NAME = "HandwrittenJourney"
UPDATE_ACTIVITY = "handwritten.update_attributes"
WEBHOOK_ACTIVITY = "handwritten.post_webhook"
_TIMEOUT = timedelta(seconds=30)
_RETRY = RetryPolicy(maximum_attempts=5, initial_interval=timedelta(milliseconds=200))


@dataclass
class HandwrittenInput:
    run: str
    user_id: str
    cart: str
    cart_total: int
    webhook_url: str


@workflow.defn(name=WORKFLOW_NAME)
class HandwrittenJourney:
    @workflow.run
    async def run(self, job: HandwrittenInput) -> str:
        if job.cart_total < 50:
            return "skipped"
        changes: dict[str, Any] = {"set": {"last_cart": job.cart}, "increment": {"carts": 1}}
        await workflow.execute_activity(
            UPDATE_ACTIVITY,
            args=[job.user_id, changes],
            start_to_close_timeout=_TIMEOUT,
            retry_policy=_RETRY,
        )
        body = {"run": job.run, "user": job.user_id, "cart": job.cart}
        await workflow.execute_activity(
            WEBHOOK_ACTIVITY,
            args=[job.webhook_url, body],
            start_to_close_timeout=_TIMEOUT,
            retry_policy=_RETRY,
        )
        return "sent"
