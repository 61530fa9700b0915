"""No silent gaps in folders (issue 18, cases 3, 4 and 8): what was not read is in the report, with why.

Sizes are scaled down by configuring the limits lower (the behaviour is the same): the 300 MB line of the
issue is a 60 KB line under ``max_line_bytes: 4096``; the 10,000-column Parquet file is 300 columns under
``max_columns: 100``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.cli import app
from pi_scanner.config import parse_settings
from pi_scanner.metrics import Metrics
from pi_scanner.report.html import render_html
from pi_scanner.report.markdown import render_markdown
from pi_scanner.report.table import render_table
from pi_scanner.scanner import run_scan
from tests.canaries import make_canaries

AS_OF = "2026-03-15"


def scan_folder(tmp_path: Path, folder: Path, **options: Any) -> tuple[int, dict[str, Any], str]:
    """``pi-scanner scan`` over one folder connector; returns (exit code, JSON report, all rendered text)."""
    config = tmp_path / "scan.yaml"
    config.write_text(yaml.safe_dump({
        "connectors": {"files": {"type": "fs", "path": str(folder), **options}},
        "executor": {"type": "local"},
    }), encoding="utf-8")
    out = tmp_path / "report.json"
    res = CliRunner().invoke(app, ["scan", "-c", str(config), "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                                   "--as-of", AS_OF, "-f", "json", "-o", str(out)])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    report = json.loads(out.read_text(encoding="utf-8"))
    table = io.StringIO()
    render_table(report, Console(file=table, width=200, color_system=None))
    rendered = "\n".join([out.read_text(encoding="utf-8"), render_markdown(report), render_html(report),
                          table.getvalue(), res.output])
    return res.exit_code, report, rendered


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["path"][-1]: a for a in report["assets"]}


def no_leak(values: list[str], text: str) -> None:
    for value in values:
        assert value not in text


def test_csv_line_past_the_line_cap_is_unknown_with_the_limit_named(tmp_path: Path) -> None:
    """A child's ID and phone past ``max_line_bytes`` on one long line: ``unknown``, never ``none``."""
    kid = make_canaries(1)[0]
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "dump.csv").write_text(
        "remark,sfzh,phone\n" + "x" * 60_000 + f",{kid.resident_id},{kid.phone}\n", encoding="utf-8")
    code, report, rendered = scan_folder(tmp_path, folder, max_line_bytes=4096)
    dump = by_name(report)["dump.csv"]
    assert dump["child_status"] == "unknown", dump
    assert dump["coverage"]["limits"] == {"line_length": 1}
    assert "limit:line_length" in dump["notes"] and dump["errors"] == []
    assert report["coverage"]["limits"] == {"line_length": 1}
    assert report["coverage"]["assets_partly_read"] == 1
    assert code == 0  # a limit that was hit is coverage, reported, not an error
    assert "line_length" in rendered and "dump.csv" in render_markdown(report).split("## Coverage")[1]
    no_leak(list(kid.values()), rendered)


def test_parquet_columns_past_the_column_cap_are_counted_and_the_file_is_unknown(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    kids = make_canaries(20)
    folder = tmp_path / "lake"
    folder.mkdir()
    data = {f"c{i:04d}": [str(i)] * len(kids) for i in range(298)}
    data["sfzh"] = [k.resident_id for k in kids]
    data["phone"] = [k.phone for k in kids]
    pq.write_table(pa.table(data), folder / "wide.parquet")
    code, report, rendered = scan_folder(tmp_path, folder, max_columns=100)
    wide = by_name(report)["wide.parquet"]
    assert wide["child_status"] == "unknown" and wide["columns"] == []
    cov = wide["coverage"]
    assert (cov["columns_read"], cov["columns_total"], cov["limits"]) == (100, 300, {"columns": 200})
    assert code == 0
    # With the cap above the width, the same file is read whole and the children are found.
    code, report, _ = scan_folder(tmp_path, folder, max_columns=1000)
    assert by_name(report)["wide.parquet"]["child_status"] == "child" and code == 1
    no_leak([v for k in kids for v in k.values()], rendered)


def test_special_files_and_links_are_listed_as_not_read_with_why(tmp_path: Path) -> None:
    kids = make_canaries(30)
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "pupils.csv").write_text(
        "xm,sfzh\n" + "".join(f"{k.name},{k.resident_id}\n" for k in kids), encoding="utf-8")
    os.mkfifo(folder / "pipe.csv")
    (folder / "a.csv").symlink_to(folder / "b.csv")
    (folder / "b.csv").symlink_to(folder / "a.csv")
    (folder / "zero.csv").symlink_to("/dev/zero")
    (folder / "up").symlink_to(folder)
    code, report, rendered = scan_folder(tmp_path, folder)
    assets = by_name(report)
    reasons = {name: assets[name]["coverage"]["not_read"] for name in ("pipe.csv", "a.csv", "b.csv", "zero.csv", "up")}
    assert reasons == {"pipe.csv": "special_file", "a.csv": "symlink_loop", "b.csv": "symlink_loop",
                       "zero.csv": "symlink", "up": "symlink_loop"}
    assert "character device" in assets["zero.csv"]["coverage"]["detail"]
    assert all(assets[n]["child_status"] == "unknown" for n in reasons)
    assert assets["pupils.csv"]["child_status"] == "child"
    assert report["coverage"]["not_read"] == {"special_file": 1, "symlink": 1, "symlink_loop": 3}
    assert report["coverage"]["assets_not_read"] == 5 and report["coverage"]["assets_fully_read"] == 1
    assert code == 1  # children found; files not read on purpose are coverage, not errors
    for name in reasons:
        assert name in rendered
    assert "not read (special_file)" in render_html(report)
    no_leak([v for k in kids for v in k.values()], rendered)

    # Metrics: bounded labels, one series per reason.
    settings = parse_settings({"connectors": {"files": {"type": "fs", "path": str(folder)}},
                               "executor": {"type": "local"}})
    catalog = Catalog(f"sqlite:///{tmp_path / 'm.db'}")
    catalog.migrate()
    try:
        run = run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog).run
    finally:
        catalog.close()
    metrics = Metrics()
    metrics.observe_scan(run, "on-demand")
    for reason, n in (("special_file", 1), ("symlink", 1), ("symlink_loop", 3)):
        assert metrics.value("pi_scanner_assets_not_read_total", {"connector": "files", "reason": reason}) == n
