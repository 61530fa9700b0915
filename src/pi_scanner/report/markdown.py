"""Markdown rendering of the JSON report."""

from __future__ import annotations

from typing import Any

from pi_scanner.coverage import gaps, summary_line
from pi_scanner.report.age_outs import markdown_section
from pi_scanner.report.categories import columns_by_category
from pi_scanner.report.relations import kind_label
from pi_scanner.report.safe_text import markdown_text

_STATUS_ORDER = ("child", "likely_child", "minor_14_17", "adult", "unknown", "none")


def _cell(text: object) -> str:
    # Names come from the stores: never HTML, a link or a table break in the reader's renderer.
    return markdown_text(text)


def render_markdown(report: dict[str, Any]) -> str:
    """Render a report dictionary as Markdown (summary, children's assets, columns, errors)."""
    s = report["summary"]
    lines = [
        "# pi-scanner report",
        "",
        f"- Reference date: **{report['as_of']}** ({report.get('timezone', 'Asia/Shanghai')})",
        f"- Run: `{report['run_id']}` · scanner {report['scanner_version']} · schema {report['schema_version']}",
        f"- Assets scanned: {s['assets_scanned']} · with children's PI: **{s['assets_with_children_pi']}**"
        f" · with errors: {s['assets_with_errors']}",
        f"- Children's records (under 14): **{s['child_rows']}** · likely: {s.get('likely_child_rows', 0)}"
        f" · minors 14–17: {s['minor_14_17_rows']}",
        "",
        "## Assets",
        "",
        "| Status | Asset | Kind | Rows scanned | Child rows | 14–17 rows | PI columns | Errors |",
        "|---|---|---|---:|---:|---:|---|---:|",
    ]
    for a in report["assets"]:
        cols = ", ".join(
            f"{c['name']} ({'/'.join(c['entity_types'])}{', encrypted' if c['encrypted'] else ''}"
            f"{', suspected' if c.get('suspected') else ''})"
            for c in a["columns"]
        )
        lines.append(
            f"| {a['child_status']} | {_cell(a['connector'] + ':' + '/'.join(a['path']))} | {_cell(kind_label(a))} | "
            f"{a['rows_scanned']} | {a['child_rows']} | {a['minor_14_17_rows']} | {_cell(cols) or '—'} | "
            f"{len(a['errors'])} |"
        )
    groups = columns_by_category(report)
    if groups:
        lines += ["", "## PI columns by category", ""]
        for category, title, members in groups:
            in_children = sum(1 for a, _ in members if a["child_status"] in ("child", "likely_child"))
            lines += [f"### {_cell(title)} (`{category}`): {len(members)} columns, {in_children} in children's assets",
                      ""]
            for a, c in members:
                flags = ", ".join(
                    f for f, on in (("sensitive", c.get("sensitive")), ("encrypted", c["encrypted"]),
                                    ("name only", c.get("suspected"))) if on
                )
                where = _cell(a["connector"] + ":" + "/".join(a["path"]) + "." + c["name"])
                lines.append(f"- {where}: {_cell('/'.join(c['entity_types']))} · {a['child_status']}"
                             f"{' · ' + flags if flags else ''}")
            lines.append("")
        lines.pop()
    retained = [(a, o) for a in report["assets"] for o in a.get("over_retained", [])]
    if retained:
        lines += [
            "", "## Over-retained records (Art. 12)", "",
            "| Policy | Asset | Anchor | Cut-off | Expired | Children's | Oldest |",
            "|---|---|---|---|---:|---:|---|",
        ]
        for a, o in retained:
            children = "—" if o.get("children") is None else o["children"]
            where = _cell(a["connector"] + ":" + "/".join(a["path"]))
            lines.append(
                f"| {_cell(o['policy'])} | {where} | {_cell(o['anchor'])} | "
                f"{o['cutoff']} | {o['expired']} | {children} | {o.get('oldest') or '—'} |"
            )
    lines += markdown_section(report)
    if "coverage" in report:
        lines += ["", "## Coverage", "", f"- {_cell(summary_line(report['coverage']))}"]
        for a, why in gaps(report["assets"]):
            lines.append(f"- {_cell(a['connector'] + ':' + '/'.join(a['path']))}: {_cell(why)}")
    errors = [(a, e) for a in report["assets"] for e in a["errors"]]
    if errors or s.get("store_errors"):
        lines += ["", "## Errors", ""]
        for e in s.get("store_errors", []):
            lines.append(f"- store ({e['stage']}): {e['type']}: {_cell(e['message'])}")
        for a, e in errors:
            lines.append(f"- {_cell('/'.join(a['path']))} ({e['stage']}): {e['type']}: {_cell(e['message'])}")
    return "\n".join(lines) + "\n"
