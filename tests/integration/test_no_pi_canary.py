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
import sqlite3
import subprocess
import sys
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


def test_no_canary_in_anything_pi_scanner_writes(
    tmp_path: Path, pg_url: str, mysql_url: str, s3_endpoint: str
) -> None:
    kids = make_canaries(N * 9)
    groups = [kids[i * N:(i + 1) * N] for i in range(9)]
    work = tmp_path / "work"
    work.mkdir()
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
    catalog = tmp_path / "out" / "catalog.db"
    config = tmp_path / "config.yaml"
    config.write_text(f"""
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
    env = dict(os.environ, CANARY_PG_PW=pg_password, CANARY_S3_SECRET=secret_key, PYTHONUNBUFFERED="1",
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY=secret_key)
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

    leaks = []
    secrets_ = (secret_key, pg_password)
    for kid in kids:
        for value in kid.values():
            leaks += [(where, value[:4] + "…") for where, text in blobs if value in text]
    # The subject find command line itself names one ID: its output must still not echo it raw.
    for s in secrets_:
        leaks += [(where, "secret") for where, text in blobs if s in text]
    assert not leaks, sorted(set(leaks))[:20]
