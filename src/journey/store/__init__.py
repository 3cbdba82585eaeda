"""Storage: SQLAlchemy models, Alembic migrations and the repositories built on them.

SQLite (a file in the data dir) by default, PostgreSQL when ``JOURNEY_DATABASE_URL`` says so;
the repositories behave the same on both, and the tests run them on both.
"""

from journey.dsl.attributes import AttributeNotNumeric
from journey.store.database import Database
from journey.store.event_log import EventLog, LoggedEvent
from journey.store.migrate import upgrade
from journey.store.models import DEFAULT_WORKSPACE
from journey.store.sql_event_log import SqlEventLog
from journey.store.users import AttributeChanges, User, UserStore

__all__ = [
    "DEFAULT_WORKSPACE",
    "AttributeChanges",
    "AttributeNotNumeric",
    "Database",
    "EventLog",
    "LoggedEvent",
    "SqlEventLog",
    "User",
    "UserStore",
    "upgrade",
]
