"""Collection-time age in reports, and the re-consent work list of ``pi-scanner report age-outs``.

Per asset: how many records were collected while their subject was a child, how many of those subjects
are 14 or older now, and how many records leave the children's tier soon (PIPL art. 31: from 14 the
minor's own consent applies) with the earliest such day. Counts, column names and days only; never a
date of birth, a name or a key value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from pi_scanner.models import CollectionAges, ScanRun
from pi_scanner.report.safe_text import html_text, markdown_text

#: Default window of upcoming age-outs in reports.
DEFAULT_WINDOW_DAYS = 30


def collection_entry(c: CollectionAges, window_days: int = DEFAULT_WINDOW_DAYS) -> dict[str, Any]:
    """The report's ``collection`` object of one asset (schema 1.4)."""
    upcoming = [(d, n) for d, n in c.age_outs if _in_window(d, c.as_of, window_days)]
    return {
        "source": c.source,
        "column": c.column,
        "estimated": not c.exact,
        "records": c.records,
        "collected_while_child": c.collected_while_child,
        "collected_not_child": c.collected_not_child,
        "collection_unknown": c.collection_unknown,
        "collection_conflicts": c.collection_conflicts,
        "child_now": c.child_now,
        "aged_out_since_collection": c.aged_out_since_collection,
        "age_outs": {
            "within_days": window_days,
            "records": sum(n for _, n in upcoming),
            "next": upcoming[0][0] if upcoming else None,
        },
        "turning_18_within_days": c.adults_within(window_days),
        "next_age_out": c.next_age_out,
    }


def _in_window(day: str, start: dt.date | None, days: int) -> bool:
    if start is None:
        return False
    return start.isoformat() < day <= (start + dt.timedelta(days=days)).isoformat()


def summary_fields(assets: list[dict[str, Any]]) -> dict[str, int]:
    """Report-wide sums of the assets' ``collection`` objects."""
    found = [a["collection"] for a in assets if "collection" in a]
    return {
        "collected_while_child_rows": sum(c["collected_while_child"] for c in found),
        "aged_out_since_collection_rows": sum(c["aged_out_since_collection"] for c in found),
        "upcoming_age_out_rows": sum(c["age_outs"]["records"] for c in found),
    }


def _where(a: dict[str, Any]) -> str:
    return str(a["connector"]) + ":" + "/".join(a["path"])


def _collected(c: dict[str, Any]) -> str:
    if c["source"] == "none":
        return "unknown (no created/enrolment date column)"
    how = "column" if c["source"] == "column" else "retention anchor"
    return f"{how} {c['column']}"


def markdown_section(report: dict[str, Any]) -> list[str]:
    """The Markdown section on collection-time age (empty when no asset has a date of birth)."""
    rows = [a for a in report["assets"] if "collection" in a]
    if not rows:
        return []
    window = rows[0]["collection"]["age_outs"]["within_days"]
    lines = [
        "", "## Collection-time age (spec §B4/B5, PIPL art. 31)", "",
        f"Records collected while their subject was under 14 stay children's PI after the subject ages out; "
        f"age-outs are records leaving the children's tier in the next {window} days (re-consent work).",
        "",
        "| Asset | Collection date | Records | Collected as child | Aged out since | Child now | "
        f"Age-outs ({window} d) | Next age-out | Basis |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for a in rows:
        c = a["collection"]
        lines.append(
            f"| {markdown_text(_where(a))} | {markdown_text(_collected(c))} | {c['records']} | "
            f"{c['collected_while_child']} | {c['aged_out_since_collection']} | {c['child_now']} | "
            f"{c['age_outs']['records']} | {c['age_outs']['next'] or '—'} | "
            f"{'sample (estimated)' if c['estimated'] else 'every row'} |"
        )
    return lines


def html_section(report: dict[str, Any]) -> str:
    """The HTML section on collection-time age (empty when no asset has a date of birth)."""
    rows = [a for a in report["assets"] if "collection" in a]
    if not rows:
        return ""
    window = rows[0]["collection"]["age_outs"]["within_days"]
    out = [
        "<h2>Collection-time age</h2>",
        "<p class='meta'>Records collected while their subject was under 14 stay children's PI after the "
        f"subject ages out (spec §B4/B5). Age-outs: records leaving the children's tier in the next {window} "
        "days, when the minor's own consent is needed (PIPL art. 31).</p>",
        "<table><thead><tr><th>Asset</th><th>Collection date</th><th>Records</th><th>Collected as child</th>"
        f"<th>Aged out since</th><th>Child now</th><th>Age-outs ({window} d)</th><th>Next age-out</th>"
        "<th>Basis</th></tr></thead><tbody>",
    ]
    for a in rows:
        c = a["collection"]
        out.append(
            f"<tr><td>{html_text(_where(a))}</td><td>{html_text(_collected(c))}</td>"
            f"<td class='n'>{c['records']}</td><td class='n'>{c['collected_while_child']}</td>"
            f"<td class='n'>{c['aged_out_since_collection']}</td><td class='n'>{c['child_now']}</td>"
            f"<td class='n'>{c['age_outs']['records']}</td><td>{html_text(c['age_outs']['next'] or '—')}</td>"
            f"<td>{'sample (estimated)' if c['estimated'] else 'every row'}</td></tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


# -- pi-scanner report age-outs ------------------------------------------------------------------------


def age_out_rows(run: ScanRun, within_days: int, start: dt.date | None = None) -> list[dict[str, Any]]:
    """Per asset of a run: records leaving the children's tier (and turning 18) in the window.

    Args:
        run: A run read from the catalog.
        within_days: Length of the window in days.
        start: The day the window starts after (default the run's reference date).

    Returns:
        One row per asset with a date of birth, most age-outs first: counts, the earliest day, whether the
        counts are an estimate from a sample and whether the run's kept dates cover the whole window.
    """
    rows: list[dict[str, Any]] = []
    for result in run.results:
        c = result.collection
        if c is None:
            continue
        begin = start or c.as_of or run.as_of
        upcoming = [d for d, n in c.age_outs if n and _in_window(d, begin, within_days)]
        rows.append({
            "connector": result.asset.connector,
            "kind": result.asset.kind.value,
            "asset": "/".join(result.asset.path),
            "records": c.records,
            "child_now": c.child_now,
            "age_outs": c.age_outs_within(within_days, begin),
            "next_age_out": upcoming[0] if upcoming else None,
            "turning_18": c.adults_within(within_days, begin),
            "collected_while_child": c.collected_while_child,
            "aged_out_since_collection": c.aged_out_since_collection,
            "collection": _collected({"source": c.source, "column": c.column}),
            "estimated": not c.exact,
            "window_covered": c.covers(within_days, begin),
        })
    rows.sort(key=lambda r: (-int(r["age_outs"]), str(r["next_age_out"] or "9999"), r["connector"], r["asset"]))
    return rows


def render_age_outs(run: ScanRun, rows: list[dict[str, Any]], within_days: int, start: dt.date, fmt: str) -> str:
    """``report age-outs`` as ``json``, ``csv`` or a plain ``table`` (counts, days and names only)."""
    if fmt == "json":
        doc = {
            "run_id": run.run_id,
            "as_of": run.as_of.isoformat(),
            "window": {"after": start.isoformat(), "days": within_days,
                       "until": (start + dt.timedelta(days=within_days)).isoformat()},
            "age_outs": sum(r["age_outs"] for r in rows),
            "assets": rows,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    fields = ["connector", "kind", "asset", "age_outs", "next_age_out", "turning_18", "child_now", "records",
              "collected_while_child", "aged_out_since_collection", "collection", "estimated", "window_covered"]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for r in rows:
            # A spreadsheet must not run a name from a store as a formula.
            writer.writerow({k: _csv_safe(v) for k, v in r.items()})
        return buf.getvalue()
    until = start + dt.timedelta(days=within_days)
    lines = [
        f"Re-consent work (PIPL art. 31): records leaving the children's tier after {start} through {until} "
        f"(run {run.run_id}, reference date {run.as_of})",
        "",
        f"{'AGE-OUTS':>8}  {'NEXT':<10}  {'TURN 18':>7}  {'CHILD NOW':>9}  BASIS     ASSET",
    ]
    for r in rows:
        basis = "estimate" if r["estimated"] else "exact"
        if not r["window_covered"]:
            basis += "*"
        lines.append(
            f"{r['age_outs']:>8}  {r['next_age_out'] or '-':<10}  {r['turning_18']:>7}  {r['child_now']:>9}  "
            f"{basis:<8}  {_printable(r['connector'] + ':' + r['asset'])}"
        )
    total = sum(r["age_outs"] for r in rows)
    lines += ["", f"{total} record(s) age out in the window across {sum(1 for r in rows if r['age_outs'])} asset(s)."]
    if any(not r["window_covered"] for r in rows):
        lines.append("* the scan kept age-out days for a shorter window: counts past it are missing; scan again.")
    if any(r["estimated"] for r in rows):
        lines.append("estimate: counted on a sample, not every row (enable scan.census for exact counts).")
    return "\n".join(lines) + "\n"


def _csv_safe(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)

