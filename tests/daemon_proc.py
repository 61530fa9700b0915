"""A real ``pi-scanner serve`` process for tests: started as a subprocess, its JSON log collected, stopped.

Shared by the daemon, retention-job, read-audit, daemon-state, Prometheus and Dask tests.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml
from prometheus_client.parser import text_string_to_metric_families


def school_db(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, csrq TEXT, jhr_dh TEXT)")
    conn.executemany(
        "INSERT INTO students VALUES (?, ?, ?, ?, ?)",
        [(i, "张小明", "110105201503071239", "2015-03-07", "13912345678") for i in range(1, 40)],
    )
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


class DaemonProc:
    """A daemon subprocess whose JSON log lines are collected as they come."""

    def __init__(self, config: Path, env: dict[str, str] | None = None) -> None:
        self.lines: list[dict[str, Any]] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pi_scanner.daemon", "--config", str(config), "--log-format", "json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = int(self.wait_event("http.listening", 30)["port"])

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            try:
                self.lines.append(json.loads(line))
            except json.JSONDecodeError:
                self.lines.append({"event": "raw", "text": line})

    def wait_event(self, event: str, timeout: float) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for rec in list(self.lines):
                if rec.get("event") == event:
                    return rec
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"no {event} event; log: {self.lines[-10:]}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def metric(self, name: str, labels: dict[str, str] | None = None) -> float:
        _, text = self.get("/metrics")
        for fam in text_string_to_metric_families(text):
            for s in fam.samples:
                if s.name == name and all(s.labels.get(k) == v for k, v in (labels or {}).items()):
                    return float(s.value)
        return 0.0

    def wait_metric(self, name: str, labels: dict[str, str], at_least: float, timeout: float) -> float:
        end = time.monotonic() + timeout
        value = 0.0
        while time.monotonic() < end:
            value = self.metric(name, labels)
            if value >= at_least:
                return value
            time.sleep(0.2)
        raise AssertionError(f"{name}{labels} stayed at {value} < {at_least}; log: {self.lines[-8:]}")

    def stop(self, timeout: float = 20) -> tuple[int, float]:
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout)
        return code, time.monotonic() - started

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def write_config(path: Path, catalog_url: str, connectors: dict[str, Any], jobs: list[dict[str, Any]],
                  **daemon: Any) -> Path:
    cfg = {
        "connectors": connectors,
        "catalog": {"url": catalog_url, "hmac_key": "daemon-test-hmac-key-0123456789"},
        "daemon": {"metrics_port": 0, "shutdown_deadline_s": 10, "lease_ttl_s": 5, "jobs": jobs, **daemon},
    }
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path
