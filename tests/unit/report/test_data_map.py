"""The data map's exports (JSON, DOT, Fides YAML) and its SVG, from a real scan's report."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from pi_scanner.report.data_map import map_section, render_map_svg, to_dot, to_fides, to_json
from pi_scanner.report.html import render_html
from pi_scanner.report.json_report import build_report
from tests.unit.datamap.test_scan_map import _scan


def _report(tmp_path: Path) -> dict[str, object]:
    outcome, _ = _scan(tmp_path)
    return build_report(outcome.run)


def test_fides_dataset_parses_and_names_every_linked_table(tmp_path: Path) -> None:
    report = _report(tmp_path)
    doc = yaml.safe_load(to_fides(report))
    (dataset,) = doc["dataset"]
    assert dataset["fides_key"] == "db"
    collections = {c["name"]: c for c in dataset["collections"]}
    for link in report["links"]:  # type: ignore[attr-defined]
        if link["accepted"]:
            assert link["from"]["table"] in collections and link["to"]["table"] in collections
    attendance = {f["name"]: f for f in collections["attendance"]["fields"]}
    refs = attendance["student_id"]["fides_meta"]["references"]
    assert refs == [{"dataset": "db", "field": "students.id", "direction": "to"}]
    students = {f["name"]: f for f in collections["students"]["fields"]}
    assert students["id"]["fides_meta"]["primary_key"] is True
    people = {f["name"]: f for f in collections["people"]["fields"]}
    assert "user.name" in people["surname"]["data_categories"]


def test_json_and_dot(tmp_path: Path) -> None:
    report = _report(tmp_path)
    doc = json.loads(to_json(report))
    tables = {t["table"]: t for t in doc["tables"]}
    assert tables["attendance"]["linked_via"]["path"][0] == "attendance.student_id -> students.id"
    assert tables["students"]["root"] is True
    dot = to_dot(report)
    assert dot.startswith("digraph") and '"db:main.attendance" -> "db:main.students"' in dot


def test_svg_draws_roots_and_linked_tables_and_escapes_names(tmp_path: Path) -> None:
    report = _report(tmp_path)
    svg = render_map_svg(report)
    assert svg.startswith("<svg") and "<script" not in svg
    assert ">attendance<" in svg and ">students<" in svg and "marker-end" in svg
    hostile = json.loads(json.dumps(report))
    hostile["assets"][0]["path"][-1] = "<script>alert(1)</script>"
    hostile["assets"][0]["child_status"] = "child"
    assert "<script>" not in render_map_svg(hostile)
    page = render_html(report)
    assert "id='data-map'" in page and map_section(report) in page
