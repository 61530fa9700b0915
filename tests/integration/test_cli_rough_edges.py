"""Rough edges of a newcomer's walk-through (issue 17): what an ad-hoc run leaves behind, what a wrong
password prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MYSQL_ADMIN_URL


def _cli(*args: str, cwd: Path, state: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_STATE_HOME=str(state), PYTHONUNBUFFERED="1", COLUMNS="160")
    return subprocess.run([sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=env)


def test_adhoc_scan_leaves_nothing_in_the_working_folder(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "data" / "school.db"
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, sfzh TEXT)")
    conn.execute("INSERT INTO students VALUES (1, '110105201503071239')")
    conn.commit()
    conn.close()
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    state = tmp_path / "state"

    first = _cli("scan", f"sqlite:///{db}", "--executor", "local", cwd=cwd, state=state)
    assert first.returncode == 1, first.stderr
    assert list(cwd.iterdir()) == []
    assert (state / "pi-scanner" / "catalog.db").exists()
    assert (state / "pi-scanner" / "catalog.db.hmac-key").exists()
    assert (state / "pi-scanner").stat().st_mode & 0o777 == 0o700
    assert first.stderr.count(str(state / "pi-scanner")) >= 1

    second = _cli("scan", f"sqlite:///{db}", "--executor", "local", cwd=cwd, state=state)
    assert second.returncode == 1, second.stderr
    assert "keeping the ad-hoc catalog" not in second.stderr  # said once, the first time
    assert list(cwd.iterdir()) == []

    elsewhere = tmp_path / "other.db"
    third = _cli("scan", f"sqlite:///{db}", "--executor", "local", "--catalog", f"sqlite:///{elsewhere}",
                 cwd=cwd, state=tmp_path / "unused")
    assert third.returncode == 1, third.stderr
    assert elsewhere.exists() and not (tmp_path / "unused").exists()


@pytest.mark.mysql
def test_wrong_password_prints_the_error_and_summary_not_an_empty_table(tmp_path: Path, mysql_url: str) -> None:
    import sqlalchemy as sa

    url = sa.make_url(mysql_url).set(password="definitely-wrong").render_as_string(hide_password=False)
    proc = _cli("scan", url, "--executor", "local", cwd=tmp_path, state=tmp_path / "state")
    assert proc.returncode == 3
    assert "Access denied" in proc.stdout + proc.stderr
    assert "store error" in proc.stdout
    for border in ("┏", "┃ status", "└"):
        assert border not in proc.stdout, proc.stdout
    assert "definitely-wrong" not in proc.stdout + proc.stderr
    assert MYSQL_ADMIN_URL  # the fixture's server is the one the test reached


CHILD = "110105201503041239"
SIBLING = "310115201602290484"


def test_plan_made_from_store_urls_applies_with_the_same_urls(tmp_path: Path) -> None:
    """`subject erase URL -o plan.json` then `retention apply plan.json URL`: no config file anywhere."""
    import sqlite3

    db = tmp_path / "school.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, jhr_sjh TEXT)")
    con.executemany("INSERT INTO students VALUES (?,?,?,?)", [
        (1, "王小明", CHILD, "13800138000"), (2, "王小红", SIBLING, "13800138000"),
    ])
    con.commit()
    con.close()
    state = tmp_path / "state"
    url = f"sqlite:///{db}"
    as_of = ("--as-of", "2026-03-15")
    assert _cli("scan", url, *as_of, "--fail-on", "never", "--executor", "local", cwd=tmp_path,
                state=state).returncode == 0
    assert _cli("subject", "index", url, *as_of, cwd=tmp_path, state=state).returncode == 0
    plan = tmp_path / "plan.json"
    erase = _cli("subject", "erase", url, "--id-number", CHILD, "-o", str(plan), *as_of, cwd=tmp_path, state=state)
    assert erase.returncode == 0, erase.stderr
    assert json.loads(plan.read_text(encoding="utf-8"))["items"], "the plan must name the child's row"

    missing = _cli("retention", "apply", str(plan), cwd=tmp_path, state=state)
    assert missing.returncode == 2 and "store URLs" in missing.stderr, missing.stderr

    applied = _cli("retention", "apply", str(plan), url, cwd=tmp_path, state=state)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert sqlite3.connect(db).execute("SELECT sfzh FROM students").fetchall() == [(SIBLING,)]


def test_retention_policy_matching_nothing_is_not_a_clean_report(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "school.db"
    sqlite3.connect(db).execute("CREATE TABLE pupils (id INTEGER PRIMARY KEY, last_active_at TEXT)").connection.close()
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(
        f"connectors:\n  school: {{type: sql, url: 'sqlite:///{db}'}}\n"
        f"catalog: {{url: 'sqlite:///{tmp_path / 'catalog.db'}'}}\n"
        "retention:\n  - name: students-1y\n    selector: {connector: school, tables: ['main.students']}\n"
        "    anchor: last_active_at\n    max_age: 365d\n    scope: all_records\n",
        encoding="utf-8",
    )
    proc = _cli("retention", "report", "-c", str(cfg), cwd=tmp_path, state=tmp_path / "state")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "students-1y" in proc.stderr and "matched no table" in proc.stderr
    assert "┏" not in proc.stdout  # no empty grid
