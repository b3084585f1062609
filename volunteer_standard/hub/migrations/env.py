"""Alembic environment: the engine comes from the hub (``config.attributes["engine"]``)."""

from __future__ import annotations

from alembic import context

from volunteer_standard.hub.db import metadata

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
