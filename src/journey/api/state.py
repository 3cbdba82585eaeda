"""What the routes stand on: built once per process, handed to the app, reached by dependency."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from temporalio.client import Client

from journey.settings import Settings
from journey.store.database import Database
from journey.store.event_log import EventLog


@dataclass(frozen=True)
class ApiState:
    settings: Settings
    database: Database
    events: EventLog
    temporal: Client | None
    """None when the API runs without an engine (tests of the storage-only endpoints)."""


def _state(request: Request) -> ApiState:
    state: ApiState = request.app.state.journey
    return state


State = Annotated[ApiState, Depends(_state)]
