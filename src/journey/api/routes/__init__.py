"""The API's routers, one module per resource; ``ROUTERS`` is what the app mounts."""

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
