"""``journey worker``, ``journey run`` and ``journey up``: the engine from the command line."""

from __future__ import annotations

import asyncio
import signal
from contextlib import AsyncExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from journey.cli.loading import LoadError, load_document, parse_text
from journey.cli.output import EXIT_PROBLEMS, EXIT_UNUSABLE, fail, stderr, stdout

if TYPE_CHECKING:
    from journey.engine.payloads import RunSnapshot
    from journey.settings import Settings

# The engine, the API and the stores are imported inside the commands that use them: importing
# them all costs seconds, which `journey --help` and `journey validate` should not pay.


def worker_command() -> None:
    """Run a worker (and the dev server, unless JOURNEY_TEMPORAL_ADDRESS is set) until Ctrl-C."""
    from journey.logs import configure_logging
    from journey.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    _serve(settings, banner=f"worker on task queue {settings.temporal_task_queue}")


def up_command() -> None:
    """Start the embedded stack: the API, the Temporal dev server and its UI, the worker, the router."""
    from journey.logs import configure_logging
    from journey.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    _serve(settings, banner="Journey is up", api=True, router=True, seed=True)


def api_command() -> None:
    """Serve the API alone, against a running Temporal and database (for scaling out)."""
    from journey.engine.stack import temporal_is_listening
    from journey.logs import configure_logging
    from journey.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    if settings.temporal_address is None and not asyncio.run(temporal_is_listening(settings)):
        fail(
            f"nothing answers on 127.0.0.1:{settings.temporal_port}: set JOURNEY_TEMPORAL_ADDRESS, "
            "or start `journey up` (which serves the API too)"
        )
    _serve(settings, banner="Journey API", api=True, with_worker=False)


def run_command(
    file: Annotated[Path, typer.Argument(help="A journey document, JSON or YAML")],
    user: Annotated[str | None, typer.Option("--user", help="The user the run is for")] = None,
    input_json: Annotated[str, typer.Option("--input", help="The trigger's properties, as JSON")] = "{}",
    wait: Annotated[
        bool, typer.Option("--wait", help="Run a worker here and follow the run to its end")
    ] = False,
) -> None:
    """Run one journey for real on the embedded stack and print each step as it happens."""
    from journey.dsl.json_types import json_type
    from journey.dsl.validate import DocumentInvalid, parse
    from journey.engine.devserver import DevServerError
    from journey.engine.ids import new_run_id
    from journey.engine.runs import RunAlreadyActive, manual_trigger, start_run
    from journey.engine.stack import running_engine, temporal_is_listening
    from journey.engine.watch import watch_run
    from journey.logs import configure_logging
    from journey.settings import get_settings

    settings = get_settings()
    configure_logging("warning", settings.log_format)
    try:
        journey = parse(load_document(file))
        properties = parse_text(input_json, "--input", yaml_allowed=False)
    except LoadError as error:
        fail(str(error))
    except DocumentInvalid as error:
        for issue in error.issues:
            stderr.print(f"{file}: {issue.node_id or '-'}: {issue.code}: {issue.message}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None
    if not isinstance(properties, dict):
        fail(f"--input: must be a JSON object, not {json_type(properties)}")

    async def _run() -> int:
        if not wait and not await temporal_is_listening(settings):
            stderr.print(
                f"nothing answers on 127.0.0.1:{settings.temporal_port}: "
                "start `journey up` first, or add --wait",
                markup=False,
            )
            return EXIT_UNUSABLE
        async with running_engine(settings, with_worker=wait, reuse_running=True) as engine:
            run_id = new_run_id()
            try:
                handle = await start_run(
                    engine.client,
                    task_queue=settings.temporal_task_queue,
                    journey=journey,
                    version=None,
                    user_id=user,
                    trigger=manual_trigger(properties),
                    run_id=run_id,
                )
            except RunAlreadyActive as error:
                stderr.print(str(error), markup=False)
                return EXIT_PROBLEMS
            stdout.print(f"run {run_id} started (workflow {handle.id})", markup=False)
            if not wait:
                return 0
            return _print_result(await watch_run(handle, stdout))

    try:
        code = asyncio.run(_run())
    except DevServerError as error:
        fail(str(error))
    raise typer.Exit(code)


def _serve(
    settings: Settings,
    *,
    banner: str,
    api: bool = False,
    with_worker: bool = True,
    router: bool = False,
    seed: bool = False,
) -> None:
    from journey.api.server import serve
    from journey.api.state import ApiState
    from journey.api.static import DEFAULT_DIST
    from journey.engine.devserver import DevServerError
    from journey.engine.stack import running_engine
    from journey.events import running
    from journey.events.factory import event_log, event_router
    from journey.services.examples import seed_examples
    from journey.services.journeys import JourneyService
    from journey.store.journeys import JourneyStore

    async def _main() -> None:
        async with (
            running_engine(settings, with_worker=with_worker, reuse_running=not with_worker) as engine,
            AsyncExitStack() as routing,
        ):
            if router:
                await routing.enter_async_context(
                    running(event_router(settings, engine.database, engine.client))
                )
            seeded = await seed_examples(JourneyService(JourneyStore(engine.database))) if seed else []
            stdout.print(f"[bold green]{banner}[/]")
            if seeded:
                stdout.print(f"  examples      {', '.join(seeded)} (published)", markup=False)
            if api:
                base = f"http://{settings.host}:{settings.port}"
                if DEFAULT_DIST.is_dir():
                    stdout.print(f"  Designer      {base}/", markup=False)
                stdout.print(f"  API docs      {base}/api/docs", markup=False)
            stdout.print(f"  Temporal      {engine.temporal_address}", markup=False)
            if engine.started_dev_server:
                stdout.print(f"  Temporal UI   http://127.0.0.1:{settings.temporal_ui_port}", markup=False)
            stdout.print(f"  data dir      {settings.data_dir.resolve()}", markup=False)
            stdout.print("Press Ctrl-C to stop.")
            if api:
                events = await routing.enter_async_context(event_log(settings, engine.database))
                state = ApiState(
                    settings=settings, database=engine.database, events=events, temporal=engine.client
                )
                await serve(state)
            else:
                await _until_interrupted()

    try:
        asyncio.run(_main())
    except DevServerError as error:
        fail(str(error))


def _print_result(snapshot: RunSnapshot) -> int:
    colour = "green" if snapshot.status == "completed" else "red"
    stdout.print(f"[bold {colour}]{snapshot.status}[/]  path: {' -> '.join(snapshot.path)}")
    if snapshot.error:
        stdout.print(f"error: {snapshot.error}", markup=False)
    return 0 if snapshot.status == "completed" else EXIT_PROBLEMS


async def _until_interrupted() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
