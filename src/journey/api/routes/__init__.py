"""The API's routers, one module per resource; ``ROUTERS`` is what the app mounts."""

from fastapi import APIRouter

from journey.api.routes import events, journeys, meta, runs, users

ROUTERS: list[APIRouter] = [runs.router, users.router, events.router, meta.router, journeys.router]
