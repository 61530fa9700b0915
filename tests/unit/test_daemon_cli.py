from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import yaml
from typer.testing import CliRunner

from pi_scanner.cli.serve import jobs_app


def _config(tmp_path: Path) -> Path:
    db = tmp_path / "school.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, sfzh TEXT)")
    conn.execute("INSERT INTO students VALUES (1, '110105201503071239')")
    conn.commit()
    conn.close()
    cfg = {
        "connectors": {"school": {"type": "sql", "url": f"sqlite:///{db}"}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'catalog.db'}"},
        "daemon": {"jobs": [
            {"name": "scan", "kind": "scan", "interval_seconds": 60},
            {"name": "off", "kind": "scan", "cron": "0 2 * * *", "enabled": False},
        ]},
    }
    path = tmp_path / "cfg.yaml"
    path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return path


def test_jobs_run_then_list_shows_outcome(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    runner = CliRunner()
    res = runner.invoke(jobs_app, ["run", "scan", "--config", str(cfg)])
    assert res.exit_code == 0, res.output
    assert "scan: success" in res.output
    assert "110105201503071239" not in res.output
    res = runner.invoke(jobs_app, ["list", "--config", str(cfg), "--json"])
    assert res.exit_code == 0, res.output
    rows = {r["name"]: r for r in json.loads(res.output)}
    assert rows["scan"]["last_outcome"] == "success" and rows["scan"]["next_run"]
    assert rows["off"]["enabled"] is False and rows["off"]["next_run"] is None


def test_unknown_job_and_invalid_config_exit_2(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    runner = CliRunner()
    res = runner.invoke(jobs_app, ["run", "nope", "--config", str(cfg)])
    assert res.exit_code == 2 and "no job named 'nope'" in res.output
    cfg.write_text("daemon: {jobs: [{name: x, kind: scan}]}", encoding="utf-8")
    res = runner.invoke(jobs_app, ["list", "--config", str(cfg)])
    assert res.exit_code == 2 and "exactly one of cron or interval_seconds" in res.output
