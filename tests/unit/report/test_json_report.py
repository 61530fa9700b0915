from __future__ import annotations

import datetime as dt

import jsonschema
import pytest

from pi_scanner.models import (
    AgeCounts,
    AssetError,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    ColumnFinding,
    ScanRun,
)
from pi_scanner.report.html import render_html
from pi_scanner.report.json_report import build_report, report_schema
from pi_scanner.report.markdown import render_markdown


def make_run() -> ScanRun:
    students = AssetRef("db", AssetKind.TABLE, ("main", "students"))
    orders = AssetRef("db", AssetKind.TABLE, ("main", "orders"))
    broken = AssetRef("db", AssetKind.TABLE, ("main", 'we"ird; drop'))
    col = ColumnFinding(
        "sfzh", ("CN_RESIDENT_ID",), 0.98, 100, 98, masked_examples=("110105********1239",), articles=(9, 11, 13)
    )
    return ScanRun(
        run_id="r1",
        as_of=dt.date(2026, 3, 15),
        started_at=dt.datetime(2026, 3, 15, 1, tzinfo=dt.UTC),
        finished_at=dt.datetime(2026, 3, 15, 2, tzinfo=dt.UTC),
        connectors=["db"],
        results=[
            AssetResult(orders, (), ChildStatus.NONE, 50, AgeCounts()),
            AssetResult(students, (col,), ChildStatus.CHILD, 100, AgeCounts(child=90, minor_14_17=5, adult=5)),
        ],
        errors=[
            AssetError(broken, "sample", "ProgrammingError", "relation does not exist"),
            AssetError(None, "connect", "ConnectorError", "connector 'x': unreachable"),
        ],
    )


@pytest.mark.parametrize("show", [False, True])
def test_report_validates_and_orders_children_first(show: bool) -> None:
    report = build_report(make_run(), show_examples=show, failed_connectors=["x"])
    jsonschema.validate(report, report_schema())
    assert report["assets"][0]["path"][-1] == "students"
    students = report["assets"][0]
    assert students["child_rows"] == 90 and students["minor_14_17_rows"] == 5
    assert ("masked_examples" in students["columns"][0]) is show
    assert report["summary"]["assets_with_children_pi"] == 1
    assert report["summary"]["failed_connectors"] == ["x"]
    assert report["summary"]["store_errors"][0]["stage"] == "connect"


def test_asset_that_only_failed_is_listed_as_unknown_with_its_error() -> None:
    report = build_report(make_run())
    broken = [a for a in report["assets"] if a["errors"]]
    assert broken and broken[0]["child_status"] == "unknown"
    assert broken[0]["errors"][0]["type"] == "ProgrammingError"


def test_schema_rejects_unknown_fields_and_bad_status() -> None:
    report = build_report(make_run())
    report["assets"][0]["child_status"] = "toddler"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, report_schema())


def test_text_renderings_escape_hostile_names() -> None:
    report = build_report(make_run())
    html = render_html(report)
    assert 'we"ird; drop' not in html and "we&quot;ird; drop" in html
    assert "<svg" in html and "students" in html
    md = render_markdown(report)
    assert "| child | db:main/students |" in md


def test_columns_carry_category_and_reports_group_by_it() -> None:
    run = make_run()
    students = run.results[1]
    notes = ColumnFinding("remark", ("CN_MOBILE", "FREE_TEXT"), 0.8, 100, 3, category="free_text")
    gender = ColumnFinding("xb", ("GENDER",), 0.9, 100, 100)
    run.results[1] = AssetResult(students.asset, (*students.columns, notes, gender), students.child_status,
                                 students.rows_scanned, students.ages)
    report = build_report(run)
    jsonschema.validate(report, report_schema())
    assert report["schema_version"] == "1.5"
    cols = {c["name"]: c for c in report["assets"][0]["columns"]}
    # sfzh was built without a category (as read back from an old catalog): derived from its type
    assert (cols["sfzh"]["category"], cols["sfzh"]["sensitive"]) == ("identity_document", True)
    assert (cols["remark"]["category"], cols["remark"]["sensitive"]) == ("free_text", True)
    assert (cols["xb"]["category"], cols["xb"]["sensitive"]) == ("basic_profile", False)
    md = render_markdown(report)
    assert "## PI columns by category" in md
    assert md.index("Basic profile") < md.index("Identity documents") < md.index("Free text about a person")
    html = render_html(report)
    assert "id='cat-free_text'" in html and "Children&#x27;s assets by PI category" in html
    bad = dict(cols["xb"], category="gossip")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, report_schema()["$defs"]["column"] if "$defs" in report_schema()
                            else report_schema()["definitions"]["column"])
