"""Markdown and CSV exports of the compliance results (same content as the HTML, names and counts only)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def _md(value: Any) -> str:
    # Names come from strangers' stores: keep them from breaking the table or injecting markup.
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def render_compliance_markdown(summary: dict[str, Any]) -> str:
    """The ``compliance`` summary as a Markdown document."""
    s = summary
    cov = s.get("consent", {}).get("coverage")
    lines = [
        "# Children's personal information: compliance report",
        "",
        f"Reference date {_md(s.get('as_of'))} (Asia/Shanghai), scan run `{_md(s.get('run_id'))}`. "
        f"Overall: **{_md(str(s.get('status', 'unknown')).upper())}**.",
        "",
        f"- Children's records (under 14, incl. likely): {s.get('children_records', 0)}",
        f"- Minors 14–17: {s.get('minor_14_17_records', 0)}",
        f"- Assets with children's PI: {s.get('assets_with_children_pi', 0)}",
        f"- Consent coverage: {'n/a' if cov is None else f'{cov * 100:.1f}%'}",
        "",
        "## Checks",
        "",
        "| Check | Pass | Fail | Unknown |",
        "|---|---:|---:|---:|",
    ]
    for name, c in s.get("checks", {}).items():
        lines.append(f"| {_md(name)} | {c.get('pass', 0)} | {c.get('fail', 0)} | {c.get('unknown', 0)} |")
    sections = [
        ("Unencrypted children's PI (Art. 13)", "unencrypted_children_pi",
         ["asset", "children_records", "columns", "at_rest"]),
        ("Public exposure (Art. 15, 18)", "public_exposure", ["asset", "flags"]),
        ("Undeclared PI (Art. 11)", "undeclared_pi", ["asset", "entity_type", "category", "columns"]),
    ]
    for title, key, cols in sections:
        block = s.get(key, {})
        lines += ["", f"## {title}", "", f"{block.get('total', 0)} in total, {block.get('shown', 0)} shown.", ""]
        if block.get("items"):
            lines.append("| " + " | ".join(cols) + " |")
            lines.append("|" + "---|" * len(cols))
            for item in block["items"]:
                cells = [", ".join(map(str, v)) if isinstance(v := item.get(c), list) else v for c in cols]
                lines.append("| " + " | ".join(_md(v) for v in cells) + " |")
    lines += ["", "## Third parties (Art. 16, 17)", "", "| Connector | Organisation | Term end | Children | Status |",
              "|---|---|---|---:|---|"]
    for t in s.get("third_parties", []):
        lines.append(f"| {_md(t['connector'])} | {_md(t['name'])} | {_md(t['term_end'])} | "
                     f"{t['children_records']} | {_md(t['status'])} |")
    return "\n".join(lines) + "\n"


def compliance_csv(report: dict[str, Any]) -> str:
    """One CSV row per asset and check: asset, check, articles, status, evidence (JSON)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["asset", "check", "articles", "status", "evidence"])
    for entry in report.get("assets", []):
        display = f"{entry['connector']}:{'/'.join(entry['path'])}"
        for c in entry.get("checks", []):
            evidence = json.dumps(c.get("evidence", {}), ensure_ascii=False, sort_keys=True)
            # A leading = + - @ would be a formula in a spreadsheet: names come from strangers' stores.
            safe = [v if v[:1] not in ("=", "+", "-", "@") else "'" + v for v in (display, evidence)]
            w.writerow([safe[0], c["check"], " ".join(map(str, c["articles"])), c["status"], safe[1]])
    return buf.getvalue()
