"""``journey router``: the event router alone, against the configured database and Temporal.

``journey up`` runs a router already; this command is for running it as a process of its own
(the API and the workers elsewhere). On the SQL log a second router on the same database waits
as a standby until the first stops (see ``journey.events.consumer_lock``); on Kafka
(``JOURNEY_KAFKA_BOOTSTRAP``) routers share the topic's partitions in one consumer group.
"""

import asyncio
import signal

from journey.cli.output import fail, stdout


def router_command() -> None:
    """Route events from the event log into runs until Ctrl-C."""
    from journey.engine.devserver import DevServerError
    from journey.engine.stack import running_engine, temporal_is_listening
    from journey.events import running
    from journey.events.factory import event_router
    from journey.logs import configure_logging
    from journey.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    if settings.temporal_address is None and not asyncio.run(temporal_is_listening(settings)):
        fail(
            f"nothing answers on 127.0.0.1:{settings.temporal_port}: set JOURNEY_TEMPORAL_ADDRESS, "
            "or start `journey up` (which runs a router too)"
        )

    async def _main() -> None:
        async with running_engine(settings, with_worker=False, reuse_running=True) as engine:
            router = event_router(settings, engine.database, engine.client)
            async with running(router) as task:
                stdout.print(f"[bold green]Journey router[/] on Temporal {engine.temporal_address}")
                stdout.print("Press Ctrl-C to stop.")
                await _until_interrupted(task)

    try:
        asyncio.run(_main())
    except DevServerError as error:
        fail(str(error))


async def _until_interrupted(task: "asyncio.Task[None]") -> None:
    """Return on SIGINT or SIGTERM; if the router ever ends by itself, raise what ended it."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait([task, stopping], return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if task.done():
        task.result()
