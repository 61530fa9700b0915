"""Retention delete throughput on PostgreSQL: planned, batched, re-checked deletes against one DELETE.

Run ``python -m benchmarks.retention [--full] [--json PATH]``. A throw-away database gets a table of
100k rows (1M with ``--full``), all past expiry. In the same run it measures:

* the baseline: one unbatched ``DELETE … WHERE anchor < cutoff`` (no plan, no per-batch transaction);
* the enforcer's path: ``DELETE … WHERE pk IN (batch) AND anchor < cutoff``, one transaction per
  batch, for batches of 1,000 and 10,000 keys (the table is reloaded before each measurement).

The reported value is the better of the two batch sizes; ``ratio`` is value / baseline (what the safety costs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time
import uuid
from typing import Any

import sqlalchemy as sa

from pi_scanner.connectors import sql_write as sw

ADMIN_URL = os.environ.get("PI_SCANNER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CUTOFF = dt.datetime(2025, 1, 1)


def _load(engine: sa.Engine, table: sa.Table, n: int) -> None:
    series = sa.func.generate_series(1, n).table_valued("value").render_derived()
    with engine.begin() as conn:
        conn.execute(table.delete())
        conn.execute(
            table.insert().from_select(
                ["id", "last_active_at"], sa.select(series.c.value, sa.literal(dt.datetime(2020, 1, 1)))
            )
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))


def _batched(engine: sa.Engine, table: sa.Table, n: int, size: int) -> float:
    _load(engine, table, n)
    recheck = sw.expired_clause(table, "last_active_at", CUTOFF)
    keys = [list(r) for rows in sw.stream_rows(engine, table, [table.c.id], [], recheck, 10_000) for r in rows]
    start = time.perf_counter()
    done = 0
    for i in range(0, len(keys), size):
        deleted, _ = sw.delete_batch(engine, table, [table.c.id], keys[i : i + size], recheck)
        done += deleted
    elapsed = time.perf_counter() - start
    assert done == n, (done, n)
    return n / elapsed


def _unbatched(engine: sa.Engine, table: sa.Table, n: int) -> float:
    _load(engine, table, n)
    start = time.perf_counter()
    with engine.begin() as conn:
        done = conn.execute(table.delete().where(table.c.last_active_at < CUTOFF)).rowcount
    elapsed = time.perf_counter() - start
    assert done == n
    return n / elapsed


def run(quick: bool = True) -> dict[str, Any]:
    """Measure; returns ``{"retention": {"value", "unit", "baseline", "ratio", "target", ...}}``."""
    n = 100_000 if quick else 1_000_000
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"pis_bench_{uuid.uuid4().hex[:12]}"
    quote = admin.dialect.identifier_preparer.quote
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {quote(name)}"))
    engine = sa.create_engine(sa.make_url(ADMIN_URL).set(database=name))
    try:
        table = sa.Table(
            "accounts", sa.MetaData(),
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("last_active_at", sa.DateTime, nullable=False),
        )
        table.metadata.create_all(engine)
        baseline = _unbatched(engine, table, n)
        b1k = _batched(engine, table, n, 1_000)
        b10k = _batched(engine, table, n, 10_000)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))
        admin.dispose()
    return {
        "retention": {
            "value": round(max(b1k, b10k)),
            "unit": "rows/s",
            "baseline": round(baseline),
            "ratio": round(max(b1k, b10k) / baseline, 3),
            "target": None,
            "rows": n,
            "batch_1k": round(b1k),
            "batch_10k": round(b10k),
            "unbatched": round(baseline),
        }
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1M rows instead of 100k")
    parser.add_argument("--json", help="also write the result to this file")
    args = parser.parse_args()
    result = run(quick=not args.full)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
