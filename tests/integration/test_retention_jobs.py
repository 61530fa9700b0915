"""Retention job kinds in a real daemon subprocess: the gauge moves, only enforced policies delete."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import yaml

from pi_scanner.scheduler import job_kind
from tests.daemon_proc import DaemonProc


def _store(path: Path) -> str:
    """``students`` and ``accounts``: ids 1..30, odd ids inactive for over two years."""
    conn = sqlite3.connect(path)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for table in ("students", "accounts"):
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, nickname TEXT, last_active_at TIMESTAMP)")
        conn.executemany(
            f"INSERT INTO {table} VALUES (?, ?, ?)",
            [(i, f"user{i}", (now - dt.timedelta(days=800 if i % 2 else 10)).isoformat(sep=" "))
             for i in range(1, 31)],
        )
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_kinds_load_through_entry_points() -> None:
    assert job_kind("retention_report").__name__ == "retention_report_job"
    assert job_kind("retention_enforce").__name__ == "retention_enforce_job"


@pytest.mark.slow
def test_daemon_runs_retention_report_and_enforce(tmp_path: Path, procs: list[DaemonProc]) -> None:
    db = tmp_path / "app.db"
    url = _store(db)
    policy = {"anchor": "last_active_at", "max_age": "365d", "batch_size": 4}
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump({
        "connectors": {"app": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'catalog.db'}", "hmac_key": "jobs-test-hmac-key-0123456789abcdef"},
        "retention": [
            {"name": "students-report-only", "selector": {"connector": "app", "tables": ["*.students"]}, **policy},
            {"name": "accounts", "selector": {"connector": "app", "tables": ["*.accounts"]}, "enforce": True,
             **policy},
        ],
        "daemon": {"metrics_port": 0, "shutdown_deadline_s": 10, "lease_ttl_s": 5, "jobs": [
            {"name": "retention-report", "kind": "retention_report", "interval_seconds": 1,
             "options": {"policies": ["students-report-only"]}},
            {"name": "retention-enforce", "kind": "retention_enforce", "interval_seconds": 2},
        ]},
    }), encoding="utf-8")
    d = DaemonProc(cfg)
    procs.append(d)
    # The report job covers only the report-only policy: 15 expired students.
    assert d.wait_metric("pi_scanner_over_retained_records", {"policy": "students-report-only"}, 15, 60) == 15
    d.wait_metric("pi_scanner_job_runs_total", {"job": "retention-enforce", "outcome": "success"}, 1, 60)
    assert d.metric("pi_scanner_deleted_records_total", {"policy": "accounts"}) == 15
    assert d.metric("pi_scanner_ledger_entries") >= 4  # 15 keys in batches of 4
    assert d.metric("pi_scanner_ledger_verify_ok") == 1
    assert _count(db, "accounts") == 15 and _count(db, "students") == 30  # report-only never deletes
    # A later enforce run finds nothing left and the gauge says so.
    d.wait_metric("pi_scanner_job_runs_total", {"job": "retention-enforce", "outcome": "success"}, 2, 60)
    assert d.metric("pi_scanner_deleted_records_total", {"policy": "accounts"}) == 15
    assert d.metric("pi_scanner_over_retained_records", {"policy": "accounts"}) == 0
    code, _ = d.stop()
    assert code == 0
