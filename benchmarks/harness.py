"""The benchmark harness: every measurement beside its baseline, in the same run, as ratios.

Measurements owned here (the others are imported from their own modules when present):

* ``census`` — rows/s of :func:`pi_scanner.census.census_pass` over a PostgreSQL table (10 M rows,
  1 M with ``--quick``) against the raw driver read of the same column (psycopg ``COPY … TO STDOUT``,
  bytes only, nothing parsed). Target ≥ 50 %.
* ``rss`` — peak RSS of a subprocess that runs the census over the whole big table. Target < 500 MB.
* ``tables_1000`` — a scan of 1,000 small SQLite tables on the process pool against the same scan
  in-process.
* ``dask`` — the census of the big table split into key-range units on a ``LocalCluster`` with 2
  workers against 1 worker. Target ≥ 1.7× (on a 2-core machine shared with other work, expect less).

Every benchmark creates its own database (or files) and drops it afterwards.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.census import census_pass
from pi_scanner.config import SqlConnectorConfig, parse_settings
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.scanner import run_scan

ADMIN_URL = os.environ.get("PI_SCANNER_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
AS_OF = dt.date(2026, 3, 15)
COLUMNS = {"sfzh": "CN_RESIDENT_ID"}
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _entry(value: float, unit: str, baseline: float, target: str, **extra: Any) -> dict[str, Any]:
    ratio = value / baseline if baseline else 0.0
    return {"value": round(value, 1), "unit": unit, "baseline": round(baseline, 1), "ratio": round(ratio, 3),
            "target": target, **extra}


@contextmanager
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one benchmark, dropped afterwards."""
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"pis_bench_{uuid.uuid4().hex[:12]}"
    quote = admin.dialect.identifier_preparer.quote
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {quote(name)}"))
    try:
        yield sa.make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)"))
        admin.dispose()


def build_big_table(url: str, rows: int) -> None:
    """``people(id, sfzh, note)``: valid resident IDs (checksums computed server-side), ages 0-80."""
    body = (
        "('110105' || to_char(date '1950-01-01' + (g::bigint * 7919 % 29000)::int, 'YYYYMMDD')"
        " || lpad((g % 1000)::text, 3, '0'))"
    )
    checksum = " + ".join(f"substr(b, {k + 1}, 1)::int * {w}" for k, w in enumerate(_W))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE people (id bigint PRIMARY KEY, sfzh char(18), note text)"))
        conn.execute(sa.text(
            "INSERT INTO people SELECT g, b || substr('10X98765432', ((" + checksum + ") % 11) + 1, 1), 'n' "
            "FROM (SELECT g, " + body + " AS b FROM generate_series(1, :n) AS g) s"
        ), {"n": rows})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE people"))
    engine.dispose()


def _asset(url: str) -> tuple[SqlConnector, Any]:
    conn = SqlConnector("bench", SqlConnectorConfig(url=url, statement_timeout_s=3600))
    info = next(i for i in conn.discover() if i.ref.path[-1] == "people")
    return conn, info


def raw_copy_rows_per_s(url: str) -> float:
    """The baseline: bytes of ``COPY (SELECT sfzh FROM people) TO STDOUT`` through psycopg, unparsed."""
    import psycopg

    dsn = sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    t0 = time.perf_counter()
    newlines = 0
    with psycopg.connect(dsn) as pg, pg.cursor() as cur, cur.copy("COPY (SELECT sfzh FROM people) TO STDOUT") as cp:
        for chunk in cp:
            newlines += bytes(chunk).count(b"\n")
    return newlines / (time.perf_counter() - t0)


def measure_census(url: str) -> dict[str, Any]:
    """Census rows/s against the raw COPY read of the same column."""
    raw = raw_copy_rows_per_s(url)
    conn, info = _asset(url)
    t0 = time.perf_counter()
    res = census_pass(info, COLUMNS, AS_OF, connector=conn)
    rate = res.rows / (time.perf_counter() - t0)
    conn.close()
    return {"census": _entry(rate, "rows/s", raw, ">= 0.5 of the raw COPY read", rows=res.rows,
                             child_rows=res.ages.child)}


def _rss_child(url: str) -> None:
    conn, info = _asset(url)
    res = census_pass(info, COLUMNS, AS_OF, connector=conn)
    conn.close()
    print(json.dumps({"rows": res.rows, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def measure_rss(url: str) -> dict[str, Any]:
    """Peak RSS of a fresh process running the census over the whole table (baseline: an idle import)."""
    def child(arg: str) -> dict[str, Any]:
        out = subprocess.run([sys.executable, "-m", "benchmarks.harness", arg, url], check=True,
                             capture_output=True, text=True, timeout=3600)
        data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
        return data

    full = child("--rss-child")
    idle = child("--rss-idle")
    mb, idle_mb = full["maxrss_kb"] / 1024, idle["maxrss_kb"] / 1024
    return {"rss": _entry(mb, "MB", idle_mb, "< 500 MB", rows=full["rows"])}


def _tables(path: Path, n: int) -> str:
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for t in range(n):
            conn.execute(sa.text(f"CREATE TABLE t{t:04d} (id INTEGER PRIMARY KEY, xm TEXT, phone TEXT, csrq TEXT)"))
            conn.execute(sa.text(f"INSERT INTO t{t:04d} VALUES (:i, :x, :p, :d)"),
                         [{"i": i, "x": "张伟", "p": f"1391234{i:04d}", "d": f"20{10 + t % 15}-03-{1 + i % 28:02d}"}
                          for i in range(20)])
    engine.dispose()
    return url


def measure_tables(n: int = 1_000) -> dict[str, Any]:
    """A scan of ``n`` small tables on the process pool against the same scan in-process."""
    with tempfile.TemporaryDirectory() as tmp:
        url = _tables(Path(tmp) / "many.db", n)
        settings = parse_settings({"connectors": {"db": {"type": "sql", "url": url}}, "executor": {"min_units": 1}})
        rates = {}
        for kind in ("local", "process"):
            cat = Catalog(f"sqlite:///{Path(tmp) / f'cat-{kind}.db'}")
            cat.migrate()
            t0 = time.perf_counter()
            out = run_scan(settings, as_of=AS_OF, catalog=cat, executor=kind)
            rates[kind] = len(out.run.results) / (time.perf_counter() - t0)
            assert len(out.run.results) == n, out.run.errors[:3]
            cat.close()
    return {"tables_1000": _entry(rates["process"], "tables/s", rates["local"],
                                  "process pool faster than in-process", tables=n, workers=os.cpu_count())}


def measure_dask(url: str, rows: int) -> dict[str, Any]:
    """Census units of the big table on a LocalCluster: 2 workers against 1."""
    import distributed

    from pi_scanner.executors import DaskExecutor
    from pi_scanner.work import WorkContext, plan_census

    settings = parse_settings({"connectors": {"bench": {"type": "sql", "url": url, "max_concurrent_queries": 4,
                                                        "statement_timeout_s": 3600}}})
    conn, info = _asset(url)
    units = plan_census(conn, info, tuple(COLUMNS.items()), partition_rows=max(1_000, rows // 8))
    conn.close()
    times = {}
    for workers in (1, 2):
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as lc, distributed.Client(lc) as client:
            ex = DaskExecutor(client)
            ctx = WorkContext(uuid.uuid4().hex, settings, AS_OF)
            # Warm-up: imports and connections on every worker, not part of the measurement.
            list(ex.run(units[:workers], ctx))
            t0 = time.perf_counter()
            results = list(ex.run(units, ctx, {"bench": 4}))
            times[workers] = time.perf_counter() - t0
            assert all(r.error is None for r in results)
            ex.close(ctx)
    r1, r2 = rows / times[1], rows / times[2]
    return {"dask": _entry(r2, "rows/s", r1, ">= 1.7x with 2 workers", units=len(units), cores=os.cpu_count())}


def _optional(module: str, call: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    try:
        mod = importlib.import_module(module)
    except ImportError:
        return {}
    try:
        return call(mod)
    except Exception as exc:  # one failing benchmark must not lose the others' figures
        return {module.rsplit(".", 1)[-1]: {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}}


def run_all(quick: bool, only: set[str] | None = None) -> dict[str, Any]:
    """Run every benchmark (or those in ``only``) and return ``{name: {value, unit, baseline, ratio, target}}``."""
    results: dict[str, Any] = {}

    def want(name: str) -> bool:
        return only is None or name in only

    def log(name: str) -> None:
        print(f"[bench] {name}: {json.dumps(results.get(name), ensure_ascii=False)}", file=sys.stderr, flush=True)

    if want("classification"):
        results.update(_optional("benchmarks.classification", lambda m: m.run(quick)))
        log("classification")
    rows = 1_000_000 if quick else 10_000_000
    if want("census") or want("rss") or want("dask"):
        with pg_database() as url:
            build_big_table(url, rows)
            if want("census"):
                results.update(measure_census(url))
                log("census")
            if want("rss"):
                results.update(measure_rss(url))
                log("rss")
            if want("dask"):
                results.update(measure_dask(url, rows))
                log("dask")
    if want("tables_1000"):
        results.update(measure_tables(1_000))
        log("tables_1000")
    if want("s3"):
        results.update(_optional("benchmarks.s3", lambda m: m.run(quick)))
        log("s3")
    for name in ("retention", "subjects", "reduced_schemas", "real_schemas"):
        if want(name):
            results.update(_optional(f"benchmarks.{name}", lambda m: m.run(quick)))
            log(name)
    if want("accuracy"):
        results.update(_optional("benchmarks.accuracy", lambda m: {"accuracy": m.run()}))
        log("accuracy")
    return results


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--rss-child":
        _rss_child(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "--rss-idle":
        import pi_scanner.census  # noqa: F401 - the same imports as the child, no work

        print(json.dumps({"rows": 0, "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    else:
        raise SystemExit("use python -m benchmarks")
