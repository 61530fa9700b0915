"""Alembic environment for the pi-scanner catalog.

Migrations run programmatically (:meth:`pi_scanner.catalog.store.Catalog.migrate`), which hands over an
open connection in ``config.attributes["connection"]``; running ``alembic`` from a shell with
``-x url=...`` also works for operators.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from pi_scanner.catalog.schema import VERSION_TABLE, metadata


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the handed-over connection, or on ``-x url=...``."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise RuntimeError("no catalog URL: pass -x url=... or use Catalog.migrate()")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported for the pi-scanner catalog")
run_migrations_online()
