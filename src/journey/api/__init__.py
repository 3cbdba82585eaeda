"""The REST API (FastAPI), contract in docs/api.md."""

from journey.api.app import create_app
from journey.api.state import ApiState

__all__ = ["ApiState", "create_app"]
