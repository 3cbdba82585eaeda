"""The one generic journey workflow: a thin driver of the pure interpreter core.

It asks the core what to do, carries the commands out (local activities for actions and reads,
durable timers, child workflows for subjourneys) and feeds each result back as a happening. No
journey logic lives here: what ``journey simulate`` shows is what this runs.
"""

import asyncio
import hashlib
import json
from collections import deque
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from pydantic import JsonValue

    from journey.dsl.core import Program, RunState, Transition, advance, compile_journey, start
    from journey.dsl.core.messages import (
        ActionCompleted,
        ActionDeferred,
        ActionFailed,
        CancelRequested,
        Command,
        Event,
        EventReceived,
        Happening,
        LoadUser,
        RenderTemplates,
        RunAction,
        RunStart,
        StartSubjourney,
        StartTimer,
        SubjourneyFinished,
        TemplatesFailed,
        TemplatesRendered,
        TimerFired,
        UserLoaded,
    )
    from journey.dsl.document import Journey
    from journey.engine import ids
    from journey.engine.payloads import (
        ActionRequest,
        ActionResult,
        RecordRequest,
        RenderRequest,
        ResumeState,
        RunInput,
        RunSnapshot,
        SubjourneyRequest,
        SubjourneyTarget,
    )

RUN_STATUS = SearchAttributeKey.for_keyword("JourneyRunStatus")
RECORD_RUN_PATCH = "record-run"
"""Runs started before the run index existed replay without recording themselves."""
WORKFLOW_NAME = "JourneyRun"
READ_TIMEOUT = timedelta(seconds=30)
READ_RETRY = RetryPolicy(maximum_attempts=5, initial_interval=timedelta(milliseconds=200))
USER_READ_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200), maximum_interval=timedelta(minutes=1)
)
"""Reading the user has no answer but success: it retries until the database is back."""
DEFAULT_ACTION_TIMEOUT = timedelta(seconds=60)


@workflow.defn(name=WORKFLOW_NAME)
class JourneyRunWorkflow:
    """One user going through one journey version, from the trigger to the end."""

    def __init__(self) -> None:
        self._inbox: deque[Happening] = deque()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._timers: dict[str, datetime] = {}
        self._state: RunState | None = None
        self._input: RunInput | None = None
        self._started_at: datetime | None = None
        self._finished_at: datetime | None = None
        self._status = "running"
        self._indexing = False
        self._index_dirty = False
        self._index_busy = False
        self._index_closing = False

    @workflow.run
    async def run(self, run_input: RunInput) -> RunSnapshot:
        self._input = run_input
        self._started_at = workflow.now()
        self._indexing = workflow.patched(RECORD_RUN_PATCH)
        program = _program(run_input)
        if run_input.resume is not None:
            self._state = RunState.model_validate(run_input.resume.state)
            for timer_id, until in run_input.resume.timers.items():
                self._start_timer(StartTimer(id=timer_id, until=until))
        else:
            start_info = RunStart(
                run_id=run_input.run_id,
                user_id=run_input.user_id,
                trigger=run_input.trigger,
                journey_version=run_input.version,
                at=workflow.now(),
                user=run_input.user,
            )
            self._apply(start(program, start_info))
        indexer = asyncio.create_task(self._keep_index()) if self._indexing else None
        while not self._state_now.finished:
            await workflow.wait_condition(lambda: bool(self._inbox))
            while self._inbox and not self._state_now.finished:
                self._apply(advance(program, self._state_now, self._inbox.popleft()))
            if self._should_continue_as_new():
                await workflow.wait_condition(lambda: not (self._index_dirty or self._index_busy))
                if self._should_continue_as_new():
                    workflow.continue_as_new(self._resume_input())
        self._finished_at = workflow.now()
        for task in self._tasks.values():
            task.cancel()
        if indexer is not None:
            self._index_closing = True
            await indexer
            await self._record()
        return self.snapshot()

    @workflow.signal(name="event")
    def event(self, event: Event) -> None:
        """An event of this run's user: it may satisfy a wait or match an exit rule."""
        self._inbox.append(EventReceived(at=workflow.now(), event=event))

    @workflow.signal(name="cancel")
    def cancel(self, reason: str | None = None) -> None:
        self._inbox.append(CancelRequested(at=workflow.now(), reason=reason))

    @workflow.query(name="snapshot")
    def snapshot(self) -> RunSnapshot:
        """The run's status, active nodes and step records, for the API and the CLI."""
        run_input = self._input
        state = self._state
        if run_input is None or state is None or self._started_at is None:
            raise ApplicationError("the run has not started yet")
        return RunSnapshot(
            run_id=run_input.run_id,
            journey=run_input.journey_key,
            version=run_input.version,
            user_id=run_input.user_id,
            status=state.status,
            started_at=state.steps[0].started_at if state.steps else self._started_at,
            finished_at=self._finished_at,
            active_nodes=state.active_nodes(),
            path=list(state.path),
            steps=list(state.steps),
            error=state.error,
            nodes=dict(state.nodes),
        )

    @property
    def _state_now(self) -> RunState:
        assert self._state is not None, "the core has not started"
        return self._state

    def _apply(self, transition: Transition) -> None:
        self._state = transition.state
        for command in transition.commands:
            self._carry_out(command)
        if transition.state.status != self._status:
            self._status = transition.state.status
            self._index_dirty = self._indexing
            workflow.upsert_search_attributes([RUN_STATUS.value_set(self._status)])

    def _carry_out(self, command: Command) -> None:
        if isinstance(command, StartTimer):
            self._start_timer(command)
        elif isinstance(command, RunAction):
            self._spawn(command.id, self._run_action(command))
        elif isinstance(command, LoadUser):
            self._spawn(command.id, self._load_user(command))
        elif isinstance(command, RenderTemplates):
            self._spawn(command.id, self._render(command))
        elif isinstance(command, StartSubjourney):
            self._spawn(command.id, self._run_subjourney(command))
        elif command.kind in ("cancel_timer", "cancel_action"):
            self._timers.pop(command.id, None)
            task = self._tasks.pop(command.id, None)
            if task is not None:
                task.cancel()

    def _spawn(self, command_id: str, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks[command_id] = task
        task.add_done_callback(lambda _done: self._forget(command_id, task))

    def _forget(self, command_id: str, task: "asyncio.Task[None]") -> None:
        if self._tasks.get(command_id) is task:
            del self._tasks[command_id]

    def _start_timer(self, command: StartTimer) -> None:
        self._timers[command.id] = command.until
        self._spawn(command.id, self._sleep_until(command.id, command.until))

    async def _sleep_until(self, timer_id: str, until: datetime) -> None:
        remaining = until - workflow.now()
        if remaining > timedelta(0):
            await workflow.sleep(remaining, summary=timer_id)
        self._timers.pop(timer_id, None)
        self._inbox.append(TimerFired(at=workflow.now(), id=timer_id))

    async def _run_action(self, command: RunAction) -> None:
        run_input = self._input
        assert run_input is not None
        request = ActionRequest(
            command=command,
            journey=run_input.journey_key,
            run_id=run_input.run_id,
            user_id=run_input.user_id,
            at=workflow.now(),
        )
        policy = command.retry
        try:
            result: ActionResult = await workflow.execute_local_activity(
                "journey.run_action",
                request,
                result_type=ActionResult,
                start_to_close_timeout=command.timeout or DEFAULT_ACTION_TIMEOUT,
                retry_policy=RetryPolicy(
                    initial_interval=policy.initial_interval,
                    backoff_coefficient=policy.backoff,
                    maximum_interval=policy.max_interval,
                    maximum_attempts=policy.max_attempts,
                ),
                summary=command.node_id,
            )
        except (ActivityError, ApplicationError) as error:
            self._inbox.append(
                ActionFailed(at=workflow.now(), id=command.id, error=_cause(error), attempts=_attempts(error))
            )
            return
        if result.deferred_until is not None:
            self._inbox.append(ActionDeferred(at=workflow.now(), id=command.id, until=result.deferred_until))
        else:
            self._inbox.append(
                ActionCompleted(
                    at=workflow.now(), id=command.id, output=result.output, attempts=result.attempts
                )
            )

    async def _load_user(self, command: LoadUser) -> None:
        attributes = await workflow.execute_local_activity(
            "journey.load_user",
            command.user_id,
            result_type=dict,
            start_to_close_timeout=READ_TIMEOUT,
            retry_policy=USER_READ_RETRY,
        )
        self._inbox.append(UserLoaded(at=workflow.now(), id=command.id, attributes=attributes))

    async def _render(self, command: RenderTemplates) -> None:
        run_input = self._input
        assert run_input is not None
        request = RenderRequest(
            templates=command.templates, context=command.context, user_id=run_input.user_id
        )
        try:
            values = await workflow.execute_local_activity(
                "journey.render_templates",
                request,
                result_type=dict,
                start_to_close_timeout=READ_TIMEOUT,
                retry_policy=READ_RETRY,
            )
        except (ActivityError, ApplicationError) as error:
            self._inbox.append(TemplatesFailed(at=workflow.now(), id=command.id, error=_cause(error)))
            return
        self._inbox.append(TemplatesRendered(at=workflow.now(), id=command.id, values=values))

    async def _run_subjourney(self, command: StartSubjourney) -> None:
        run_input = self._input
        assert run_input is not None
        try:
            target: SubjourneyTarget = await workflow.execute_local_activity(
                "journey.prepare_subjourney",
                SubjourneyRequest(command=command, user_id=run_input.user_id),
                result_type=SubjourneyTarget,
                start_to_close_timeout=READ_TIMEOUT,
                retry_policy=READ_RETRY,
            )
            child_run_id = ids.child_run_id(run_input.run_id, command.id)
            child = RunInput(
                run_id=child_run_id,
                journey_key=command.journey,
                version=target.version,
                document=target.document,
                user_id=run_input.user_id,
                trigger={"properties": target.input},
            )
            handle = await workflow.start_child_workflow(
                WORKFLOW_NAME,
                child,
                id=f"journey/{command.journey}/run/{child_run_id}",
                result_type=RunSnapshot,
                parent_close_policy=(
                    ParentClosePolicy.REQUEST_CANCEL if command.wait else ParentClosePolicy.ABANDON
                ),
            )
            if not command.wait:
                self._finish_subjourney(command, "started", {"run_id": child_run_id})
                return
            outcome: RunSnapshot = await handle
        except (ActivityError, ApplicationError, ChildWorkflowError) as error:
            self._finish_subjourney(command, "failed", {"error": _cause(error)})
            return
        self._finish_subjourney(command, outcome.status, outcome.nodes)

    def _finish_subjourney(self, command: StartSubjourney, status: str, output: dict[str, JsonValue]) -> None:
        self._inbox.append(SubjourneyFinished(at=workflow.now(), id=command.id, status=status, output=output))

    async def _keep_index(self) -> None:
        """Record the run in the index whenever it starts or stops waiting: the latest state,
        one record at a time. The final record is written by ``run`` itself."""
        while True:
            await workflow.wait_condition(lambda: self._index_dirty or self._index_closing)
            if self._index_closing:
                return
            self._index_dirty = False
            self._index_busy = True
            try:
                await self._record()
            finally:
                self._index_busy = False

    async def _record(self) -> None:
        request = RecordRequest(snapshot=self.snapshot(), workflow_id=workflow.info().workflow_id)
        await workflow.execute_local_activity(
            "journey.record_run",
            request,
            start_to_close_timeout=READ_TIMEOUT,
            retry_policy=USER_READ_RETRY,
        )

    def _should_continue_as_new(self) -> bool:
        """Only between happenings with nothing in flight but timers, so nothing is lost."""
        if self._state_now.finished or self._inbox:
            return False
        if not workflow.info().is_continue_as_new_suggested():
            return False
        busy = set(self._tasks) - set(self._timers)
        return not busy and workflow.all_handlers_finished()

    def _resume_input(self) -> RunInput:
        run_input = self._input
        assert run_input is not None
        resume = ResumeState(state=self._state_now.model_dump(mode="json"), timers=dict(self._timers))
        return run_input.model_copy(update={"resume": resume, "user": None})


_PROGRAMS: dict[bytes, Program] = {}
_PROGRAM_CACHE_SIZE = 256


def _program(run_input: RunInput) -> Program:
    """The compiled journey, once per document and worker process: parsing and compiling it
    for every run was a visible share of a run's CPU. Programs are never mutated by the core."""
    canonical = json.dumps([run_input.version, run_input.document], sort_keys=True, separators=(",", ":"))
    cache_key = hashlib.blake2b(canonical.encode(), digest_size=16).digest()
    program = _PROGRAMS.get(cache_key)
    if program is None:
        if len(_PROGRAMS) >= _PROGRAM_CACHE_SIZE:
            _PROGRAMS.pop(next(iter(_PROGRAMS)))
        program = compile_journey(Journey.model_validate(run_input.document), run_input.version)
        _PROGRAMS[cache_key] = program
    return program


def _cause(error: BaseException) -> str:
    """The innermost error message: what the activity itself raised."""
    while error.__cause__ is not None:
        error = error.__cause__
    return getattr(error, "message", None) or str(error)


def _attempts(error: ActivityError | ApplicationError) -> int:
    """The attempt the activity failed on; a local activity's failure arrives unwrapped."""
    cause = error if isinstance(error, ApplicationError) else error.__cause__
    if isinstance(cause, ApplicationError) and cause.details:
        detail = cause.details[0]
        if isinstance(detail, dict) and isinstance(detail.get("attempt"), int):
            return int(detail["attempt"])
    return 1
