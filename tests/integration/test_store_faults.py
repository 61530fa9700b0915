"""Store faults end one asset, not the scan (issue 18, cases 1 and 2).

Each test scans a real PostgreSQL or MariaDB database through the CLI with ``scan.census`` on and injects
one fault at a chosen moment of one table's pass, from another session, as an operator or the server
would: ``DROP TABLE``, ``pg_terminate_backend`` / ``KILL`` (what a server restart looks like to the client:
the connection is gone), ``REVOKE SELECT``. The moment is chosen by wrapping the connector's reflection
(the fault fires right after the unit reflected the table and before it reads a row), so the tests are
deterministic; the fault itself is real.

Every test checks: the scan finishes and writes its report; the faulty asset carries an error (or, for a
lost connection, is retried and complete); the other table's result is kept; the exit code is 3 when an
asset failed; the catalog's run is ``partial``, never left ``running``; no canary leaks.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from typer.testing import CliRunner

from pi_scanner import work
from pi_scanner.catalog.store import Catalog
from pi_scanner.cli import app
from pi_scanner.connectors.sql import SqlConnector
from tests.canaries import make_canaries
from tests.conftest import MYSQL_ADMIN_URL
from tests.tcp_proxy import RestartingProxy

AS_OF = "2026-03-15"
FAULTY = "pupils"
KEPT = "roster"

Fault = Callable[[sa.Connection, sa.Engine], None]


def _seed(url: str, rows: int = 3000) -> list[str]:
    """Two child tables; returns the canary strings that must never leave the scanner."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    meta = sa.MetaData()
    tables = [
        sa.Table(name, meta, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                 sa.Column("xm", sa.String(32)), sa.Column("sfzh", sa.String(18)))
        for name in (FAULTY, KEPT)
    ]
    meta.create_all(engine)
    kids = make_canaries(rows)
    with engine.begin() as conn:
        for table, n in zip(tables, (rows, 50), strict=True):
            conn.execute(table.insert(), [{"id": i, "xm": k.name, "sfzh": k.resident_id}
                                          for i, k in enumerate(kids[:n], start=1)])
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"ANALYZE {FAULTY}"))  # a row estimate: the census is split in partitions
    engine.dispose()
    return [v for k in kids for v in k.values()]


def _arm(monkeypatch: pytest.MonkeyPatch, fault: Fault, admin_url: str, phase: str = "census") -> list[int]:
    """Fire ``fault`` once, right after a ``phase`` unit reflected the faulty table; returns a call log."""
    fired: list[int] = []
    state = {"phase": ""}
    real_reflect = SqlConnector._reflect
    real_census = work.census_pass

    def census(*args: Any, **kwargs: Any) -> Any:
        state["phase"] = "census"
        return real_census(*args, **kwargs)

    def reflect(self: SqlConnector, conn: sa.Connection, asset: Any) -> sa.Table:
        table = real_reflect(self, conn, asset)
        current = state["phase"] or "sample"
        if asset.path[-1] == FAULTY and current == phase and not fired:
            fired.append(1)
            admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
            try:
                fault(conn, admin)
            finally:
                admin.dispose()
        return table

    monkeypatch.setattr(work, "census_pass", census)
    monkeypatch.setattr(SqlConnector, "_reflect", reflect)
    return fired


def _scan(tmp_path: Path, url: str, retries: int = 3, partition_rows: int = 1000,
          **connector: Any) -> tuple[int, dict[str, Any], str, Catalog]:
    """``pi-scanner scan`` with the census on; ``connector`` adds options to the SQL connector."""
    config = tmp_path / "scan.yaml"
    config.write_text(yaml.safe_dump({
        "connectors": {"db": {"type": "sql", "url": url, **connector}},
        "scan": {"census": True, "partition_rows": partition_rows},
        "executor": {"type": "local", "retries": retries, "backoff_s": 0.05},
    }), encoding="utf-8")
    out = tmp_path / "report.json"
    catalog_url = f"sqlite:///{tmp_path / 'catalog.db'}"
    res = CliRunner().invoke(app, ["scan", "-c", str(config), "--catalog", catalog_url, "--as-of", AS_OF,
                                   "-f", "json", "-o", str(out)])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert out.is_file(), res.output  # the report is written whatever failed
    return res.exit_code, json.loads(out.read_text(encoding="utf-8")), res.output, Catalog(catalog_url)


def _assets(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["path"][-1]: a for a in report["assets"]}


def _no_leak(canaries: list[str], *texts: str) -> None:
    for text in texts:
        for value in canaries:
            assert value not in text


def _pg_drop(conn: sa.Connection, admin: sa.Engine) -> None:
    with admin.connect() as c:
        c.execute(sa.text("SET lock_timeout = '10s'"))
        c.execute(sa.text(f"DROP TABLE {FAULTY}"))


def _pg_terminate(conn: sa.Connection, admin: sa.Engine) -> None:
    raw: Any = conn.connection.dbapi_connection
    with admin.connect() as c:
        c.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": raw.info.backend_pid})


def _mysql_kill(conn: sa.Connection, admin: sa.Engine) -> None:
    raw: Any = conn.connection.dbapi_connection
    with admin.connect() as c:
        c.execute(sa.text(f"KILL {int(raw.thread_id())}"))


def _check_run(catalog: Catalog, status: str) -> None:
    try:
        runs = catalog.list_runs(5)
        assert [r.status for r in runs] == [status]
    finally:
        catalog.close()


@pytest.mark.postgres
def test_pg_table_dropped_during_census_ends_that_table_only(tmp_path: Path, pg_url: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    canaries = _seed(pg_url)
    fired = _arm(monkeypatch, _pg_drop, pg_url)
    code, report, output, catalog = _scan(tmp_path, pg_url)
    assert fired
    assets = _assets(report)
    faulty = assets[FAULTY]
    assert [e["stage"] for e in faulty["errors"]] == ["census"], faulty["errors"]
    assert "no longer exists" in faulty["errors"][0]["message"]
    assert assets[KEPT]["child_status"] == "child" and assets[KEPT]["errors"] == []
    assert "census" in assets[KEPT]["notes"] and assets[KEPT]["rows_scanned"] == 50
    assert code == 3, output  # an asset failed: 3 even though children's PI was found
    _check_run(catalog, "partial")
    _no_leak(canaries, json.dumps(report, ensure_ascii=False), output)


@pytest.mark.postgres
@pytest.mark.parametrize("phase", ["sample", "census"])
def test_pg_connection_terminated_is_retried_and_the_count_is_whole(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, phase: str
) -> None:
    """``pg_terminate_backend`` is what a restart looks like to the client: reconnect, redo the partition."""
    canaries = _seed(pg_url)
    fired = _arm(monkeypatch, _pg_terminate, pg_url, phase)
    code, report, output, catalog = _scan(tmp_path, pg_url)
    assert fired
    assets = _assets(report)
    assert assets[FAULTY]["errors"] == [] and assets[KEPT]["errors"] == []
    assert assets[FAULTY]["rows_scanned"] == 3000 and assets[FAULTY]["child_rows"] == 3000
    assert code == 1, output
    _check_run(catalog, "ok")
    _no_leak(canaries, json.dumps(report, ensure_ascii=False), output)


@pytest.mark.mysql
@pytest.mark.parametrize("phase", ["sample", "census"])
def test_mariadb_connection_killed_is_retried_and_the_count_is_whole(
    tmp_path: Path, mysql_url: str, monkeypatch: pytest.MonkeyPatch, phase: str
) -> None:
    canaries = _seed(mysql_url)
    admin_url = sa.make_url(MYSQL_ADMIN_URL).render_as_string(hide_password=False)
    fired = _arm(monkeypatch, _mysql_kill, admin_url, phase)
    code, report, output, catalog = _scan(tmp_path, mysql_url)
    assert fired
    assets = _assets(report)
    assert assets[FAULTY]["errors"] == [] and assets[KEPT]["errors"] == []
    assert assets[FAULTY]["rows_scanned"] == 3000 and assets[FAULTY]["child_rows"] == 3000
    assert code == 1, output
    _check_run(catalog, "ok")
    _no_leak(canaries, json.dumps(report, ensure_ascii=False), output)


@pytest.fixture
def pg_reader(pg_url: str) -> Iterator[tuple[str, str]]:
    """A SELECT-only login role on the test database: (its URL, its name); dropped afterwards."""
    role = f"pis_reader_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
    try:
        yield sa.make_url(pg_url).set(username=role).render_as_string(hide_password=False), role
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP OWNED BY "{role}"'))
            c.execute(sa.text(f'DROP ROLE "{role}"'))
        admin.dispose()


@pytest.mark.postgres
def test_pg_permission_revoked_mid_scan_is_an_error_on_that_table(
    tmp_path: Path, pg_url: str, pg_reader: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reader_url, role = pg_reader
    canaries = _seed(pg_url)
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as c:
        c.execute(sa.text(f'GRANT SELECT ON {FAULTY}, {KEPT} TO "{role}"'))
    admin.dispose()

    def revoke(conn: sa.Connection, admin: sa.Engine) -> None:
        with admin.connect() as c:
            c.execute(sa.text(f'REVOKE SELECT ON {FAULTY} FROM "{role}"'))

    fired = _arm(monkeypatch, revoke, pg_url)
    code, report, output, catalog = _scan(tmp_path, reader_url)
    assert fired
    assets = _assets(report)
    errors = assets[FAULTY]["errors"]
    assert errors and errors[0]["stage"] == "census" and "42501" in errors[0]["message"], errors
    assert assets[KEPT]["child_status"] == "child" and assets[KEPT]["errors"] == []
    assert code == 3, output
    _check_run(catalog, "partial")
    _no_leak(canaries, json.dumps(report, ensure_ascii=False), output)


@pytest.mark.postgres
def test_pg_restart_during_census_reconnects_with_back_off_and_redoes_the_partition(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart as the client sees it, through a proxy: the connection drops mid-census and the server
    refuses connections for 1.5 s (longer than ``executor.retries`` back-offs alone would wait)."""
    canaries = _seed(pg_url)
    target = sa.make_url(pg_url)
    with RestartingProxy(target.host or "127.0.0.1", target.port or 5432) as proxy:
        via_proxy = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        fired = _arm(monkeypatch, lambda conn, admin: proxy.restart(1.5), pg_url)
        code, report, output, catalog = _scan(tmp_path, via_proxy, retries=2)
        assert fired and proxy.refused >= 1  # the scanner did come back while the server was down
    assets = _assets(report)
    assert assets[FAULTY]["errors"] == [], assets[FAULTY]["errors"]
    assert assets[FAULTY]["rows_scanned"] == 3000 and assets[FAULTY]["child_rows"] == 3000
    assert assets[KEPT]["child_status"] == "child"
    assert code == 1, output
    _check_run(catalog, "ok")
    _no_leak(canaries, json.dumps(report, ensure_ascii=False), output)
