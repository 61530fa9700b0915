"""Injection-shaped table and column names are always quoted: the tables survive and the scan succeeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from pi_scanner.cli import app
from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector
from tests.canaries import make_canaries

TABLES = ["x'; DROP TABLE students;--", 'y"; DELETE FROM students; --', "z`; DROP TABLE students; #"]
COLUMNS = ["sfzh'); DROP TABLE students;--", 'phone"; DELETE FROM', "name` --"]
KEY = "k``ey'; -- %s"


def _estate(url: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    meta = sa.MetaData()
    sa.Table("students", meta, sa.Column("id", sa.Integer, primary_key=True), sa.Column("note", sa.String(20)))
    tables = [
        sa.Table(name, meta, sa.Column(KEY, sa.Integer, primary_key=True, autoincrement=False),
                 *[sa.Column(c, sa.String(40)) for c in COLUMNS])
        for name in TABLES
    ]
    meta.create_all(engine)
    kids = make_canaries(20)
    with engine.begin() as conn:
        conn.execute(meta.tables["students"].insert(), [{"id": 1, "note": "keep me"}])
        for t in tables:
            conn.execute(t.insert(), [{KEY: i, COLUMNS[0]: k.resident_id, COLUMNS[1]: k.phone, COLUMNS[2]: k.name}
                                      for i, k in enumerate(kids, start=1)])
    engine.dispose()
    return TABLES


def _scan_and_check(url: str, tmp_path: Path) -> None:
    _estate(url)
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["scan", url, "--catalog", f"sqlite:///{tmp_path / 'c.db'}", "--as-of",
                                   "2026-03-15", "-f", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    errors = [e for a in report["assets"] for e in a.get("errors", [])] + report["summary"]["store_errors"]
    assert res.exit_code == 1, errors
    assert report["summary"]["store_errors"] == []
    statuses = {a["path"][-1]: a["child_status"] for a in report["assets"]}
    for name in TABLES:
        assert statuses[name] == "child", (name, statuses)
    _full_pass(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    insp = sa.inspect(engine)
    assert set(TABLES) | {"students"} <= set(insp.get_table_names())
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM students")).scalar_one() == 1
    engine.dispose()


def _full_pass(url: str) -> None:
    """Discovery reports the real names, and a keyed full pass selects them (as retention does)."""
    conn = SqlConnector("evil", SqlConnectorConfig(type="sql", url=url))
    try:
        infos = {a.ref.path[-1]: a for a in conn.discover()}
        for name in TABLES:
            info = infos[name]
            assert [c.name for c in info.columns] == [KEY, *COLUMNS]
            assert info.meta["primary_key"] == [KEY]
            rows = [r for batch in conn.iter_batches(info, [COLUMNS[2]], batch_size=7) for r in batch]
            assert sorted(r[0] for r in rows) == list(range(1, 21))
            sample = conn.sample(info, 5)
            assert [c.name for c in sample.columns] == [KEY, *COLUMNS]
            assert sample.primary_key == (KEY,)
    finally:
        conn.close()


def test_sqlite(tmp_path: Path) -> None:
    _scan_and_check(f"sqlite:///{tmp_path / 'evil.db'}", tmp_path)


@pytest.mark.postgres
def test_postgres(pg_url: str, tmp_path: Path) -> None:
    _scan_and_check(pg_url, tmp_path)


@pytest.mark.mysql
def test_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _scan_and_check(mysql_url, tmp_path)
