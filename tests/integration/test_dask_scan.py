"""Dask as deployed: ``dask scheduler`` and ``dask worker`` processes, driven by the ``pi-scanner`` CLI.

One cluster (a scheduler and two workers, started as subprocesses on 127.0.0.1) serves the module. The
estate is PostgreSQL, MariaDB, a folder and a moto S3 server running as its own process. The workers
carry a test hook that makes the first worker to run one census key range kill itself with SIGKILL.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.corpus import ric
from pi_scanner.config import SqlConnectorConfig, parse_settings
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.work import DIE_HOOK_ENV, WorkContext, WorkUnit, census_columns, plan_census
from tests.dask_cluster import DaskCluster, worker_env_without
from tests.s3_server import CREDS, free_port, make_client, s3_endpoint_subprocess, unique_bucket

distributed = pytest.importorskip("distributed")

AS_OF = dt.date(2026, 3, 15)
PG_PASSWORD = "pg-secret-canary-7f3a9c"  # PostgreSQL trusts 127.0.0.1: any password is accepted
pytestmark = [pytest.mark.postgres, pytest.mark.mysql, pytest.mark.s3, pytest.mark.slow]
__all__ = ["s3_endpoint_subprocess"]  # a fixture, imported to be used here


@pytest.fixture(scope="module")
def die_marker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dask") / "worker-killed"


@pytest.fixture(scope="module")
def cluster(die_marker: Path) -> Iterator[DaskCluster]:
    # The second key range of ``pupils`` kills the first worker that runs it (SIGKILL, mid-unit).
    with DaskCluster(workers=2, env={DIE_HOOK_ENV: f"{die_marker}:pupils#1/"}) as running:
        yield running


def _pg_students(url: str, n: int, start: int = 1) -> None:
    engine = sa.create_engine(url)
    md = sa.MetaData()
    table = sa.Table(
        "pupils", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("xm", sa.String(16)),
        sa.Column("sfzh", sa.String(18)),
        sa.Column("jhr_sjh", sa.String(11)),
    )
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [
            {"id": i, "xm": "小明", "sfzh": ric("310101", dt.date(2012 + i % 8, 1 + i % 12, 1 + i % 28), i),
             "jhr_sjh": f"139{i:08d}"}
            for i in range(start, start + n)
        ])
        conn.execute(sa.text("ANALYZE pupils"))
    engine.dispose()


def _mysql_students(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE xs (id INT PRIMARY KEY, xm VARCHAR(16), sfzh CHAR(18), "
                             "csrq DATE)"))
        conn.execute(sa.text("INSERT INTO xs VALUES (:id, :xm, :sfzh, :csrq)"), [
            {"id": i, "xm": "李四", "sfzh": ric("110105", dt.date(2014, 1 + i % 12, 1 + i % 28), i),
             "csrq": dt.date(2014, 1 + i % 12, 1 + i % 28)} for i in range(1, 80)
        ])
        conn.execute(sa.text("CREATE TABLE fees (id INT PRIMARY KEY, amount INT)"))
        conn.execute(sa.text("INSERT INTO fees VALUES (1, 10), (2, 20)"))
    engine.dispose()


def _estate(tmp_path: Path, pg_url: str, mysql_url: str, endpoint: str, cluster: DaskCluster) -> Path:
    _pg_students(pg_url, 3_000)
    _mysql_students(mysql_url)
    folder = tmp_path / "exports"
    folder.mkdir()
    lines = ["name,id_number,phone"] + [
        f"王{i},{ric('440305', dt.date(2016, 3, 1 + i), i)},1391234{i:04d}" for i in range(20)
    ]
    (folder / "pupils.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    bucket = unique_bucket("dask")
    s3 = make_client(endpoint)
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="roster/kids.csv", Body="\n".join(lines).encode())
    s3.put_object(Bucket=bucket, Key="misc/notes.txt", Body=b"nothing personal here\n")
    cfg = {
        "connectors": {
            "pg": {"type": "sql", "url": pg_url, "password": PG_PASSWORD, "max_concurrent_queries": 2},
            "maria": {"type": "sql", "url": mysql_url},
            "files": {"type": "fs", "path": str(folder)},
            "lake": {"type": "s3", "endpoint_url": endpoint, "region": "us-east-1", "path_style": True,
                     "access_key_id": CREDS["aws_access_key_id"],
                     "secret_access_key": CREDS["aws_secret_access_key"], "buckets": [bucket]},
        },
        "catalog": {"hmac_key": "dask-test-hmac-key-0123456789abcdef"},
        "scan": {"census": True, "partition_rows": 1_000},
        "executor": {"address": cluster.address, "connect_timeout_s": 5, "backoff_s": 0.01},
    }
    path = tmp_path / "estate.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return path


def run_cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True,
                          timeout=timeout, env=dict(os.environ, PYTHONUNBUFFERED="1"))


def _scan(config: Path, catalog: Path, out: Path, *extra: str) -> dict[str, Any]:
    proc = run_cli("scan", "--config", str(config), "--catalog", f"sqlite:///{catalog}", "--format", "json",
                   "--output", str(out), "--fail-on", "never", *extra)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def _normalised(report: dict[str, Any]) -> str:
    out = {k: v for k, v in report.items() if k not in ("run_id", "started_at", "finished_at")}
    return json.dumps(out, sort_keys=True, ensure_ascii=False)


def test_cli_scan_on_a_real_cluster_equals_the_local_scan_and_reruns_a_killed_workers_unit(
    tmp_path: Path, pg_url: str, mysql_url: str, s3_endpoint_subprocess: str, cluster: DaskCluster,
    die_marker: Path,
) -> None:
    config = _estate(tmp_path, pg_url, mysql_url, s3_endpoint_subprocess, cluster)
    local = _scan(config, tmp_path / "local.db", tmp_path / "local.json", "--executor", "local")
    assert not local["summary"]["store_errors"] and not local["summary"].get("failed_connectors")
    assert not die_marker.exists()
    dasked = _scan(config, tmp_path / "dask.db", tmp_path / "dask.json", "--executor", "dask",
                   "--dask-address", cluster.address)
    assert die_marker.exists()  # a worker was SIGKILLed running pupils' second key range
    assert _normalised(dasked) == _normalised(local)
    connectors = {a["path"][0] if a["path"] else "" for a in dasked["assets"]} | {
        a.get("connector", "") for a in dasked["assets"]}
    assert {"pg", "maria", "files", "lake"} <= connectors, connectors
    pupils = next(a for a in dasked["assets"] if a["path"][-1] == "pupils")
    assert pupils["rows_scanned"] == 3_000  # every key range counted exactly once, the rerun one too
    # Written whole or not at all: one result per asset in the Dask run's catalog.
    with Catalog(f"sqlite:///{tmp_path / 'dask.db'}") as cat:
        run = cat.load_run(dasked["run_id"])
    shown = [r.asset.display for r in run.results]
    assert len(shown) == len(set(shown)) == len(dasked["assets"])
    with cluster.client() as client:  # the nanny brought the killed worker back
        client.wait_for_workers(2, timeout=30)


def test_a_scheduler_that_is_not_there_is_one_line_and_exit_3(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    sa.create_engine(f"sqlite:///{db}").dispose()
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"executor": {"connect_timeout_s": 1},
                                      "catalog": {"hmac_key": "dask-test-hmac-key-0123456789abcdef"}}))
    address = f"tcp://127.0.0.1:{free_port()}"
    proc = run_cli("scan", f"sqlite:///{db}", "--config", str(config), "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                   "--executor", "dask", "--dask-address", address)
    assert proc.returncode == 3
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: cannot reach the Dask scheduler at " + address)
    assert "Traceback" not in proc.stderr


def test_workers_without_pi_scanner_or_a_driver_are_named_with_what_to_install(
    tmp_path: Path, pg_url: str,
) -> None:
    no_pi = worker_env_without(tmp_path / "no-pi", lambda n: n.startswith(("__editable__.pi_scanner", "pi_scanner")))
    no_pg = worker_env_without(tmp_path / "no-pg", lambda n: n.startswith("psycopg"))
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({
        "connectors": {"pg": {"type": "sql", "url": pg_url}},
        "catalog": {"hmac_key": "dask-test-hmac-key-0123456789abcdef"},
        "executor": {"connect_timeout_s": 5},
    }))
    with DaskCluster(workers=0, extra_pythons=[no_pi, no_pg]) as bad:
        proc = run_cli("scan", "--config", str(config), "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                       "--executor", "dask", "--dask-address", bad.address)
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "cannot import pi_scanner: install pi-scanner" in proc.stderr
    assert "postgres support is not installed: install `pi-scanner[postgres]`" in proc.stderr
    with Catalog(f"sqlite:///{tmp_path / 'c.db'}") as cat:
        assert cat.list_runs() == []  # refused before the run was recorded


def test_what_crosses_the_wire_holds_no_secret_in_clear_per_unit(tmp_path: Path, pg_url: str) -> None:
    _pg_students(pg_url, 2_500)
    settings = parse_settings({"connectors": {"pg": {"type": "sql", "url": pg_url, "password": PG_PASSWORD}}})
    cfg = settings.connectors["pg"]
    assert isinstance(cfg, SqlConnectorConfig)
    conn = SqlConnector("pg", cfg)
    info = next(i for i in conn.discover() if i.ref.path[-1] == "pupils")
    units = [WorkUnit("sample", "pg", info), *plan_census(conn, info, (("sfzh", "CN_RESIDENT_ID"),), 1_000)]
    assert len(units) == 4
    for unit in units:
        assert PG_PASSWORD.encode() not in pickle.dumps(unit)
    # The context goes to each worker once; its secret is a SecretStr, masked in every repr and log.
    ctx = WorkContext("t", settings, AS_OF)
    assert PG_PASSWORD not in repr(ctx) and PG_PASSWORD not in str(ctx.settings.model_dump())
    conn.close()


def test_postgres_census_partitions_cover_rows_added_after_planning(pg_url: str) -> None:
    _pg_students(pg_url, 5_000)
    settings = parse_settings({"connectors": {"pg": {"type": "sql", "url": pg_url}}})
    conn = SqlConnector("pg", SqlConnectorConfig(url=pg_url))
    info = next(i for i in conn.discover() if i.ref.path[-1] == "pupils")
    from pi_scanner.classify.classifier import Classifier

    result = Classifier(settings.classifier, AS_OF).classify(conn.sample(info, 1_000))
    cols = census_columns(result)
    assert cols == (("sfzh", "CN_RESIDENT_ID"),)  # the guardian's phone is not an age column
    units = plan_census(conn, info, cols, partition_rows=1_000)
    assert len(units) == 5
    _pg_students(pg_url, 123, start=5_001)  # the table grows between planning and reading
    from pi_scanner.executors import InProcessExecutor

    ex = InProcessExecutor()
    ctx = WorkContext("pg-growth", settings, AS_OF)
    parts = list(ex.run(units, ctx))
    ex.close(ctx)
    assert all(p.error is None for p in parts)
    assert sum(p.census.rows for p in parts if p.census) == 5_123
    conn.close()


def test_the_daemon_runs_scheduled_scans_on_the_cluster(tmp_path: Path, cluster: DaskCluster) -> None:
    from tests.daemon_proc import DaemonProc, school_db, write_config

    store = school_db(tmp_path / "school.db")
    cfg = write_config(
        tmp_path / "cfg.yaml", f"sqlite:///{tmp_path / 'catalog.db'}", {"school": {"type": "sql", "url": store}},
        [{"name": "scan-school", "kind": "scan", "interval_seconds": 1, "connectors": ["school"]}],
    )
    doc = yaml.safe_load(cfg.read_text(encoding="utf-8"))
    doc["executor"] = {"kind": "dask", "address": cluster.address, "connect_timeout_s": 5}
    cfg.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    daemon = DaemonProc(cfg)
    try:
        daemon.wait_metric("pi_scanner_job_runs_total", {"job": "scan-school", "outcome": "success"}, 2, 60)
        assert daemon.metric("pi_scanner_job_runs_total", {"job": "scan-school", "outcome": "failure"}) == 0
        finished = [rec for rec in daemon.lines if rec.get("event") == "scan finished"]
        assert finished and {rec.get("executor") for rec in finished} == {"dask"}, daemon.lines[-5:]
        code, _ = daemon.stop()
        assert code == 0
    finally:
        daemon.kill()
    with Catalog(f"sqlite:///{tmp_path / 'catalog.db'}") as cat:
        runs = cat.list_runs()
        assert runs and all(r.status == "ok" for r in runs if r.finished_at)
        assert cat.load_run(runs[0].run_id).results
