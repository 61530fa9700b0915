"""A root row that extends another table's row one to one takes that row with it (PostgreSQL, MariaDB).

``students.person_id`` is both the pupil's key and a link to ``persons.person_id`` (name, birth date,
resident ID); ``phones`` and ``grades`` point at the person. A retention policy over ``students`` with
``cascade: inferred`` used to list ``persons`` ("its own policy decides") and leave the child's identity,
phones and grades behind; now it deletes them with the pupil, exactly the expired pupils' rows, the person
after the rows pointing at it. With a declared key from ``students`` to ``persons`` the person could only go
after the pupil: it is listed with that reason. A subject erase from the pupil's record removes the person
row too.
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
KEY = "one-to-one-extension-test-key-0123456789"
PUPILS = 45


def _expired(i: int) -> bool:
    return i % 3 == 0


def _school(url: str, declared: bool = False) -> None:
    rng = random.Random(3)
    engine = sa.create_engine(url)
    md = sa.MetaData()
    persons = sa.Table("persons", md, sa.Column("person_id", sa.Integer, primary_key=True, autoincrement=False),
                       sa.Column("xm", sa.String(32)), sa.Column("csrq", sa.Date), sa.Column("sfzh", sa.String(18)))
    key_args: list[Any] = [sa.ForeignKey(persons.c.person_id)] if declared else []
    sa.Table("students", md, sa.Column("person_id", sa.Integer, *key_args, primary_key=True, autoincrement=False),
             sa.Column("grade_level", sa.Integer), sa.Column("last_active_at", sa.DateTime))
    sa.Table("phones", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("person_id", sa.Integer), sa.Column("mobile", sa.String(20)))
    sa.Table("grades", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("person_id", sa.Integer), sa.Column("score", sa.Integer))
    md.create_all(engine)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in md.tables}
    for i in range(1, PUPILS + 1):
        dob = dt.date(2013 + i % 6, 1 + i % 12, 1 + i % 27)
        rows["persons"].append({"person_id": i, "xm": f"王小{i}", "csrq": dob, "sfzh": make_ric(rng, dob)})
        rows["students"].append({"person_id": i, "grade_level": 3, "last_active_at":
                                 dt.datetime(2023, 6, 1) if _expired(i) else dt.datetime(2026, 3, 1)})
        rows["phones"].append({"id": 100 + i, "person_id": i, "mobile": f"1380013{i:04d}"})
        rows["grades"].append({"id": 200 + i, "person_id": i, "score": 60 + i % 40})
    with engine.begin() as conn:
        for name in ("persons", "students", "phones", "grades"):
            conn.execute(md.tables[name].insert(), rows[name])
    engine.dispose()


def _pupil(table: str, key: int) -> int:
    return key % 100 if table in ("phones", "grades") else key


def _state(url: str) -> dict[str, set[int]]:
    engine = sa.create_engine(url)
    md = sa.MetaData()
    md.reflect(engine)
    with engine.connect() as conn:
        out = {n: {int(r[0]) for r in conn.execute(sa.select(*t.primary_key.columns))} for n, t in md.tables.items()}
    engine.dispose()
    return out


def _scanned(url: str, tmp_path: Path, declared: bool = False) -> tuple[Settings, Catalog]:
    _school(url, declared)
    settings = parse_settings({
        "connectors": {"school": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY},
        "retention": [{"name": "inactive", "selector": {"connector": "school", "tables": ["*.students"]},
                       "anchor": "last_active_at", "max_age": "365d", "scope": "all_records", "enforce": True,
                       "cascade": "inferred"}],
    })
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    run_scan(settings, as_of=AS_OF, catalog=catalog)
    labels = {link.label for run in catalog.list_runs(1) for link in catalog.load_links(run.run_id)}
    assert "students.person_id -> persons.person_id" in labels, labels
    return settings, catalog


def _exercise_retention(url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(url, tmp_path)
    before = _state(url)
    expected = {t: {k for k in keys if not _expired(_pupil(t, k))} for t, keys in before.items()}
    plan = build_plan(settings, catalog, AS_OF, KEY.encode())
    assert not plan.errors, plan.errors
    listed = {e["path"][-1]: e for e in plan.items[-1]["linked"]}
    assert listed["persons"]["action"] == "delete" and listed["persons"]["rows"] == PUPILS // 3, listed["persons"]
    assert {listed[t]["action"] for t in ("phones", "grades")} == {"delete"}
    order = [i["path"][-1] for i in plan.items]
    assert order[-1] == "students" and order.index("persons") > max(order.index("phones"), order.index("grades"))
    result = apply_plan(plan, settings, catalog, hmac_key=KEY.encode())
    assert result.ok and all(i.residual == 0 for i in result.items), result.to_json()
    assert _state(url) == expected  # the pupils' person rows, phones and grades went with them; nothing else
    assert Ledger(catalog, KEY.encode()).verify().ok
    again = apply_plan(plan, settings, catalog, hmac_key=KEY.encode())
    assert all(i.affected == 0 for i in again.items) and _state(url) == expected
    plan.close()
    catalog.close()


@pytest.mark.postgres
def test_retention_deletes_the_row_a_pupil_extends_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise_retention(pg_url, tmp_path)


@pytest.mark.mysql
def test_retention_deletes_the_row_a_pupil_extends_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise_retention(mysql_url, tmp_path)


@pytest.mark.postgres
def test_a_declared_key_to_the_extended_row_keeps_it_listed_postgres(pg_url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(pg_url, tmp_path, declared=True)
    plan = build_plan(settings, catalog, AS_OF, KEY.encode())
    listed = {e["path"][-1]: e for e in plan.items[-1]["linked"]}
    assert listed["persons"]["action"] == "listed" and "declared foreign key" in listed["persons"]["reason"]
    assert "persons" not in {i["path"][-1] for i in plan.items}
    plan.close()
    catalog.close()


@pytest.mark.mysql
def test_a_subject_erase_removes_the_row_the_pupil_extends_mariadb(mysql_url: str, tmp_path: Path) -> None:
    settings, catalog = _scanned(mysql_url, tmp_path)
    before = _state(mysql_url)
    schema = sa.make_url(mysql_url).database
    plan, _walk = erase_plan_from_record(settings, catalog, f"school/{schema}.students:7", AS_OF,
                                        hmac_key=KEY.encode())
    result = apply_subject_plan(plan, settings, catalog, hmac_key=KEY.encode())
    assert result.complete, [i for i in result.items if i.status != "done"]
    assert _state(mysql_url) == {t: {k for k in keys if _pupil(t, k) != 7} for t, keys in before.items()}
    assert Ledger(catalog, KEY.encode()).verify().ok
    catalog.close()
