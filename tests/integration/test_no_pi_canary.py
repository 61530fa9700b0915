"""No raw PI ever leaves the process: plant per-run canaries everywhere, run everything, grep every byte.

Canary children (valid resident IDs, mobiles, names, e-mails unique to this run) are planted in SQLite,
PostgreSQL and MariaDB tables, in CSV, JSONL, Parquet, XLSX and gzip log files, and in S3 objects on a moto
server. Then pi-scanner runs with ``--debug`` and ``--show-examples`` in every report format, the retention
report and plan, ``report``, ``subject index/find``, and ``audit export``. Every byte it wrote (stdout,
stderr, reports, plan, ledger export, the catalog dump) is searched for every canary: zero allowed. Canaries
sit in non-key columns because plans legitimately carry primary keys.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.canaries import Canary, make_canaries
from tests.s3_server import make_client, s3_endpoint, unique_bucket

__all__ = ["s3_endpoint"]  # the fixture, imported for pytest

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.mysql, pytest.mark.s3]

AS_OF = "2026-03-15"
N = 25


def _rows(kids: list[Canary]) -> list[dict[str, object]]:
    return [
        {"id": i, "xm": k.name, "sfzh": k.resident_id, "jhr_dh": k.phone, "email": k.email,
         "last_active_at": "2020-01-01 00:00:00"}
        for i, k in enumerate(kids, start=1)
    ]


def _sql_table(url: str, rows: list[dict[str, object]]) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    meta = sa.MetaData()
    table = sa.Table(
        "students", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("xm", sa.String(32)), sa.Column("sfzh", sa.String(18)), sa.Column("jhr_dh", sa.String(20)),
        sa.Column("email", sa.String(80)), sa.Column("last_active_at", sa.DateTime),
    )
    meta.create_all(engine)
    import datetime as dt
    with engine.begin() as conn:
        conn.execute(table.insert(), [dict(r, last_active_at=dt.datetime(2020, 1, 1)) for r in rows])
    engine.dispose()


def _files(folder: Path, kids: list[Canary]) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True)
    rows = _rows(kids)
    with (folder / "roster.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with (folder / "events.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({"student": {"name": r["xm"], "id_card": r["sfzh"]}, "guardian_phone": r["jhr_dh"],
                                 "email": r["email"]}, ensure_ascii=False) + "\n")
    pq.write_table(pa.Table.from_pylist(rows), folder / "students.parquet")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(rows[0]))
    for r in rows:
        ws.append(list(r.values()))
    wb.save(folder / "students.xlsx")
    with gzip.open(folder / "app.log.gz", "wt", encoding="utf-8") as fh:
        for r in rows:
            fh.write(f"2026-01-05 INFO register child name={r['xm']} idcard={r['sfzh']} parent_mobile={r['jhr_dh']} "
                     f"mail={r['email']}\n")


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pi_scanner", "--debug", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd, env=env)


def _plant(tmp_path: Path, pg_url: str, mysql_url: str, s3_endpoint: str,
           groups: list[list[Canary]]) -> tuple[str, dict[str, str], str, str]:
    """Plant canaries in every store type and format; return the connectors YAML, the env and the two secrets."""
    sqlite_db = tmp_path / "school.db"
    _sql_table(f"sqlite:///{sqlite_db}", _rows(groups[0]))
    _sql_table(pg_url, _rows(groups[1]))
    _sql_table(mysql_url, _rows(groups[2]))
    _files(tmp_path / "exports", groups[3])
    bucket = unique_bucket("canary")
    s3 = make_client(s3_endpoint)
    s3.create_bucket(Bucket=bucket)
    s3_rows = _rows(groups[4])
    s3.put_object(Bucket=bucket, Key="exports/roster.csv",
                  Body=("id,xm,sfzh,jhr_dh,email\n" + "".join(
                      f"{r['id']},{r['xm']},{r['sfzh']},{r['jhr_dh']},{r['email']}\n" for r in s3_rows)).encode())
    s3.put_object(Bucket=bucket, Key="exports/events.jsonl", Body="".join(
        json.dumps({"name": r["xm"], "id_card": r["sfzh"], "phone": r["jhr_dh"]}, ensure_ascii=False) + "\n"
        for r in s3_rows).encode("utf-8"))

    secret_key = "canarySecret" + uuid.uuid4().hex
    pg_password = "canaryPgPw" + uuid.uuid4().hex  # trust auth ignores it; it must still never be shown
    pg = sa.make_url(pg_url)
    connectors = f"""
connectors:
  school_sqlite: {{type: sql, url: "sqlite:///{sqlite_db}"}}
  school_pg: {{type: sql, url: "{pg.set(password=None).render_as_string()}", password: "${{CANARY_PG_PW}}"}}
  school_my: {{type: sql, url: "{mysql_url}"}}
  exports: {{type: fs, path: "{tmp_path / 'exports'}"}}
  lake:
    type: s3
    endpoint_url: "{s3_endpoint}"
    region: us-east-1
    path_style: true
    access_key_id: testing
    secret_access_key: "${{CANARY_S3_SECRET}}"
    buckets: ["{bucket}"]
"""
    env = dict(os.environ, CANARY_PG_PW=pg_password, CANARY_S3_SECRET=secret_key, PYTHONUNBUFFERED="1",
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY=secret_key)
    return connectors, env, secret_key, pg_password


def _leaks(kids: list[Canary], secrets_: tuple[str, ...], blobs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    leaks = []
    for kid in kids:
        for value in kid.values():
            leaks += [(where, value[:4] + "…") for where, text in blobs if value in text]
    for s in secrets_:
        leaks += [(where, "secret") for where, text in blobs if s in text]
    return sorted(set(leaks))


def test_no_canary_in_anything_pi_scanner_writes(
    tmp_path: Path, pg_url: str, mysql_url: str, s3_endpoint: str
) -> None:
    kids = make_canaries(N * 9)
    groups = [kids[i * N:(i + 1) * N] for i in range(9)]
    work = tmp_path / "work"
    work.mkdir()
    connectors, env, secret_key, pg_password = _plant(tmp_path, pg_url, mysql_url, s3_endpoint, groups)
    catalog = tmp_path / "out" / "catalog.db"
    config = tmp_path / "config.yaml"
    config.write_text(connectors + f"""
catalog:
  url: "sqlite:///{catalog}"
retention:
  - name: inactive
    selector: {{connector: school_sqlite, tables: ["main.students"]}}
    anchor: last_active_at
    max_age: 365d
    scope: child_records
    basis: "P 12"
""", encoding="utf-8")
    out = tmp_path / "out"
    outputs: list[tuple[str, str]] = []

    def run(*args: str, ok: tuple[int, ...] = (0, 1)) -> subprocess.CompletedProcess[str]:
        proc = run_cli(list(args), env, work)
        outputs.append((" ".join(args[:2]), proc.stdout + "\n" + proc.stderr))
        assert proc.returncode in ok, (args, proc.stderr[-2000:])
        return proc

    run("scan", "-c", str(config), "--as-of", AS_OF, "--show-examples", "-f", "json", "-o", str(out / "r.json"))
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    child = {a["connector"] if "connector" in a else a["path"][0] for a in report["assets"]
             if a["child_status"] == "child"}
    assert report["summary"]["store_errors"] == [], report["summary"]["store_errors"]
    assert len([a for a in report["assets"] if a["child_status"] == "child"]) >= 9, child
    examples = [e for a in report["assets"] for c in a["columns"] for e in c.get("masked_examples", [])]
    assert examples and all("*" in e for e in examples)  # the outputs do carry masked values, never raw ones
    for fmt, name in (("markdown", "r.md"), ("html", "r.html"), ("table", "r.txt")):
        run("scan", "-c", str(config), "--as-of", AS_OF, "--show-examples", "-f", fmt, "-o", str(out / name))
    run("scan", "-c", str(config), "--as-of", AS_OF, "--show-examples", "--connector", "school_sqlite")  # stdout
    run("report", "-c", str(config), "-f", "json")
    run("retention", "report", "-c", str(config), "--as-of", AS_OF, ok=(0, 1, 2))
    run("retention", "plan", "-c", str(config), "--as-of", AS_OF, "-o", str(out / "plan.json"), ok=(0, 1, 2))
    run("subject", "index", "-c", str(config), "--as-of", AS_OF, ok=(0, 1, 2, 3))
    run("subject", "find", "-c", str(config), "--id-number", groups[0][0].resident_id, "--format", "json",
        "--as-of", AS_OF, ok=(0, 1, 2, 3))
    run("audit", "export", "-c", str(config), "-o", str(out / "ledger.jsonl"), ok=(0, 1, 2))

    con = sqlite3.connect(catalog)
    dump = "\n".join(con.iterdump())
    con.close()
    blobs: list[tuple[str, str]] = [*outputs, ("catalog dump", dump)]
    for path in sorted(out.rglob("*")):
        if path.is_file():
            blobs.append((str(path.relative_to(out)), path.read_bytes().decode("utf-8", "replace")))
    assert any(name.endswith("ledger.jsonl") for name, _ in blobs)

    leaks = _leaks(kids, (secret_key, pg_password), blobs)
    assert not leaks, leaks[:20]


#: ``pi-scanner serve`` with its log level forced to DEBUG (serve has no --debug switch): the real daemon
#: entry point, only ``configure_logging`` is wrapped.
_DEBUG_DAEMON = """
import logging, sys
from pi_scanner import daemon, logging_setup
daemon.configure_logging = lambda fmt="auto", level=None: logging_setup.configure_logging(fmt, logging.DEBUG)
sys.exit(daemon.main(sys.argv[1:]))
"""


def _get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _json_lines(path: Path) -> list[dict[str, object]]:
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            out.append({"event": "raw", "text": line})
    return out


def _wait(log: Path, proc: subprocess.Popen[bytes], event: str, timeout: float) -> dict[str, object]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for rec in _json_lines(log):
            if rec.get("event") == event:
                return rec
        assert proc.poll() is None, f"daemon exited {proc.returncode}: {_json_lines(log)[-5:]}"
        time.sleep(0.2)
    raise AssertionError(f"no {event} within {timeout}s: {_json_lines(log)[-8:]}")


def test_no_canary_in_the_daemon_metrics_health_or_debug_logs(
    tmp_path: Path, pg_url: str, mysql_url: str, s3_endpoint: str
) -> None:
    kids = make_canaries(N * 5)
    groups = [kids[i * N:(i + 1) * N] for i in range(5)]
    connectors, env, secret_key, pg_password = _plant(tmp_path, pg_url, mysql_url, s3_endpoint, groups)
    catalog = tmp_path / "out" / "catalog.db"
    config = tmp_path / "daemon.yaml"
    config.write_text(connectors + f"""
catalog:
  url: "sqlite:///{catalog}"
daemon:
  metrics_port: 0
  shutdown_deadline_s: 30
  lease_ttl_s: 30
  jobs:
    - {{name: canary-scan, kind: scan, interval_seconds: 2}}
    - {{name: canary-report, kind: report, interval_seconds: 2, output: "{tmp_path / 'out' / 'reports'}"}}
""", encoding="utf-8")
    log = tmp_path / "out" / "daemon.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("wb") as stderr:
        proc = subprocess.Popen([sys.executable, "-c", _DEBUG_DAEMON, "--config", str(config), "--log-format", "json"],
                                stdout=subprocess.DEVNULL, stderr=stderr, env=env, cwd=tmp_path)
    try:
        port = int(str(_wait(log, proc, "http.listening", 60)["port"]))
        finished = _wait(log, proc, "scan.finished", 180)
        assert int(str(finished["connector_errors"])) == 0, finished
        recorded = _wait(log, proc, "scan.reads_recorded", 30)
        assert int(str(recorded["entries"])) >= 9
        _wait(log, proc, "report.written", 60)
        succeeded = re.compile(r'pi_scanner_job_runs_total\{[^}]*job="canary-scan"[^}]*outcome="success"[^}]*\} [1-9]')
        end = time.monotonic() + 30
        while not succeeded.search(_get(port, "/metrics")[1]) and time.monotonic() < end:
            time.sleep(0.3)  # the run is counted once the job returns, after its last log line
        scraped = {path: _get(port, path) for path in ("/metrics", "/healthz", "/readyz")}
        assert scraped["/healthz"][0] == 200 and scraped["/readyz"][0] == 200, scraped
        assert succeeded.search(scraped["/metrics"][1]), scraped["/metrics"][1][-2000:]
        assert "pi_scanner_assets_scanned_total" in scraped["/metrics"][1]
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == 0, _json_lines(log)[-5:]
    lines = _json_lines(log)
    assert any(rec.get("level") == "debug" for rec in lines), "the daemon did not log at debug level"

    con = sqlite3.connect(catalog)
    dump = "\n".join(con.iterdump())
    con.close()
    blobs: list[tuple[str, str]] = [(f"GET {p}", body) for p, (_, body) in scraped.items()]
    blobs += [("daemon log", log.read_text(encoding="utf-8", errors="replace")), ("catalog dump", dump)]
    for path in sorted((tmp_path / "out" / "reports").rglob("*")):
        if path.is_file():
            blobs.append((f"reports/{path.name}", path.read_bytes().decode("utf-8", "replace")))
    assert "scan.read" in dump  # the scheduled reads are in the ledger (Art. 15)
    leaks = _leaks(kids, (secret_key, pg_password), blobs)
    assert not leaks, leaks[:20]
