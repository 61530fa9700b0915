"""Subject index: building it (time, peak RSS) and looking a child up in it, each beside a baseline of the same run.

Run ``python -m benchmarks.subjects [--full] [--records N] [--json PATH]``. Two throw-away PostgreSQL databases:
a store holding ``people(id, sfzh, note)`` with N valid resident IDs (100,000 quick, 10 M full; the census
benchmark's table) and a catalog migrated to the head. The store is scanned (``run_scan``), then:

* **build**: ``pi_scanner.subjects.index.build_index`` in a fresh process (census pass, classification, HMAC
  fingerprints, rows written as they are made): records/s and the process's peak RSS. Baselines: the same
  records read by the same connector in the same batches in a fresh process (records/s), and a fresh
  process that only imports (RSS). One fingerprint per record, so N records make N fingerprints.
* **lookup**: :func:`pi_scanner.subjects.index.lookup` (what ``subject find`` issues) for 200 random present
  fingerprints of the index just built: p50/p99 latency and lookups/s; EXPLAIN must show the fingerprint
  index. Baseline: the same query with index scans disabled (a sequential scan of the same table), 5 runs.

``value`` is the lookup p50 in ms; ``ratio`` is baseline / value (how much faster the index is); ``build``
holds the build figures and their ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import build_big_table, pg_database
from benchmarks.peak_rss import peak_rss_kb
from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.subjects import index as ix
from pi_scanner.subjects.normalize import key_id

AS_OF = dt.date(2026, 3, 15)
KEY = "bench-subject-index-key-0123456789abcdef"
BATCH = 5000


def _settings(store: str, catalog: str) -> Settings:
    return parse_settings({
        "connectors": {"people": {"type": "sql", "url": store, "statement_timeout_s": 7200}},
        "catalog": {"url": catalog, "hmac_key": KEY},
        "subjects": {"batch_size": BATCH},
    })


def _child(mode: str, store: str, catalog: str) -> None:
    """One measured step in a fresh process; prints ``{"records", "seconds", "maxrss_kb"}``."""
    settings = _settings(store, catalog)
    records = 0
    start = time.perf_counter()
    if mode == "build":
        with Catalog.from_config(settings.catalog) as cat:
            report = ix.build_index(settings, cat, AS_OF)
        if report.errors:
            raise SystemExit(f"build failed: {report.errors}")
        records = report.records
    elif mode == "read":
        from pi_scanner.registry import build_connector

        with build_connector("people", settings.connectors["people"]) as conn:
            info = next(i for i in conn.discover() if i.ref.path[-1] == "people")
            for batch in conn.iter_batches(info, ["sfzh"], BATCH):
                records += len(batch)
    seconds = time.perf_counter() - start
    print(json.dumps({"records": records, "seconds": seconds,
                      "maxrss_kb": peak_rss_kb()}))


def _run_child(mode: str, store: str, catalog: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.subjects", f"--{mode}-child", store, catalog],
                         check=True, capture_output=True, text=True, timeout=4 * 3600)
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def _lookups(catalog: Catalog, url: str, n: int) -> dict[str, Any]:
    kid = key_id(KEY.encode())
    rng = random.Random(7)
    i = ix.subject_index
    with catalog.engine.connect() as conn:
        top = int(conn.execute(sa.select(sa.func.max(i.c.entry_id))).scalar_one())
        sample = [str(r[0]) for r in conn.execute(
            sa.select(i.c.fingerprint).where(i.c.entry_id.in_([rng.randint(1, top) for _ in range(400)])).limit(200))]
        query = sa.select(i).where(i.c.fingerprint.in_(sample[:1]), i.c.key_id == kid)
        compiled = query.compile(catalog.engine, compile_kwargs={"literal_binds": True})
        plan = "\n".join(str(r[0]) for r in conn.execute(sa.text(f"EXPLAIN {compiled}")))
    lat = []
    for fp in sample:
        s = time.perf_counter()
        found = ix.lookup(catalog, [fp], kid)
        lat.append((time.perf_counter() - s) * 1000)
        assert found, "a present fingerprint was not found"
    # A fresh connection: psycopg prepares repeated statements, and a prepared index plan would be reused.
    seq_engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"prepare_threshold": None})
    with seq_engine.connect() as conn:
        conn.execute(sa.text("SET enable_indexscan = off"))
        conn.execute(sa.text("SET enable_bitmapscan = off"))
        seq_plan = "\n".join(str(r[0]) for r in conn.execute(sa.text(f"EXPLAIN {compiled}")))
        seq = []
        for fp in sample[:5]:
            s = time.perf_counter()
            conn.execute(sa.select(i).where(i.c.fingerprint.in_([fp]), i.c.key_id == kid)).all()
            seq.append((time.perf_counter() - s) * 1000)
    seq_engine.dispose()
    lat.sort()
    p50 = statistics.median(lat)
    baseline = statistics.median(seq)
    return {
        "value": round(p50, 3), "unit": "ms (find lookup p50)", "p99_ms": round(lat[int(0.99 * (len(lat) - 1))], 3),
        "lookups_per_s": round(len(lat) / (sum(lat) / 1000), 1), "baseline": round(baseline, 1),
        "ratio": round(baseline / p50, 1), "target": None, "fingerprints": n,
        "index_scan": "ix_subject_index_fingerprint" in plan, "baseline_seq_scan": "Seq Scan" in seq_plan,
    }


def run(quick: bool = True, records: int | None = None) -> dict[str, Any]:
    """Measure; returns ``{"subjects": {"value", "unit", "baseline", "ratio", "target", "build": {...}, ...}}``."""
    from pi_scanner.scanner import run_scan

    n = records or (100_000 if quick else 10_000_000)
    with pg_database() as store, pg_database() as catalog_url:
        t0 = time.perf_counter()
        build_big_table(store, n)
        load_s = time.perf_counter() - t0
        settings = _settings(store, catalog_url)
        with Catalog.from_config(settings.catalog) as catalog:
            catalog.migrate()
            with tempfile.TemporaryDirectory():
                run_scan(settings, as_of=AS_OF, catalog=catalog, executor="local")
        idle = _run_child("idle", store, catalog_url)
        read = _run_child("read", store, catalog_url)
        build = _run_child("build", store, catalog_url)
        with Catalog.from_config(settings.catalog) as catalog:
            with catalog.engine.connect() as conn:
                entries = int(conn.execute(sa.select(sa.func.count()).select_from(ix.subject_index)).scalar_one())
                size = int(conn.execute(sa.text("SELECT pg_total_relation_size('subject_index')")).scalar_one())
            with catalog.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("ANALYZE subject_index"))
            result = _lookups(catalog, catalog_url, entries)
    build_rate = build["records"] / build["seconds"]
    read_rate = read["records"] / read["seconds"]
    result["build"] = {
        "records": build["records"], "fingerprints": entries, "seconds": round(build["seconds"], 1),
        "records_per_s": round(build_rate, 1), "read_records_per_s": round(read_rate, 1),
        "ratio_to_read": round(build_rate / read_rate, 3),
        "peak_rss_mb": round(build["maxrss_kb"] / 1024, 1), "idle_rss_mb": round(idle["maxrss_kb"] / 1024, 1),
        "index_mb": round(size / 1e6, 1), "store_load_s": round(load_s, 1),
    }
    return {"subjects": result}


def main() -> None:
    """Command-line entry point."""
    if len(sys.argv) == 4 and sys.argv[1] in ("--build-child", "--read-child", "--idle-child"):
        _child(sys.argv[1][2:-6], sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--full", action="store_true", help="10 M records instead of 100,000")
    parser.add_argument("--records", type=int, help="records (= fingerprints) to index")
    parser.add_argument("--json", help="also write the result to this file")
    args = parser.parse_args()
    text = json.dumps(run(quick=not args.full, records=args.records), indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
