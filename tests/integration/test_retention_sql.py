"""Retention plan/apply against live PostgreSQL, MariaDB and SQLite."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.errors import PlanError
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.keyset import side_file
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import Plan, build_plan, over_retained_report

KEY = b"integration-test-hmac-key-0123456789"
AS_OF = dt.date(2026, 3, 15)
#: A table name chosen to break naive SQL string building.
HOSTILE = 'stu"dents; DROP TABLE x;--'


def _schema(url: str) -> str:
    return {"postgresql": "public", "mysql": sa.make_url(url).database or "", "sqlite": "main"}[
        sa.make_url(url).get_backend_name()
    ]


def _make_table(url: str, name: str = HOSTILE, n: int = 50, with_child: bool = False) -> sa.Table:
    """Rows 1..n; odd ids were last active 2 years before AS_OF (expired), even ids 30 days before."""
    engine = sa.create_engine(url)
    md = sa.MetaData()
    table = sa.Table(
        name, md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("nickname", sa.String(64)),
        sa.Column("last_active_at", sa.DateTime),
    )
    child = None
    if with_child:
        child = sa.Table(
            "enrolments", md,
            sa.Column("eid", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("student_id", sa.Integer, sa.ForeignKey(table.c.id)),
        )
    md.create_all(engine)
    base = dt.datetime(2026, 3, 15, 12, 0, 0)
    with engine.begin() as conn:
        conn.execute(table.insert(), [
            {"id": i, "nickname": f"user{i}",
             "last_active_at": base - (dt.timedelta(days=730) if i % 2 else dt.timedelta(days=30))}
            for i in range(1, n + 1)
        ])
        if child is not None:
            conn.execute(child.insert(), [{"eid": 100 + i, "student_id": i} for i in (1, 2, 3)])
    engine.dispose()
    return table


def _settings(url: str, tmp_path: Path, **policy: Any) -> Settings:
    pol: dict[str, Any] = {
        "name": "inactive",
        "selector": {"connector": "db", "tables": [f"*.{HOSTILE}"]},
        "anchor": "last_active_at",
        "max_age": "365d",
        "enforce": True,
        "batch_size": 7,
    }
    pol.update(policy)
    return parse_settings({
        "connectors": {"db": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY.decode()},
        "retention": [pol],
    })


def _ids(url: str, name: str = HOSTILE) -> set[int]:
    engine = sa.create_engine(url)
    table = sa.Table(name, sa.MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        out = {int(r[0]) for r in conn.execute(sa.select(next(iter(table.primary_key.columns))))}
    engine.dispose()
    return out


@pytest.fixture
def catalog(tmp_path: Path) -> Any:
    cat = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    cat.migrate()
    yield cat
    cat.close()


def _round_trip(plan: Plan) -> Plan:
    """The plan as written by `retention plan` and read back by `retention apply`."""
    path = Path(tempfile.mkdtemp()) / "plan.json"
    plan.save(path)
    plan.close()
    return Plan.from_json(json.loads(path.read_text(encoding="utf-8")), side_file(path))


def _exercise(url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(url)
    settings = _settings(url, tmp_path, legal_holds=[{"keys": [[3], [5]], "reason": "appeal", "basis": "PIPL 47(2)"}])
    reports, errors = over_retained_report(settings, catalog, AS_OF, KEY)
    assert not errors, errors
    assert len(reports) == 1 and reports[0].expired == 25 and reports[0].held == 2 and reports[0].candidates == 23
    plan = _round_trip(build_plan(settings, catalog, AS_OF, KEY))
    assert not plan.errors, plan.errors
    (item,) = plan.items
    planned = {k[0] for k in plan.keys(item)}
    assert planned == {i for i in range(1, 51, 2)} - {3, 5}
    assert item["keyset"]["encoding"] == "int-ranges" and item["expected_count"] == 23
    assert item["legal_hold_exclusions"] == [{"reason": "appeal", "basis": "PIPL 47(2)", "count": 2}]
    assert item["predicate"]["column"] == "last_active_at"
    # Row 9 is touched after planning: the re-checked predicate must keep it.
    engine = sa.create_engine(url)
    table = sa.Table(HOSTILE, sa.MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        conn.execute(table.update().where(table.c.id == 9).values(last_active_at=dt.datetime(2026, 3, 14)))
    engine.dispose()
    before = _ids(url)
    dry = apply_plan(plan, settings, catalog, dry_run=True, hmac_key=KEY)
    assert dry.items[0].status == "dry_run" and dry.items[0].affected == 22
    assert _ids(url) == before
    result = apply_plan(plan, settings, catalog, hmac_key=KEY)
    assert result.ok, result.to_json()
    res = result.items[0]
    assert res.affected == 22 and res.batches == 4 and res.residual == 0
    assert _ids(url) == before - (planned - {9})
    assert {3, 5, 9} <= _ids(url)
    # Applying again deletes nothing more (every batch is checkpointed).
    again = apply_plan(plan, settings, catalog, hmac_key=KEY)
    assert again.items[0].resumed_batches == 4 and again.items[0].affected == 0
    ledger = Ledger(catalog, KEY)
    verdict = ledger.verify()
    assert verdict.ok and verdict.entries == 4
    assert sum(e.count for e in ledger.entries(action="retention.delete")) == 22


@pytest.mark.postgres
def test_plan_apply_postgres(pg_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _exercise(pg_url, tmp_path, catalog)


@pytest.mark.mysql
def test_plan_apply_mariadb(mysql_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _exercise(mysql_url, tmp_path, catalog)


def test_plan_apply_sqlite(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _exercise(sqlite_url, tmp_path, catalog)


def test_cap_breach_stops_before_deleting(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(sqlite_url)
    settings = _settings(sqlite_url, tmp_path, max_deletes_per_run=10)
    plan = build_plan(settings, catalog, AS_OF, KEY)
    result = apply_plan(plan, settings, catalog, hmac_key=KEY)
    assert result.cap_breached and not result.ok
    assert result.items[0].status == "capped"
    assert len(_ids(sqlite_url)) == 50
    assert [e.action for e in Ledger(catalog, KEY).entries()] == ["retention.cap_breach"]


def test_report_only_policy_is_not_applied(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(sqlite_url)
    settings = _settings(sqlite_url, tmp_path, enforce=False)
    plan = build_plan(settings, catalog, AS_OF, KEY)
    assert plan.items[0]["expected_count"] == 25
    result = apply_plan(plan, settings, catalog, hmac_key=KEY)
    assert result.items[0].status == "skipped"
    assert len(_ids(sqlite_url)) == 50


def test_edited_plan_refused(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(sqlite_url)
    plan = build_plan(_settings(sqlite_url, tmp_path), catalog, AS_OF, KEY)
    path = tmp_path / "plan.json"
    plan.save(path)
    plan.close()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "pi-scanner-retention-plan/2"
    Plan.from_json(data, side_file(path)).close()  # as written: accepted
    edited = json.loads(json.dumps(data))
    edited["items"][0]["keyset"]["count"] += 1
    with pytest.raises(PlanError, match="edited"):
        Plan.from_json(edited, side_file(path))
    # The key file is covered by the digest: one changed byte, a truncation, or no file is refused.
    keys = side_file(path).read_bytes()
    for bad in (keys[:-1] + bytes([keys[-1] ^ 1]), keys[: len(keys) // 2]):
        side_file(path).write_bytes(bad)
        with pytest.raises(PlanError, match="key file"):
            Plan.from_json(data, side_file(path))
    side_file(path).unlink()
    with pytest.raises(PlanError, match="not found"):
        Plan.from_json(data, side_file(path))


def test_a_format_1_plan_with_inline_keys_is_still_applied(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(sqlite_url)
    settings = _settings(sqlite_url, tmp_path)
    built = build_plan(settings, catalog, AS_OF, KEY)
    old = Plan(built.plan_id, built.created_at, built.as_of, [dict(i) for i in built.items], built.report)
    for item in old.items:
        item["keys"] = list(built.keys(item))
        del item["keyset"]
    built.close()
    data = json.loads(json.dumps(old.to_json()))
    assert data["format"] == "pi-scanner-retention-plan/1"
    result = apply_plan(Plan.from_json(data), settings, catalog, hmac_key=KEY)
    assert result.items[0].status == "done" and result.items[0].affected == 25
    with pytest.raises(PlanError, match="format 'pi-scanner-retention-plan/0'"):
        Plan.from_json({**data, "format": "pi-scanner-retention-plan/0"})


def test_dependants_refused_unless_cascade(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(sqlite_url, name="students", with_child=True)
    selector = {"connector": "db", "tables": ["main.students"]}
    settings = _settings(sqlite_url, tmp_path, selector=selector)
    plan = build_plan(settings, catalog, AS_OF, KEY)
    result = apply_plan(plan, settings, catalog, hmac_key=KEY)
    assert result.items[0].status == "refused"
    assert "enrolments" in result.items[0].message
    assert len(_ids(sqlite_url, "students")) == 50
    settings = _settings(sqlite_url, tmp_path, selector=selector, allow_cascade=True)
    result = apply_plan(build_plan(settings, catalog, AS_OF, KEY), settings, catalog, hmac_key=KEY)
    assert result.ok, result.to_json()
    # Students 1 and 3 expired (odd ids) and had enrolments 101 and 103; 102 belongs to a kept student.
    assert result.items[0].cascaded == {"main.enrolments(student_id)": 2}
    assert _ids(sqlite_url, "enrolments") == {102}


def test_missing_and_non_timestamp_anchor(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(sqlite_url)
    plan = build_plan(_settings(sqlite_url, tmp_path, anchor="created_at"), catalog, AS_OF, KEY)
    assert not plan.items and "no anchor column 'created_at'" in plan.errors[0]
    plan = build_plan(_settings(sqlite_url, tmp_path, anchor="nickname"), catalog, AS_OF, KEY)
    assert not plan.items and "not a timestamp" in plan.errors[0]


def test_overlapping_policies_shortest_wins(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(sqlite_url)
    settings = _settings(sqlite_url, tmp_path)
    longer = dict(settings.retention[0], name="longer", max_age="P3Y")
    shorter = dict(settings.retention[0], name="shorter", max_age="P20D")
    settings = settings.model_copy(update={"retention": [longer, shorter]})
    plan = build_plan(settings, catalog, AS_OF, KEY)
    (item,) = plan.items
    assert item["policy"] == "shorter" and item["expected_count"] == 50
    assert item["superseded"] == ["longer (P3Y)"]


def test_require_scan_within(sqlite_url: str, tmp_path: Path, catalog: Catalog) -> None:
    _make_table(sqlite_url)
    plan = build_plan(_settings(sqlite_url, tmp_path, require_scan_within="7d"), catalog, AS_OF, KEY)
    assert not plan.items and "requires a scan within 7d" in plan.errors[0]
    run = catalog.start_run(AS_OF, ["db"], "test")
    catalog.finish_run(run, "ok")
    plan = build_plan(_settings(sqlite_url, tmp_path, require_scan_within="7d"), catalog, AS_OF, KEY)
    assert plan.items and not plan.errors
