"""Reports that cannot be turned against their reader (issue 18, case 10).

A real scan of a SQLite database and a folder whose table, column and file names carry HTML, Markdown link
syntax and a right-to-left override. The Markdown report is rendered by a CommonMark renderer
(markdown-it-py, raw HTML allowed as CommonMark allows it) and loaded, like the HTML report, in headless
Chromium: no script runs (a script would set the page title or a ``data-owned`` attribute, which the dumped
DOM would show), no ``javascript:`` link exists, and the override is shown as ``\\u202e`` instead of
reordering the text.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import sqlalchemy as sa
import yaml
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from pi_scanner.cli import app
from pi_scanner.report.html import render_html
from pi_scanner.report.markdown import render_markdown
from tests.binaries import chromium as find_chromium
from tests.canaries import make_canaries

# The payloads compute their marker (6*7) so the marker never appears in the page as text.
SCRIPT = "<script>document.title='owned'+(6*7)</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-'+'owned', 6*7)\">"
LINK = "](javascript:document.title='owned'+(6*7))"
RLO = "invoice\u202eslx.csv"


def _dom(chromium: str, page: Path, profile: Path) -> str:
    proc = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}", "--dump-dom",
         page.as_uri()],
        check=True, capture_output=True, text=True, timeout=120,
    )
    return proc.stdout


def _estate(tmp_path: Path) -> tuple[str, Path, list[str]]:
    kids = make_canaries(20)
    db = tmp_path / "school.db"
    engine = sa.create_engine(f"sqlite:///{db}", poolclass=sa.pool.NullPool)
    meta = sa.MetaData()
    table = sa.Table(SCRIPT, meta, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column(LINK, sa.String(18)), sa.Column(IMG, sa.String(11)))
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": i, LINK: k.resident_id, IMG: k.phone} for i, k in enumerate(kids)])
    engine.dispose()
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / RLO).write_text("xm,sfzh\n" + "".join(f"{k.name},{k.resident_id}\n" for k in kids), encoding="utf-8")
    (folder / "[x](javascript:alert(1)).csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return f"sqlite:///{db}", folder, [v for k in kids for v in k.values()]


def test_markdown_and_html_reports_run_no_script_in_chromium(tmp_path: Path) -> None:
    chromium = find_chromium()
    url, folder, canaries = _estate(tmp_path)
    config = tmp_path / "scan.yaml"
    config.write_text(yaml.safe_dump({"connectors": {"db": {"type": "sql", "url": url},
                                                     "files": {"type": "fs", "path": str(folder)}},
                                      "executor": {"type": "local"}}), encoding="utf-8")
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["scan", "-c", str(config), "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                                   "--as-of", "2026-03-15", "-f", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert res.exit_code == 1, res.output
    names = {a["path"][-1] for a in report["assets"]}
    assert {SCRIPT, RLO} <= names  # the hostile names are really in the report

    markdown = render_markdown(report)
    assert "<script" not in markdown and "<img" not in markdown and "](javascript" not in markdown
    assert "\u202e" not in markdown and "\\\\u202e" in markdown
    rendered = MarkdownIt("commonmark").render(markdown)  # raw HTML passes, as CommonMark says
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered  # text, not elements
    assert "\u202e" not in rendered and "\\u202e" in rendered
    html = render_html(report)
    assert "\u202e" not in html and "\\u202e" in html

    md_page = tmp_path / "report-md.html"
    md_page.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>md</title></head>"
                       f"<body>{rendered}</body></html>", encoding="utf-8")
    html_page = tmp_path / "report.html"
    html_page.write_text(html, encoding="utf-8")
    for page in (md_page, html_page):
        dom = _dom(chromium, page, tmp_path / f"profile-{page.stem}")
        assert "<body" in dom and "owned42" not in dom and 'data-owned="42"' not in dom, page.name
        assert "\u202e" not in dom
    assert "SELECT" not in markdown  # table names, not statements
    text = out.read_text(encoding="utf-8") + markdown + html + res.output
    assert not [v for v in canaries if v in text]
