"""Retention: plan size on disk, and the enforcer's deletes against one unbatched DELETE.

Run ``python -m benchmarks.retention [--full] [--json PATH] [--apply-rss ROWS]``. A throw-away database
(PostgreSQL, and MariaDB when it answers) gets ``accounts(id, last_active_at)`` with 100k rows (1M with
``--full``), all past expiry. In the same run, per database:

* the baseline: one unbatched ``DELETE … WHERE anchor < cutoff`` (no plan, no batches, no ledger);
* the enforcer: ``retention plan`` written to disk (``plan.json`` + ``plan.json.keys``), read back,
  digest and key file verified, then ``apply``: per batch a ``started`` checkpoint, one
  ``DELETE … WHERE id BETWEEN … AND anchor < cutoff`` transaction, the ``done`` checkpoint and its
  ledger entry (the table is reloaded before each measurement). Planning is not counted.

``retention`` is PostgreSQL's ratio: rows/s of the batches (checkpoints, deletes, ledger; what grows with
the rows) over one DELETE's, target ≥ 0.35; ``whole_apply_ratio`` also counts the per-item checks
around them (reflection, dependants, residual count), which weigh on small purges only.
``retention_mysql`` is MariaDB's, and ``plan_bytes_per_row`` the plan's bytes on disk per planned row
(target ≤ 8), for dense keys and for every other row (``sparse``).

``--apply-rss ROWS`` plans and applies ROWS rows in a subprocess and reports its peak RSS (target
< 300 MB for 10 M rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.peak_rss import peak_rss_kb
from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.keyset import side_file
from pi_scanner.retention.planner import Plan, build_plan

PG_ADMIN_URL = os.environ.get("PI_SCANNER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
MYSQL_ADMIN_URL = os.environ.get("PI_SCANNER_TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
AS_OF = dt.date(2026, 3, 15)
CUTOFF = dt.datetime(2025, 1, 1)
KEY = "benchmark-hmac-key-0123456789abcdef"


@contextmanager
def database(admin_url: str) -> Iterator[str]:
    """A fresh database on the server of ``admin_url``, dropped afterwards."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"pis_bench_{uuid.uuid4().hex[:12]}"
    quote = admin.dialect.identifier_preparer.quote
    pg = admin.dialect.name == "postgresql"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {quote(name)}"))
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quote(name)}" + (" WITH (FORCE)" if pg else "")))
        admin.dispose()


def _table() -> sa.Table:
    return sa.Table(
        "accounts", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_active_at", sa.DateTime, nullable=False),
    )


def _load(engine: sa.Engine, table: sa.Table, n: int, sparse: bool = False) -> int:
    """``n`` rows past expiry, or with ``sparse`` about half of them at random (the others recent).

    Returns:
        The rows past expiry.
    """
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.delete())
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(
                "INSERT INTO accounts SELECT g, CASE WHEN NOT :sparse OR md5(g::text) < '8' "
                "THEN timestamp '2020-01-01' ELSE timestamp '2026-03-01' END FROM generate_series(1, :n) AS g"),
                {"n": n, "sparse": sparse})
        else:
            step = 50_000
            for lo in range(1, n + 1, step):
                conn.execute(table.insert(), [
                    {"id": i, "last_active_at": dt.datetime(2020 if not sparse or hash((i, 7)) % 2 else 2026, 1, 1)}
                    for i in range(lo, min(n, lo + step - 1) + 1)])
        expired = conn.execute(sa.select(sa.func.count()).select_from(table).where(
            table.c.last_active_at < CUTOFF)).scalar_one()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE accounts"))
    else:
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE TABLE accounts"))
    return int(expired)


def _settings(url: str, tmp: Path, n: int) -> Settings:
    return parse_settings({
        "connectors": {"db": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp / 'cat.db'}", "hmac_key": KEY},
        "retention": [{"name": "inactive", "selector": {"connector": "db", "tables": ["*.accounts"]},
                       "anchor": "last_active_at", "max_age": "365d", "enforce": True,
                       "max_deletes_per_run": max(n, 1)}],
    })


def plan_to_disk(url: str, tmp: Path, n: int) -> tuple[Path, int]:
    """Plan the purge and write it as ``retention plan`` does; returns its path and bytes on disk."""
    settings = _settings(url, tmp, n)
    with Catalog(settings.catalog.url) as catalog:
        catalog.migrate()
        plan = build_plan(settings, catalog, AS_OF, KEY.encode())
    path = tmp / f"plan-{uuid.uuid4().hex[:8]}.json"
    try:
        plan.save(path)
    finally:
        plan.close()
    size = path.stat().st_size + (side_file(path).stat().st_size if side_file(path).exists() else 0)
    return path, size


def apply_from_disk(url: str, tmp: Path, n: int, path: Path) -> tuple[int, float]:
    """``retention apply`` of a written plan; returns the rows deleted and the seconds spent in batches."""
    settings = _settings(url, tmp, n)
    plan = Plan.from_json(json.loads(path.read_text(encoding="utf-8")), side_file(path))
    try:
        with Catalog(settings.catalog.url) as catalog:
            catalog.migrate()
            result = apply_plan(plan, settings, catalog, hmac_key=KEY.encode())
    finally:
        plan.close()
    assert all(i.status == "done" for i in result.items), [(i.status, i.message) for i in result.items]
    return sum(i.affected for i in result.items), sum(i.batch_seconds for i in result.items)


def _unbatched(engine: sa.Engine, table: sa.Table, n: int) -> float:
    _load(engine, table, n)
    start = time.perf_counter()
    with engine.begin() as conn:
        done = conn.execute(table.delete().where(table.c.last_active_at < CUTOFF)).rowcount
    elapsed = time.perf_counter() - start
    assert done == n
    return n / elapsed


def _pair(engine: sa.Engine, table: sa.Table, url: str, base: Path, n: int) -> tuple[float, float, float, int]:
    """One paired measurement: one DELETE, then the enforcer on the same rows (rows/s each), plan bytes."""
    baseline = _unbatched(engine, table, n)
    _load(engine, table, n)
    path, plan_bytes = plan_to_disk(url, base, n)
    start = time.perf_counter()
    deleted, in_batches = apply_from_disk(url, base, n, path)
    whole = deleted / (time.perf_counter() - start)
    assert deleted == n, (deleted, n)
    return baseline, deleted / in_batches, whole, plan_bytes


def measure(url: str, n: int, repeats: int = 3) -> dict[str, Any]:
    """One database: ``repeats`` paired runs (median ratio), and plan bytes for dense and sparse keys."""
    engine = sa.create_engine(url)
    table = _table()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            pairs = sorted((_pair(engine, table, url, base, n) for _ in range(repeats)), key=lambda p: p[1] / p[0])
            baseline, enforced, whole, dense_bytes = pairs[len(pairs) // 2]
            sparse_rows = _load(engine, table, n, sparse=True)
            _, sparse_bytes = plan_to_disk(url, base, n)
    finally:
        engine.dispose()
    return {"enforcer": enforced, "whole_apply": whole, "unbatched": baseline,
            "ratios": [round(p[1] / p[0], 3) for p in pairs],
            "dense_bytes_per_row": dense_bytes / n, "sparse_bytes_per_row": sparse_bytes / sparse_rows}


def _entry(name: str, found: dict[str, Any], n: int, batch: int) -> dict[str, Any]:
    return {
        "value": round(found["enforcer"]), "unit": "rows/s", "baseline": round(found["unbatched"]),
        "ratio": round(found["enforcer"] / found["unbatched"], 3),
        "target": ">= 0.35 of one unbatched DELETE", "rows": n, "batch": batch,
        "ratios": found["ratios"], "ratio_is": "median of paired runs",
        "path": "the plan's batches: started checkpoint, DELETE of BETWEEN ranges + re-checked predicate, "
                "done checkpoint + ledger entry",
        "whole_apply": round(found["whole_apply"]),
        "whole_apply_ratio": round(found["whole_apply"] / found["unbatched"], 3),
        "whole_apply_note": "also reading and verifying the plan, reflection, dependants and the residual count",
        "db": name,
    }


def reachable(url: str) -> bool:
    """Whether a database server answers ``SELECT 1`` at ``url``."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


def run(quick: bool = True) -> dict[str, Any]:
    """Measure; returns ``retention``, ``retention_mysql`` and ``plan_bytes_per_row`` entries."""
    from pi_scanner.connectors.sql_write import batch_size_for

    n = 100_000 if quick else 1_000_000
    out: dict[str, Any] = {}
    with database(PG_ADMIN_URL) as url:
        pg = measure(url, n)
    out["retention"] = _entry("postgresql", pg, n, batch_size_for("postgresql"))
    out["plan_bytes_per_row"] = {
        "value": round(pg["dense_bytes_per_row"], 4), "unit": "bytes/row", "baseline": 8.0,
        "ratio": round(pg["dense_bytes_per_row"] / 8.0, 4), "target": "<= 8 bytes per planned row",
        "sparse": round(pg["sparse_bytes_per_row"], 4), "rows": n,
        "note": "plan.json + plan.json.keys; dense: every row planned; sparse: about half the rows, at random",
    }
    if reachable(MYSQL_ADMIN_URL):
        with database(MYSQL_ADMIN_URL) as url:
            my = measure(url, n)
        out["retention_mysql"] = _entry("mariadb", my, n, batch_size_for("mysql"))
    return out


def _rss_child(url: str, rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        path, size = plan_to_disk(url, base, rows)
        deleted, _ = apply_from_disk(url, base, rows, path)
    print(json.dumps({"rows": deleted, "plan_bytes": size,
                      "maxrss_kb": peak_rss_kb()}))


def measure_apply_rss(rows: int) -> dict[str, Any]:
    """Peak RSS of a fresh process that plans and applies a purge of ``rows`` rows on PostgreSQL."""
    with database(PG_ADMIN_URL) as url:
        engine = sa.create_engine(url)
        _load(engine, _table(), rows)
        engine.dispose()
        proc = subprocess.run([sys.executable, "-m", "benchmarks.retention", "--rss-child", url, str(rows)],
                              check=True, capture_output=True, text=True, timeout=7200)
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"retention_apply_rss": {
        "value": round(data["maxrss_kb"] / 1024, 1), "unit": "MB", "baseline": 300.0,
        "ratio": round(data["maxrss_kb"] / 1024 / 300.0, 3), "target": "< 300 MB", "rows": data["rows"],
        "plan_bytes_per_row": round(data["plan_bytes"] / max(1, data["rows"]), 4)}}


def main() -> None:
    """Command-line entry point."""
    if len(sys.argv) == 4 and sys.argv[1] == "--rss-child":
        _rss_child(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1M rows instead of 100k")
    parser.add_argument("--apply-rss", type=int, metavar="ROWS", help="only: peak RSS of plan + apply of ROWS rows")
    parser.add_argument("--json", help="also write the result to this file")
    args = parser.parse_args()
    result = measure_apply_rss(args.apply_rss) if args.apply_rss else run(quick=not args.full)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
