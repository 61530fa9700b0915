"""A real Prometheus server scraping ``pi-scanner serve`` on the demo estate, with the shipped alert rules.

Every query of the Grafana dashboard (its ``$connector`` variable set to match all) must return a series
once the demo's first jobs have run, and no alert may fire that the demo's data does not call for. The demo
configuration is used as shipped except for shorter intervals (the shipped 5–10 min would make a test of
minutes) and the ports.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pi_scanner.demo import generate_demo
from tests.binaries import require_binary
from tests.daemon_proc import DaemonProc

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "config" / "grafana" / "pi-scanner-dashboard.json"
ALERTS = ROOT / "config" / "prometheus" / "alerts.yml"

#: Alerts the demo's data calls for once its jobs ran: its students are kept past the policy's year, so the
#: over-retention alert is pending (it fires after a day). Nothing may be firing.
EXPECTED_PENDING = {"PiScannerOverRetained"}


def _prometheus() -> str:
    return require_binary("prometheus", install="apt-get install prometheus")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _query(port: int, expr: str) -> list[dict[str, Any]]:
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as resp:
        body = json.loads(resp.read())
    assert body["status"] == "success", body
    return list(body["data"]["result"])


@pytest.fixture
def demo_daemon(tmp_path: Path) -> Iterator[DaemonProc]:
    generate_demo(tmp_path / "demo")
    cfg = yaml.safe_load((ROOT / "config" / "demo.yaml").read_text(encoding="utf-8"))
    kinds = {job["kind"] for job in cfg["daemon"]["jobs"]}
    assert {"scan", "report", "retention_report"} <= kinds, "the demo schedule must fill every panel"
    for i, job in enumerate(cfg["daemon"]["jobs"]):
        job["interval_seconds"] = 3 + i
        job["jitter_seconds"] = 0
    cfg["daemon"]["metrics_port"] = 0
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    daemon = DaemonProc(path, env={"PI_SCANNER_DEMO_DIR": str(tmp_path / "demo")})
    try:
        yield daemon
    finally:
        daemon.kill()


@pytest.mark.slow
def test_dashboard_queries_return_series_and_only_expected_alerts(tmp_path: Path, demo_daemon: DaemonProc) -> None:
    binary = _prometheus()
    port = _free_port()
    prom_cfg = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(ALERTS)],
        "scrape_configs": [
            {"job_name": "pi-scanner", "static_configs": [{"targets": [f"127.0.0.1:{demo_daemon.port}"]}]}
        ],
    }
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(prom_cfg), encoding="utf-8")
    prom = subprocess.Popen(
        [binary, f"--config.file={tmp_path / 'prometheus.yml'}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for job in ("demo-scan", "demo-report", "demo-retention"):
            demo_daemon.wait_metric("pi_scanner_job_runs_total", {"job": job, "outcome": "success"}, 1, 120)
        dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
        exprs = [t["expr"].replace("$connector", ".*") for p in dashboard["panels"] for t in p.get("targets", [])]
        deadline = time.monotonic() + 60
        empty = exprs
        while time.monotonic() < deadline:
            try:
                empty = [e for e in exprs if not _query(port, e)]
            except OSError:  # Prometheus still starting
                empty = exprs
            if not empty:
                break
            time.sleep(1)
        assert not empty, f"dashboard queries without a series: {empty}"

        # Rules are evaluated every second: give the newest samples a few evaluations.
        deadline = time.monotonic() + 20
        firing: set[str] = set()
        pending: set[str] = set()
        while time.monotonic() < deadline:
            alerts = _query(port, "ALERTS")
            firing = {a["metric"]["alertname"] for a in alerts if a["metric"]["alertstate"] == "firing"}
            pending = {a["metric"]["alertname"] for a in alerts if a["metric"]["alertstate"] == "pending"}
            if firing or pending == EXPECTED_PENDING:
                break
            time.sleep(1)
        assert firing == set(), firing
        assert pending == EXPECTED_PENDING, pending
    finally:
        prom.terminate()
        prom.wait(20)
