"""Views and other relations are discovered and listed (issue 18, case 6).

A view over a children's table is scanned like a table (read-only) and names the table under it where the
database says (PostgreSQL); a materialised view is scanned; a foreign table is listed, never read (its rows
live in another server); ``include_views: false`` lists views as not read instead of dropping them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from pi_scanner.cli import app
from pi_scanner.report.markdown import render_markdown
from tests.canaries import make_canaries

AS_OF = "2026-03-15"


def _seed(url: str) -> list[str]:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    kids = make_canaries(40)
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE TABLE students (id INT PRIMARY KEY, xm VARCHAR(32), sfzh VARCHAR(18))"))
        conn.execute(sa.text("INSERT INTO students VALUES (:id, :xm, :sfzh)"),
                     [{"id": i, "xm": k.name, "sfzh": k.resident_id} for i, k in enumerate(kids)])
        conn.execute(sa.text("CREATE VIEW v_pupils AS SELECT xm AS pupil, sfzh AS card FROM students"))
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("CREATE MATERIALIZED VIEW mv_pupils AS SELECT sfzh FROM students"))
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS file_fdw"))
            conn.execute(sa.text("CREATE SERVER pis_files FOREIGN DATA WRAPPER file_fdw"))
            conn.execute(sa.text("CREATE FOREIGN TABLE remote_pupils (sfzh text) SERVER pis_files"
                                 " OPTIONS (filename '/nonexistent/pupils.csv', format 'csv')"))
    engine.dispose()
    return [v for k in kids for v in k.values()]


def _scan(tmp_path: Path, url: str, **options: Any) -> tuple[int, dict[str, Any], str]:
    config = tmp_path / "scan.yaml"
    config.write_text(yaml.safe_dump({"connectors": {"db": {"type": "sql", "url": url, **options}},
                                      "executor": {"type": "local"}}), encoding="utf-8")
    out = tmp_path / "report.json"
    res = CliRunner().invoke(app, ["scan", "-c", str(config), "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                                   "--as-of", AS_OF, "-f", "json", "-o", str(out)])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    return res.exit_code, json.loads(out.read_text(encoding="utf-8")), res.output


def _assets(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["path"][-1]: a for a in report["assets"]}


@pytest.mark.postgres
def test_pg_views_matviews_and_foreign_tables(tmp_path: Path, pg_url: str) -> None:
    canaries = _seed(pg_url)
    code, report, output = _scan(tmp_path, pg_url)
    assets = _assets(report)
    view = assets["v_pupils"]
    assert (view["relation"], view["base_tables"], view["child_status"]) == ("view", ["public.students"], "child")
    assert {c["name"] for c in view["columns"]} >= {"card"}
    mat = assets["mv_pupils"]
    assert (mat["relation"], mat["child_status"]) == ("materialized_view", "child")
    foreign = assets["remote_pupils"]
    assert foreign["relation"] == "foreign_table" and foreign["child_status"] == "unknown"
    assert foreign["coverage"]["not_read"] == "foreign_table" and foreign["errors"] == []
    assert assets["students"]["child_status"] == "child" and "relation" not in assets["students"]
    assert code == 1, output
    markdown = render_markdown(report)
    shown = MarkdownIt("commonmark").render(markdown)  # as a reader sees it (the source escapes names)
    assert "view of public.students" in shown and "not read (foreign_table)" in shown
    text = json.dumps(report, ensure_ascii=False) + output + markdown
    assert not [v for v in canaries if v in text]

    # include_views: false — still listed, as not read, with why.
    code, report, _ = _scan(tmp_path, pg_url, include_views=False)
    assets = _assets(report)
    for name in ("v_pupils", "mv_pupils"):
        assert assets[name]["coverage"]["not_read"] == "view_excluded" and assets[name]["child_status"] == "unknown"
    assert code == 1  # the base table still holds the children


@pytest.mark.mysql
def test_mariadb_views_are_scanned(tmp_path: Path, mysql_url: str) -> None:
    canaries = _seed(mysql_url)
    code, report, output = _scan(tmp_path, mysql_url)
    view = _assets(report)["v_pupils"]
    assert (view["relation"], view["child_status"]) == ("view", "child")
    assert "base_tables" not in view  # MariaDB 10.11 does not say
    assert code == 1, output
    assert not [v for v in canaries if v in json.dumps(report, ensure_ascii=False) + output]
