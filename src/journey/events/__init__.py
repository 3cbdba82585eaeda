"""Events into runs: the router over an event log (SQL by default, Kafka next).

The router reads the log in order; each event starts the active journeys whose event trigger
matches and reaches the active runs of its user that wait for it or exit on it. See
``journey.events.router`` for the guarantees (at-least-once consumption, exactly-once effect).
"""

from journey.events.consumer import Batch, Delivery, EventConsumer
from journey.events.dead_letters import DeadLetters
from journey.events.router import Router
from journey.events.routing_table import EventRoute, RoutingTable, RoutingTables
from journey.events.sql_consumer import ROUTER, SqlEventConsumer
from journey.events.sql_router import running, sql_router

__all__ = [
    "ROUTER",
    "Batch",
    "DeadLetters",
    "Delivery",
    "EventConsumer",
    "EventRoute",
    "Router",
    "RoutingTable",
    "RoutingTables",
    "SqlEventConsumer",
    "running",
    "sql_router",
]
