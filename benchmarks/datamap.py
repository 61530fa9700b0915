"""The data map's cost beside the plain scan, measured in one run (issue 15).

``python -m benchmarks --only datamap``

A SQLite school of ``tables`` tables (pupils with ID numbers and birth dates, staff, courses, and the rest
keyed by ``student_id``/``staff_id`` with no declared foreign key, a third of them empty) is scanned by
the real scan path. The map's own work (links from names, containment checks, lookup roles,
propagation with linked rows counted in the database) is then timed again on the same store and the
scan's results; the ratio is map seconds over the rest of the scan's seconds (target <= 0.20).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pi_scanner import datamap
from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.corpus import ric
from pi_scanner.config import SqlConnectorConfig, parse_settings
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.scanner import run_scan

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


def measure(tables: int = 200) -> dict[str, Any]:
    """Scan seconds and the map's own seconds on a ``tables``-table school."""
    with tempfile.TemporaryDirectory() as tmp:
        url = school(Path(tmp) / "school.db", tables)
        settings = parse_settings({"connectors": {"db": {"type": "sql", "url": url}}})
        catalog = Catalog(f"sqlite:///{Path(tmp) / 'cat.db'}")
        catalog.migrate()
        t0 = time.perf_counter()
        outcome = run_scan(settings, as_of=AS_OF, catalog=catalog, executor="local")
        scan_s = time.perf_counter() - t0
        catalog.close()
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
