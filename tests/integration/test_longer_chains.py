"""Retention and subject erase follow every chain of links, not only a table's shortest one (PostgreSQL, MariaDB).

A grade points at its pupil directly (``grades.student_id``, NULL on some rows) and through its enrolment
(``grades.enrolment_id → enrolments.student_id``); each grade has a comment (``grade_comments.grade_id``).
No key is declared: the links come from the real scan. A grade whose ``student_id`` is NULL belongs to the
pupil only through the longer chain; before, it and its comment were left behind.

* ``scope: child_records`` with ``cascade: inferred`` counts and deletes exactly every row of the expired
  pupils (each row once, however many chains reach it), comments before grades before enrolments; the
  ledger verifies and a rerun is a no-op.
* ``subject erase --record`` of one pupil removes every row of that pupil and no other pupil's row.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.demo import make_ric
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import build_plan
from pi_scanner.scanner import run_scan
from pi_scanner.subjects.apply import apply_subject_plan
from pi_scanner.subjects.traverse import erase_plan_from_record

AS_OF = dt.date(2026, 3, 15)
KEY = "longer-chains-test-hmac-key-0123456789ab"
PUPILS = 45


def _expired(i: int) -> bool:
    return i % 3 == 0


def _school(url: str) -> None:
    rng = random.Random(7)
    engine = sa.create_engine(url)
    md = sa.MetaData()
    sa.Table("students", md, sa.Column("student_id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("xm", sa.String(32)), sa.Column("csrq", sa.Date), sa.Column("sfzh", sa.String(18)),
             sa.Column("last_active_at", sa.DateTime))
    sa.Table("enrolments", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("student_id", sa.Integer), sa.Column("term", sa.String(10)))
    sa.Table("grades", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("student_id", sa.Integer), sa.Column("enrolment_id", sa.Integer),
             sa.Column("score", sa.Integer))
    sa.Table("grade_comments", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("grade_id", sa.Integer), sa.Column("note", sa.String(40)))
    md.create_all(engine)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in md.tables}
    for i in range(1, PUPILS + 1):
        dob = dt.date(2013 + i % 6, 1 + i % 12, 1 + i % 27)
        rows["students"].append({"student_id": i, "xm": f"王小{i}", "csrq": dob, "sfzh": make_ric(rng, dob),
                                 "last_active_at": dt.datetime(2023, 6, 1) if _expired(i) else dt.datetime(2026, 3, 1)})
        for k in range(2):
            n = i * 10 + k
            rows["enrolments"].append({"id": n, "student_id": i, "term": f"T{k}"})
            for g in range(2):
                m = n * 10 + g
                # Every second grade carries no student_id: its pupil is known through its enrolment only.
                rows["grades"].append({"id": m, "student_id": None if g else i, "enrolment_id": n,
                                       "score": 50 + m % 50})
                rows["grade_comments"].append({"id": m, "grade_id": m, "note": "ok"})
    with engine.begin() as conn:
        for name in ("students", "enrolments", "grades", "grade_comments"):
            conn.execute(md.tables[name].insert(), rows[name])
    engine.dispose()


def _pupil(table: str, key: int) -> int:
    """The pupil a row belongs to, from its key (the data above encodes it)."""
    return {"students": key, "enrolments": key // 10, "grades": key // 100, "grade_comments": key // 100}[table]


def _state(url: str) -> dict[str, set[int]]:
    engine = sa.create_engine(url)
    md = sa.MetaData()
    md.reflect(engine)
    with engine.connect() as conn:
        out = {name: {int(r[0]) for r in conn.execute(sa.select(*t.primary_key.columns))}
               for name, t in md.tables.items()}
    engine.dispose()
    return out


def _settings(url: str, tmp_path: Path) -> Settings:
    return parse_settings({
        "connectors": {"school": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY},
        "retention": [{"name": "inactive", "selector": {"connector": "school", "tables": ["*.students"]},
                       "anchor": "last_active_at", "max_age": "365d", "scope": "child_records", "enforce": True,
                       "cascade": "inferred"}],
    })


def _scanned(url: str, tmp_path: Path) -> tuple[Settings, Catalog]:
    _school(url)
    settings = _settings(url, tmp_path)
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    run_scan(settings, as_of=AS_OF, catalog=catalog)
    labels = {link.label for run in catalog.list_runs(1) for link in catalog.load_links(run.run_id)}
    assert "grades.enrolment_id -> enrolments.id" in labels, labels  # the longer chain is in the map
    return settings, catalog


def _exercise_retention(url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(url, tmp_path)
    before = _state(url)
    expected = {t: {k for k in keys if not _expired(_pupil(t, k))} for t, keys in before.items()}
    plan = build_plan(settings, catalog, AS_OF, KEY.encode())
    assert not plan.errors, plan.errors
    root = plan.items[-1]
    listed = {e["path"][-1]: e for e in root["linked"]}
    for table in ("enrolments", "grades", "grade_comments"):
        gone = len(before[table]) - len(expected[table])
        assert listed[table]["rows"] == gone and listed[table]["planned"] == gone, (table, listed[table])
    order = [i["path"][-1] for i in plan.items]
    assert order == ["grade_comments", "grades", "enrolments", "students"], order  # referencing rows first
    result = apply_plan(plan, settings, catalog, hmac_key=KEY.encode())
    assert result.ok and all(i.residual == 0 for i in result.items), result.to_json()
    assert _state(url) == expected  # every row of the expired pupils, and nothing else
    assert Ledger(catalog, KEY.encode()).verify().ok
    again = apply_plan(plan, settings, catalog, hmac_key=KEY.encode())
    assert all(i.affected == 0 for i in again.items)
    assert _state(url) == expected
    plan.close()
    catalog.close()


def _exercise_subject(url: str, tmp_path: Path, schema: str) -> None:
    settings, catalog = _scanned(url, tmp_path)
    before = _state(url)
    pupil = 4
    plan, walk = erase_plan_from_record(settings, catalog, f"school/{schema}.students:{pupil}", AS_OF,
                                        hmac_key=KEY.encode())
    assert not walk.unreachable, walk.unreachable
    result = apply_subject_plan(plan, settings, catalog, hmac_key=KEY.encode())
    assert result.complete, [i for i in result.items if i.status != "done"]
    expected = {t: {k for k in keys if _pupil(t, k) != pupil} for t, keys in before.items()}
    assert _state(url) == expected  # the grades without a student_id and their comments went too
    assert Ledger(catalog, KEY.encode()).verify().ok
    catalog.close()


@pytest.mark.postgres
def test_retention_follows_longer_chains_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise_retention(pg_url, tmp_path)


@pytest.mark.mysql
def test_retention_follows_longer_chains_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise_retention(mysql_url, tmp_path)


@pytest.mark.postgres
def test_subject_erase_follows_longer_chains_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise_subject(pg_url, tmp_path, "public")


@pytest.mark.mysql
def test_subject_erase_follows_longer_chains_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise_subject(mysql_url, tmp_path, str(sa.make_url(mysql_url).database))
