"""Subject ``find`` latency: index lookup on 10M fingerprints (1M quick) in a PostgreSQL catalog.

Run ``python -m benchmarks.subjects [--full] [--json PATH]``. A throw-away database is migrated to the
catalog head; ``subject_index`` is filled server-side (``INSERT … SELECT generate_series``, HMAC-shaped
``md5||md5`` fingerprints) and analysed. Then, in the same run:

* the lookup: ``WHERE fingerprint IN (…) AND key_id = …`` — what :func:`pi_scanner.subjects.index.lookup`
  issues — for 200 random present fingerprints, p50/p99 latency; EXPLAIN must show the fingerprint index;
* the baseline: the same query with index scans disabled (a sequential scan of the same table), 5 runs.

``value`` is the lookup p50 in ms; ``ratio`` is baseline / value (how much faster the index is).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
import uuid
from typing import Any

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.subjects.index import subject_index, subject_index_assets

ADMIN_URL = os.environ.get("PI_SCANNER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KID = "0123456789abcdef"


def _fill(engine: sa.Engine, n: int) -> None:
    series = sa.func.generate_series(1, n).table_valued("value").render_derived()
    v = sa.cast(series.c.value, sa.Text)
    fp = sa.func.concat(sa.func.md5(v), sa.func.md5(v + "x"))
    with engine.begin() as conn:
        conn.execute(subject_index_assets.insert().values(
            asset_key="a" * 64, connector="db", kind="table", path='["public","students"]', fingerprint=None,
            columns='["id","id_number"]', primary_key='["id"]', key_id=KID, records=n, entries=n,
            indexed_at=sa.func.now()))
        conn.execute(subject_index.insert().from_select(
            ["fingerprint", "kind", "key_id", "asset_key", "record_hash", "record_key", "column_name", "role",
             "child_status"],
            sa.select(fp, sa.literal("resident_id"), sa.literal(KID), sa.literal("a" * 64), sa.func.md5(v + "r"),
                      sa.func.concat("[", v, "]"), sa.literal("id_number"), sa.literal("subject"),
                      sa.literal("child")),
        ))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE subject_index"))


def _query(fps: list[str]) -> sa.Select[Any]:
    return sa.select(subject_index).where(subject_index.c.fingerprint.in_(fps), subject_index.c.key_id == KID)


def run(quick: bool = True) -> dict[str, Any]:
    """Measure; returns ``{"subjects": {"value", "unit", "baseline", "ratio", "target", ...}}``."""
    n = 1_000_000 if quick else 10_000_000
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"pis_bench_{uuid.uuid4().hex[:12]}"
    quote = admin.dialect.identifier_preparer.quote
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {quote(name)}"))
    url = sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    catalog = Catalog(url)
    try:
        catalog.migrate()
        t0 = time.perf_counter()
        _fill(catalog.engine, n)
        load_s = time.perf_counter() - t0
        rng = random.Random(7)
        with catalog.engine.connect() as conn:
            sample = [str(r[0]) for r in conn.execute(
                sa.select(subject_index.c.fingerprint).where(
                    subject_index.c.entry_id.in_([rng.randint(1, n) for _ in range(200)])))]
            compiled = _query(sample[:1]).compile(catalog.engine, compile_kwargs={"literal_binds": True})
            plan = "\n".join(str(r[0]) for r in conn.execute(sa.text(f"EXPLAIN {compiled}")))
            lat = []
            for fp in sample:
                s = time.perf_counter()
                rows = conn.execute(_query([fp])).all()
                lat.append((time.perf_counter() - s) * 1000)
                assert rows, "a present fingerprint was not found"
        # A fresh connection: psycopg prepares repeated statements, and a prepared index plan would be reused.
        seq_engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"prepare_threshold": None})
        with seq_engine.connect() as conn:
            conn.execute(sa.text("SET enable_indexscan = off"))
            conn.execute(sa.text("SET enable_bitmapscan = off"))
            seq_plan = "\n".join(str(r[0]) for r in conn.execute(sa.text(f"EXPLAIN {compiled}")))
            seq = []
            for fp in sample[:5]:
                s = time.perf_counter()
                conn.execute(_query([fp])).all()
                seq.append((time.perf_counter() - s) * 1000)
        seq_engine.dispose()
    finally:
        catalog.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))
        admin.dispose()
    lat.sort()
    p50 = statistics.median(lat)
    p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))]
    baseline = statistics.median(seq)
    return {
        "subjects": {
            "value": round(p50, 3), "unit": "ms (find lookup p50)", "p99_ms": round(p99, 3),
            "baseline": round(baseline, 1), "ratio": round(baseline / p50, 1), "target": None,
            "fingerprints": n, "load_s": round(load_s, 1),
            "index_scan": "ix_subject_index_fingerprint" in plan, "baseline_seq_scan": "Seq Scan" in seq_plan,
        }
    }


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--full", action="store_true", help="10M fingerprints instead of 1M")
    parser.add_argument("--json", help="also write the result to this file")
    args = parser.parse_args()
    text = json.dumps(run(quick=not args.full), indent=2)
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")


if __name__ == "__main__":
    main()
