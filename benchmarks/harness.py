"""The benchmark harness: every measurement beside its baseline, in the same run, as ratios.

Measurements owned here (the others are imported from their own modules when present):

* ``census`` — rows/s of :func:`pi_scanner.census.census_pass` over a PostgreSQL table (10 M rows,
  1 M with ``--quick``) against the raw driver read of the same column (psycopg ``COPY … TO STDOUT``,
  bytes only, nothing parsed). Target ≥ 50 %.
* ``rss`` — peak RSS of a subprocess that runs the census over the whole big table. Target < 500 MB.
* ``tables_1000`` — a scan of 1,000 small SQLite tables on the process pool against the same scan
  in-process (and ``default``: the automatic executor against in-process).
* ``tables_1000_pg``, ``tables_1000_mysql`` — the same on PostgreSQL and MariaDB reached through a proxy
  adding 2 ms per round trip (:mod:`benchmarks.latency_proxy`): process pool against in-process.
* ``default_executor`` — a scan of a 200-table school schema (SQLite) with the default executor against
  ``--executor local`` (median of paired runs). Target ≥ 1.0.
* ``default_census`` — the census of the big table with the default executor against in-process.
* ``dask`` — the census of the big table split into key-range units on a real cluster (``dask
  scheduler`` and ``dask worker`` processes on 127.0.0.1): 2 workers against 1. Target ≥ 1.7× (on a
  2-core machine shared with other work, expect less).

Every benchmark creates its own database (or files) and drops it afterwards.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
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

from benchmarks.peak_rss import peak_rss_kb
from pi_scanner.catalog.store import Catalog
from pi_scanner.census import census_pass
from pi_scanner.classify.collection_time import COLLECTED_AT
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


def measure_census_dated(url: str) -> dict[str, Any]:
    """Census with a collection-date column (a per-row timestamp) against the ID-only census, same run.

    Adds ``people.create_time`` (a distinct timestamp per row: the worst case for the pair counts), then
    times both passes; the ratio is what counting collection-time ages costs.
    """
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE people ADD COLUMN IF NOT EXISTS create_time timestamp"))
        conn.execute(sa.text("UPDATE people SET create_time = timestamp '2015-01-01' + id * interval '17 seconds'"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM ANALYZE people"))
    engine.dispose()
    conn_, info = _asset(url)
    try:
        t0 = time.perf_counter()
        plain = census_pass(info, COLUMNS, AS_OF, connector=conn_)
        base = plain.rows / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        dated = census_pass(info, {**COLUMNS, "create_time": COLLECTED_AT}, AS_OF, connector=conn_)
        rate = dated.rows / (time.perf_counter() - t0)
    finally:
        conn_.close()
    assert dated.ages == plain.ages and dated.collection is not None
    return {"census_dated": _entry(rate, "rows/s", base, "informational: the cost of collection-time ages",
                                   rows=dated.rows, collected_while_child=dated.collection.collected_while_child)}


def _rss_child(url: str) -> None:
    conn, info = _asset(url)
    res = census_pass(info, COLUMNS, AS_OF, connector=conn)
    conn.close()
    print(json.dumps({"rows": res.rows, "maxrss_kb": peak_rss_kb()}))


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
        _fill_tables(conn, n)
    engine.dispose()
    return url


def _fill_tables(conn: sa.Connection, n: int) -> None:
    for t in range(n):
        conn.execute(sa.text(f"CREATE TABLE t{t:04d} (id INTEGER PRIMARY KEY, xm VARCHAR(16), phone VARCHAR(16), "
                             "csrq VARCHAR(16))"))
        conn.execute(sa.text(f"INSERT INTO t{t:04d} VALUES (:i, :x, :p, :d)"),
                     [{"i": i, "x": "张伟", "p": f"1391234{i:04d}", "d": f"20{10 + t % 15}-03-{1 + i % 28:02d}"}
                      for i in range(20)])


def school_schema(path: Path, tables: int = 200, rows: int = 200) -> str:
    """A school database of ``tables`` tables: pupils (IDs, birth dates, guardians), staff, fees, courses."""
    from pi_scanner.classify.corpus import ric

    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    shapes = (
        ("student", "xm TEXT, sfzh TEXT, csrq TEXT, jhr_dh TEXT, bj TEXT",
         lambda i: {"a": "张伟", "b": ric("110105", dt.date(2014, 1 + i % 12, 1 + i % 28), i),
                    "c": f"2014-{1 + i % 12:02d}-{1 + i % 28:02d}", "d": f"1391234{i:04d}", "e": "三年级二班"}),
        ("staff", "name TEXT, phone TEXT, email TEXT", lambda i: {"a": "李老师", "b": f"1381234{i:04d}",
                                                                  "c": f"t{i}@school.cn"}),
        ("fee", "amount INTEGER, paid_at TEXT, memo TEXT", lambda i: {"a": i * 10, "b": "2025-01-02", "c": "学费"}),
        ("course", "title TEXT, room TEXT, hours INTEGER", lambda i: {"a": "数学", "b": f"A{i}", "c": i}),
    )
    with engine.begin() as conn:
        for t in range(tables):
            kind, cols, row = shapes[t % len(shapes)]
            width = cols.count(",") + 1
            names = ", ".join(f":{'abcde'[k]}" for k in range(width))
            conn.execute(sa.text(f"CREATE TABLE {kind}_{t} (id INTEGER PRIMARY KEY, {cols})"))
            conn.execute(sa.text(f"INSERT INTO {kind}_{t} VALUES (:i, {names})"),
                         [{"i": i, **row(i)} for i in range(rows)])
    engine.dispose()
    return url


def _scan_seconds(settings: Any, kind: str, catalog_path: Path) -> tuple[float, int, str]:
    cat = Catalog(f"sqlite:///{catalog_path}")
    cat.migrate()
    try:
        t0 = time.perf_counter()
        out = run_scan(settings, as_of=AS_OF, catalog=cat, executor=kind)
        elapsed = time.perf_counter() - t0
    finally:
        cat.close()
    assert not out.run.errors, out.run.errors[:3]
    return elapsed, len(out.run.results), out.executor


def paired_scans(settings: Any, kinds: tuple[str, str], tmp: Path, repeats: int) -> dict[str, Any]:
    """``repeats`` interleaved scans of each kind; the median seconds of each and the median of the ratios."""
    seconds: dict[str, list[float]] = {k: [] for k in kinds}
    ratios: list[float] = []
    assets, chosen = 0, ""
    for rep in range(repeats):
        pair = {}
        for kind in (kinds if rep % 2 == 0 else kinds[::-1]):  # alternate who goes first
            pair[kind], assets, name = _scan_seconds(settings, kind, tmp / f"cat-{kind}-{rep}.db")
            if kind == kinds[0]:
                chosen = name
            seconds[kind].append(pair[kind])
        ratios.append(pair[kinds[1]] / pair[kinds[0]])
    return {"median": {k: sorted(v)[len(v) // 2] for k, v in seconds.items()},
            "ratio": sorted(ratios)[len(ratios) // 2], "ratios": [round(r, 3) for r in ratios],
            "assets": assets, "chosen": chosen}


def measure_default(tables: int = 200, repeats: int = 5) -> dict[str, Any]:
    """The default executor against in-process on a school schema of ``tables`` tables."""
    with tempfile.TemporaryDirectory() as tmp:
        url = school_schema(Path(tmp) / "school.db", tables)
        settings = parse_settings({"connectors": {"db": {"type": "sql", "url": url}}})
        found = paired_scans(settings, ("auto", "local"), Path(tmp), repeats)
    auto, local = found["median"]["auto"], found["median"]["local"]
    entry = _entry(tables / auto, "tables/s", tables / local, "default no slower than in-process (>= 1.0)")
    entry["ratio"] = round(1 / found["ratio"], 3)  # the median of the paired ratios: steadier on a busy machine
    return {"default_executor": {**entry, "tables": tables,
                                 "ratios": [round(1 / r, 3) for r in found["ratios"]],
                                 "ratio_is": "median of paired runs (local seconds / default seconds)",
                                 "chosen": found["chosen"], "cores": os.cpu_count()}}


def measure_tables(n: int = 1_000) -> dict[str, Any]:
    """A scan of ``n`` small tables on the process pool, and with the default, against in-process."""
    with tempfile.TemporaryDirectory() as tmp:
        url = _tables(Path(tmp) / "many.db", n)
        # The pool may run as many units of the one database at once as it has workers.
        settings = parse_settings({"connectors": {"db": {"type": "sql", "url": url, "max_concurrent_queries": 8}},
                                   "executor": {"min_units": 1}})
        pool = paired_scans(settings, ("process", "local"), Path(tmp), 1)
        default = paired_scans(settings, ("auto", "local"), Path(tmp), 1)
    return {"tables_1000": _entry(n / pool["median"]["process"], "tables/s", n / pool["median"]["local"],
                                  "process pool faster than in-process", tables=n, workers=os.cpu_count(),
                                  default=round(n / default["median"]["auto"], 1),
                                  default_ratio=round(1 / default["ratio"], 3), default_chosen=default["chosen"])}


def measure_tables_remote(admin_url: str, name: str, n: int, delay_s: float = 0.002) -> dict[str, Any]:
    """``n`` small tables on a database reached through a proxy adding ``delay_s`` per round trip."""
    from benchmarks.latency_proxy import LatencyProxy
    from benchmarks.retention import database

    with database(admin_url) as url, tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            _fill_tables(conn, n)
        engine.dispose()
        where = sa.make_url(url)
        with LatencyProxy(where.host or "127.0.0.1", int(where.port or 0), delay_s) as proxy:
            settings = parse_settings({
                "connectors": {"db": {"type": "sql", "url": proxy.url(url), "max_concurrent_queries": 8}},
                "executor": {"min_units": 1},
            })
            found = paired_scans(settings, ("process", "local"), Path(tmp), 1)
    return {name: _entry(n / found["median"]["process"], "tables/s", n / found["median"]["local"],
                         "process pool faster than in-process", tables=n, added_latency_ms=delay_s * 1000,
                         workers=os.cpu_count())}


def measure_default_census(url: str) -> dict[str, Any]:
    """The census phase of the big table with the default executor against in-process."""
    from pi_scanner.executors import AutoExecutor, InProcessExecutor
    from pi_scanner.work import WorkContext, plan_census

    settings = parse_settings({"connectors": {"bench": {"type": "sql", "url": url, "max_concurrent_queries": 4,
                                                        "statement_timeout_s": 3600}}})
    conn, info = _asset(url)
    units = plan_census(conn, info, tuple(COLUMNS.items()), partition_rows=1_000_000)
    conn.close()
    times: dict[str, float] = {}
    chosen = ""
    for name, ex in (("local", InProcessExecutor()), ("auto", AutoExecutor())):
        ctx = WorkContext(uuid.uuid4().hex, settings, AS_OF)
        t0 = time.perf_counter()
        results = list(ex.run(units, ctx, {"bench": 4}))
        times[name] = time.perf_counter() - t0
        if isinstance(ex, AutoExecutor):
            chosen = ex.name
        ex.close(ctx)
        assert all(r.error is None for r in results)
    rows = info.row_count_estimate or 0
    return {"default_census": _entry(rows / times["auto"], "rows/s", rows / times["local"],
                                     "default faster than in-process", units=len(units), chosen=chosen,
                                     note="includes starting the pool")}


def measure_dask(url: str, rows: int) -> dict[str, Any]:
    """Census units of the big table on a real cluster (scheduler and worker processes): 2 workers against 1."""
    from tests.dask_cluster import DaskCluster

    from pi_scanner.executors import DaskExecutor
    from pi_scanner.work import WorkContext, plan_census

    settings = parse_settings({"connectors": {"bench": {"type": "sql", "url": url, "max_concurrent_queries": 4,
                                                        "statement_timeout_s": 3600}}})
    conn, info = _asset(url)
    units = plan_census(conn, info, tuple(COLUMNS.items()), partition_rows=max(1_000, rows // 8))
    conn.close()
    times = {}
    for workers in (1, 2):
        with DaskCluster(workers=workers) as cluster:
            ex = DaskExecutor(cluster.address)
            ctx = WorkContext(uuid.uuid4().hex, settings, AS_OF)
            # Warm-up: imports and connections on every worker, not part of the measurement.
            list(ex.run(units[:workers], ctx))
            t0 = time.perf_counter()
            results = list(ex.run(units, ctx, {"bench": 4}))
            times[workers] = time.perf_counter() - t0
            assert all(r.error is None for r in results)
            ex.close(ctx)
    r1, r2 = rows / times[1], rows / times[2]
    return {"dask": _entry(r2, "rows/s", r1, ">= 1.7x with 2 workers", units=len(units), cores=os.cpu_count(),
                           cluster="dask scheduler + dask worker processes on 127.0.0.1")}


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
    if want("census") or want("rss") or want("dask") or want("default_census") or want("census_dated"):
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
            if want("default_census"):
                results.update(measure_default_census(url))
                log("default_census")
            if want("census_dated"):  # last: it adds a column to the table the others read
                results.update(measure_census_dated(url))
                log("census_dated")
    if want("default_executor"):
        results.update(measure_default(200))
        log("default_executor")
    if want("tables_1000"):
        results.update(measure_tables(1_000))
        log("tables_1000")
    if want("tables_remote"):
        from benchmarks.retention import MYSQL_ADMIN_URL, reachable

        remote = 200 if quick else 1_000
        results.update(measure_tables_remote(ADMIN_URL, "tables_1000_pg", remote))
        log("tables_1000_pg")
        if reachable(MYSQL_ADMIN_URL):
            results.update(measure_tables_remote(MYSQL_ADMIN_URL, "tables_1000_mysql", remote))
            log("tables_1000_mysql")
    if want("s3"):
        results.update(_optional("benchmarks.s3", lambda m: m.run(quick)))
        log("s3")
    for name in ("retention", "subjects", "reduced_schemas", "real_schemas", "datamap", "containment"):
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

        print(json.dumps({"rows": 0, "maxrss_kb": peak_rss_kb()}))
    else:
        raise SystemExit("use python -m benchmarks")
