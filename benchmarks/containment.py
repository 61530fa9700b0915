"""Value containment: the bottom-k sketch against the exact semi-join, error and time (issue 15, item 1).

``python -m benchmarks.containment [--rows 1000000 10000000] [--trials 200] [--pg URL]``

Two parts, printed as one JSON document:

* ``error``: coordinated bottom-k sketches (:func:`~pi_scanner.datamap.sketch.coordinated_containment`) of
  synthetic columns with containment 0, 0.5, 0.9 and 1.0, ``trials`` times each on fresh values: mean and
  largest absolute error, and how often the 95 % interval held the truth.
* ``postgres``: on a throw-away PostgreSQL database, a key table ``b`` of ``rows`` rows and a referencing
  table ``a`` of ``rows`` rows whose four columns repeat ``rows / 2`` distinct values each, of which 0, 50,
  90 and 100 % are in ``b``; for each column, seconds and share of the exact semi-join
  (:meth:`SqlProbe._exact`) and of the sketch (:meth:`SqlProbe._sketched`), measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any

import sqlalchemy as sa

from benchmarks.retention import database
from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap import sketch
from pi_scanner.datamap.probe import SqlProbe

SHARES = (0.0, 0.5, 0.9, 1.0)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def error(trials: int, distinct: int = 50_000, k: int = sketch.DEFAULT_K) -> dict[str, Any]:
    """Error of the coordinated sketch estimate against the true containment, per share."""
    out: dict[str, Any] = {}
    for share in SHARES:
        errors: list[float] = []
        held = 0
        for t in range(trials):
            base = t * 10 * distinct  # fresh values each trial, so fresh hashes
            inside = int(distinct * share)
            a, b = sketch.BottomK(k), sketch.BottomK(k)
            b.update(f"s{base + i}" for i in range(distinct * 2))
            a.update(f"s{base + i}" for i in range(inside))
            a.update(f"s{base + 5 * distinct + i}" for i in range(distinct - inside))  # not in b
            est = sketch.coordinated_containment(a, b)
            assert est is not None
            errors.append(abs(est.share - share))
            held += est.low - 1e-9 <= share <= est.high + 1e-9
        out[str(share)] = {"mean_abs_error": round(statistics.fmean(errors), 4), "max_abs_error": round(max(errors), 4),
                           "interval_held": round(held / trials, 3)}
    return {"k": k, "distinct_a": distinct, "distinct_b": 2 * distinct, "trials": trials, "by_share": out}


def _column(share: float, rows: int) -> str:
    distinct = rows // 2
    inside = int(distinct * share)
    # Row g holds pool value j = g % distinct: values 1..inside are keys of b, the rest lie beyond b's keys.
    return f"CASE WHEN g % {distinct} < {inside} THEN g % {distinct} + 1 ELSE {rows} + g % {distinct} + 1 END"


def postgres(admin_url: str, rows: int) -> dict[str, Any]:
    """Exact semi-join against sketch on a fresh database with ``rows``-row tables."""
    with database(admin_url) as url:
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        t0 = time.perf_counter()
        cols = ", ".join(f"c{int(s * 100)}" for s in SHARES)
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE UNLOGGED TABLE b (id bigint PRIMARY KEY)"))
            conn.execute(sa.text(f"INSERT INTO b SELECT g FROM generate_series(1, {rows}) g"))
            conn.execute(sa.text(f"CREATE UNLOGGED TABLE a (id bigint PRIMARY KEY, "
                                 f"{', '.join(f'c{int(s * 100)} bigint' for s in SHARES)})"))
            exprs = ", ".join(_column(s, rows) for s in SHARES)
            conn.execute(sa.text(f"INSERT INTO a (id, {cols}) SELECT g, {exprs} FROM generate_series(1, {rows}) g"))
            conn.execute(sa.text("ANALYZE a"))
            conn.execute(sa.text("ANALYZE b"))
        engine.dispose()
        build_s = time.perf_counter() - t0
        connector = SqlConnector("bench", SqlConnectorConfig(type="sql", url=url, statement_timeout_s=3600))
        probe = SqlProbe(connector)
        by_share: dict[str, Any] = {}
        try:
            with connector._session() as conn:
                a = probe._table(conn, ("public", "a"))
                b = probe._table(conn, ("public", "b"))
                for share in SHARES:
                    col, key = a.c[f"c{int(share * 100)}"], b.c["id"]
                    t1 = time.perf_counter()
                    exact = probe._exact(conn, col, key)
                    t2 = time.perf_counter()
                    est = probe._sketched(conn, col, key, rows)
                    t3 = time.perf_counter()
                    assert exact.share is not None and est.share is not None
                    by_share[str(share)] = {
                        "exact_share": round(exact.share, 4), "exact_s": round(t2 - t1, 2),
                        "sketch_share": round(est.share, 4), "sketch_margin": est.margin,
                        "sketch_s": round(t3 - t2, 2), "abs_error": round(abs(est.share - exact.share), 4),
                        "speedup": round((t2 - t1) / max(t3 - t2, 1e-9), 2),
                    }
        finally:
            connector.close()
        return {"rows": rows, "distinct": rows // 2, "build_s": round(build_s, 1), "by_share": by_share}


def run(quick: bool) -> dict[str, Any]:
    """The ``containment`` entry of ``python -m benchmarks``: sketch seconds against the exact semi-join's."""
    found = postgres(os.environ.get("PI_SCANNER_BENCH_PG_URL", PG_ADMIN), 1_000_000 if quick else 10_000_000)
    shares = found["by_share"].values()
    exact_s = sum(e["exact_s"] for e in shares)
    sketch_s = sum(e["sketch_s"] for e in shares)
    return {"containment": {
        "value": round(sketch_s, 2), "unit": "s (4 columns)", "baseline": round(exact_s, 2),
        "ratio": round(exact_s / max(sketch_s, 1e-9), 2), "rows": found["rows"],
        "max_abs_error": max(e["abs_error"] for e in shares),
        "target": "sketch faster than the exact semi-join above probe.EXACT_ROWS, error within its margin"}}


def main() -> None:
    """Run both parts and print the JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, nargs="*", default=[1_000_000])
    ap.add_argument("--trials", type=int, default=200)
    ap.add_argument("--pg", default=PG_ADMIN)
    args = ap.parse_args()
    out: dict[str, Any] = {"error": error(args.trials) if args.trials else None,
                           "postgres": [postgres(args.pg, n) for n in args.rows]}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
