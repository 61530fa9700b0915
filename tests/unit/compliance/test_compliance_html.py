"""The compliance HTML: self-contained, escaped, and rendered for real in headless Chromium."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

from pi_scanner.compliance.checks import run_checks
from pi_scanner.config import parse_settings
from pi_scanner.report.compliance_html import render_compliance_html
from tests.binaries import chromium as find_chromium
from tests.unit.compliance.fixtures import COMPLIANCE, estate

HISTORY = [
    {"as_of": "2025-12-15", "children_records": 31, "over_retained": 12},
    {"as_of": "2026-01-15", "children_records": 26, "over_retained": 7},
    {"as_of": "2026-03-15", "children_records": 20, "over_retained": 2},
]


def _summary() -> dict[str, object]:
    run, infos = estate()
    settings = parse_settings({
        "connectors": {"sis": {"type": "sql", "url": "sqlite:///x.db"}, "vendor": {"type": "s3"}},
        "compliance": COMPLIANCE,
    })
    return run_checks(run, settings, infos=infos, live=False).summary


def test_html_is_self_contained_and_escapes_names() -> None:
    summary = _summary()
    summary["children_by_store"] = {"<script>alert(1)</script>": 3}
    page = render_compliance_html(summary, HISTORY)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page.replace("https://school.example", "")
    assert "src=" not in page and "<link" not in page
    assert page.count("<svg") == 4  # store, category, two trends (no consent source)
    assert "Showing" not in page  # nothing truncated in a small estate


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def test_renders_in_headless_chromium(tmp_path: Path) -> None:
    chromium = find_chromium()
    html = tmp_path / "compliance.html"
    html.write_text(render_compliance_html(_summary(), HISTORY), encoding="utf-8")
    png = tmp_path / "out.png"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={png}", "--window-size=1280,2000", html.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    assert png.exists()
    assert _png_size(png) == (1280, 2000)
    # A blank page compresses to a few KB; charts, tables and text make it much larger.
    assert png.stat().st_size > 40_000
    keep = os.environ.get("PI_SCANNER_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(png, keep)
