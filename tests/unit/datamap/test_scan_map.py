"""The data map inside a real scan (SQLite): links, lookup roles, propagation, catalog and report."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.models import ChildStatus
from pi_scanner.report.json_report import build_report
from pi_scanner.scanner import ScanOutcome, run_scan
from tests.unit.datamap import school_fixture as school


def _scan(tmp_path: Path, *, declared: bool = False) -> tuple[ScanOutcome, Catalog]:
    db = tmp_path / "school.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    md = sa.MetaData()
    tables = school.build(md, declared=declared)
    md.create_all(engine)
    with engine.begin() as conn:
        school.fill(conn, tables)
    engine.dispose()
    settings = parse_settings({"connectors": {"db": {"type": "sql", "url": f"sqlite:///{db}"}}})
    catalog = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    catalog.migrate()
    return run_scan(settings, as_of=school.AS_OF, catalog=catalog), catalog


def _by_table(outcome: ScanOutcome) -> dict[str, object]:
    return {r.asset.path[-1]: r for r in outcome.run.results}


def test_undeclared_links_are_inferred_and_children_propagate(tmp_path: Path) -> None:
    outcome, catalog = _scan(tmp_path)
    links = {link.label: link for link in outcome.run.links}
    assert links["attendance.student_id -> students.id"].accepted
    assert links["students.person_id -> people.person_id"].accepted
    assert links["staff_leave.staff_id -> staff.staff_id"].accepted
    grades = links["grades.student_id -> students.id"]
    assert "type_mismatch" in grades.evidence and grades.accepted
    loans = links["library_loans.student_no -> students.student_no"]
    assert "case_drift" in loans.evidence and loans.accepted
    assert not any(link.declared for link in outcome.run.links)

    results = {r.asset.path[-1]: r for r in outcome.run.results}
    att = results["attendance"]
    assert att.child_status is ChildStatus.CHILD
    assert att.ages.child == 9  # every attendance row points at a pupil, counted in the database
    assert att.linked_via is not None
    assert att.linked_via.path[0] == "attendance.student_id -> students.id"
    assert results["grades"].child_status is ChildStatus.CHILD
    assert results["grades"].ages.child == 6
    # An empty table linked to the pupils: its verdict comes from the schema.
    med = results["medical_visits"]
    assert med.child_status is ChildStatus.LIKELY_CHILD and med.linked_via is not None
    # Staff rows point at adults' person rows: never children's.
    assert results["staff"].child_status not in (ChildStatus.CHILD, ChildStatus.LIKELY_CHILD)
    assert results["staff_leave"].child_status not in (ChildStatus.CHILD, ChildStatus.LIKELY_CHILD)
    assert results["staff"].linked_via is None

    # The catalog keeps links and linked_via; the report carries both.
    again = catalog.load_run(outcome.run.run_id)
    assert len(again.links) == len(outcome.run.links)
    assert {r.asset.path[-1]: r.linked_via for r in again.results}["attendance"] == att.linked_via
    report = build_report(again)
    assert report["schema_version"] == "1.5"
    entry = next(a for a in report["assets"] if a["path"][-1] == "attendance")
    assert entry["linked_via"]["path"] == ["attendance.student_id -> students.id", *att.linked_via.path[1:]]
    assert any(lk["from"]["table"] == "attendance" and lk["to"]["table"] == "students" for lk in report["links"])


def test_declared_keys_and_self_references(tmp_path: Path) -> None:
    outcome, _ = _scan(tmp_path, declared=True)
    links = {link.label: link for link in outcome.run.links}
    assert links["attendance.student_id -> students.id"].declared
    selfref = links["categories.parent_id -> categories.id"]
    assert selfref.declared and "self_reference" in selfref.evidence
    results = {r.asset.path[-1]: r for r in outcome.run.results}
    assert results["categories"].child_status not in (ChildStatus.CHILD, ChildStatus.LIKELY_CHILD)
    assert results["attendance"].child_status is ChildStatus.CHILD
