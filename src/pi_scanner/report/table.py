"""Terminal table rendering of the JSON report (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pi_scanner.coverage import gaps, summary_line
from pi_scanner.report.safe_text import show_controls

_STYLE = {"child": "bold red", "likely_child": "red", "minor_14_17": "yellow", "adult": "cyan"}


def render_table(report: dict[str, Any], console: Console) -> None:
    """Print the summary and one line per asset holding PI or errors."""
    s = report["summary"]
    console.print(
        f"as of {report['as_of']}: {s['assets_scanned']} assets scanned, "
        f"[bold]{s['assets_with_children_pi']}[/bold] hold children's PI, "
        f"{s['child_rows']} child rows, {s['minor_14_17_rows']} rows of minors 14–17, "
        f"{s['assets_with_errors']} assets with errors"
        + (f", [red]{len(s['store_errors'])} store error(s)[/red]" if s.get("store_errors") else "")
    )
    if "coverage" in report:
        console.print(summary_line(report["coverage"]), highlight=False)
    not_read = {id(a): why for a, why in gaps(report["assets"])}
    table = Table(show_lines=False)
    for header, justify in (("status", "left"), ("asset", "left"), ("rows", "right"), ("child", "right"),
                            ("14–17", "right"), ("PI columns (? = name only)", "left")):
        table.add_column(header, overflow="fold", justify=justify)  # type: ignore[arg-type]
    shown = [
        a for a in report["assets"]
        if a["columns"] or a["errors"] or a["child_status"] not in ("none", "adult") or id(a) in not_read
    ]
    for a in shown:
        # One column per line: long entity names folded mid-word are unreadable on an 80-column terminal.
        cols = "\n".join(
            f"{escape(show_controls(c['name']))} {'/'.join(c['entity_types'])}"
            f"{' (encrypted)' if c['encrypted'] else ''}{' ?' if c.get('suspected') else ''}"
            for c in a["columns"]
        )
        if a["errors"]:
            cols = (cols + "\n" if cols else "") + f"[red]{len(a['errors'])} error(s)[/red]"
        elif id(a) in not_read:
            cols = (cols + "\n" if cols else "") + f"[yellow]{escape(not_read[id(a)])}[/yellow]"
        status = a["child_status"]
        table.add_row(
            f"[{_STYLE.get(status, '')}]{status}[/]" if status in _STYLE else status,
            # Names come from the stores: never markup, never a bidi override that reorders the line.
            escape(show_controls(f"{a['connector']}:{'/'.join(a['path'])}")),
            str(a["rows_scanned"]),
            str(a["child_rows"]),
            str(a["minor_14_17_rows"]),
            cols,
        )
    if shown:  # an empty grid under a store error reads as "scanned, nothing found"
        console.print(table)
    if s.get("collected_while_child_rows") or s.get("upcoming_age_out_rows"):
        window = next((a["collection"]["age_outs"]["within_days"] for a in report["assets"] if "collection" in a), 30)
        console.print(
            f"collected while a child: {s['collected_while_child_rows']} records "
            f"({s.get('aged_out_since_collection_rows', 0)} of them 14 or older now); "
            f"{s.get('upcoming_age_out_rows', 0)} leave the children's tier in the next {window} days — "
            "`pi-scanner report age-outs` for the re-consent list"
        )
    retention = report.get("retention")
    if retention:
        console.print(
            f"over-retained: {retention['over_retained_records']} records "
            f"({retention['children_over_retained_records']} children's) under {len(retention['policies'])} "
            "policies — `pi-scanner retention report` for details"
        )
    for e in s.get("store_errors", []):
        console.print(f"[red]store error[/red] ({e['stage']}): {escape(e['type'])}: {escape(e['message'])}")
