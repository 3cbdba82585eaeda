"""Alembic's entry point for our scripts.

Alembic is synchronous and our engines are async, so ``journey.store.migrate`` opens the async
connection itself and hands its synchronous face (``AsyncConnection.run_sync``) over in
``config.attributes["connection"]``; this file only runs the scripts on it.
"""

from alembic import context

from journey.store.models import Base

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
