"""Scheduled scans record their reads in the audit ledger (Art. 15), like on-demand ones."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import load_settings
from pi_scanner.keys import load_hmac_key
from pi_scanner.read_audit import ACTION
from pi_scanner.retention.ledger import Ledger
from tests.daemon_proc import DaemonProc, school_db, write_config


@pytest.mark.slow
def test_scheduled_scan_reads_are_in_the_ledger(tmp_path: Path) -> None:
    store = school_db(tmp_path / "school.db")
    con = sqlite3.connect(tmp_path / "school.db")
    con.execute("CREATE TABLE classes (id INTEGER PRIMARY KEY, bj TEXT)")
    con.execute("INSERT INTO classes VALUES (1, '三年级二班')")
    con.commit()
    con.close()
    catalog_url = f"sqlite:///{tmp_path / 'catalog.db'}"
    cfg = write_config(tmp_path / "cfg.yaml", catalog_url, {"school": {"type": "sql", "url": store}},
                        [{"name": "scan-school", "kind": "scan", "interval_seconds": 1, "connectors": ["school"]}])
    d = DaemonProc(cfg)
    try:
        first = d.wait_event("scan.reads_recorded", 60)
        assert first["job"] == "scan-school" and int(first["entries"]) == 2
        code, _ = d.stop()
        assert code == 0
    finally:
        d.kill()

    catalog = Catalog(catalog_url)
    try:
        ledger = Ledger(catalog, load_hmac_key(load_settings(cfg).catalog, create=False))
        reads = list(ledger.entries(action=ACTION))
        assert ledger.verify().ok
    finally:
        catalog.close()
    assert reads, "a scheduled scan left no scan.read entry"
    run_ids = {e.details["run_id"] for e in reads}
    assert first["run_id"] in run_ids
    mine = [e for e in reads if e.details["run_id"] == first["run_id"]]
    assert sorted(e.asset or "" for e in mine) == ["school:main/classes", "school:main/students"]
    for e in mine:
        assert e.actor == "daemon"
        assert e.policy == e.details["trigger"] == "schedule:scan-school"
        assert e.details["identity"].startswith("sqlite:file-owner:")
        assert e.details["outcome"] == "read" and e.basis == "P 15"
    students = next(e for e in mine if e.asset == "school:main/students")
    assert students.count == students.details["rows"] == 39
