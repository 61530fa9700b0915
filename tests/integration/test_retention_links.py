"""Retention follows the data map (issue 15 item 7), on real PostgreSQL and MariaDB servers.

A school schema whose tables point at ``students`` without declaring it (inferred links: grades,
attendance, medical visits, a visit's items two links away, fees keyed by the pupil's number as text) and
one declared foreign key (enrolments) is scanned by the real scan path, so the links come from the catalog.
A ``scope: child_records`` policy over ``students`` then:

* lists every linked table with the exact count of rows linked to the expired pupils;
* with ``cascade: inferred`` deletes exactly those rows (deepest first: the declared key holds) and the
  expired pupils, and no row of any other pupil; the ledger verifies; a rerun is a no-op;
* with ``cascade: none`` (or ``declared``) refuses the pupils and deletes nothing;
* killed with SIGKILL mid-apply and run again, ends in exactly the planned state with a ledger that verifies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.demo import make_ric
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.keyset import side_file
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import Plan, build_plan, over_retained_report
from pi_scanner.scanner import run_scan

AS_OF = dt.date(2026, 3, 15)
KEY = "retention-links-test-hmac-key-0123456789"
PUPILS = 60
#: Linked tables and the column naming the pupil (``visit_items`` reaches a pupil through its visit).
DIRECT = {"grades": "student_id", "attendance": "student_id", "medical_visits": "student_id",
          "enrolments": "student_id", "fee_records": "student_id"}


ADULTS = range(PUPILS + 1, PUPILS + 7)


def _expired(i: int) -> bool:
    return i % 3 == 0 or i in ADULTS


def _gone(i: int) -> bool:
    """Deleted by a child_records policy: an expired pupil (the adults' rows are expired too, and stay)."""
    return _expired(i) and i not in ADULTS


def _school(url: str, adults: bool = True) -> None:
    rng = random.Random(15)
    engine = sa.create_engine(url)
    md = sa.MetaData()
    sa.Table(
        "students", md,
        sa.Column("student_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("xm", sa.String(32)), sa.Column("csrq", sa.Date), sa.Column("sfzh", sa.String(18)),
        sa.Column("last_active_at", sa.DateTime),
    )
    sa.Table("grades", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                      sa.Column("student_id", sa.Integer), sa.Column("course", sa.String(20)),
                      sa.Column("score", sa.Integer))
    sa.Table("attendance", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                          sa.Column("student_id", sa.Integer), sa.Column("day", sa.Date),
                          sa.Column("status", sa.String(10)))
    sa.Table("medical_visits", md,
                      sa.Column("visit_id", sa.Integer, primary_key=True, autoincrement=False),
                      sa.Column("student_id", sa.Integer), sa.Column("complaint", sa.String(40)))
    sa.Table("visit_items", md, sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=False),
                     sa.Column("visit_id", sa.Integer), sa.Column("medicine", sa.String(40)))
    sa.Table("enrolments", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                     sa.Column("student_id", sa.Integer, sa.ForeignKey("students.student_id")),
                     sa.Column("term", sa.String(10)))
    sa.Table("fee_records", md, sa.Column("fee_id", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("student_id", sa.String(20)), sa.Column("amount", sa.Integer))
    sa.Table("courses", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                       sa.Column("title", sa.String(40)))
    md.create_all(engine)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in md.tables}
    for i in [*range(1, PUPILS + 1), *(ADULTS if adults else ())]:
        dob = dt.date(2013 + i % 6, 1 + i % 12, 1 + i % 27) if i <= PUPILS else dt.date(1979, 1 + i % 12, 9)
        active = dt.datetime(2023, 6, 1) if _expired(i) else dt.datetime(2026, 3, 1)
        rows["students"].append({"student_id": i, "xm": f"王小{i}", "csrq": dob, "sfzh": make_ric(rng, dob),
                                 "last_active_at": active})
        for k in range(1 + i % 3):
            n = i * 10 + k
            rows["grades"].append({"id": n, "student_id": i, "course": "math", "score": 60 + (n % 40)})
            rows["attendance"].append({"id": n, "student_id": i, "day": dt.date(2025, 9, 1 + k), "status": "late"})
        if i % 2:
            rows["medical_visits"].append({"visit_id": i, "student_id": i, "complaint": "fever"})
            rows["visit_items"] += [{"item_id": i * 10 + k, "visit_id": i, "medicine": "ibuprofen"} for k in range(2)]
        rows["enrolments"].append({"id": i, "student_id": i, "term": "2025A"})
        rows["fee_records"].append({"fee_id": i, "student_id": f" {i}", "amount": 300})
    rows["courses"] = [{"id": c, "title": f"course {c}"} for c in range(1, 6)]
    with engine.begin() as conn:
        for name in ("students", "courses", "grades", "attendance", "medical_visits", "visit_items", "enrolments",
                     "fee_records"):
            conn.execute(md.tables[name].insert(), rows[name])
    engine.dispose()


def _state(url: str) -> dict[str, set[tuple[Any, ...]]]:
    """Every row's (key, pupil) of every table."""
    engine = sa.create_engine(url)
    out: dict[str, set[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        md = sa.MetaData()
        md.reflect(conn)
        for name, table in md.tables.items():
            out[name] = {tuple(r) for r in conn.execute(sa.select(*table.primary_key.columns, *(
                [table.c.student_id] if "student_id" in table.c else
                [table.c.visit_id] if "visit_id" in table.c else [])))}
    engine.dispose()
    return out


def _pupil_of(table: str, row: tuple[Any, ...], visits: dict[int, int]) -> int | None:
    if table == "students":
        return int(row[0])
    if table == "visit_items":
        return visits.get(int(row[1]))
    if table in DIRECT:
        return int(str(row[1]).strip())
    return None


def _expected_after(before: dict[str, set[tuple[Any, ...]]]) -> dict[str, set[tuple[Any, ...]]]:
    visits = {int(v): int(s) for v, s in before["medical_visits"]}
    return {t: {r for r in rows if (p := _pupil_of(t, r, visits)) is None or not _gone(p)}
            for t, rows in before.items()}


def _settings(url: str, tmp_path: Path, **policy: Any) -> Settings:
    return parse_settings({
        "connectors": {"school": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY},
        "retention": [{"name": "inactive", "selector": {"connector": "school", "tables": ["*.students"]},
                       "anchor": "last_active_at", "max_age": "365d", "scope": "child_records", "enforce": True,
                       **policy}],
    })


def _scanned(url: str, tmp_path: Path, adults: bool = True, **policy: Any) -> tuple[Settings, Catalog]:
    _school(url, adults)
    settings = _settings(url, tmp_path, **policy)
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    run_scan(settings, as_of=AS_OF, catalog=catalog)
    return settings, catalog


def _check_listing(plan: Plan, before: dict[str, set[tuple[Any, ...]]]) -> dict[str, Any]:
    (root,) = [i for i in plan.items if i.get("mode") != "linked"]
    assert root["asset"].endswith("/students") and root["expected_count"] == PUPILS // 3
    listed = {entry["path"][-1]: entry for entry in root["linked"]}
    expected = _expected_after(before)
    for table in (*DIRECT, "visit_items"):
        assert table in listed, (table, sorted(listed))
        assert listed[table]["rows"] == len(before[table]) - len(expected[table]), (table, listed[table])
        assert listed[table]["via"] and 0 < listed[table]["confidence"] <= 1
    assert listed["visit_items"]["depth"] == 2
    assert listed["enrolments"]["declared"] and not listed["grades"]["declared"]
    assert "courses" not in listed  # a lookup the pupils do not own
    adults = any(int(r[0]) in ADULTS for r in before["students"])
    # Expired adults are not planned: the linked rows are counted from the planned keys themselves.
    assert root["linked_counted_from"] == ("planned keys (temporary table)" if adults else "the root's predicate")
    return root


def _exercise_cascade(url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(url, tmp_path, cascade="inferred")
    key = KEY.encode()
    before = _state(url)
    plan = build_plan(settings, catalog, AS_OF, key)
    assert not plan.errors, plan.errors
    root = _check_listing(plan, before)
    linked = [i for i in plan.items if i.get("mode") == "linked"]
    assert [i["item_id"] for i in plan.items][-1] == root["item_id"]  # the pupils go last
    depth = [i["linked"]["depth"] for i in linked]
    assert depth == sorted(depth, reverse=True)  # deepest first
    plan.save(tmp_path / "plan.json")
    saved = Plan.from_json(json.loads((tmp_path / "plan.json").read_text()), side_file(tmp_path / "plan.json"))
    result = apply_plan(saved, settings, catalog, hmac_key=key)
    assert result.ok, result.to_json()
    after = _state(url)
    assert after == _expected_after(before)  # exactly the expired pupils' rows, in every linked table
    assert all(i.residual == 0 for i in result.items)
    ledger = Ledger(catalog, key)
    assert ledger.verify().ok
    deleted = sum(e.count for e in ledger.entries(action="retention.delete"))
    assert deleted == sum(len(before[t]) - len(after[t]) for t in before)
    again = apply_plan(saved, settings, catalog, hmac_key=key)
    assert all(i.affected == 0 and i.batches == 0 for i in again.items), again.to_json()
    assert _state(url) == after  # a rerun is a no-op
    saved.close()
    plan.close()
    catalog.close()


def _exercise_refusal(url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(url, tmp_path)  # cascade defaults to none
    key = KEY.encode()
    before = _state(url)
    plan = build_plan(settings, catalog, AS_OF, key)
    root = _check_listing(plan, before)
    assert all(e["action"] == "listed" and e["planned"] == 0 for e in root["linked"])
    assert len(plan.items) == 1 and root["blocked_by_links"]
    result = apply_plan(plan, settings, catalog, hmac_key=key)
    assert result.items[0].status == "refused" and "cascade" in result.items[0].message
    # Declared only: the enrolments could go, but the inferred tables still point at the pupils: refused whole.
    declared = _settings(url, tmp_path, cascade="declared")
    plan2 = build_plan(declared, catalog, AS_OF, key)
    listed = {e["path"][-1]: e for e in plan2.items[-1]["linked"]}
    assert listed["enrolments"]["action"] == "delete" and listed["grades"]["action"] == "listed"
    result = apply_plan(plan2, declared, catalog, hmac_key=key)
    assert {i.status for i in result.items} == {"refused"}
    assert _state(url) == before  # nothing deleted anywhere
    plan.close()
    plan2.close()
    catalog.close()


@pytest.mark.postgres
def test_cascade_through_inferred_links_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise_cascade(pg_url, tmp_path)


@pytest.mark.mysql
def test_cascade_through_inferred_links_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise_cascade(mysql_url, tmp_path)


@pytest.mark.postgres
def test_without_cascade_permission_pupils_are_refused_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise_refusal(pg_url, tmp_path)


@pytest.mark.mysql
def test_without_cascade_permission_pupils_are_refused_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise_refusal(mysql_url, tmp_path)


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "pi_scanner", *args], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _done_batches(catalog_db: Path) -> int:
    con = sqlite3.connect(catalog_db)
    try:
        return int(con.execute("SELECT count(*) FROM retention_progress WHERE state = 'done'").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def _exercise_crash(url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(url, tmp_path, adults=False, cascade="inferred", batch_size=4)
    catalog.close()
    config = tmp_path / "cfg.yaml"
    config.write_text(yaml.safe_dump({
        "connectors": {"school": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY},
        "retention": list(settings.retention),
    }, allow_unicode=True), encoding="utf-8")
    before = _state(url)
    plan_path = tmp_path / "plan.json"
    proc = _cli("retention", "plan", "-c", str(config), "-o", str(plan_path), "--as-of", AS_OF.isoformat())
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    victim = _cli("retention", "apply", str(plan_path), "-c", str(config),
                  env={"PI_SCANNER_TEST_SLEEP_PER_BATCH": "0.2"})
    end = time.monotonic() + 120
    while _done_batches(tmp_path / "cat.db") < 3 and time.monotonic() < end and victim.poll() is None:
        time.sleep(0.05)
    assert victim.poll() is None, "the apply finished before it could be killed"
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    partial = _state(url)
    expected = _expected_after(before)
    assert partial != before and partial != expected  # killed mid-way
    assert all(expected[t] <= partial[t] for t in partial)  # nothing outside the plan went
    rerun = _cli("retention", "apply", str(plan_path), "-c", str(config), "--json")
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    result = json.loads(out)
    assert sum(i["resumed_batches"] for i in result["items"]) >= 3
    assert _state(url) == expected  # exactly the planned state
    catalog = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    try:
        ledger = Ledger(catalog, KEY.encode())
        assert ledger.verify().ok
        entries = list(ledger.entries(action="retention.delete"))
        assert sum(e.count for e in entries) == sum(len(before[t]) - len(expected[t]) for t in before)
        per_item: dict[int, list[int]] = {}
        for e in entries:
            per_item.setdefault(int(e.details["item_id"]), []).append(int(e.details["batch"]))
        assert all(sorted(b) == list(range(len(b))) for b in per_item.values())  # each batch once
    finally:
        catalog.close()
    verify = _cli("audit", "verify", "-c", str(config))
    verify.communicate(timeout=120)
    assert verify.returncode == 0


@pytest.mark.slow
@pytest.mark.postgres
def test_sigkill_mid_cascade_then_resume_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise_crash(pg_url, tmp_path)


@pytest.mark.slow
@pytest.mark.mysql
def test_sigkill_mid_cascade_then_resume_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise_crash(mysql_url, tmp_path)


def test_links_below_the_threshold_are_listed_and_followed_only_when_accepted(sqlite_url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(sqlite_url, tmp_path, cascade="inferred")
    key = KEY.encode()
    (run,) = catalog.list_runs(1)
    links = catalog.load_links(run.run_id)
    (doubtful,) = [link for link in links if link.from_path[-1] == "grades" and link.to_path[-1] == "students"]
    # The same map, except that the scan was unsure of grades.student_id (below the acting threshold).
    catalog.record_links(run.run_id, [
        dataclasses.replace(link, confidence=0.5, accepted=False) if link == doubtful else link for link in links])
    before = _state(sqlite_url)
    plan = build_plan(settings, catalog, AS_OF, key)
    root = plan.items[-1]
    assert "grades" not in {e["path"][-1] for e in root["linked"]}
    (listed,) = [u for u in root["unconfirmed_links"] if u["label"] == doubtful.label]
    expired_grades = len(before["grades"]) - len(_expected_after(before)["grades"])
    assert listed["rows"] == expired_grades and listed["confidence"] == 0.5
    assert "grades" not in {i["path"][-1] for i in plan.items}  # never acted on
    plan.close()
    accepted = _settings(sqlite_url, tmp_path, cascade="inferred", accept_links=[doubtful.label])
    plan = build_plan(accepted, catalog, AS_OF, key)
    (item,) = [i for i in plan.items if i["path"][-1] == "grades"]
    assert item["expected_count"] == expired_grades
    result = apply_plan(plan, accepted, catalog, hmac_key=key)
    assert result.ok, result.to_json()
    assert _state(sqlite_url) == _expected_after(before)
    plan.close()
    catalog.close()


def test_a_linked_table_keyed_by_pi_is_hashed_or_listed(sqlite_url: str, tmp_path: Path) -> None:
    """A linked table whose primary key is a resident ID: never listed raw in a plan."""
    rng = random.Random(5)
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE students (student_id INTEGER PRIMARY KEY, xm TEXT, csrq DATE, "
                             "sfzh TEXT, last_active_at TIMESTAMP)"))
        conn.execute(sa.text("CREATE TABLE health_cards (sfzh TEXT PRIMARY KEY, student_id INTEGER, blood TEXT)"))
        for i in range(1, 31):
            dob = dt.date(2014 + i % 5, 1 + i % 12, 1 + i % 27)
            ric = make_ric(rng, dob)
            conn.execute(sa.text("INSERT INTO students VALUES (:i, :n, :d, :r, :a)"), {
                "i": i, "n": f"王小{i}", "d": dob.isoformat(), "r": ric,
                "a": "2023-01-01 00:00:00" if _expired(i) else "2026-03-01 00:00:00"})
            conn.execute(sa.text("INSERT INTO health_cards VALUES (:r, :i, 'A')"), {"r": ric, "i": i})
    with engine.connect() as conn:
        rics = {str(r[0]) for r in conn.execute(sa.text("SELECT sfzh FROM health_cards"))}
    settings = _settings(sqlite_url, tmp_path, cascade="inferred")
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    run_scan(settings, as_of=AS_OF, catalog=catalog)
    plan = build_plan(settings, catalog, AS_OF, KEY.encode())
    (entry,) = plan.items[-1]["linked"]
    assert entry["action"] == "listed" and "primary key is PI" in entry["reason"] and entry["rows"] == 10
    assert plan.items[-1]["blocked_by_links"]  # the pupils are refused rather than orphaning their cards
    plan.close()
    hashed = _settings(sqlite_url, tmp_path, cascade="inferred", allow_pi_primary_key=True)
    plan = build_plan(hashed, catalog, AS_OF, KEY.encode())
    plan.save(tmp_path / "plan.json")
    written = (tmp_path / "plan.json").read_text() + "".join(
        json.dumps(k) for i in plan.items for k in plan.keys(i))
    assert not [r for r in rics if r in written]  # keyed hashes only
    result = apply_plan(plan, hashed, catalog, hmac_key=KEY.encode())
    assert result.ok and [i.affected for i in result.items] == [10, 10], result.to_json()
    with engine.connect() as conn:
        left = {int(r[0]) for r in conn.execute(sa.text("SELECT student_id FROM health_cards"))}
    assert left == {i for i in range(1, 31) if not _expired(i)}
    plan.close()
    catalog.close()
    engine.dispose()


@pytest.mark.mysql
def test_a_planning_role_without_temporary_tables_is_told_what_to_grant(mysql_url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(mysql_url, tmp_path, cascade="inferred")  # expired adults: a key table is needed
    admin = sa.create_engine(mysql_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    db = sa.make_url(mysql_url).database
    role, secret = f"pis_plan_{os.getpid()}", "plan-role-secret-42"
    with admin.connect() as conn:
        conn.execute(sa.text("CREATE USER :u@'%' IDENTIFIED BY :p"), {"u": role, "p": secret})
        conn.execute(sa.text(f"GRANT SELECT ON `{db}`.* TO :u@'%'"), {"u": role})
    try:
        url = sa.make_url(mysql_url).set(username=role, password=secret).render_as_string(hide_password=False)
        as_role = settings.model_copy(update={"connectors": {
            "school": settings.connectors["school"].model_copy(update={"url": url})}})
        plan = build_plan(as_role, catalog, AS_OF, KEY.encode())
        assert not plan.items and "CREATE TEMPORARY TABLES" in " ".join(plan.errors), plan.errors
        plan.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f"GRANT CREATE TEMPORARY TABLES ON `{db}`.* TO :u@'%'"), {"u": role})
        plan = build_plan(as_role, catalog, AS_OF, KEY.encode())
        assert not plan.errors and plan.items[-1]["linked_counted_from"] == "planned keys (temporary table)"
        plan.close()
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text("DROP USER IF EXISTS :u@'%'"), {"u": role})
        admin.dispose()
        catalog.close()


def test_the_report_counts_linked_rows_too(sqlite_url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(sqlite_url, tmp_path)
    before = _state(sqlite_url)
    reports, errors = over_retained_report(settings, catalog, AS_OF, KEY.encode())
    assert not errors, errors
    (report,) = reports
    expected = _expected_after(before)
    counted = {e["path"][-1]: e["rows"] for e in report.linked}
    assert counted == {t: len(before[t]) - len(expected[t]) for t in (*DIRECT, "visit_items")}
    assert _state(sqlite_url) == before  # a report changes nothing
    catalog.close()


def test_a_linked_table_dropped_after_the_scan_is_recorded(sqlite_url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(sqlite_url, tmp_path, cascade="inferred")
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE grades"))
    engine.dispose()
    before = _state(sqlite_url)
    plan = build_plan(settings, catalog, AS_OF, KEY.encode())
    root = plan.items[-1]
    (gone,) = [e for e in root["linked"] if e["path"][-1] == "grades"]
    assert gone["rows"] is None and gone["reason"].startswith("not read")
    assert "grades" in root["linked_note"] and "grades" not in {i["path"][-1] for i in plan.items}
    result = apply_plan(plan, settings, catalog, hmac_key=KEY.encode())
    assert result.ok, result.to_json()
    assert _state(sqlite_url) == _expected_after(before)  # every other linked table as planned
    plan.close()
    catalog.close()
