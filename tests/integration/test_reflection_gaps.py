"""Reflection cannot lose a column (issue 18, case 5).

SQLAlchemy's MySQL reflection parses ``SHOW CREATE TABLE`` line by line and drops a column whose name
holds a newline (a ``SAWarning`` on stderr, nothing else). The connector compares with the database's own
catalogue and reads the column anyway: a child's ID under a name with a quote, a newline and ``<script>``
is found, in discovery, sampling and the census alike.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from typer.testing import CliRunner

from pi_scanner.cli import app
from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector
from tests.canaries import make_canaries

HOSTILE = "x'y\n<script>alert(1)</script>"


def _seed(url: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    kids = make_canaries(30)
    quoted = engine.dialect.identifier_preparer.quote(HOSTILE)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE pupils (id INT PRIMARY KEY, {quoted} VARCHAR(40), note VARCHAR(10))")
        conn.execute(sa.text("INSERT INTO pupils (id, note) VALUES (:id, 'ok')"), [{"id": i} for i in range(30)])
        for i, k in enumerate(kids):
            conn.exec_driver_sql(f"UPDATE pupils SET {quoted} = %s WHERE id = %s", (k.resident_id, i))
    engine.dispose()
    return [v for k in kids for v in k.values()]


@pytest.mark.mysql
def test_mariadb_column_reflection_dropped_is_read_anyway(tmp_path: Path, mysql_url: str) -> None:
    canaries = _seed(mysql_url)
    conn = SqlConnector("db", SqlConnectorConfig(type="sql", url=mysql_url))
    try:
        info = {a.ref.path[-1]: a for a in conn.discover()}["pupils"]
        assert [c.name for c in info.columns] == ["id", "note", HOSTILE]
        assert info.meta["recovered_columns"] == [HOSTILE]
        sample = conn.sample(info, 100)
        assert [c.name for c in sample.columns] == ["id", "note", HOSTILE] and sample.limits == {}
        assert sorted(r[2] for r in sample.rows)[0] is not None
    finally:
        conn.close()

    config = tmp_path / "scan.yaml"
    config.write_text(yaml.safe_dump({"connectors": {"db": {"type": "sql", "url": mysql_url}},
                                      "scan": {"census": True}, "executor": {"type": "local"}}), encoding="utf-8")
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["scan", "-c", str(config), "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                                   "--as-of", "2026-03-15", "-f", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    pupils = report["assets"][0]
    assert pupils["path"][-1] == "pupils" and pupils["child_status"] == "child", pupils
    assert [c["name"] for c in pupils["columns"] if "CN_RESIDENT_ID" in c["entity_types"]] == [HOSTILE]
    assert pupils["child_rows"] == 30 and "census" in pupils["notes"]  # the census read it too
    assert res.exit_code == 1, res.output
    assert "SAWarning" not in res.output
    text = out.read_text(encoding="utf-8") + res.output
    assert not [v for v in canaries if v in text]
