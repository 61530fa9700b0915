"""The data map against a real SQLite store: lookup roles, a table dropped mid-map, no values in Python."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from pi_scanner import datamap
from pi_scanner.classify.classifier import Classifier
from pi_scanner.config import ClassifierConfig, SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap.context import context_of
from pi_scanner.datamap.probe import SqlProbe
from pi_scanner.models import ChildStatus
from tests.unit.datamap import school_fixture as school


def _store(tmp_path: Path) -> tuple[SqlConnector, sa.Engine]:
    db = tmp_path / "school.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    md = sa.MetaData()
    tables = school.build(md)
    md.create_all(engine)
    with engine.begin() as conn:
        school.fill(conn, tables)
    return SqlConnector("db", SqlConnectorConfig(type="sql", url=f"sqlite:///{db}")), engine


def test_role_codes_resolved_through_the_lookup_before_rows_are_counted(tmp_path: Path) -> None:
    conn, engine = _store(tmp_path)
    with engine.begin() as c:  # no birth dates: only the role code says who is a pupil
        c.execute(sa.text("UPDATE people SET dob = NULL"))
    infos, smap = datamap.discover_map("db", list(conn.discover()))
    infos = datamap.resolve_roles(conn, smap, infos)
    people = next(i for i in infos if i.ref.path[-1] == "people")
    ctx = context_of(people)
    assert ctx is not None and ctx.role_codes is not None
    assert dict(ctx.role_codes.codes) == {"1": "student", "2": "adult", "3": "adult"}
    clf = Classifier(ClassifierConfig(), school.AS_OF)
    with_codes = clf.classify(conn.sample(people, 100), ctx)
    assert with_codes.ages.adult == 3  # the parent and two staff: never children's rows
    assert with_codes.ages.likely_child == 3  # pupils of a school system with no age signal


def test_a_table_dropped_between_discovery_and_traversal_is_recorded(tmp_path: Path) -> None:
    conn, engine = _store(tmp_path)
    infos, smap = datamap.discover_map("db", list(conn.discover()))
    clf = Classifier(ClassifierConfig(), school.AS_OF)
    results = {i.ref.path: clf.classify(conn.sample(i, 100), context_of(i)) for i in infos}
    with engine.begin() as c:
        c.execute(sa.text("DROP TABLE grades"))
    out = datamap.relate(conn, smap, results, dt.date(2026, 3, 15))
    assert any("grades" in p for p in out.problems)
    assert out.results[("main", "attendance")].child_status is ChildStatus.CHILD  # the map is still built
    assert out.links


def test_names_only_without_a_sql_store(tmp_path: Path) -> None:
    conn, _ = _store(tmp_path)
    infos, smap = datamap.discover_map("db", list(conn.discover()))
    clf = Classifier(ClassifierConfig(), school.AS_OF)
    results = {i.ref.path: clf.classify(conn.sample(i, 100), context_of(i)) for i in infos}
    out = datamap.relate(None, smap, results, school.AS_OF)
    # Without a store to count in, linked tables are likely children's, never more.
    assert out.results[("main", "attendance")].child_status is ChildStatus.LIKELY_CHILD


def test_a_value_the_driver_cannot_bind_does_not_end_the_map(tmp_path: Path) -> None:
    """A varchar holding a 25-digit number, compared against an integer key. The exact check compares them
    as text in the database; the sketch binds sampled values, and SQLite's driver raises OverflowError on
    this one: the check records the error, the scan goes on."""
    conn, engine = _store(tmp_path)
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE card_log (id INTEGER PRIMARY KEY, student_id VARCHAR(40))"))
        c.execute(sa.text("INSERT INTO card_log VALUES (1, '1234567890123456789012345'), (2, '1')"))
    infos, smap = datamap.discover_map("db", list(conn.discover()))
    clf = Classifier(ClassifierConfig(), school.AS_OF)
    results = {i.ref.path: clf.classify(conn.sample(i, 100), context_of(i)) for i in infos}
    out = datamap.relate(conn, smap, results, dt.date(2026, 3, 15))  # used to raise OverflowError
    (card,) = [lk for lk in out.links if lk.from_path[-1] == "card_log"]
    assert "exact" in card.evidence and any(e.startswith("not_contained:") for e in card.evidence)
    candidate = next(c for c in smap.candidates if c.from_path[-1] == "card_log")
    found = SqlProbe(conn, exact_rows=0).containment_many([candidate])[candidate]
    assert found.error == "OverflowError"
