"""A real ``pi-scanner serve`` process (``python -m pi_scanner.daemon``) against real catalogs."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from pi_scanner.metrics import Metrics
from tests.binaries import require_binary
from tests.daemon_proc import DaemonProc, school_db, write_config

ROOT = Path(__file__).resolve().parents[2]
PROM_DIR = ROOT / "config" / "prometheus"
DASHBOARD = ROOT / "config" / "grafana" / "pi-scanner-dashboard.json"


def _promtool() -> str:
    return require_binary("promtool", install="apt-get install prometheus")


@pytest.mark.slow
def test_sqlite_catalog_jobs_run_metrics_move_reload_and_sigterm(tmp_path: Path, procs: list[DaemonProc]) -> None:
    store = school_db(tmp_path / "school.db")
    cfg = write_config(
        tmp_path / "cfg.yaml",
        f"sqlite:///{tmp_path / 'catalog.db'}",
        {"school": {"type": "sql", "url": store}},
        [
            {"name": "scan-school", "kind": "scan", "interval_seconds": 1, "connectors": ["school"]},
            {"name": "report", "kind": "report", "interval_seconds": 2, "output": str(tmp_path / "reports")},
        ],
    )
    d = DaemonProc(cfg)
    procs.append(d)
    assert d.get("/healthz")[0] == 200
    first = d.wait_metric("pi_scanner_job_runs_total", {"job": "scan-school", "outcome": "success"}, 1, 30)
    later = d.wait_metric("pi_scanner_job_runs_total", {"job": "scan-school", "outcome": "success"}, first + 2, 30)
    assert later >= first + 2
    assert d.metric("pi_scanner_assets_scanned_total", {"connector": "school"}) >= 3
    assert d.metric("pi_scanner_job_last_success_timestamp_seconds", {"job": "scan-school"}) > time.time() - 30
    status, body = d.get("/readyz")
    assert status == 200 and json.loads(body) == {"catalog": True, "scheduler": True}
    d.wait_metric("pi_scanner_job_runs_total", {"job": "report", "outcome": "success"}, 1, 30)
    report = json.loads((tmp_path / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert report["summary"]["assets_scanned"] == 1 and report["connectors"] == ["school"]
    assert (tmp_path / "reports" / f"report-{report['run_id']}.html").exists()

    # The exposition is valid for Prometheus and never carries a value from the store.
    _, text = d.get("/metrics")
    for raw in ("110105201503071239", "13912345678", "张小明"):
        assert raw not in text
        assert raw not in json.dumps(d.lines, ensure_ascii=False)
    if shutil.which("promtool") or os.environ.get("PI_SCANNER_REQUIRE_SERVICES") == "1":
        res = subprocess.run([_promtool(), "check", "metrics"], input=text, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr

    # SIGHUP with a broken file: rejected, counted, old jobs keep running.
    good = cfg.read_text(encoding="utf-8")
    cfg.write_text(good.replace("interval_seconds: 1", "interval_seconds: -3"), encoding="utf-8")
    d.proc.send_signal(signal.SIGHUP)
    d.wait_metric("pi_scanner_config_reload_failures_total", {}, 1, 10)
    before = d.metric("pi_scanner_job_runs_total", {"job": "scan-school", "outcome": "success"})
    d.wait_metric("pi_scanner_job_runs_total", {"job": "scan-school", "outcome": "success"}, before + 1, 15)
    # SIGHUP with a good file that drops the report job.
    fixed = yaml.safe_load(good)
    fixed["daemon"]["jobs"] = fixed["daemon"]["jobs"][:1]
    cfg.write_text(yaml.safe_dump(fixed, allow_unicode=True), encoding="utf-8")
    d.proc.send_signal(signal.SIGHUP)
    d.wait_metric("pi_scanner_config_reloads_total", {}, 1, 10)

    code, took = d.stop()
    assert code == 0
    assert took < 10  # the shutdown deadline
    assert d.wait_event("daemon.stopped", 5)["exit_code"] == 0


@pytest.mark.slow
def test_store_down_fails_the_job_not_the_daemon(tmp_path: Path, procs: list[DaemonProc]) -> None:
    cfg = write_config(
        tmp_path / "cfg.yaml",
        f"sqlite:///{tmp_path / 'catalog.db'}",
        {"gone": {"type": "sql", "url": "postgresql+psycopg://postgres@127.0.0.1:1/nothing"}},
        [{"name": "scan-gone", "kind": "scan", "interval_seconds": 1}],
    )
    d = DaemonProc(cfg)
    procs.append(d)
    d.wait_metric("pi_scanner_job_runs_total", {"job": "scan-gone", "outcome": "failure"}, 2, 40)
    assert d.metric("pi_scanner_scan_failures_total", {"job": "scan-gone", "connector": "gone"}) >= 2
    assert d.metric("pi_scanner_job_runs_total", {"job": "scan-gone", "outcome": "success"}) == 0
    assert d.get("/healthz")[0] == 200
    assert d.get("/readyz")[0] == 200
    assert d.wait_event("job.failed", 5)["job"] == "scan-gone"
    assert d.stop()[0] == 0


@pytest.mark.slow
def test_catalog_unreachable_at_start_is_not_ready_and_stops_cleanly(tmp_path: Path,
                                                                      procs: list[DaemonProc]) -> None:
    cfg = write_config(
        tmp_path / "cfg.yaml",
        "postgresql+psycopg://postgres:s3cret-pw@127.0.0.1:1/catalog",
        {},
        [],
        catalog_retry_max_s=1,
    )
    d = DaemonProc(cfg)
    procs.append(d)
    d.wait_event("catalog.unreachable", 20)
    assert d.get("/healthz")[0] == 200
    status, body = d.get("/readyz")
    assert status == 503 and json.loads(body)["catalog"] is False
    assert d.metric("pi_scanner_catalog_up") == 0
    assert "s3cret-pw" not in json.dumps(d.lines)
    code, took = d.stop()
    assert code == 0 and took < 10


def test_invalid_config_exits_2_with_the_path(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "cfg.yaml", "sqlite://", {}, [{"name": "x", "kind": "scan", "cron": "bad"}])
    res = subprocess.run([sys.executable, "-m", "pi_scanner.daemon", "--config", str(cfg), "--log-format", "json"],
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert "daemon.jobs.0" in res.stderr and "5 fields" in res.stderr


@pytest.mark.slow
@pytest.mark.postgres
def test_two_daemons_share_a_postgres_catalog_each_tick_runs_once(
    tmp_path: Path, pg_url: str, procs: list[DaemonProc]
) -> None:
    store = school_db(tmp_path / "school.db")
    cfg = write_config(
        tmp_path / "cfg.yaml",
        pg_url,
        {"school": {"type": "sql", "url": store}},
        [{"name": "tick", "kind": "scan", "interval_seconds": 2, "connectors": ["school"]}],
    )
    a = DaemonProc(cfg)
    procs.append(a)
    a.wait_event("scheduler.started", 30)
    b = DaemonProc(cfg)
    procs.append(b)
    b.wait_event("scheduler.started", 30)
    time.sleep(9)
    for d in (a, b):
        d.proc.send_signal(signal.SIGTERM)  # stop dispatching first, then read the final counters
    for d in (a, b):
        assert d.proc.wait(15) == 0
    successes = sum(
        1 for d in (a, b) for rec in d.lines if rec.get("event") == "job.finished" and rec.get("outcome") == "success"
    )
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            started = [r[0] for r in conn.execute(sa.text("SELECT started_at FROM scan_runs ORDER BY started_at"))]
    finally:
        engine.dispose()
    assert len(started) >= 3
    slots = [int(ts.timestamp()) // 2 for ts in started]
    assert len(slots) == len(set(slots)), f"a tick ran twice: {started}"
    assert successes == len(started)  # every run in the catalog came from exactly one daemon's job
    ran_on = {rec.get("job") for d in (a, b) for rec in d.lines if rec.get("event") == "job.started"}
    assert ran_on == {"tick"}


@pytest.mark.slow
@pytest.mark.postgres
def test_killed_daemon_lease_expires_and_another_takes_over(
    tmp_path: Path, pg_url: str, procs: list[DaemonProc]
) -> None:
    store = school_db(tmp_path / "school.db")
    cfg = write_config(
        tmp_path / "cfg.yaml",
        pg_url,
        {"school": {"type": "sql", "url": store}},
        [{"name": "tick", "kind": "scan", "interval_seconds": 1, "connectors": ["school"]}],
        lease_ttl_s=2,
    )
    a = DaemonProc(cfg)
    procs.append(a)
    a.wait_metric("pi_scanner_job_runs_total", {"job": "tick", "outcome": "success"}, 1, 30)
    b = DaemonProc(cfg)
    procs.append(b)
    b.wait_event("scheduler.started", 30)
    a.proc.kill()  # no release, no goodbye
    a.proc.wait(10)
    before = b.metric("pi_scanner_job_runs_total", {"job": "tick", "outcome": "success"})
    b.wait_metric("pi_scanner_job_runs_total", {"job": "tick", "outcome": "success"}, before + 2, 30)
    assert b.stop()[0] == 0


# -- Prometheus rules and the dashboard -----------------------------------------------------------------


def test_promtool_check_and_test_rules() -> None:
    promtool = _promtool()
    for args in (["check", "rules", "alerts.yml"], ["test", "rules", "alerts_test.yml"],
                 ["check", "config", "prometheus.yml"]):
        res = subprocess.run([promtool, *args], cwd=PROM_DIR, capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stdout + res.stderr


def _exported_names() -> set[str]:
    names: set[str] = set()
    for fam in Metrics().registry.collect():
        names.add(fam.name)
        if fam.type == "counter":
            names.add(fam.name + "_total")
        if fam.type == "histogram":
            names |= {fam.name + s for s in ("_bucket", "_sum", "_count")}
    return names


_PROMQL_WORDS = {"sum", "by", "rate", "increase", "delta", "time", "histogram_quantile", "max", "min", "avg",
                 "or", "and", "le", "job", "connector", "policy", "outcome", "stage", "entity_category", "instance",
                 "kind", "up", "count", "label_values", "on"}


def _metric_names(expr: str) -> set[str]:
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges
    return {w for w in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr) if w not in _PROMQL_WORDS}


def test_dashboard_and_alerts_name_only_exported_metrics() -> None:
    exported = _exported_names()
    dash = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    exprs = [t["expr"] for p in dash["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 15
    used: set[str] = set()
    for expr in exprs:
        used |= _metric_names(expr)
    assert used, exprs
    assert used <= exported, used - exported
    for wanted in ("pi_scanner_children_records_estimated", "pi_scanner_unencrypted_children_assets",
                   "pi_scanner_public_children_assets", "pi_scanner_over_retained_records",
                   "pi_scanner_deleted_records_total", "pi_scanner_job_runs_total"):
        assert wanted in used
    rules = yaml.safe_load((PROM_DIR / "alerts.yml").read_text(encoding="utf-8"))
    for rule in rules["groups"][0]["rules"]:
        names = _metric_names(rule["expr"]) - {"d", "h"} - {"2", "86400"}
        assert names <= exported, (rule["alert"], names - exported)
