"""The command line end to end: the demo, exit codes, clear errors, and no raw PI in anything written."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from pi_scanner.demo import CANARY_ID, CANARY_NAME, CANARY_PHONE
from pi_scanner.report.json_report import report_schema

CANARIES = (CANARY_ID, CANARY_PHONE, CANARY_NAME, CANARY_ID[:6] + CANARY_ID[6:14])


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run(
        [sys.executable, "-m", "pi_scanner", *args],
        capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env,
    )


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("demo")
    proc = run_cli("--debug", "demo", "--output", str(out))
    return out, proc


def assets_by_path(report: dict) -> dict[tuple[str, ...], dict]:
    return {tuple(a["path"]): a for a in report["assets"]}


def test_demo_finds_the_children_and_no_adult_table_is_child(demo_run) -> None:
    out, proc = demo_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, report_schema())
    assets = assets_by_path(report)
    students = assets[("main", "students")]
    assert students["child_status"] == "child"
    assert students["child_rows"] >= 100
    kindergarten = assets[("main", "幼儿园幼儿")]
    assert kindergarten["child_status"] == "child" and kindergarten["child_rows"] == 40
    for adult_table in (("main", "teachers"), ("main", "orders"), ("main", "audit_events")):
        assert assets[adult_table]["child_status"] not in ("child", "likely_child"), adult_table
    sfzh = {c["name"]: c for c in students["columns"]}["sfzh"]
    assert "CN_RESIDENT_ID" in sfzh["entity_types"] and not sfzh["encrypted"]
    assert 13 in sfzh["articles"]
    roster = [a for p, a in assets.items() if p[-1].endswith("students_roster_2025.csv")]
    assert roster and roster[0]["child_status"] == "child" and roster[0]["kind"] == "file"
    staff = [a for p, a in assets.items() if p[-1].endswith("staff_directory.csv")]
    assert staff and staff[0]["child_status"] not in ("child", "likely_child")
    accounts = {c["name"]: c for c in assets[("main", "game_accounts")]["columns"]}
    assert accounts["id_card_enc"]["encrypted"]
    assert (out / "report.html").stat().st_size > 1000 and (out / "report.md").exists()
    # Report-only retention policies of the demo: over-retained children's records are in the report.
    over = {o["policy"]: o for o in students.get("over_retained", [])}
    assert over["inactive-students"]["expired"] > 0
    assert over["inactive-students"]["children"] == over["inactive-students"]["expired"]
    assert report["retention"]["children_over_retained_records"] >= over["inactive-students"]["children"]


def test_demo_writes_no_canary_anywhere(demo_run) -> None:
    out, proc = demo_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    written = [proc.stdout, proc.stderr]
    for name in ("report.json", "report.html", "report.md"):
        written.append((out / name).read_text(encoding="utf-8"))
    con = sqlite3.connect(out / "catalog.db")
    written.extend(str(row) for row in con.iterdump())
    con.close()
    blob = "\n".join(written)
    assert "********" in blob or "****" in blob  # masked examples are there...
    for canary in CANARIES:
        assert canary not in blob  # ...raw values are not


def test_unreachable_database_is_one_clear_line_and_exit_3(tmp_path: Path) -> None:
    proc = run_cli("scan", "postgresql://scanner:hunter2@127.0.0.1:1/school", "--catalog",
                   f"sqlite:///{tmp_path / 'c.db'}")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "postgresql-127-0-0-1-school" in proc.stderr
    assert "hunter2" not in proc.stderr + proc.stdout


def test_debug_shows_the_traceback_for_runtime_failures(tmp_path: Path) -> None:
    proc = run_cli("--debug", "scan", str(tmp_path / "missing.db"))
    assert proc.returncode == 2  # not an existing path nor a URL: usage error
    assert "not a store URL" in proc.stderr


def test_no_target_is_a_usage_error() -> None:
    proc = run_cli("scan")
    assert proc.returncode == 2
    assert "nothing to scan" in proc.stderr


def test_sqlite_url_scan_exit_codes(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE products (sku TEXT, price INTEGER)")
    con.executemany("INSERT INTO products VALUES (?, ?)", [(f"A-{n}", n) for n in range(50)])
    con.commit()
    proc = run_cli("scan", f"sqlite:///{db}", "--format", "json", "--catalog", f"sqlite:///{tmp_path / 'c.db'}")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    jsonschema.validate(report, report_schema())
    con.execute("CREATE TABLE pupils (name TEXT, sfzh TEXT)")
    con.executemany(
        "INSERT INTO pupils VALUES (?, ?)", [("王小明", "110105201503041239"), ("李梓涵", "310115201602290484")]
    )
    con.commit()
    con.close()
    proc = run_cli("scan", f"sqlite:///{db}", "--as-of", "2026-03-15", "--format", "markdown",
                   "--catalog", f"sqlite:///{tmp_path / 'c.db'}")
    assert proc.returncode == 1, proc.stderr
    assert "| child |" in proc.stdout
    never = run_cli("scan", f"sqlite:///{db}", "--fail-on", "never", "--catalog", f"sqlite:///{tmp_path / 'c.db'}")
    assert never.returncode == 0
