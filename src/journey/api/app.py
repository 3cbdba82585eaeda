"""The FastAPI application: every route under ``/api/v1``, docs at ``/api/docs``.

Routes are thin: they parse, call a use case in ``journey.services`` and shape the response.
"""

from fastapi import FastAPI

from journey import __version__
from journey.api import problems, static
from journey.api.request_ids import RequestIdMiddleware
from journey.api.routes import ROUTERS
from journey.api.state import ApiState

PREFIX = "/api/v1"


def create_app(state: ApiState) -> FastAPI:
    app = FastAPI(
        title="Journey",
        version=__version__,
        description="Event-driven customer journeys, durably executed on Temporal.",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.journey = state
    problems.install(app)
    app.add_middleware(RequestIdMiddleware)
    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX)
    static.install(app)
    return app
