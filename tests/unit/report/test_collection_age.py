"""Collection-time ages through the catalog (migration 0008), the report (schema 1.4), the daemon's gauge
and its restore after a restart, and ``report age-outs`` on the catalog."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import jsonschema
from rich.console import Console
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.cli import app
from pi_scanner.daemon_state import restore_estate_gauges
from pi_scanner.metrics import Metrics
from pi_scanner.models import (
    AgeCounts,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    CollectionAges,
    ColumnFinding,
    ScanRun,
)
from pi_scanner.report.html import render_html
from pi_scanner.report.json_report import build_report, report_schema
from pi_scanner.report.markdown import render_markdown
from pi_scanner.report.table import render_table

AS_OF = dt.date(2026, 3, 15)
REF = AssetRef("school", AssetKind.TABLE, ("public", "xs_jbxx"))
COLLECTION = CollectionAges(
    source="column", column="rxrq", exact=True, records=60, collected_while_child=58, collected_not_child=1,
    collection_unknown=1, collection_conflicts=0, child_now=9, aged_out_since_collection=50, as_of=AS_OF,
    horizon_days=366, age_outs=(("2026-03-21", 3), ("2026-04-14", 1), ("2026-06-01", 5)),
    adults=(("2026-04-01", 2),),
)


def _result(collection: CollectionAges | None = COLLECTION, ref: AssetRef = REF) -> AssetResult:
    col = ColumnFinding("sfzh", ("CN_RESIDENT_ID",), 1.0, 60, 60, subject_role="subject")
    return AssetResult(ref, (col,), ChildStatus.CHILD, 60, AgeCounts(child=9, adult=50, minor_14_17=1), (),
                       collection=collection)


def _catalog(tmp_path: Path) -> tuple[Catalog, str]:
    cat = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    cat.migrate()
    run_id = cat.start_run(AS_OF, ["school"], "cli")
    cat.record_result(run_id, _result())
    cat.record_result(run_id, _result(None, AssetRef("school", AssetKind.TABLE, ("public", "orders"))))
    cat.finish_run(run_id, "ok")
    return cat, run_id


def test_catalog_keeps_counts_and_days_and_reads_them_back(tmp_path: Path) -> None:
    cat, run_id = _catalog(tmp_path)
    try:
        assert (cat.current_revision() or "") >= "0008_collection_ages"
        results = {r.asset.path[-1]: r for r in cat.load_run(run_id).results}
        assert results["xs_jbxx"].collection == COLLECTION
        assert results["orders"].collection is None
    finally:
        cat.close()


def test_report_carries_the_counts_and_validates() -> None:
    run = _run([_result()])
    report = build_report(run, age_out_days=30)
    jsonschema.validate(report, report_schema())
    assert report["schema_version"] == "1.5"
    c = report["assets"][0]["collection"]
    assert c["age_outs"] == {"within_days": 30, "records": 4, "next": "2026-03-21"}
    assert c["turning_18_within_days"] == 2 and c["next_age_out"] == "2026-03-21" and not c["estimated"]
    assert report["summary"]["collected_while_child_rows"] == 58
    assert report["summary"]["aged_out_since_collection_rows"] == 50
    assert report["summary"]["upcoming_age_out_rows"] == 4
    assert build_report(run, age_out_days=90)["assets"][0]["collection"]["age_outs"]["records"] == 9
    md = render_markdown(report)
    assert "## Collection-time age" in md and "| column rxrq | 60 | 58 | 50 | 9 | 4 | 2026-03-21 | every row |" in md
    html = render_html(report)
    assert "<h2>Collection-time age</h2>" in html and "column rxrq" in html
    buf = io.StringIO()
    render_table(report, Console(file=buf, width=200, color_system=None))
    assert "collected while a child: 58 records (50 of them 14 or older now); 4 leave" in buf.getvalue()


def test_report_without_birth_dates_has_no_section() -> None:
    report = build_report(_run([_result(None)]))
    jsonschema.validate(report, report_schema())
    assert "collection" not in report["assets"][0]
    assert "Collection-time age" not in render_markdown(report)
    assert report["summary"]["upcoming_age_out_rows"] == 0


def _run(results: list[AssetResult]) -> ScanRun:
    t0 = dt.datetime(2026, 3, 15, 2, tzinfo=dt.UTC)
    return ScanRun("r1", AS_OF, t0, t0 + dt.timedelta(seconds=5), results=results, connectors=["school"])


def test_gauge_counts_the_next_window_from_today_and_survives_a_restart(tmp_path: Path) -> None:
    m = Metrics()
    m.today = lambda: AS_OF
    m.observe_scan(_run([_result()]), "nightly")
    gauge = "pi_scanner_upcoming_age_out_records"
    assert m.value(gauge, {"connector": "school"}) == 4
    m.today = lambda: dt.date(2026, 3, 31)  # a fortnight later, no new scan: the window moved
    assert m.value(gauge, {"connector": "school"}) == 1
    m.age_out_days = 90
    assert m.value(gauge, {"connector": "school"}) == 6
    assert b'pi_scanner_upcoming_age_out_records{connector="school"}' in m.exposition()

    cat, _ = _catalog(tmp_path)
    try:
        fresh = Metrics()
        fresh.today = lambda: AS_OF
        restored = restore_estate_gauges(cat, fresh, ["school"])
        assert restored and fresh.value(gauge, {"connector": "school"}) == 4
    finally:
        cat.close()


def test_report_age_outs_reads_the_catalog(tmp_path: Path) -> None:
    cat, run_id = _catalog(tmp_path)
    cat.close()
    url = f"sqlite:///{tmp_path / 'cat.db'}"
    runner = CliRunner()
    out = runner.invoke(app, ["report", "age-outs", "--catalog", url, "--as-of", "2026-03-15", "-f", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["run_id"] == run_id and doc["age_outs"] == 4
    assert doc["assets"][0]["next_age_out"] == "2026-03-21" and doc["assets"][0]["window_covered"]
    out = runner.invoke(app, ["report", "age-outs", "--catalog", url, "--as-of", "2026-03-15", "--within", "12w"])
    assert out.exit_code == 0 and "9 record(s) age out" in out.stdout
    out = runner.invoke(app, ["report", "age-outs", "--catalog", url, "--as-of", "2027-03-01"])
    assert out.exit_code == 0 and "* the scan kept age-out days for a shorter window" in out.stdout
    out = runner.invoke(app, ["report", "age-outs", "--catalog", url, "--within", "soon"])
    assert out.exit_code == 2
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    out = runner.invoke(app, ["report", "age-outs", "--catalog", empty])
    assert out.exit_code == 2 and "no scan run" in out.output


def test_the_window_of_rendered_reports_comes_from_the_config(tmp_path: Path) -> None:
    cat, _ = _catalog(tmp_path)
    cat.close()
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(f"catalog:\n  url: sqlite:///{tmp_path / 'cat.db'}\nclassifier:\n  age_out_window_days: 90\n",
                   encoding="utf-8")
    out = CliRunner().invoke(app, ["report", "--config", str(cfg), "-f", "json"])
    assert out.exit_code == 0, out.output
    students = next(a for a in json.loads(out.stdout)["assets"] if a["path"][-1] == "xs_jbxx")
    assert students["collection"]["age_outs"] == {"within_days": 90, "records": 9, "next": "2026-03-21"}
