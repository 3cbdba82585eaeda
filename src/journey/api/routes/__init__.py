"""The API's routers, one module per resource; ``ROUTERS`` is what the app mounts."""

from fastapi import APIRouter

from journey.api.routes import runs

ROUTERS: list[APIRouter] = [runs.router]
