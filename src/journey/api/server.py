"""Serving the API with uvicorn inside an already running event loop (``journey up``/``api``)."""

import uvicorn

from journey.api.app import create_app
from journey.api.state import ApiState


async def serve(state: ApiState) -> None:
    """Serve until uvicorn is told to stop (Ctrl-C or SIGTERM, which uvicorn handles)."""
    config = uvicorn.Config(
        create_app(state),
        host=state.settings.host,
        port=state.settings.port,
        log_config=None,
        access_log=False,
        lifespan="off",
    )
    await uvicorn.Server(config).serve()
