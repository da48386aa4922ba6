"""Alembic environment: the URL comes from the caller (settings), the schema from our models."""

from __future__ import annotations

from alembic import context

from storage.db import make_engine
from storage.schema import metadata

config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("No database URL given to Alembic")
    if context.is_offline_mode():  # `alembic upgrade --sql`: the SQL, for a DBA to read
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()
