"""Opaque custom fields (EAV) seen through in a real scan, on SQLite, PostgreSQL and MariaDB.

A Gibbon-like estate: ``gibbonPersonField`` defines the fields, ``gibbonPersonFieldValue`` holds one row
per (person, field, value). Field "National ID" holds children's resident IDs, "T-shirt size" sizes, and a
field with a hostile label (quotes, ``;``, SQL) holds guardians' mobiles. A wide table has a
``CUSTOM_200000000`` column labelled 出生日期 by a row of ``custom_fields``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.report.html import render_html
from pi_scanner.report.json_report import build_report, dumps
from pi_scanner.report.markdown import render_markdown
from pi_scanner.report.safe_text import markdown_text
from pi_scanner.scanner import run_scan

AS_OF = dt.date(2026, 3, 15)
PEOPLE = 30
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

HOSTILE = "'); DROP TABLE gibbonPerson; -- \"x\" `y` <script>|"
LONG = "字" * 300 + " long label"
ID_LABEL = "110105201503041239"  # someone typed an ID as a field label: must not reach the report raw


def ric(birth: dt.date, seq: int) -> str:
    """A valid 18-character resident ID (MOD 11-2 check) born on ``birth``."""
    body = f"110105{birth:%Y%m%d}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _ids() -> list[str]:
    return [ric(dt.date(2015 + i % 4, 1 + i % 12, 1 + i % 27), 100 + i) for i in range(PEOPLE)]


def _mobile(i: int) -> str:
    return f"1380013{8000 + i:04d}"


def build_estate(url: str) -> dict[str, Any]:
    """Create the estate with SQLAlchemy constructs; return the raw values planted (for leak checks)."""
    engine = sa.create_engine(url)
    md = sa.MetaData()
    person = sa.Table(
        "gibbonPerson", md,
        sa.Column("gibbonPersonID", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("username", sa.String(40)),
    )
    fields = sa.Table(
        "gibbonPersonField", md,
        sa.Column("gibbonPersonFieldID", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(400)),
        sa.Column("type", sa.String(20)),
    )
    values = sa.Table(
        "gibbonPersonFieldValue", md,
        sa.Column("gibbonPersonFieldValueID", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("gibbonPersonID", sa.Integer, sa.ForeignKey("gibbonPerson.gibbonPersonID")),
        sa.Column("gibbonPersonFieldID", sa.Integer, sa.ForeignKey("gibbonPersonField.gibbonPersonFieldID")),
        sa.Column("value", sa.Text),
    )
    custom = sa.Table(
        "custom_fields", md,
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("title", sa.String(100)),
        sa.Column("type", sa.String(20)),
    )
    wide = sa.Table(
        "student_extra", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("CUSTOM_200000000", sa.String(20)),
        sa.Column("CUSTOM_200000001", sa.String(20)),
    )
    md.create_all(engine)
    ids = _ids()
    sizes = ["XS", "S", "M", "L", "XL"]
    rows = []
    n = 0
    for p in range(PEOPLE):
        for field_id, value in (
            (1, ids[p]), (2, sizes[p % 5]), (3, _mobile(p)), (4, "yes" if p % 2 else "no"), (5, sizes[p % 3]),
        ):
            n += 1
            rows.append({"gibbonPersonFieldValueID": n, "gibbonPersonID": p + 1, "gibbonPersonFieldID": field_id,
                         "value": value})
    dobs = [dt.date(2016, 1 + i % 12, 1 + i % 28) for i in range(20)]
    with engine.begin() as conn:
        conn.execute(person.insert(), [{"gibbonPersonID": p + 1, "username": f"s{p:04d}"} for p in range(PEOPLE)])
        conn.execute(fields.insert(), [
            {"gibbonPersonFieldID": 1, "name": "National ID", "type": "varchar"},
            {"gibbonPersonFieldID": 2, "name": "T-shirt size", "type": "select"},
            {"gibbonPersonFieldID": 3, "name": HOSTILE, "type": "varchar"},
            {"gibbonPersonFieldID": 4, "name": LONG, "type": "varchar"},
            {"gibbonPersonFieldID": 5, "name": ID_LABEL, "type": "varchar"},
        ])
        conn.execute(values.insert(), rows)
        conn.execute(custom.insert(), [
            {"id": 200000000, "title": "出生日期", "type": "date"},
            {"id": 200000001, "title": "Favourite colour", "type": "text"},
        ])
        conn.execute(wide.insert(), [
            {"id": i + 1, "CUSTOM_200000000": d.isoformat(), "CUSTOM_200000001": ["red", "blue"][i % 2]}
            for i, d in enumerate(dobs)
        ])
    engine.dispose()
    return {"ids": ids, "mobiles": [_mobile(p) for p in range(PEOPLE)], "dobs": [d.isoformat() for d in dobs]}


def build_plain(url: str) -> None:
    """A values-shaped table with no definitions anywhere."""
    engine = sa.create_engine(url)
    md = sa.MetaData()
    t = sa.Table(
        "attribute_values", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("entity_id", sa.Integer),
        sa.Column("field_id", sa.Integer),
        sa.Column("value", sa.Text),
    )
    md.create_all(engine)
    ids = _ids()
    with engine.begin() as conn:
        conn.execute(t.insert(), [
            {"id": i + 1, "entity_id": i // 2, "field_id": i % 2, "value": ids[i // 2] if i % 2 == 0 else "M"}
            for i in range(2 * PEOPLE)
        ])
    engine.dispose()


def scan(url: str, tmp_path: Path, **kwargs: Any) -> tuple[Any, dict[str, Any], str, dict[str, Any]]:
    settings = parse_settings({"connectors": {"db": {"type": "sql", "url": url}}})
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    catalog.migrate()
    try:
        outcome = run_scan(settings, as_of=AS_OF, catalog=catalog, show_examples=True, **kwargs)
        stored = catalog.load_run(outcome.run.run_id)
    finally:
        catalog.close()
    report = build_report(outcome.run, outcome.infos, show_examples=True)
    by_table = {a["path"][-1]: a for a in report["assets"]}
    assert len(stored.results) == len(outcome.run.results)
    return outcome, by_table, dumps(report), report


def check_estate(url: str, tmp_path: Path) -> None:
    planted = build_estate(url)
    outcome, assets, text, report = scan(url, tmp_path, census=True)
    assert not outcome.run.errors, outcome.run.errors

    eav = assets["gibbonPersonFieldValue"]
    assert eav["child_status"] == "child"
    assert any(n.startswith("eav:") and n.endswith("/gibbonPersonField") for n in eav["notes"])
    cols = {c["name"]: c for c in eav["columns"]}
    assert cols["value[National ID]"]["entity_types"][0] == "CN_RESIDENT_ID"
    assert cols["value[National ID]"]["matched"] == PEOPLE
    assert "value[T-shirt size]" not in cols
    assert "value" not in cols  # the mixture's own verdict is replaced by the fields'
    assert cols[f"value[{HOSTILE}]"]["entity_types"][0] == "CN_MOBILE"
    # Children counted per person (30 people, 150 value rows), not per value row.
    assert eav["child_rows"] == PEOPLE
    assert eav["rows_scanned"] == PEOPLE
    # Hostile labels are names only: capped, never SQL, and the ID typed as a label is masked.
    assert all(len(name) <= len("value[]") + 64 for name in cols)
    assert not any(ID_LABEL in name for name in cols)

    wide = assets["student_extra"]
    wcols = {c["name"]: c for c in wide["columns"]}
    assert wcols["CUSTOM_200000000[出生日期]"]["entity_types"][0] == "DATE_OF_BIRTH"
    assert "CUSTOM_200000001[Favourite colour]" not in wcols
    assert wide["child_status"] == "child"
    assert wide["child_rows"] == 20  # the census read the real CUSTOM_200000000 column
    assert "census" in wide["notes"]
    assert any(n.endswith("/custom_fields") for n in wide["notes"])

    # The definitions and person tables are ordinary tables, and the hostile label dropped nothing.
    assert "gibbonPerson" in assets and "gibbonPersonField" in assets
    assert not any(n.startswith("eav:") for n in assets["gibbonPerson"]["notes"])
    # The definitions' `name` column holds field names, not people's: no finding, nothing to protect.
    assert assets["gibbonPersonField"]["columns"] == []
    assert assets["gibbonPersonField"]["child_status"] == "none"
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            person = sa.Table("gibbonPerson", sa.MetaData(), autoload_with=conn)
            assert conn.execute(sa.select(sa.func.count()).select_from(person)).scalar_one() == PEOPLE
    finally:
        engine.dispose()

    # No raw value anywhere in the report: masks only.
    for raw in (*planted["ids"], *planted["mobiles"], ID_LABEL):
        assert raw not in text
    assert "110105" in text  # masked examples are there (prefix kept), so the check above is not vacuous
    json.loads(text)
    # The label is markup-inert in the human reports too.
    assert "<script>" not in render_html(report) and "&lt;script&gt;" in render_html(report)
    markdown = render_markdown(report)
    assert "<script>" not in markdown and markdown_text("<script>|") in markdown  # no HTML, no table break


def check_plain(url: str, tmp_path: Path) -> None:
    build_plain(url)
    outcome, assets, _, _ = scan(url, tmp_path)
    assert not outcome.run.errors
    plain = assets["attribute_values"]
    assert not any(n.startswith("eav") for n in plain["notes"])
    assert {c["name"] for c in plain["columns"]} <= {"value", "entity_id", "field_id", "id"}
    assert not any("[" in c["name"] for c in plain["columns"])


def test_sqlite_estate(sqlite_url: str, tmp_path: Path) -> None:
    check_estate(sqlite_url, tmp_path)


def test_sqlite_values_without_definitions_stay_ordinary(sqlite_url: str, tmp_path: Path) -> None:
    check_plain(sqlite_url, tmp_path)


@pytest.mark.postgres
def test_postgres_estate(pg_url: str, tmp_path: Path) -> None:
    check_estate(pg_url, tmp_path)


@pytest.mark.postgres
def test_postgres_values_without_definitions_stay_ordinary(pg_url: str, tmp_path: Path) -> None:
    check_plain(pg_url, tmp_path)


@pytest.mark.mysql
def test_mariadb_estate(mysql_url: str, tmp_path: Path) -> None:
    check_estate(mysql_url, tmp_path)


@pytest.mark.mysql
def test_mariadb_values_without_definitions_stay_ordinary(mysql_url: str, tmp_path: Path) -> None:
    check_plain(mysql_url, tmp_path)
