"""``pi-scanner scan`` and ``pi-scanner demo``: scan stores and report where children's PI is.

Exit codes: 0 no children's PI found, 1 children's PI found (tunable with ``--fail-on``), 2 usage or
configuration error, 3 a store or an asset failed with an error (even when PI was found elsewhere), or the
scanner itself failed. A configured limit that was hit is coverage (reported), not an error; a crash is
never 1.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from contextlib import nullcontext
from enum import StrEnum
from importlib.resources import as_file, files
from pathlib import Path
from typing import Annotated, Any

import typer

from pi_scanner.as_of import parse_as_of
from pi_scanner.cli.options import (
    EXIT_FOUND,
    EXIT_OK,
    EXIT_RUNTIME,
    EXIT_USAGE,
    OutputFormat,
    err_console,
    fail,
)
from pi_scanner.cli.report import render
from pi_scanner.cli.targets import settings_from_targets
from pi_scanner.config import Settings, load_settings
from pi_scanner.errors import ConfigError, MissingDependencyError, PiScannerError, UsageError

log = logging.getLogger("pi_scanner")


class FailOn(StrEnum):
    """Which finding makes ``scan`` exit 1."""

    child = "child"
    likely_child = "likely_child"
    minor = "minor"
    any_pi = "any_pi"
    never = "never"


_FAIL_STATUSES = {
    FailOn.child: {"child"},
    FailOn.likely_child: {"child", "likely_child"},
    FailOn.minor: {"child", "likely_child", "minor_14_17"},
}


def _exit_code_for(report: dict[str, Any], fail_on: FailOn) -> int:
    summary = report["summary"]
    if summary.get("failed_connectors") or summary.get("store_errors") or summary.get("assets_with_errors"):
        return EXIT_RUNTIME  # an error anywhere outranks what was found: the answer is incomplete
    if (report.get("coverage") or {}).get("assets_faulty"):
        return EXIT_RUNTIME  # a file not readable or damaged: incomplete too, though recorded as coverage
    if fail_on is FailOn.never:
        return EXIT_OK
    if fail_on is FailOn.any_pi:
        found = any(not c.get("suspected") for a in report["assets"] for c in a["columns"])
        return EXIT_FOUND if found else EXIT_OK
    statuses = _FAIL_STATUSES[fail_on]
    return EXIT_FOUND if any(a["child_status"] in statuses for a in report["assets"]) else EXIT_OK


def execute_scan(
    settings: Settings,
    *,
    as_of: dt.date,
    connectors: list[str] | None,
    show_examples: bool,
    catalog_url: str | None,
    trigger: str = "on-demand",
    executor: str | None = None,
    dask_address: str | None = None,
    incremental: bool | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Run a scan recorded in the catalog (its reads in the audit ledger) and return its JSON report."""
    from pi_scanner.catalog.store import Catalog
    from pi_scanner.report.json_report import build_report
    from pi_scanner.scanner import run_scan

    cat_cfg = settings.catalog
    catalog = Catalog(catalog_url) if catalog_url else Catalog.from_config(cat_cfg)
    try:
        catalog.migrate()
        bar = _ProgressBar() if sys.stderr.isatty() else None
        with bar or nullcontext():
            outcome = run_scan(
                settings,
                as_of=as_of,
                catalog=catalog,
                connector_names=connectors,
                show_examples=show_examples,
                trigger=trigger,
                progress=bar,
                executor=executor,
                dask_address=dask_address,
                incremental=incremental,
            )
        _record_reads(settings, catalog, catalog_url, outcome, trigger, reason)
        report = build_report(
            outcome.run, outcome.infos, show_examples=show_examples, failed_connectors=outcome.failed_connectors,
            age_out_days=settings.classifier.age_out_window_days,
        )
        if settings.retention:
            _attach_retention(report, settings, catalog, catalog_url, as_of)
    finally:
        catalog.close()
    return report


def _attach_retention(
    report: dict[str, Any], settings: Settings, catalog: Any, catalog_url: str | None, as_of: dt.date
) -> None:
    """Art. 12: over-retained records per policy and asset, as part of the scan's report."""
    from dataclasses import asdict

    from pi_scanner.keys import load_hmac_key
    from pi_scanner.report.json_report import attach_over_retained
    from pi_scanner.retention.history import record_over_retention
    from pi_scanner.retention.planner import over_retained_report

    cat_cfg = settings.catalog.model_copy(update={"url": catalog_url}) if catalog_url else settings.catalog
    findings, errors = over_retained_report(settings, catalog, as_of, load_hmac_key(cat_cfg))
    rows = [asdict(f) for f in findings]
    attach_over_retained(report, rows, errors)
    # Kept per run so the compliance report can draw over-retention over time.
    record_over_retention(catalog, report["run_id"], as_of, rows)


def _record_reads(
    settings: Settings, catalog: Any, catalog_url: str | None, outcome: Any, trigger: str, reason: str | None
) -> None:
    """Art. 15: record in the audit ledger which assets this scan read, as whom and why."""
    from pi_scanner.keys import load_hmac_key
    from pi_scanner.read_audit import ReadReason, record_scan_reads
    from pi_scanner.retention.ledger import Ledger

    cat_cfg = settings.catalog.model_copy(update={"url": catalog_url}) if catalog_url else settings.catalog
    try:
        key = load_hmac_key(cat_cfg)
    except ConfigError as exc:
        err_console.print(f"[yellow]warning:[/yellow] reads not recorded in the audit ledger: {exc}", highlight=False)
        return
    record_scan_reads(Ledger(catalog, key), outcome, settings, ReadReason.on_demand(reason, trigger))


class _ProgressBar:
    """A rich progress display on a TTY: one line per connector with the assets done so far."""

    def __init__(self) -> None:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} assets"),
            TimeElapsedColumn(), console=err_console, transient=True,
        )
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _ProgressBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def __call__(self, connector: str, asset: str, done: int) -> None:
        if connector not in self._tasks:
            self._tasks[connector] = self._progress.add_task(connector, total=None)
        # Asset names only (never values); long names are cut so the bar stays on one line.
        self._progress.update(self._tasks[connector], completed=done, description=f"{connector}: {asset[-60:]}")


def scan(
    targets: Annotated[
        list[str] | None,
        typer.Argument(help="Stores: SQLAlchemy URLs, s3://bucket/prefix, or local paths."),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="YAML configuration file.")] = None,
    connector: Annotated[
        list[str] | None, typer.Option("--connector", help="Scan only this configured connector (repeatable).")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD (default today).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = OutputFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    show_examples: Annotated[
        bool, typer.Option("--show-examples", help="Include masked example values.")
    ] = False,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Which finding makes the exit code 1.")] = FailOn.child,
    catalog: Annotated[str | None, typer.Option("--catalog", help="Catalog URL (overrides the config).")] = None,
    executor: Annotated[
        str | None, typer.Option("--executor", help="Where units run: auto, local, process or dask (default: config).")
    ] = None,
    dask_address: Annotated[
        str | None, typer.Option("--dask-address", help="Dask scheduler address, e.g. tcp://host:8786.")
    ] = None,
    incremental: Annotated[
        bool | None,
        typer.Option("--incremental/--full", help="Reuse verdicts of unchanged assets, or read everything."),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why this scan runs (recorded in the audit ledger; no PI).")
    ] = None,
) -> None:
    """Scan stores and report where children's personal information is."""
    try:
        settings = settings_from_targets(targets or [], config, catalog)
        if not settings.connectors:
            raise UsageError("nothing to scan: name stores (URLs or paths) or use --config")
        ref = parse_as_of(as_of)
        if executor is not None and executor not in ("auto", "local", "process", "dask"):
            raise UsageError(f"--executor must be auto, local, process or dask, not {executor!r}")
        report = execute_scan(
            settings, as_of=ref, connectors=connector, show_examples=show_examples, catalog_url=catalog,
            executor=executor, dask_address=dask_address, incremental=incremental, reason=reason,
        )
    except (ConfigError, UsageError) as exc:
        raise fail(exc, EXIT_USAGE) from None
    except (MissingDependencyError, PiScannerError, OSError) as exc:
        raise fail(exc, EXIT_RUNTIME) from None
    render(report, fmt, output)
    for err in report["summary"]["store_errors"]:
        err_console.print(f"[red]error:[/red] {err['message']}", highlight=False, soft_wrap=True)
    raise typer.Exit(_exit_code_for(report, fail_on))


def _demo_config_path() -> Path:
    repo_copy = Path("config/demo.yaml")
    if repo_copy.is_file():
        return repo_copy
    with as_file(files("pi_scanner.data").joinpath("demo.yaml")) as path:
        return Path(path)


def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the demo estate and reports.")] = Path(
        "demo-out"
    ),
    scan_it: Annotated[bool, typer.Option("--scan/--no-scan", help="Scan the estate after generating it.")] = True,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Reference date (default: the demo's own).")] = None,
) -> None:
    """Generate the embedded demo estate (school database + exported files) and scan it."""
    from pi_scanner.demo import DEMO_AS_OF, generate_demo

    estate = generate_demo(output)
    err_console.print(f"demo estate written to {estate.root} (database {estate.database.name}, folder exports/)")
    if not scan_it:
        raise typer.Exit(0)
    os.environ["PI_SCANNER_DEMO_DIR"] = str(output)
    try:
        settings = load_settings(_demo_config_path())
        ref = parse_as_of(as_of) if as_of else DEMO_AS_OF
        report = execute_scan(settings, as_of=ref, connectors=None, show_examples=True, catalog_url=None)
    except (ConfigError, UsageError) as exc:
        raise fail(exc, EXIT_USAGE) from None
    except (PiScannerError, OSError) as exc:
        raise fail(exc, EXIT_RUNTIME) from None
    render(report, OutputFormat.table, None)
    for fmt, name in ((OutputFormat.json, "report.json"), (OutputFormat.html, "report.html"),
                      (OutputFormat.markdown, "report.md")):
        render(report, fmt, output / name)
    err_console.print(f"reports: {output / 'report.json'}, {output / 'report.html'}, {output / 'report.md'}")
    raise typer.Exit(0)
