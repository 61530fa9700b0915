"""Shared fixtures: throw-away databases on the live servers, and a temporary catalog.

Each server fixture creates a uniquely named database and drops it at teardown. When a server is not
reachable the test is skipped with the reason, unless ``PI_SCANNER_REQUIRE_SERVICES=1`` (CI), where a
missing service is a failure rather than a silent skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get("PI_SCANNER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MYSQL_ADMIN_URL = os.environ.get("PI_SCANNER_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")


@pytest.fixture(autouse=True)
def _isolated_state_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's ad-hoc runs keep their catalog in a state directory of their own, never the user's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


def _unavailable(what: str, exc: BaseException) -> None:
    reason = f"{what}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    if os.environ.get("PI_SCANNER_REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing (PI_SCANNER_REQUIRE_SERVICES=1) - {reason}")
    pytest.skip(reason)


def _admin_engine(url: str, what: str) -> sa.Engine:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        _unavailable(what, exc)
    return engine


def _quote(engine: sa.Engine, name: str) -> str:
    # The name is generated here (uuid hex), quoted by the dialect anyway.
    return engine.dialect.identifier_preparer.quote(name)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database, dropped after the test."""
    admin = _admin_engine(PG_ADMIN_URL, "PostgreSQL not reachable on 127.0.0.1:5432")
    name = f"pis_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {_quote(admin, name)}"))
    try:
        yield sa.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {_quote(admin, name)} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def mysql_url() -> Iterator[str]:
    """URL of a fresh MariaDB database (utf8mb4), dropped after the test."""
    admin = _admin_engine(MYSQL_ADMIN_URL, "MariaDB not reachable on 127.0.0.1:3306")
    name = f"pis_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {_quote(admin, name)} CHARACTER SET utf8mb4"))
    try:
        url = sa.make_url(MYSQL_ADMIN_URL).set(database=name, query={"charset": "utf8mb4"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {_quote(admin, name)}"))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file database in the test's temporary directory."""
    return f"sqlite:///{tmp_path / f'pis_{uuid.uuid4().hex[:8]}.db'}"


@pytest.fixture
def tmp_catalog(tmp_path: Path) -> Iterator[Any]:
    """A migrated catalog in a temporary SQLite file, closed after the test."""
    from pi_scanner.catalog.store import Catalog

    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    catalog.migrate()
    try:
        yield catalog
    finally:
        catalog.close()
