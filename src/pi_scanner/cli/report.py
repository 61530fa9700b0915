"""``pi-scanner report``: a recorded run rendered from the catalog, and the annual audit pack."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from pi_scanner.cli.compliance import annual_command
from pi_scanner.cli.options import EXIT_RUNTIME, EXIT_USAGE, CatalogOpt, OptionalConfigOpt, OutputFormat, fail
from pi_scanner.config import Settings, load_settings
from pi_scanner.errors import ConfigError, PiScannerError, UsageError

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
    from pi_scanner.catalog.store import Catalog
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
        finally:
            cat.close()
    except (ConfigError, UsageError) as exc:
        raise fail(exc, EXIT_USAGE) from None
    except PiScannerError as exc:
        raise fail(exc, EXIT_RUNTIME) from None
    render(build_report(run), fmt, output)
