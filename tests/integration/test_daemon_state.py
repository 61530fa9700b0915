"""What a real ``pi-scanner serve`` process knows right after it starts, and how it stops late.

* The ledger is verified at start: a fresh daemon exports ``verified 1, ok 1`` within seconds (it used to
  export ``ok 0``, which fired the critical alert), a tampered ledger ``verified 1, ok 0``.
* The estate gauges come back from the catalog: a restart does not blank the dashboard until the next
  scheduled scan.
* A SIGTERM while a job overruns the shutdown deadline ends with exit 1 (the job is abandoned).
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from pi_scanner.as_of import today_shanghai
from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.dates import anniversary
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.tables import audit_ledger
from tests.canaries import resident_id
from tests.daemon_proc import DaemonProc, school_db, write_config

HMAC = b"daemon-test-hmac-key-0123456789"
_FAR = "0 3 1 1 *"  # 1 January, 03:00: never during a test


def test_fresh_daemon_verifies_the_ledger_at_start(tmp_path: Path, procs: list[DaemonProc]) -> None:
    cfg = write_config(tmp_path / "cfg.yaml", f"sqlite:///{tmp_path / 'catalog.db'}", {}, [])
    d = DaemonProc(cfg)
    procs.append(d)
    d.wait_metric("pi_scanner_ledger_verified", {}, 1, 30)
    assert d.metric("pi_scanner_ledger_verify_ok") == 1
    assert d.metric("pi_scanner_ledger_last_verify_timestamp_seconds") > 0
    assert d.stop()[0] == 0


def test_tampered_ledger_reads_failed_not_never_verified(tmp_path: Path, procs: list[DaemonProc]) -> None:
    url = f"sqlite:///{tmp_path / 'catalog.db'}"
    with Catalog(url) as catalog:
        catalog.migrate()
        ledger = Ledger(catalog, HMAC)
        ledger.append("retention.delete", policy="p", asset="school/main.students", count=3)
        ledger.append("retention.delete", policy="p", asset="school/main.students", count=4)
        with catalog.engine.begin() as conn:
            conn.execute(sa.update(audit_ledger).where(audit_ledger.c.seq == 1).values(count=30))
    cfg = write_config(tmp_path / "cfg.yaml", url, {}, [], ledger_verify_interval_s=1)
    d = DaemonProc(cfg)
    procs.append(d)
    d.wait_metric("pi_scanner_ledger_verified", {}, 1, 30)
    assert d.metric("pi_scanner_ledger_verify_ok") == 0
    assert d.metric("pi_scanner_ledger_entries") == 2
    d.stop()


def test_restart_restores_estate_gauges_from_the_catalog(tmp_path: Path, procs: list[DaemonProc]) -> None:
    store = school_db(tmp_path / "school.db")
    catalog = f"sqlite:///{tmp_path / 'catalog.db'}"
    connectors = {"school": {"type": "sql", "url": store}}
    first = DaemonProc(write_config(tmp_path / "a.yaml", catalog, connectors,
                                     [{"name": "scan", "kind": "scan", "interval_seconds": 1}]))
    procs.append(first)
    first.wait_metric("pi_scanner_job_runs_total", {"job": "scan", "outcome": "success"}, 1, 60)
    children = first.metric("pi_scanner_children_records_estimated", {"connector": "school"})
    unencrypted = first.metric("pi_scanner_unencrypted_children_assets", {"connector": "school"})
    assert children > 0 and unencrypted == 1
    assert first.stop()[0] == 0

    # The next scheduled scan is months away: only the catalog can fill the gauges.
    second = DaemonProc(write_config(tmp_path / "b.yaml", catalog, connectors,
                                      [{"name": "scan", "kind": "scan", "cron": _FAR}]))
    procs.append(second)
    second.wait_event("estate.restored", 30)
    assert second.metric("pi_scanner_children_records_estimated", {"connector": "school"}) == children
    assert second.metric("pi_scanner_unencrypted_children_assets", {"connector": "school"}) == unencrypted
    assert second.metric("pi_scanner_job_runs_total", {"job": "scan", "outcome": "success"}) == 0
    second.stop()


def test_upcoming_age_outs_are_exported_and_come_back_after_a_restart(
    tmp_path: Path, procs: list[DaemonProc]
) -> None:
    # Three pupils turn 14 in 5, 10 and 20 days (they age out the day after), one in 60 days: not in the window.
    today = today_shanghai()
    rng = random.Random(7)
    db = tmp_path / "school.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE xs_jbxx (id INTEGER PRIMARY KEY, sfzh TEXT, rxrq TEXT)")
    births = [anniversary(today, -14) + dt.timedelta(days=d) for d in (5, 10, 20, 60)]
    conn.executemany("INSERT INTO xs_jbxx (sfzh, rxrq) VALUES (?, '2019-09-01')",
                     [(resident_id(b, rng),) for b in births])
    conn.commit()
    conn.close()
    catalog = f"sqlite:///{tmp_path / 'catalog.db'}"
    connectors = {"school": {"type": "sql", "url": f"sqlite:///{db}"}}
    gauge, labels = "pi_scanner_upcoming_age_out_records", {"connector": "school"}
    first = DaemonProc(write_config(tmp_path / "a.yaml", catalog, connectors,
                                     [{"name": "scan", "kind": "scan", "interval_seconds": 1}]))
    procs.append(first)
    first.wait_metric("pi_scanner_job_runs_total", {"job": "scan", "outcome": "success"}, 1, 60)
    assert first.metric(gauge, labels) == 3
    assert first.stop()[0] == 0

    second = DaemonProc(write_config(tmp_path / "b.yaml", catalog, connectors,
                                      [{"name": "scan", "kind": "scan", "cron": _FAR}]))
    procs.append(second)
    second.wait_event("estate.restored", 30)
    assert second.metric(gauge, labels) == 3  # from the catalog: no scan ran in this process
    assert second.metric("pi_scanner_job_runs_total", {"job": "scan", "outcome": "success"}) == 0
    second.stop()


@pytest.mark.slow
def test_sigterm_past_the_deadline_abandons_the_job_and_exits_1(tmp_path: Path, procs: list[DaemonProc]) -> None:
    db = tmp_path / "big.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, sfzh TEXT, note TEXT)")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000) "
        "INSERT INTO people SELECT i, '110105201503071239', 'x' FROM n"
    )
    conn.commit()
    conn.close()
    cfg = write_config(
        tmp_path / "cfg.yaml", f"sqlite:///{tmp_path / 'catalog.db'}",
        {"big": {"type": "sql", "url": f"sqlite:///{db}"}},
        [{"name": "scan", "kind": "scan", "interval_seconds": 1}],
        shutdown_deadline_s=0.2,
    )
    data = cfg.read_text(encoding="utf-8") + "scan:\n  census: true\n"
    cfg.write_text(data, encoding="utf-8")
    d = DaemonProc(cfg)
    procs.append(d)
    d.wait_event("job.started", 30)
    code, _ = d.stop(timeout=60)
    assert code == 1
    abandoned = d.wait_event("daemon.jobs_abandoned", 5)
    assert "scan" in abandoned["jobs"]
    assert d.wait_event("daemon.stopped", 5)["exit_code"] == 1
