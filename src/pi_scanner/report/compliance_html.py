"""The compliance report as one self-contained HTML file (inline CSS and SVG, no script, no fetch).

Written for a compliance officer: each section opens with a sentence saying what it shows and which
article it evidences, statuses are words and colours, and every list is top-N with its total. It
renders the ``compliance`` summary built by :mod:`pi_scanner.compliance.checks` (names, counts and
HMACs only) plus an optional history (one point per past run) for the trend chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pi_scanner.report.safe_text import html_text as escape

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;margin:2rem auto;max-width:1150px;
color:#1d2430;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem} h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #dde}
.meta{color:#556;font-size:.9rem} .lead{color:#334;margin:.3rem 0 .8rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #dde;border-radius:8px;padding:.8rem 1.1rem;min-width:10rem}
.card b{display:block;font-size:1.7rem} .card.bad b{color:#b3261e} .card.ok b{color:#1b7f3b}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.5rem 0}
th,td{border-bottom:1px solid #e6e8f0;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f6fa} td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.st{border-radius:4px;padding:0 .45rem;font-weight:600;font-size:.8rem;white-space:nowrap}
.st-pass{background:#d7f0de;color:#14632e} .st-fail{background:#fbd9d6;color:#8c1d14}
.st-unknown{background:#eceef3;color:#445}
.charts{display:flex;flex-wrap:wrap;gap:2rem} figure{margin:0} figcaption{font-weight:600;margin-bottom:.3rem}
.more{color:#556;font-style:italic}
"""

_STATUS_WORDS = {"pass": "PASS", "fail": "FAIL", "unknown": "UNKNOWN"}


def _st(status: str) -> str:
    s = status if status in _STATUS_WORDS else "unknown"
    return f"<span class='st st-{s}'>{_STATUS_WORDS[s]}</span>"


def bar_chart(title: str, data: Sequence[tuple[str, float]], color: str = "#b3261e", unit: str = "") -> str:
    """A horizontal bar chart as inline SVG (labels escaped, values printed beside the bars)."""
    if not data:
        return f"<figure><figcaption>{escape(title)}</figcaption><p class='meta'>Nothing to show.</p></figure>"
    top = max(v for _, v in data) or 1
    row_h, label_w, bar_w = 24, 230, 260
    height = row_h * len(data) + 8
    parts = [f"<svg role='img' aria-label='{escape(title)}' width='{label_w + bar_w + 90}' height='{height}'>"]
    for i, (label, value) in enumerate(data):
        y = i * row_h + 4
        w = max(1, int(bar_w * value / top))
        shown = f"{value:g}{unit}"
        parts.append(
            f"<text x='0' y='{y + 15}' font-size='12'>{escape(str(label)[:34])}</text>"
            f"<rect x='{label_w}' y='{y + 3}' width='{w}' height='{row_h - 8}' rx='2' fill='{color}'/>"
            f"<text x='{label_w + w + 6}' y='{y + 15}' font-size='12'>{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return f"<figure><figcaption>{escape(title)}</figcaption>{''.join(parts)}</figure>"


def line_chart(title: str, points: Sequence[tuple[str, float]], series: str, color: str = "#b3261e") -> str:
    """A small line chart as inline SVG: one point per run, x labels are dates."""
    if len(points) < 2:
        only = f" ({escape(points[0][0])}: {points[0][1]:g})" if points else ""
        return (f"<figure><figcaption>{escape(title)}</figcaption>"
                f"<p class='meta'>Needs two or more runs to draw a trend{only}.</p></figure>")
    w, h, pad = 560, 200, 40
    top = max(v for _, v in points) or 1
    step = (w - 2 * pad) / (len(points) - 1)
    coords = [(pad + i * step, h - pad - (h - 2 * pad) * v / top) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    parts = [
        f"<svg role='img' aria-label='{escape(title)}' width='{w}' height='{h}'>",
        f"<line x1='{pad}' y1='{h - pad}' x2='{w - pad}' y2='{h - pad}' stroke='#99a'/>",
        f"<polyline fill='none' stroke='{color}' stroke-width='2' points='{path}'/>",
    ]
    for (x, y), (label, v) in zip(coords, points, strict=True):
        parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='{color}'/>"
                     f"<text x='{x:.1f}' y='{y - 7:.1f}' font-size='11' text-anchor='middle'>{v:g}</text>"
                     f"<text x='{x:.1f}' y='{h - pad + 16}' font-size='10' text-anchor='middle'>{escape(label)}</text>")
    parts.append(f"<text x='{pad}' y='14' font-size='11' fill='#556'>{escape(series)}</text></svg>")
    return f"<figure><figcaption>{escape(title)}</figcaption>{''.join(parts)}</figure>"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    num_cls = " class='n'"
    head = "".join(f"<th{num_cls if i in numeric else ''}>{escape(h)}</th>" for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            if isinstance(v, _Raw):
                cells.append(f"<td>{v.html}</td>")
            else:
                cls = " class='n'" if i in numeric else ""
                cells.append(f"<td{cls}>{escape('' if v is None else str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class _Raw:
    """Already-escaped HTML for a table cell."""

    def __init__(self, html: str) -> None:
        self.html = html


def _more(block: dict[str, Any]) -> str:
    total, shown = block.get("total", 0), block.get("shown", 0)
    return f"<p class='more'>Showing {shown} of {total}.</p>" if total > shown else ""


def render_compliance_html(
    summary: dict[str, Any],
    history: Sequence[dict[str, Any]] = (),
    title: str = "Children's personal information: compliance report",
) -> str:
    """Render the ``compliance`` summary (and an optional run history) as one HTML page.

    Args:
        summary: The ``compliance`` object of a report.
        history: Past runs, oldest first: ``{"as_of", "children_records", "over_retained"?}``.
        title: Page title.
    """
    s = summary
    cons = s.get("consent", {})
    coverage = cons.get("coverage")
    enc, pub, und = s.get("unencrypted_children_pi", {}), s.get("public_exposure", {}), s.get("undeclared_pi", {})
    cards = [
        ("Overall", _STATUS_WORDS.get(s.get("status", "unknown"), "UNKNOWN"), s.get("status") != "pass"),
        ("Children's records (under 14, incl. likely)", s.get("children_records", 0), False),
        ("Minors 14–17", s.get("minor_14_17_records", 0), False),
        ("Assets with children's PI", s.get("assets_with_children_pi", 0), False),
        ("Unencrypted children's PI (assets)", enc.get("total", 0), enc.get("total", 0) > 0),
        ("Publicly exposed (assets)", pub.get("total", 0), pub.get("total", 0) > 0),
        ("Consent coverage", "n/a" if coverage is None else f"{coverage * 100:.1f}%",
         coverage is not None and coverage < 1),
    ]
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class='meta'>Reference date {escape(str(s.get('as_of', '')))} (Asia/Shanghai) · scan run "
        f"{escape(str(s.get('run_id', '')))} · Provisions on the Cyber Protection of Children's Personal "
        "Information (CAC, 2019). No raw personal information appears in this report: only names of "
        "stores and columns, counts and keyed hashes.</p>",
        "<div class='cards'>",
    ]
    for label, value, bad in cards:
        cls = "bad" if bad else "ok" if label in ("Overall",) else ""
        out.append(f"<div class='card {cls}'><b>{escape(str(value))}</b>{escape(label)}</div>")
    out.append("</div>")

    out.append("<h2>Checks at a glance</h2><p class='lead'>How many assets holding children's PI passed, "
               "failed or could not be verified (UNKNOWN means the scanner could not see enough to say; "
               "it is never counted as a pass).</p>")
    rows = [(name, c.get("pass", 0), c.get("fail", 0), c.get("unknown", 0))
            for name, c in s.get("checks", {}).items()]
    out.append(_table(["Check", "Pass", "Fail", "Unknown"], rows, {1, 2, 3}))

    out.append("<h2>Where children's PI is</h2><p class='lead'>Children's records by store and by kind of "
               "information (Art. 2, 3).</p><div class='charts'>")
    out.append(bar_chart("Children's records by store", list(s.get("children_by_store", {}).items())[:15]))
    out.append(bar_chart("Children's records by category", list(s.get("children_by_category", {}).items())[:15],
                         "#5b4bb7"))
    out.append("</div>")

    out.append("<h2>Unencrypted children's PI (Art. 13)</h2><p class='lead'>Assets where children's PI is "
               "stored in plaintext and the store does not encrypt it at rest (or cannot show that it does), "
               "most children first.</p>")
    out.append(_table(
        ["Asset", "Children's records", "Plaintext columns", "Types", "At-rest encryption"],
        [(e["asset"], e["children_records"], ", ".join(e["columns"]), ", ".join(e["entity_types"]), e["at_rest"])
         for e in enc.get("items", [])],
        {1},
    ) + _more(enc))

    out.append("<h2>Public exposure and access (Art. 15, 18)</h2><p class='lead'>Assets anyone can read "
               "(PUBLIC grants, anonymous accounts, wildcard grants, public buckets).</p>")
    out.append(_table(["Asset", "Why"], [(p["asset"], ", ".join(p["flags"])) for p in pub.get("items", [])])
               + _more(pub))
    dbs = s.get("databases", {})
    if dbs:
        out.append(_table(
            ["Database", "Connection TLS", "Audit logging", "Superusers"],
            [(n, _yn(d["encryption"].get("connection_tls")), _yn(d.get("audit_logging")),
              ", ".join(d.get("superusers", []))) for n, d in dbs.items()],
        ))

    out.append("<h2>Guardian consent (Art. 9, 10, 14)</h2><p class='lead'>Children's records joined to the "
               "consent store. Subjects are listed as keyed hashes for the deletion workflow.</p>")
    ctables = cons.get("tables", [])
    if ctables:
        out.append("<div class='charts'>")
        out.append(bar_chart("Consent coverage per table", [(t["child_table"], round((t["coverage"] or 0) * 100, 1))
                                                             for t in ctables], "#1b7f3b", "%"))
        outcomes: dict[str, int] = {}
        for t in ctables:
            for k, v in t["outcomes"].items():
                outcomes[k] = outcomes.get(k, 0) + v
        out.append(bar_chart("Children's records by consent outcome", list(outcomes.items()), "#e07a1f"))
        out.append("</div>")
        out.append(_table(
            ["Child table", "Children", "Valid", "No consent", "Withdrawn, data kept", "By a minor", "Old policy"],
            [(t["child_table"], t["children"], t["outcomes"]["valid"], t["outcomes"]["no_consent"],
              t["outcomes"]["withdrawn_with_data"], t["outcomes"]["consent_by_minor"],
              t["outcomes"]["outdated_policy"]) for t in ctables],
            {1, 2, 3, 4, 5, 6},
        ))
    else:
        out.append("<p class='meta'>No consent source is configured (compliance.consent).</p>")

    out.append("<h2>Undeclared PI (Art. 11)</h2><p class='lead'>Information found that the declared purpose "
               "of the asset does not list.</p>")
    out.append(_table(["Asset", "Type", "Category", "Columns", "Sensitive"],
                      [(u["asset"], u["entity_type"], u["category"], ", ".join(u["columns"]),
                        "yes" if u["sensitive"] else "") for u in und.get("items", [])]) + _more(und))

    out.append("<h2>Entrusted processors and recipients (Art. 16, 17)</h2>")
    out.append(_table(
        ["Connector", "Organisation", "Role", "Agreement", "Term end", "Children's records", "Status"],
        [(t["connector"], t["name"], t["role"], t["agreement_ref"], t["term_end"], t["children_records"],
          _Raw(_st(t["status"]))) for t in s.get("third_parties", [])],
        {5},
    ))

    out.append("<h2>Trend</h2><p class='lead'>Children's records found per scan, and records kept past their "
               "retention period where the retention planner recorded them (Art. 12).</p><div class='charts'>")
    out.append(line_chart("Children's records per scan",
                          [(h["as_of"], h.get("children_records", 0)) for h in history], "children's records"))
    over = [(h["as_of"], h["over_retained"]) for h in history if h.get("over_retained") is not None]
    out.append(line_chart("Over-retained records", over, "records past retention", "#5b4bb7"))
    out.append("</div>")
    errs = s.get("store_errors", [])
    if errs:
        out.append("<h2>Stores that could not be checked</h2>")
        out.append(_table(["Connector", "Error", "Message"], [(e["connector"], e["type"], e["message"]) for e in errs]))
    out.append("</body></html>")
    return "\n".join(out)


def _yn(value: Any) -> str:
    return {True: "yes", False: "no"}.get(value, "unknown")
