"""Coverage in the report: per asset, the summary, verdicts read back from the catalog, failed assets."""

from __future__ import annotations

import datetime as dt

import jsonschema

from pi_scanner.coverage import apply_coverage, not_read_result
from pi_scanner.models import (
    AgeCounts,
    AssetError,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    Coverage,
    ScanRun,
)
from pi_scanner.report.json_report import build_report, report_schema
from pi_scanner.report.safe_text import html_text, markdown_text


def _ref(name: str) -> AssetRef:
    return AssetRef("files", AssetKind.FILE, ("/data", name))


def test_summary_counts_full_partial_and_not_read_assets_by_reason() -> None:
    full = AssetResult(_ref("a.csv"), (), ChildStatus.NONE, 10, AgeCounts(),
                       coverage=Coverage(rows_read=10, columns_read=2, cells_read=20))
    wide = apply_coverage(AssetResult(_ref("w.parquet"), (), ChildStatus.NONE, 5, AgeCounts()),
                          Coverage(rows_read=5, columns_read=100, columns_total=300, limits=(("columns", 200),)))
    fifo = not_read_result(_ref("p"), "special_file", "a FIFO (named pipe); not read")
    # Read back from the catalog: no counts, the notes still say which limit and why.
    old = AssetResult(_ref("old.csv"), (), ChildStatus.UNKNOWN, 3, AgeCounts(), notes=("limit:line_length",))
    run = ScanRun("r1", dt.date(2026, 3, 15), dt.datetime(2026, 3, 15, tzinfo=dt.UTC),
                  results=[full, wide, fifo, old],
                  errors=[AssetError(_ref("gone.csv"), "sample", "TerminalError", "file disappeared")])
    report = build_report(run)
    jsonschema.validate(report, report_schema())
    assert wide.child_status is ChildStatus.UNKNOWN and "limit:columns" in wide.notes
    cov = report["coverage"]
    assert (cov["assets"], cov["assets_fully_read"], cov["assets_partly_read"], cov["assets_not_read"]) == (5, 1, 2, 2)
    assert cov["limits"] == {"columns": 200, "line_length": 1}
    assert cov["not_read"] == {"error": 1, "special_file": 1}
    assets = {a["path"][-1]: a for a in report["assets"]}
    assert assets["old.csv"]["coverage"] == {"limits": {"line_length": None}}
    assert assets["gone.csv"]["coverage"]["not_read"] == "error"


def test_safe_text_neutralises_html_markdown_and_bidi() -> None:
    assert markdown_text("<b>](javascript:x)|1") == "&lt;b&gt;\\]\\(javascript:x\\)\\|1"
    assert markdown_text("1. item") == "1\\. item"
    assert markdown_text("a\u202eb") == "a\\\\u202eb"
    assert html_text("<a href='x'>\u202e") == "&lt;a href=&#x27;x&#x27;&gt;\\u202e"
