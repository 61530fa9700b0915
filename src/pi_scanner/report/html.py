"""Self-contained HTML rendering of the JSON report (one file, inline CSS and SVG charts, no scripts)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from pi_scanner.coverage import gaps, summary_line
from pi_scanner.report.age_outs import html_section as collection_section
from pi_scanner.report.categories import column_category, columns_by_category
from pi_scanner.report.data_map import map_section
from pi_scanner.report.relations import kind_label
from pi_scanner.report.safe_text import html_text as escape

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2rem;color:#1d2430}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde}
.meta{color:#556;font-size:.9rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #dde;border-radius:8px;padding:.8rem 1.1rem;min-width:9rem}
.card b{display:block;font-size:1.6rem}
.card.alert b{color:#b3261e}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{border-bottom:1px solid #eef;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f6fa}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.s-child{color:#fff;background:#b3261e;border-radius:4px;padding:0 .4rem}
.s-likely_child{color:#fff;background:#e07a1f;border-radius:4px;padding:0 .4rem}
.s-minor_14_17{background:#f3d36b;border-radius:4px;padding:0 .4rem}
.map{overflow:auto;max-height:60rem;border:1px solid #dde;border-radius:8px;padding:.5rem}
.enc{color:#1b7f3b} .plain{color:#b3261e} .susp{color:#777;font-style:italic}
"""


def _bar_chart(title: str, data: list[tuple[str, int]], color: str = "#b3261e") -> str:
    """A horizontal bar chart as inline SVG."""
    if not data:
        return f"<p class='meta'>{escape(title)}: nothing to show.</p>"
    top = max(v for _, v in data) or 1
    row_h, label_w, bar_w = 22, 260, 360
    height = row_h * len(data) + 10
    parts = [
        f"<svg role='img' aria-label='{escape(title)}' width='{label_w + bar_w + 80}' height='{height}'>"
    ]
    for i, (label, value) in enumerate(data):
        y = i * row_h + 5
        w = max(1, int(bar_w * value / top))
        parts.append(
            f"<text x='0' y='{y + 15}' font-size='12'>{escape(label[:40])}</text>"
            f"<rect x='{label_w}' y='{y + 3}' width='{w}' height='{row_h - 8}' fill='{color}'/>"
            f"<text x='{label_w + w + 6}' y='{y + 15}' font-size='12'>{value}</text>"
        )
    parts.append("</svg>")
    return f"<figure><figcaption>{escape(title)}</figcaption>{''.join(parts)}</figure>"


def _category_sections(report: dict[str, Any]) -> list[str]:
    """One table per PI category (§A9) listing its columns."""
    groups = columns_by_category(report)
    if not groups:
        return []
    out = ["<h2>PI columns by category</h2>"]
    for category, title, members in groups:
        out.append(f"<h3 id='cat-{escape(category)}'>{escape(title)} <small>({len(members)} columns)</small></h3>")
        out.append("<table><thead><tr><th>Asset</th><th>Column</th><th>Entity types</th><th>Status</th>"
                   "<th>Sensitive</th><th>Confidence</th></tr></thead><tbody>")
        for a, c in members:
            tag = " (encrypted)" if c["encrypted"] else (" (name only)" if c.get("suspected") else "")
            out.append(
                f"<tr><td>{escape(a['connector'])}:{escape('/'.join(a['path']))}</td><td>{escape(c['name'])}</td>"
                f"<td>{escape('/'.join(c['entity_types']))}{tag}</td><td>{escape(a['child_status'])}</td>"
                f"<td>{'yes' if c.get('sensitive') else 'no'}</td><td class='n'>{c['confidence']}</td></tr>"
            )
        out.append("</tbody></table>")
    return out


def render_html(report: dict[str, Any], top_n: int = 200) -> str:
    """Render a report as one self-contained HTML page a compliance officer can read without help.

    Args:
        report: The JSON report dictionary.
        top_n: Assets listed at most (the totals always cover all of them).
    """
    s = report["summary"]
    assets = report["assets"]
    by_store: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for a in assets:
        by_store[a["connector"]] += a["child_rows"]
        if a["child_status"] in ("child", "likely_child"):
            for cat in {column_category(c) for c in a["columns"]}:
                by_category[cat] += 1
    cards = [
        ("Assets scanned", s["assets_scanned"], False),
        ("Assets with children's PI", s["assets_with_children_pi"], s["assets_with_children_pi"] > 0),
        ("Children's records (<14)", s["child_rows"], s["child_rows"] > 0),
        ("Minors 14–17", s["minor_14_17_rows"], False),
        ("Unencrypted children's PI columns", s.get("unencrypted_children_columns", 0),
         s.get("unencrypted_children_columns", 0) > 0),
        ("Assets with errors", s["assets_with_errors"], s["assets_with_errors"] > 0),
    ]
    retention = report.get("retention")
    if retention:
        over = retention["children_over_retained_records"]
        cards.append(("Children's records kept too long (Art. 12)", over, over > 0))
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>pi-scanner report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Children's personal information: scan report</h1>",
        f"<p class='meta'>Reference date {escape(report['as_of'])} ({escape(report.get('timezone', ''))}) · "
        f"run {escape(report['run_id'])} · scanner {escape(report['scanner_version'])} · "
        f"finished {escape(str(report.get('finished_at') or ''))}</p>",
        "<div class='cards'>",
    ]
    for label, value, alert in cards:
        out.append(f"<div class='card{' alert' if alert else ''}'><b>{value}</b>{escape(label)}</div>")
    out.append("</div>")
    out.append(_bar_chart("Children's records by store", by_store.most_common(12)))
    out.append(_bar_chart("Children's assets by PI category", by_category.most_common(13), "#33658a"))
    if report.get("links") is not None:
        out.append(map_section(report))  # the data map (links between tables), when the run built one
    out.append("<h2>Assets</h2><table><thead><tr><th>Status</th><th>Asset</th><th>Kind</th>"
               "<th>Rows scanned</th><th>Children</th><th>14–17</th><th>Columns</th><th>Errors</th>"
               "</tr></thead><tbody>")
    for a in assets[:top_n]:
        cols = []
        for c in a["columns"]:
            cls = "susp" if c.get("suspected") else ("enc" if c["encrypted"] else "plain")
            tag = " (encrypted)" if c["encrypted"] else (" (name only)" if c.get("suspected") else "")
            art = ", ".join(f"Art. {n}" for n in c["articles"])
            cols.append(
                f"<span class='{cls}'>{escape(c['name'])}: {escape('/'.join(c['entity_types']))}{tag}</span>"
                f" <small>{escape(art)}</small>"
            )
        status = escape(a["child_status"])
        out.append(
            f"<tr><td><span class='s-{status}'>{status}</span></td>"
            f"<td>{escape(a['connector'])}:{escape('/'.join(a['path']))}</td><td>{escape(kind_label(a))}</td>"
            f"<td class='n'>{a['rows_scanned']}</td><td class='n'>{a['child_rows']}</td>"
            f"<td class='n'>{a['minor_14_17_rows']}</td><td>{'<br>'.join(cols) or '—'}</td>"
            f"<td>{'<br>'.join(escape(e['type'] + ': ' + e['message']) for e in a['errors'])}</td></tr>"
        )
    out.append("</tbody></table>")
    out.extend(_category_sections(report))
    retained = [(a, o) for a in assets for o in a.get("over_retained", [])]
    if retained:
        out.append("<h2>Over-retained records (Art. 12)</h2><table><thead><tr><th>Policy</th><th>Asset</th>"
                   "<th>Anchor</th><th>Cut-off</th><th>Expired</th><th>Children's</th><th>Oldest</th></tr></thead><tbody>")
        for a, o in retained:
            children = "—" if o.get("children") is None else str(o["children"])
            out.append(
                f"<tr><td>{escape(o['policy'])}</td><td>{escape(a['connector'])}:{escape('/'.join(a['path']))}</td>"
                f"<td>{escape(o['anchor'])}</td><td>{escape(o['cutoff'])}</td><td class='n'>{o['expired']}</td>"
                f"<td class='n'>{children}</td><td>{escape(str(o.get('oldest') or '—'))}</td></tr>"
            )
        out.append("</tbody></table>")
    if section := collection_section(report):
        out.append(section)
    if len(assets) > top_n:
        out.append(f"<p class='meta'>{len(assets) - top_n} more assets not listed; totals above include them.</p>")
    if "coverage" in report:
        out.append(f"<h2>Coverage</h2><p>{escape(summary_line(report['coverage']))}</p>")
        missing = gaps(assets)
        if missing:
            out.append("<table><thead><tr><th>Asset</th><th>What was not read, and why</th></tr></thead><tbody>")
            for a, why in missing:
                out.append(f"<tr><td>{escape(a['connector'])}:{escape('/'.join(a['path']))}</td>"
                           f"<td>{escape(why)}</td></tr>")
            out.append("</tbody></table>")
    if s.get("store_errors"):
        out.append("<h2>Stores that could not be scanned</h2><ul>")
        for e in s["store_errors"]:
            out.append(f"<li>{escape(e['stage'])}: {escape(e['type'])}: {escape(e['message'])}</li>")
        out.append("</ul>")
    out.append("<p class='meta'>This report holds names, counts and masked values only; no raw personal "
               "information.</p></body></html>")
    return "\n".join(out)
