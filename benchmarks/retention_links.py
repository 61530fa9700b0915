"""Retention that follows the data map: what planning and applying the linked rows cost.

Run ``nice -n 10 python -m benchmarks.retention_links [--students N] [--json PATH]``. A throw-away
PostgreSQL database (and MariaDB when it answers) gets a school: ``students`` (N, half past retention),
``attendance`` (10 per pupil), ``grades`` (5 per pupil), ``medical_visits`` (one per two pupils) and
``visit_items`` (2 per visit, two links from the pupil), none of the links declared. The real scan builds
the data map. In the same run, each plan built in a fresh process (time and peak RSS):

* ``root``: ``scope: all_records`` over ``students``, no cascade (the pupils' rows only);
* ``linked``: the same with ``cascade: inferred`` (every linked row planned; counted from the predicate);
* ``linked_keys``: the same with one pupil under a legal hold, so the planned keys go to a temporary table.

Reported: ``plan_ratio`` (linked over root planning time), linked rows planned per second of the extra
time, peak RSS of each; and ``apply_ratio``: rows/s of the enforcer applying the linked plan (checkpoints,
re-checked chained deletes, ledger) over one transaction of unbatched ``DELETE … WHERE student_id IN
(SELECT …)`` statements deleting the same rows, deepest first.
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
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.peak_rss import peak_rss_mb
from benchmarks.retention import MYSQL_ADMIN_URL, PG_ADMIN_URL, database, reachable
from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.keyset import side_file
from pi_scanner.retention.planner import Plan, build_plan
from pi_scanner.scanner import run_scan

AS_OF = dt.date(2026, 3, 15)
KEY = "benchmark-hmac-key-0123456789abcdef"
LINKED = ("visit_items", "medical_visits", "grades", "attendance")


def _schema(engine: sa.Engine) -> sa.MetaData:
    md = sa.MetaData()
    pk = {"primary_key": True, "autoincrement": False}
    sa.Table("students", md, sa.Column("id", sa.Integer, **pk), sa.Column("xm", sa.String(20)),
             sa.Column("last_active_at", sa.DateTime, nullable=False))
    sa.Table("attendance", md, sa.Column("id", sa.Integer, **pk), sa.Column("student_id", sa.Integer, index=True),
             sa.Column("day", sa.Date))
    sa.Table("grades", md, sa.Column("id", sa.Integer, **pk), sa.Column("student_id", sa.Integer, index=True),
             sa.Column("score", sa.Integer))
    sa.Table("medical_visits", md, sa.Column("visit_id", sa.Integer, **pk),
             sa.Column("student_id", sa.Integer, index=True), sa.Column("complaint", sa.String(20)))
    sa.Table("visit_items", md, sa.Column("item_id", sa.Integer, **pk), sa.Column("visit_id", sa.Integer, index=True),
             sa.Column("medicine", sa.String(20)))
    md.drop_all(engine)
    md.create_all(engine)
    return md


def load(engine: sa.Engine, n: int) -> dict[str, int]:
    """The school with ``n`` pupils (odd ids past retention); rows per table."""
    md = _schema(engine)
    t = md.tables
    step = 20_000
    with engine.begin() as conn:
        for lo in range(1, n + 1, step):
            ids = range(lo, min(n, lo + step - 1) + 1)
            conn.execute(t["students"].insert(), [
                {"id": i, "xm": f"王小{i % 97}", "last_active_at": dt.datetime(2022 if i % 2 else 2026, 1, 1)}
                for i in ids])
            conn.execute(t["attendance"].insert(), [
                {"id": i * 10 + k, "student_id": i, "day": dt.date(2025, 9, 1 + k)} for i in ids for k in range(10)])
            conn.execute(t["grades"].insert(), [
                {"id": i * 10 + k, "student_id": i, "score": 60 + k} for i in ids for k in range(5)])
            conn.execute(t["medical_visits"].insert(), [
                {"visit_id": i, "student_id": i, "complaint": "fever"} for i in ids if i % 2 == 0 or i % 4 == 1])
            conn.execute(t["visit_items"].insert(), [
                {"item_id": i * 10 + k, "visit_id": i, "medicine": "tea"} for i in ids if i % 2 == 0 or i % 4 == 1
                for k in range(2)])
    with engine.connect() as conn:
        return {name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                for name, table in t.items()}


def _settings(url: str, tmp: Path, mode: str) -> Settings:
    policy: dict[str, Any] = {"name": "inactive", "selector": {"connector": "school", "tables": ["*.students"]},
                              "anchor": "last_active_at", "max_age": "365d", "enforce": True,
                              "max_deletes_per_run": 100_000_000}
    if mode != "root":
        policy["cascade"] = "inferred"
    if mode == "linked_keys":
        policy["legal_holds"] = [{"keys": [[1]], "reason": "appeal", "basis": "PIPL 47(2)"}]
    return parse_settings({"connectors": {"school": {"type": "sql", "url": url}},
                           "catalog": {"url": f"sqlite:///{tmp / 'cat.db'}", "hmac_key": KEY},
                           "retention": [policy]})


def child(url: str, tmp: Path, mode: str) -> None:
    """In a fresh process: build and save one plan; print seconds, peak RSS and planned rows per table."""
    settings = _settings(url, tmp, mode)
    with Catalog(settings.catalog.url) as catalog:
        start = time.perf_counter()
        plan = build_plan(settings, catalog, AS_OF, KEY.encode())
        path = tmp / f"plan-{mode}.json"
        plan.save(path)
        seconds = time.perf_counter() - start
        plan.close()
    assert not plan.errors, plan.errors
    rss = peak_rss_mb()
    planned = {i["path"][-1]: int(i["expected_count"]) for i in plan.items}
    counted = plan.items[-1].get("linked_counted_from", "")
    print(json.dumps({"seconds": seconds, "rss_mb": rss, "planned": planned, "counted_from": counted,
                      "plan": str(path)}))


def _run_child(url: str, tmp: Path, mode: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "benchmarks.retention_links", "--child", mode, url, str(tmp)],
                         capture_output=True, text=True, check=True, timeout=3600)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _idle_rss() -> float:
    code = "import benchmarks.peak_rss as b, pi_scanner.scanner; print(b.peak_rss_mb())"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def _unbatched(engine: sa.Engine) -> tuple[int, float]:
    """The same rows deleted by plain statements, deepest first, in one transaction."""
    expired = "SELECT id FROM students WHERE last_active_at < :cut"
    visits = f"SELECT visit_id FROM medical_visits WHERE student_id IN ({expired})"
    statements = [f"DELETE FROM visit_items WHERE visit_id IN ({visits})",
                  f"DELETE FROM medical_visits WHERE student_id IN ({expired})",
                  f"DELETE FROM grades WHERE student_id IN ({expired})",
                  f"DELETE FROM attendance WHERE student_id IN ({expired})",
                  "DELETE FROM students WHERE last_active_at < :cut"]
    start = time.perf_counter()
    done = 0
    with engine.begin() as conn:
        for stmt in statements:
            done += int(conn.execute(sa.text(stmt), {"cut": dt.datetime(2025, 1, 1)}).rowcount or 0)
    return done, time.perf_counter() - start


def measure(url: str, n: int) -> dict[str, Any]:
    """One database: the three plans, then the linked plan applied against plain deletes of the same rows."""
    engine = sa.create_engine(url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            rows = load(engine, n)
            settings = _settings(url, base, "linked")
            with Catalog(settings.catalog.url) as catalog:
                catalog.migrate()
                run_scan(settings, as_of=AS_OF, catalog=catalog)
            plans = {mode: _run_child(url, base, mode) for mode in ("root", "linked", "linked_keys")}
            linked_rows = sum(v for k, v in plans["linked"]["planned"].items() if k != "students")
            assert set(plans["linked"]["planned"]) == {*LINKED, "students"}, plans["linked"]["planned"]
            baseline_rows, baseline_s = _unbatched(engine)
            load(engine, n)
            path = Path(plans["linked"]["plan"])
            plan = Plan.from_json(json.loads(path.read_text(encoding="utf-8")), side_file(path))
            try:
                with Catalog(settings.catalog.url) as catalog:
                    start = time.perf_counter()
                    result = apply_plan(plan, settings, catalog, hmac_key=KEY.encode())
                    whole = time.perf_counter() - start
            finally:
                plan.close()
            assert result.ok, result.to_json()
            deleted = sum(i.affected for i in result.items)
            assert deleted == baseline_rows, (deleted, baseline_rows)
            in_batches = sum(i.batch_seconds for i in result.items)
    finally:
        engine.dispose()
    extra = plans["linked"]["seconds"] - plans["root"]["seconds"]
    return {
        "rows": rows, "linked_rows_planned": linked_rows,
        "plan_seconds": {m: round(p["seconds"], 2) for m, p in plans.items()},
        "plan_ratio": round(plans["linked"]["seconds"] / plans["root"]["seconds"], 2),
        "plan_ratio_with_key_table": round(plans["linked_keys"]["seconds"] / plans["root"]["seconds"], 2),
        "linked_rows_per_extra_second": round(linked_rows / extra) if extra > 0 else None,
        "peak_rss_mb": {m: round(p["rss_mb"], 1) for m, p in plans.items()},
        "counted_from": {m: p["counted_from"] for m, p in plans.items()},
        "apply_rows_per_s": round(deleted / in_batches), "unbatched_rows_per_s": round(baseline_rows / baseline_s),
        "apply_ratio": round((deleted / in_batches) / (baseline_rows / baseline_s), 3),
        "whole_apply_ratio": round((deleted / whole) / (baseline_rows / baseline_s), 3),
    }


def main() -> None:
    """Entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20_000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, url, folder = args.child
        child(url, Path(folder), mode)
        return
    out: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "students": args.students,
                           "machine": f"{os.cpu_count()} cores", "idle_rss_mb": round(_idle_rss(), 1)}
    for name, admin in (("postgresql", PG_ADMIN_URL), ("mariadb", MYSQL_ADMIN_URL)):
        if not reachable(admin):
            out[name] = "not reachable"
            continue
        with database(admin) as url:
            out[name] = measure(url, args.students)
    text = json.dumps(out, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
