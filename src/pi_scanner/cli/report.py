"""``pi-scanner report``: a recorded run rendered from the catalog, and the annual audit pack."""

from __future__ import annotations

import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from pi_scanner.as_of import parse_as_of
from pi_scanner.classify.collection_time import HORIZON_DAYS
from pi_scanner.cli.compliance import annual_command
from pi_scanner.cli.options import (
    EXIT_RUNTIME,
    EXIT_USAGE,
    AsOfOpt,
    CatalogOpt,
    OptionalConfigOpt,
    OutputFormat,
    err_console,
    fail,
)
from pi_scanner.cli.state_dir import CATALOG_FILE, state_dir
from pi_scanner.config import Settings, load_settings
from pi_scanner.errors import ConfigError, PiScannerError, UsageError
from pi_scanner.models import ScanRun

report_app = typer.Typer(help="Reports from the catalog: a recorded run (default) or the annual audit pack.")
report_app.command("annual")(annual_command)


def render(report: dict[str, Any], fmt: OutputFormat, output: Path | None) -> None:
    """Write or print a report in the chosen format (the formats of :mod:`pi_scanner.report.formats`)."""
    from pi_scanner.report.formats import TEXT_FORMATS
    from pi_scanner.report.table import render_table

    if fmt is OutputFormat.table:
        if output:
            with output.open("w", encoding="utf-8") as fh:
                render_table(report, Console(file=fh, width=160, color_system=None))
        else:
            render_table(report, Console())
        return
    text = TEXT_FORMATS[fmt.value].render(report)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@report_app.callback(invoke_without_command=True)
def report_command(
    ctx: typer.Context,
    config: OptionalConfigOpt = None,
    catalog: CatalogOpt = None,
    run_id: Annotated[str | None, typer.Option("--run-id", help="Run to render (default: the latest).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.json,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Render the report of a recorded run from the catalog."""
    if ctx.invoked_subcommand is not None:
        return
    from pi_scanner.catalog.store import FINISHED_STATUSES, Catalog
    from pi_scanner.report.json_report import build_report

    try:
        settings = load_settings(config) if config else Settings()
        cat = Catalog(catalog) if catalog else Catalog.from_config(settings.catalog)
        try:
            cat.migrate()
            rid = run_id or cat.latest_run_id()
            if rid is None:
                raise UsageError("the catalog holds no scan run yet")
            run = cat.load_run(rid)
            status = cat.run_status(rid) or "unknown"
        finally:
            cat.close()
    except (ConfigError, UsageError) as exc:
        raise fail(exc, EXIT_USAGE) from None
    except PiScannerError as exc:
        raise fail(exc, EXIT_RUNTIME) from None
    render(build_report(run, age_out_days=settings.classifier.age_out_window_days, run_status=status), fmt, output)
    if status not in FINISHED_STATUSES:
        # A run that crashed or is still going holds only the assets it reached: the others were never
        # read, and a report of the rest must not pass for the whole estate.
        err_console.print(f"warning: run {rid} is {status}: assets it did not reach are missing from this report "
                          "(not scanned, not clean)")
        raise typer.Exit(EXIT_RUNTIME)


class AgeOutFormat(StrEnum):
    """Formats of ``report age-outs``."""

    table = "table"
    json = "json"
    csv = "csv"


_WITHIN = re.compile(r"^\s*(\d{1,4})\s*([dw]?)\s*$", re.IGNORECASE)
#: Runs looked at, newest first, to find the latest word on every connector.
_RUNS_LOOKED_AT = 50


def _within_days(text: str) -> int:
    m = _WITHIN.match(text)
    if m is None:
        raise UsageError(f"--within must be days or weeks such as 30d, 4w or 30, got {text!r}")
    days = int(m.group(1)) * (7 if m.group(2).lower() == "w" else 1)
    if not 1 <= days <= HORIZON_DAYS:
        raise UsageError(f"--within must be 1 to {HORIZON_DAYS} days (age-out days are kept for a year)")
    return days


def _latest_word(cat: Any, run_id: str | None) -> tuple[ScanRun, list[str]]:
    """The run to list (``--run-id``), or the latest finished run per connector merged into one."""
    from pi_scanner.catalog.store import CatalogError

    if run_id is not None:
        try:
            return cat.load_run(run_id), [run_id]
        except CatalogError as exc:
            raise UsageError(str(exc)) from None
    summaries = [s for s in cat.list_runs(limit=_RUNS_LOOKED_AT) if s.status in ("ok", "partial")]
    if not summaries:
        if cat.latest_run_id() is None:
            raise UsageError("the catalog holds no scan run yet: run `pi-scanner scan` first (age-outs unknown)")
        raise UsageError("the catalog holds no finished scan run (every run failed or is running): age-outs unknown")
    merged: ScanRun | None = None
    used: list[str] = []
    covered: set[str] = set()
    for summary in summaries:
        fresh = set(summary.connectors) - covered
        if not fresh:
            continue
        run = cat.load_run(summary.run_id)
        if merged is None:
            merged = run
            merged.results = [r for r in run.results if r.asset.connector in fresh]
        else:
            merged.results.extend(r for r in run.results if r.asset.connector in fresh)
        used.append(summary.run_id)
        covered |= fresh
    assert merged is not None
    return merged, used


@report_app.command("age-outs")
def age_outs_command(
    config: OptionalConfigOpt = None,
    catalog: CatalogOpt = None,
    within: Annotated[str, typer.Option("--within", help="Window after the reference date: 30d, 4w or days.")] = "30d",
    as_of: AsOfOpt = None,
    run_id: Annotated[str | None, typer.Option("--run-id", help="Only this run (default: latest per store).")] = None,
    fmt: Annotated[AgeOutFormat, typer.Option("--format", "-f")] = AgeOutFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Re-consent work (PIPL art. 31): per asset, records whose subject turns 14 in the window, and the first day.

    Reads the catalog only: counts, days and asset names, never a date of birth or a name. A catalog with
    no finished scan is an error (exit 2), not an empty list.
    """
    from pi_scanner.catalog.store import Catalog
    from pi_scanner.report.age_outs import age_out_rows, render_age_outs

    try:
        days = _within_days(within)
        start = parse_as_of(as_of)
        if catalog is None and config is None:
            # Ad-hoc scans keep their catalog in the state directory: read it there, never create one.
            adhoc = state_dir() / CATALOG_FILE
            if not adhoc.is_file():
                raise UsageError(f"no catalog at {adhoc}: no scan has run yet (pass --config or --catalog)")
            catalog = f"sqlite:///{adhoc}"
        settings = load_settings(config) if config else Settings()
        cat = Catalog(catalog) if catalog else Catalog.from_config(settings.catalog)
        try:
            cat.migrate()
            run, used = _latest_word(cat, run_id)
        finally:
            cat.close()
    except (ConfigError, UsageError) as exc:
        raise fail(exc, EXIT_USAGE) from None
    except PiScannerError as exc:
        raise fail(exc, EXIT_RUNTIME) from None
    rows = age_out_rows(run, days, start)
    if not rows:
        # No asset of those runs had a date of birth (or they were recorded before collection-time ages
        # existed): the age-outs are unknown, not zero.
        err_console.print(
            f"no asset of run(s) {', '.join(used)} recorded dates of birth: age-outs are unknown, not zero "
            "(scan the stores again with this version)", highlight=False, markup=False, soft_wrap=True,
        )
    text = render_age_outs(run, rows, days, start, fmt.value)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
