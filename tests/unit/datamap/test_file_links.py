"""Links across the files of one folder: a real folder scanned end to end (issue 15, item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.datamap import file_links
from pi_scanner.models import ChildStatus, ScanRun
from pi_scanner.report.json_report import build_report
from pi_scanner.scanner import ScanOutcome, run_scan
from tests.unit.datamap import file_export


def _scan(tmp_path: Path) -> tuple[ScanOutcome, Catalog, list[str]]:
    files, kids = file_export.export()
    root = tmp_path / "export"
    for rel, body in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    settings = parse_settings({"connectors": {"exp": {"type": "fs", "path": str(root)}},
                               "executor": {"type": "local"}})
    catalog = Catalog(f"sqlite:///{tmp_path / 'catalog.db'}")
    catalog.migrate()
    outcome = run_scan(settings, as_of=file_export.AS_OF, catalog=catalog, executor="local")
    return outcome, catalog, [v for k in kids for v in k.values()]


def _by_name(run: ScanRun) -> dict[str, object]:
    return {r.asset.path[-1]: r for r in run.results}


def test_files_of_one_folder_are_linked_and_children_status_follows(tmp_path: Path) -> None:
    outcome, catalog, canaries = _scan(tmp_path)
    links = {lk.label: lk for lk in outcome.run.links}
    att = links["exports/attendance.csv.student_id -> exports/students.csv.student_id"]
    assert att.accepted and not att.declared and "exact" in att.evidence and "contained:1.0" in att.evidence
    assert links["exports/grades.jsonl.student_id -> exports/students.csv.student_id"].accepted
    assert links["exports/payroll.csv.staff_id -> exports/staff.csv.staff_id"].accepted
    legacy = links["exports/legacy_visits.csv.student_id -> exports/students.csv.student_id"]
    assert not legacy.accepted and "not_contained:0.0" in legacy.evidence  # a name is not a link
    # Files of another folder are never linked to this one's.
    assert not [lk for lk in outcome.run.links if "other/" in lk.label]

    results = {r.asset.path[-1]: r for r in outcome.run.results}
    attendance = results["exports/attendance.csv"]
    assert attendance.child_status is ChildStatus.CHILD
    assert attendance.ages.child == file_export.CHILD_ATTENDANCE  # rows pointing at pupils, not former ones
    assert attendance.linked_via is not None and attendance.linked_via.path == (att.label,)
    assert results["exports/grades.jsonl"].ages.child == file_export.CHILD_GRADES
    assert results["exports/payroll.csv"].linked_via is None  # staff records stay staff's
    assert results["exports/legacy_visits.csv"].linked_via is None

    # Stored in the catalog and the report like SQL links, and no raw value anywhere in them.
    stored = catalog.load_links(outcome.run.run_id)
    assert {lk.label for lk in stored} == set(links)
    report = build_report(outcome.run, outcome.infos, failed_connectors=outcome.failed_connectors)
    assert any(lk["from"]["table"] == "exports/attendance.csv" for lk in report["links"])
    with catalog.engine.connect() as conn:
        dumped = json.dumps([list(r) for r in conn.execute(sa.text("SELECT * FROM table_links"))], default=str)
    text = dumped + json.dumps(report["links"]) + json.dumps([a.get("linked_via") for a in report["assets"]])
    leaked = [c for c in canaries if c in text]
    assert not leaked, "raw values in links"
    catalog.close()


def test_files_too_large_to_stream_are_judged_on_samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_links, "STREAM_BYTES", 0)
    monkeypatch.setattr(file_links, "SAMPLE_ROWS", 150)  # fewer than the files' records
    outcome, catalog, _ = _scan(tmp_path)
    catalog.close()
    att = next(lk for lk in outcome.run.links if lk.label.startswith("exports/attendance.csv.student_id"))
    assert att.accepted and "sampled" in att.evidence and any(e.startswith("margin:") for e in att.evidence)
    attendance = next(r for r in outcome.run.results if r.asset.path[-1] == "exports/attendance.csv")
    # Linked rows could not be counted: the file is likely children's, the note and a problem say why.
    assert attendance.child_status is ChildStatus.LIKELY_CHILD and "linked_unverified" in attendance.notes
    assert any("linked rows not counted" in e.message for e in outcome.run.errors)


def test_gzip_exports_and_a_workbook_are_linked_like_plain_files(tmp_path: Path) -> None:
    """``attendance.csv.gz`` and ``grades.jsonl.gz`` point into ``students.xlsx``: read through the format
    readers, linked on exact containment, and the children's rows counted through them."""
    pytest.importorskip("openpyxl")
    files, kids = file_export.export()
    root = tmp_path / "export"
    for rel, body in file_export.packed(files).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(body)
    settings = parse_settings({"connectors": {"exp": {"type": "fs", "path": str(root)}},
                               "executor": {"type": "local"}})
    with Catalog(f"sqlite:///{tmp_path / 'catalog.db'}") as catalog:
        catalog.migrate()
        outcome = run_scan(settings, as_of=file_export.AS_OF, catalog=catalog, executor="local")
    links = {lk.label: lk for lk in outcome.run.links}
    att = links["exports/attendance.csv.gz.student_id -> exports/students.xlsx.student_id"]
    assert att.accepted and "exact" in att.evidence and "contained:1.0" in att.evidence
    assert links["exports/grades.jsonl.gz.student_id -> exports/students.xlsx.student_id"].accepted
    assert not links["exports/legacy_visits.csv.student_id -> exports/students.xlsx.student_id"].accepted
    results = {r.asset.path[-1]: r for r in outcome.run.results}
    assert results["exports/students.xlsx"].child_status is ChildStatus.CHILD
    attendance = results["exports/attendance.csv.gz"]
    assert attendance.child_status is ChildStatus.CHILD and attendance.ages.child == file_export.CHILD_ATTENDANCE
    assert results["exports/grades.jsonl.gz"].ages.child == file_export.CHILD_GRADES
    report = build_report(outcome.run, outcome.infos)
    text = json.dumps(report["links"]) + json.dumps([a.get("linked_via") for a in report["assets"]])
    assert not [v for k in kids for v in k.values() if v in text]


def test_a_gzip_export_cut_short_is_a_map_problem_and_the_scan_goes_on(tmp_path: Path) -> None:
    """Its head is sampled; streaming it for the links stops at the cut: recorded, never the scan's end."""
    import gzip

    files, _ = file_export.export()
    root = tmp_path / "export"
    for rel, body in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        if rel == "exports/attendance.csv":
            packed = gzip.compress(body)
            (root / (rel + ".gz")).write_bytes(packed[: len(packed) // 2])
        else:
            (root / rel).write_bytes(body)
    settings = parse_settings({"connectors": {"exp": {"type": "fs", "path": str(root)}},
                               "executor": {"type": "local"}})
    with Catalog(f"sqlite:///{tmp_path / 'catalog.db'}") as catalog:
        catalog.migrate()
        run = run_scan(settings, as_of=file_export.AS_OF, catalog=catalog, executor="local").run
        status = catalog.run_status(run.run_id)
    results = {r.asset.path[-1]: r for r in run.results}
    cut = results["exports/attendance.csv.gz"]
    assert cut.coverage is not None and dict(cut.coverage.limits) == {"damaged": 1}
    assert cut.child_status is not ChildStatus.NONE
    assert results["exports/grades.jsonl"].child_status is ChildStatus.CHILD  # the rest of the map is built
    assert any(e.stage == "map" and "attendance.csv.gz" in e.message and "FormatError" in e.message
               for e in run.errors), run.errors
    assert status == "partial"
