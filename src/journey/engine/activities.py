"""The activities of the journey workflow: every side effect and every read happens here.

Templates are rendered here, never in workflow code: the user is read at the moment the
action runs, secrets are added to the template context only, and a failure that no retry can
fix becomes a non-retryable ``ApplicationError`` so Temporal stops retrying at once.
"""

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pydantic import JsonValue
from temporalio import activity
from temporalio.exceptions import ApplicationError

from journey.actions.attributes import load_user, update_attributes
from journey.actions.email import EmailSender
from journey.actions.emit import emit_event
from journey.actions.errors import ActionError
from journey.actions.log import write_log
from journey.actions.webhook import WebhookCaller
from journey.dsl.context import template_context
from journey.dsl.schedule import quiet_until
from journey.dsl.templates import TemplateError, reads_user_attributes, render, render_json
from journey.engine.journeys import JourneySource
from journey.engine.payloads import (
    ActionRequest,
    ActionResult,
    RecordRequest,
    RenderRequest,
    SubjourneyRequest,
    SubjourneyTarget,
)
from journey.engine.run_index import RunIndexWriter
from journey.store.event_log import EventLog
from journey.store.runs import RunRecord, RunStore
from journey.store.users import UserStore

Performer = Callable[[ActionRequest, dict[str, Any]], Awaitable[JsonValue]]


class JourneyActivities:
    """The activities, bound to the adapters they use (built once per worker)."""

    def __init__(
        self,
        *,
        users: UserStore,
        events: EventLog,
        email: EmailSender,
        webhooks: WebhookCaller,
        journeys: JourneySource,
        runs: RunStore,
        secrets: Mapping[str, str],
    ) -> None:
        self._index = RunIndexWriter(runs)
        self._users = users
        self._events = events
        self._email = email
        self._webhooks = webhooks
        self._journeys = journeys
        self._secrets = dict(secrets)
        self._performers: dict[str, Performer] = {
            "send_email": self._send_email,
            "webhook": self._call_webhook,
            "emit_event": self._emit_event,
            "update_attributes": self._update_attributes,
            "log": self._log,
        }

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.run_action,
            self.load_user,
            self.render_templates,
            self.prepare_subjourney,
            self.record_run,
        ]

    @activity.defn(name="journey.run_action")
    async def run_action(self, request: ActionRequest) -> ActionResult:
        command = request.command
        performer = self._performers.get(command.node_type)
        if performer is None:
            raise ApplicationError(f"no action performs node type {command.node_type!r}", non_retryable=True)
        attempt = activity.info().attempt
        templates: JsonValue = [command.config, command.quiet_hours.timezone if command.quiet_hours else None]
        context = await self._template_context(
            request.user_id, command.context, read_user=reads_user_attributes(templates)
        )
        try:
            if command.quiet_hours is not None:
                zone = render(command.quiet_hours.timezone, context)
                resume_at = quiet_until(
                    datetime.now(UTC), command.quiet_hours.start, command.quiet_hours.end, zone
                )
                if resume_at is not None:
                    return ActionResult(deferred_until=resume_at, attempts=attempt)
            params = render_json(command.config, context)
            assert isinstance(params, dict)
            output = await performer(request, params)
        except (TemplateError, ValueError) as error:
            raise _failure(f"{command.node_id}: {error}", retryable=False, attempt=attempt) from error
        except ActionError as error:
            raise _failure(f"{command.node_id}: {error.message}", error.retryable, attempt) from error
        return ActionResult(output=output, attempts=attempt)

    @activity.defn(name="journey.load_user")
    async def load_user(self, user_id: str) -> dict[str, JsonValue]:
        return await load_user(self._users, user_id)

    @activity.defn(name="journey.render_templates")
    async def render_templates(self, request: RenderRequest) -> dict[str, str]:
        context = await self._template_context(request.user_id, request.context)
        try:
            return {name: render(source, context) for name, source in request.templates.items()}
        except TemplateError as error:
            raise ApplicationError(str(error), non_retryable=True) from error

    @activity.defn(name="journey.prepare_subjourney")
    async def prepare_subjourney(self, request: SubjourneyRequest) -> SubjourneyTarget:
        command = request.command
        found = await self._journeys.published(command.journey, command.version)
        if found is None:
            wanted = f"version {command.version}" if command.version else "published version"
            raise ApplicationError(f"journey {command.journey!r} has no {wanted}", non_retryable=True)
        context = await self._template_context(request.user_id, command.context)
        try:
            rendered = render_json(dict(command.input), context)
        except TemplateError as error:
            raise ApplicationError(f"{command.node_id}: {error}", non_retryable=True) from error
        assert isinstance(rendered, dict)
        return SubjourneyTarget(version=found.version, document=found.document, input=rendered)

    @activity.defn(name="journey.record_run")
    async def record_run(self, request: RecordRequest) -> None:
        snapshot = request.snapshot
        await self._index.write(
            RunRecord(
                run_id=snapshot.run_id,
                workflow_id=request.workflow_id,
                journey_key=snapshot.journey,
                version=snapshot.version or 0,
                user_id=snapshot.user_id,
                status=snapshot.status,
                started_at=snapshot.started_at,
                finished_at=snapshot.finished_at,
                active_nodes=snapshot.active_nodes,
                steps=[step.model_dump(mode="json") for step in snapshot.steps],
            )
        )

    async def _template_context(
        self, user_id: str | None, context: Mapping[str, Any], *, read_user: bool = True
    ) -> dict[str, Any]:
        """The context templates see: ``user`` is read now, unless they read nothing but its id."""
        user: dict[str, Any] = {}
        if user_id is not None:
            attributes = await load_user(self._users, user_id) if read_user else {}
            user = {**attributes, "id": user_id}
        return template_context({**context, "user": user}, self._secrets)

    async def _send_email(self, request: ActionRequest, params: dict[str, Any]) -> JsonValue:
        return await self._email.send(params, idempotency_key=request.command.idempotency_key)

    async def _call_webhook(self, request: ActionRequest, params: dict[str, Any]) -> JsonValue:
        return await self._webhooks.call(params, idempotency_key=request.command.idempotency_key)

    async def _emit_event(self, request: ActionRequest, params: dict[str, Any]) -> JsonValue:
        return await emit_event(
            self._events,
            params,
            default_user_id=request.user_id,
            idempotency_key=request.command.idempotency_key,
        )

    async def _update_attributes(self, request: ActionRequest, params: dict[str, Any]) -> JsonValue:
        if request.user_id is None:
            raise ActionError("update_attributes needs a user, and this run has none", retryable=False)
        return await update_attributes(self._users, request.user_id, params)

    async def _log(self, request: ActionRequest, params: dict[str, Any]) -> JsonValue:
        return write_log(
            params,
            journey=request.journey,
            run_id=request.run_id,
            user_id=request.user_id,
            node_id=request.command.node_id,
        )


def _failure(message: str, retryable: bool, attempt: int) -> ApplicationError:
    return ApplicationError(message, {"attempt": attempt}, type="ActionError", non_retryable=not retryable)
