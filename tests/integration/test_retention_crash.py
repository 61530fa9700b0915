"""A retention apply killed with SIGKILL mid-way, then rerun: exactly the plan is deleted, once."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from pi_scanner.catalog.store import Catalog
from pi_scanner.retention.keyset import side_file
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import Plan

KEY = "crash-test-hmac-key-0123456789abcdef"


def _setup(url: str, tmp_path: Path, n: int = 80) -> Path:
    engine = sa.create_engine(url)
    table = sa.Table(
        "accounts", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_login_at", sa.DateTime),
    )
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [
            {"id": i, "last_login_at": dt.datetime(2024, 1, 1) if i % 4 else dt.datetime(2026, 3, 1)}
            for i in range(1, n + 1)
        ])
    engine.dispose()
    config = {
        "connectors": {"db": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY},
        "retention": [{
            "name": "stale", "selector": {"connector": "db", "tables": ["*.accounts"]},
            "anchor": "last_login_at", "max_age": "180d", "enforce": True, "batch_size": 4,
        }],
    }
    path = tmp_path / "cfg.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pi_scanner.cli.retention", *args],
        env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _ids(url: str) -> set[int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        table = sa.Table("accounts", sa.MetaData(), autoload_with=conn)
        out = {int(r[0]) for r in conn.execute(sa.select(table.c.id))}
    engine.dispose()
    return out


def _wait_for_done_batch(catalog_db: Path, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if catalog_db.exists():
            con = sqlite3.connect(catalog_db)
            try:
                done = con.execute("SELECT count(*) FROM retention_progress WHERE state = 'done'").fetchone()[0]
            except sqlite3.OperationalError:  # table not created yet
                done = 0
            finally:
                con.close()
            if done:
                return
        time.sleep(0.05)
    raise AssertionError("no batch finished before the timeout")


def _crash_and_resume(url: str, tmp_path: Path) -> None:
    cfg = _setup(url, tmp_path)
    plan_path = tmp_path / "plan.json"
    proc = _cli("retention", "plan", "-c", str(cfg), "-o", str(plan_path), "--as-of", "2026-03-15")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    saved = Plan.from_json(json.loads(plan_path.read_text()), side_file(plan_path))
    planned = {k[0] for k in saved.keys(saved.items[0])}
    saved.close()
    assert len(planned) == 60
    before = _ids(url)
    # 15 batches at 0.25 s each: kill somewhere in the middle.
    victim = _cli("retention", "apply", str(plan_path), "-c", str(cfg),
                  env={"PI_SCANNER_TEST_SLEEP_PER_BATCH": "0.25"})
    # Kill once a batch or two are done (polling the catalog: a fixed sleep raced the interpreter's start
    # on a loaded machine, and a run killed before its first batch has nothing to resume).
    _wait_for_done_batch(tmp_path / "cat.db", timeout=120)
    time.sleep(random.uniform(0.0, 0.5))
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    partial = _ids(url)
    assert before - partial < planned and before - partial <= planned, "killed run deleted outside the plan"
    rerun = _cli("retention", "apply", str(plan_path), "-c", str(cfg), "--json")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    result = json.loads(out)
    assert result["items"][0]["resumed_batches"] >= 1
    assert _ids(url) == before - planned
    catalog = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    try:
        ledger = Ledger(catalog, KEY.encode())
        assert ledger.verify().ok
        entries = list(ledger.entries(action="retention.delete"))
        assert sum(e.count for e in entries) == 60
        assert sorted(e.details["batch"] for e in entries) == list(range(15))
    finally:
        catalog.close()


@pytest.mark.slow
def test_crash_resume_sqlite(sqlite_url: str, tmp_path: Path) -> None:
    _crash_and_resume(sqlite_url, tmp_path)


@pytest.mark.slow
@pytest.mark.postgres
def test_crash_resume_postgres(pg_url: str, tmp_path: Path) -> None:
    _crash_and_resume(pg_url, tmp_path)


@pytest.mark.slow
@pytest.mark.mysql
def test_crash_resume_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _crash_and_resume(mysql_url, tmp_path)
