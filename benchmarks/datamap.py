"""The data map's cost beside the plain scan, measured in one run (issue 15).

``python -m benchmarks --only datamap``

A SQLite school of ``tables`` tables (pupils with ID numbers and birth dates, staff, courses, and the rest
keyed by ``student_id``/``staff_id`` with no declared foreign key, a third of them empty) is scanned by
the real scan path. The map's own work (links from names, containment checks, lookup roles,
propagation with linked rows counted in the database) is then timed again on the same store and the
scan's results; the ratio is map seconds over the rest of the scan's seconds (target <= 0.20).

``python -m benchmarks.datamap --full [--pg URL] [--rows 10000000] [--tables 2000]`` (issue 15: "on a
synthetic 2,000-table, 20,000-column schema holding 10 M rows the map is built in <= 120 s on 2 cores with
peak RSS < 1 GB"): a throw-away PostgreSQL database gets a school of ``tables`` tables of 10 columns each
(pupils with birth dates, staff, classes, and record tables named ``<module>_<noun>`` keyed by
``student_id``/``staff_id`` and by their parent record table's ``<module>_<noun>_id``; no declared foreign
key but the primary keys), ``rows`` rows spread over them by ``generate_series`` (four tables of 15 % each,
above the exact-containment threshold; a third of the small ones empty), analysed. The scan runs once
(census off) for the tables' results; then a fresh process discovers the store and builds the map
(``discover_map`` → ``resolve_roles`` → ``relate``: containment, parents, propagation with linked rows
counted in the database) and reports its seconds and its own peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.peak_rss import peak_rss_kb
from pi_scanner import datamap
from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.corpus import ric
from pi_scanner.config import SqlConnectorConfig, parse_settings
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap.probe import SqlProbe
from pi_scanner.scanner import ScanOutcome, run_scan

AS_OF = dt.date(2026, 3, 15)


def school(path: Path, tables: int, rows: int = 200) -> str:
    """A school of ``tables`` tables linked by name only."""
    url = f"sqlite:///{path}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE students (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, csrq DATE)"))
        conn.execute(sa.text("INSERT INTO students VALUES (:i, :x, :s, :d)"), [
            {"i": i, "x": "张伟", "s": ric("110105", dt.date(2014, 1 + i % 12, 1 + i % 28), i),
             "d": dt.date(2014, 1 + i % 12, 1 + i % 28)} for i in range(1, rows + 1)])
        conn.execute(sa.text("CREATE TABLE staff (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)"))
        conn.execute(sa.text("INSERT INTO staff VALUES (:i, '李老师', :p)"),
                     [{"i": i, "p": f"1381234{i:04d}"} for i in range(1, 41)])
        for t in range(tables - 2):
            key = "student_id" if t % 4 else "staff_id"
            conn.execute(sa.text(f"CREATE TABLE record_{t:04d} (id INTEGER PRIMARY KEY, {key} INTEGER, "
                                 "day DATE, score INTEGER)"))
            if t % 3:
                top = rows if key == "student_id" else 40
                conn.execute(sa.text(f"INSERT INTO record_{t:04d} VALUES (:i, :k, '2026-03-01', :s)"),
                             [{"i": i, "k": 1 + i % top, "s": i % 100} for i in range(rows)])
    engine.dispose()
    return url


def _scan(url: str, tmp: Path, **scan: Any) -> tuple[ScanOutcome, float]:
    """Scan the database at ``url`` once into a fresh catalog under ``tmp``: the outcome and its seconds."""
    settings = parse_settings({"connectors": {"db": {"type": "sql", "url": url}}, **({"scan": scan} if scan else {})})
    catalog = Catalog(f"sqlite:///{tmp / 'cat.db'}")
    catalog.migrate()
    t0 = time.perf_counter()
    outcome = run_scan(settings, as_of=AS_OF, catalog=catalog, executor="local")
    scan_s = time.perf_counter() - t0
    catalog.close()
    return outcome, scan_s


def measure(tables: int = 200) -> dict[str, Any]:
    """Scan seconds and the map's own seconds on a ``tables``-table school."""
    with tempfile.TemporaryDirectory() as tmp:
        url = school(Path(tmp) / "school.db", tables)
        outcome, scan_s = _scan(url, Path(tmp))
        connector = SqlConnector("db", SqlConnectorConfig(type="sql", url=url))
        try:
            results = {r.asset.path: r for r in outcome.run.results}
            discovered = list(connector.discover())  # discovery is the scan's, not the map's
            t1 = time.perf_counter()
            infos, smap = datamap.discover_map("db", discovered)
            datamap.resolve_roles(connector, smap, infos)
            mapped = datamap.relate(connector, smap, results, AS_OF)
            map_s = time.perf_counter() - t1
        finally:
            connector.close()
    linked = sum(1 for r in outcome.run.results if r.linked_via is not None)
    return {"scan_s": round(scan_s, 3), "map_s": round(map_s, 3), "links": len(mapped.links), "linked": linked}


def run(quick: bool) -> dict[str, Any]:
    """The ``map`` entry: map seconds against the rest of the scan's seconds, in the same run."""
    found = measure(200)
    plain = max(found["scan_s"] - found["map_s"], 1e-9)
    ratio = round(found["map_s"] / plain, 3)
    return {"map": {"value": found["map_s"], "unit": "s", "baseline": round(plain, 3), "ratio": ratio,
                    "target": "map <= 20 % of the scan on 200 tables", "tables": 200, "links": found["links"],
                    "linked_tables": found["linked"]}}


# ----------------------------------------------------------------------------- the full map at scale

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_MODULES = ("attendance", "exam", "homework", "library", "canteen", "dorm", "bus", "health", "fee", "club", "sport",
            "art", "music", "lab", "counsel", "award", "discipline", "survey", "parent", "trip", "camp", "uniform",
            "locker", "device", "meal", "allergy", "vaccine", "clinic", "insurance", "scholarship", "loan",
            "transfer", "graduation", "enrolment", "timetable", "course", "lesson", "quiz", "project", "portfolio")
_NOUNS = ("record", "log", "entry", "item", "detail", "note", "event", "request", "result", "score", "check",
          "visit", "report", "plan", "task", "order", "payment", "invoice", "booking", "session", "slot",
          "reading", "answer", "comment", "review", "rating", "photo", "file", "message", "notice", "alert",
          "issue", "claim", "form", "audit", "history", "batch", "schedule", "roster", "summary", "quota", "ticket",
          "label", "sheet", "survey", "draft", "token", "badge", "goal", "milestone")
PUPILS = 200_000


def _record_names(n: int) -> list[str]:
    names = [f"{m}_{w}" for w in _NOUNS for m in _MODULES]
    if n > len(names):
        raise ValueError(f"at most {len(names)} record tables")
    return names[:n]


def _plan(tables: int, rows: int) -> list[tuple[str, str, str | None, int]]:
    """(table, subject column, parent table or None, rows) for each record table."""
    names = _record_names(tables - 3)
    big, mid = (4, 20) if tables > 100 else (1, 2)
    big_rows = int(rows * 0.15)
    rest = rows - _pupils_for(rows) - 10_000 - 5_000 - big * big_rows
    mid_rows = int(rest * 0.5) // mid
    small = [i for i in range(big + mid, len(names)) if i % 3]  # a third of the small tables stay empty
    small_rows = (rest - mid * mid_rows) // max(len(small), 1)
    out = []
    for i, name in enumerate(names):
        subject = "staff_id" if i % 5 == 4 else "student_id"
        parent = names[i // 2] if i >= 40 else None  # chains: half the tables point at an earlier one
        n = big_rows if i < big else mid_rows if i < big + mid else small_rows if i in set(small) else 0
        out.append((name, subject, parent, n))
    return out


def _pupils_for(rows: int) -> int:
    return min(PUPILS, rows // 50)


def build_full(url: str, tables: int, rows: int) -> dict[str, Any]:
    """Create and fill the school; returns what was built and how long it took."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    plan = _plan(tables, rows)
    pupils = _pupils_for(rows)
    t0 = time.perf_counter()
    with engine.connect() as conn:
        x = conn.execute
        x(sa.text("CREATE TABLE students (student_id bigint PRIMARY KEY, xm varchar(32), csrq date, xb varchar(4),"
                  " class_id bigint, jhrdh varchar(20), jtzz varchar(80), rxrq date, zt varchar(8), bz text)"))
        x(sa.text("INSERT INTO students SELECT g, (ARRAY['张伟','王芳','李娜','刘洋','陈静','杨磊'])[1 + g % 6],"
                  " DATE '2012-01-01' + (g % 2500), CASE WHEN g % 2 = 0 THEN '男' ELSE '女' END, 1 + g % 5000,"
                  " '138' || lpad((g % 100000000)::text, 8, '0'), '北京市海淀区' || g || '号', DATE '2020-09-01',"
                  f" 'active', NULL FROM generate_series(1, {pupils}) g"))
        x(sa.text("CREATE TABLE staff (staff_id bigint PRIMARY KEY, name varchar(32), phone varchar(20), email"
                  " varchar(64), title varchar(20), dept varchar(20), hired date, salary numeric(10,2),"
                  " active boolean, note text)"))
        x(sa.text("INSERT INTO staff SELECT g, '李老师', '139' || lpad(g::text, 8, '0'), 't' || g || '@school.cn',"
                  " 'teacher', 'math', DATE '2015-01-01', 5000, true, NULL FROM generate_series(1, 10000) g"))
        x(sa.text("CREATE TABLE classes (class_id bigint PRIMARY KEY, class_name varchar(20), grade_level int,"
                  " room varchar(8), head_teacher_staff_id bigint, year int, campus varchar(20), size int,"
                  " created date, note text)"))
        x(sa.text("INSERT INTO classes SELECT g, g || '班', 1 + g % 6, 'R' || g, 1 + g % 10000, 2026, 'main', 40,"
                  " DATE '2025-09-01', NULL FROM generate_series(1, 5000) g"))
        sizes = {name: n for name, _, _, n in plan}
        for name, subject, parent, n in plan:
            ref = f"{parent}_id bigint" if parent else "batch_no int"
            x(sa.text(f"CREATE TABLE {name} (id bigint PRIMARY KEY, {subject} bigint, {ref}, day date,"
                      " score int, status varchar(12), amount numeric(10,2), created_at timestamp, flag boolean,"
                      " remark text)"))
            if not n:
                continue
            top = pupils if subject == "student_id" else 10_000
            ref_value = f"1 + (g * 7) % {max(sizes[parent], 1)}" if parent else "g % 100"
            x(sa.text(f"INSERT INTO {name} SELECT g, 1 + (g * 31) % {top}, {ref_value}, DATE '2026-03-01' + g % 14,"
                      " g % 100, 'ok', g % 1000, TIMESTAMP '2026-03-01' + g * INTERVAL '1 second', g % 2 = 0,"
                      f" NULL FROM generate_series(1, {n}) g"))
        build_s = time.perf_counter() - t0
        x(sa.text("ANALYZE"))
        columns = int(x(sa.text("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"))
                      .scalar_one())
        total = int(x(sa.text("SELECT sum(n_live_tup) FROM pg_stat_user_tables")).scalar_one() or 0)
    engine.dispose()
    return {"tables": len(plan) + 3, "columns": columns, "rows": total, "build_s": round(build_s, 1),
            "analyse_s": round(time.perf_counter() - t0 - build_s, 1)}


def map_only(url: str, results_path: str) -> dict[str, Any]:
    """In this (fresh) process: discover, build the map over the scan's results, time it, peak RSS."""
    with open(results_path, "rb") as fh:
        results = pickle.load(fh)
    base_rss = peak_rss_kb()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    spent = _timed(SqlProbe, ("containment_many", "count_linked", "count_root"))
    connector = SqlConnector("db", SqlConnectorConfig(type="sql", url=url, statement_timeout_s=600))
    try:
        t0 = time.perf_counter()
        discovered = list(connector.discover())
        t1 = time.perf_counter()
        infos, smap = datamap.discover_map("db", discovered)
        datamap.resolve_roles(connector, smap, infos)
        t2 = time.perf_counter()
        mapped = datamap.relate(connector, smap, results, AS_OF)
        t3 = time.perf_counter()
    finally:
        connector.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss = peak_rss_kb()
    cpu_s = usage.ru_utime + usage.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    linked = [r for r in mapped.results.values() if r.linked_via is not None]
    return {
        "discover_s": round(t1 - t0, 1), "names_s": round(t2 - t1, 1), "relate_s": round(t3 - t2, 1),
        "map_s": round(t3 - t1, 1), "map_with_discovery_s": round(t3 - t0, 1),
        "map_process_cpu_s": round(cpu_s, 1), "peak_rss_mb": round(rss / 1024, 1),
        "rss_after_loading_results_mb": round(base_rss / 1024, 1),
        "links": len(mapped.links), "accepted": sum(1 for lk in mapped.links if lk.accepted),
        "sketched": sum(1 for lk in mapped.links if "sketch" in lk.evidence),
        "linked_tables": len(linked), "linked_child_rows": sum(r.ages.child for r in linked),
        "problems": len(mapped.problems), "seconds_in": {k: round(v[0], 1) for k, v in spent.items()},
        "calls": {k: v[1] for k, v in spent.items()},
    }


def _timed(cls: type, names: tuple[str, ...]) -> dict[str, list[float]]:
    """Wrap methods of ``cls`` to add up their wall seconds and calls (this process only)."""
    spent: dict[str, list[float]] = {n: [0.0, 0] for n in names}
    for name in names:
        inner = getattr(cls, name)

        def wrapper(self: Any, *a: Any, _inner: Any = inner, _name: str = name, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return _inner(self, *a, **kw)
            finally:
                spent[_name][0] += time.perf_counter() - t
                spent[_name][1] += 1
        setattr(cls, name, wrapper)
    return spent


def _child(url: str, results: Path, src: str | None = None) -> dict[str, Any]:
    """The map in a fresh process; with ``src``, pi_scanner imported from that tree (a former version)."""
    env = {**os.environ, "PYTHONPATH": src} if src else None
    proc = subprocess.run([sys.executable, "-m", "benchmarks.datamap", "--map-only", url, str(results)],
                          capture_output=True, text=True, check=True, env=env)
    found: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return found


def full(admin_url: str, tables: int, rows: int, keep: bool = False, compare_src: str | None = None,
         src: str | None = None) -> dict[str, Any]:
    """Build the school on a fresh database, scan it once, then time the map in a fresh process."""
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    name = f"pis_map_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        built = build_full(url, tables, rows)
        with tempfile.TemporaryDirectory() as tmp:
            outcome, scan_s = _scan(url, Path(tmp), census=False)
            results = {r.asset.path: r for r in outcome.run.results}
            children = sorted(".".join(p) for p, r in results.items() if r.child_status.value == "child"
                              and r.linked_via is None)
            path = Path(tmp) / "results.pickle"
            path.write_bytes(pickle.dumps(results))
            mapped = _child(url, path, src)
            before = _child(url, path, compare_src) if compare_src else None
        return {**built, "scan_s": round(scan_s, 1), "roots": children[:10], **mapped,
                **({"before": before, "source_before": compare_src, "source": src} if before else {}),
                "target": "map <= 120 s on 2 cores, peak RSS < 1 GB"}
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    """``--full``: the map at scale on PostgreSQL; ``--map-only URL RESULTS``: the timed child process."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--map-only", nargs=2, metavar=("URL", "RESULTS"))
    ap.add_argument("--pg", default=PG_ADMIN)
    ap.add_argument("--tables", type=int, default=2000)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--keep", action="store_true", help="keep the database (debugging)")
    ap.add_argument("--src", metavar="DIR", help="time the map with pi_scanner imported from DIR")
    ap.add_argument("--compare-src", metavar="DIR", help="also time the map with pi_scanner imported from DIR "
                    "(e.g. `git archive <commit> src | tar -x -C DIR/..`), same database and results")
    args = ap.parse_args()
    if args.map_only:
        print(json.dumps(map_only(*args.map_only)))
    elif args.full:
        print(json.dumps(full(args.pg, args.tables, args.rows, args.keep, args.compare_src, args.src), indent=2))
    else:
        print(json.dumps(run(quick=True), indent=2))


if __name__ == "__main__":
    main()
