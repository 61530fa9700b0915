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


def test_map_command_writes_each_format(tmp_path: Path) -> None:
    import sqlalchemy as sa
    from typer.testing import CliRunner

    from pi_scanner.cli import app
    from tests.unit.datamap import school_fixture as school

    db = tmp_path / "school.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    md = sa.MetaData()
    tables = school.build(md)
    md.create_all(engine)
    with engine.begin() as conn:
        school.fill(conn, tables)
    engine.dispose()
    runner = CliRunner()
    for fmt, check in (("fides", lambda text: yaml.safe_load(text)["dataset"]),
                       ("dot", lambda text: text.startswith("digraph")),
                       ("json", lambda text: json.loads(text)["links"])):
        out = tmp_path / f"map.{fmt}"
        res = runner.invoke(app, ["map", f"sqlite:///{db}", "--format", fmt, "-o", str(out), "--as-of", "2026-03-15",
                                  "--catalog", f"sqlite:///{tmp_path / 'cat.db'}"])
        assert res.exit_code == 0, res.output
        assert check(out.read_text(encoding="utf-8"))
    bad = runner.invoke(app, ["map", f"sqlite:///{db}", "--format", "svg", "-o", str(tmp_path / "x")])
    assert bad.exit_code == 2
