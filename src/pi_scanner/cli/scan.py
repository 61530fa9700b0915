"""The ``pi-scanner`` command line.

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
from rich.console import Console
from rich.markup import escape

from pi_scanner import __version__
from pi_scanner.as_of import parse_as_of
from pi_scanner.compliance_cli import annual_command, compliance_app, decommission_app, incident_app
from pi_scanner.config import Settings, load_settings
from pi_scanner.daemon_cli import jobs_app, serve
from pi_scanner.doctor_cli import doctor
from pi_scanner.errors import ConfigError, MissingDependencyError, PiScannerError, UsageError
from pi_scanner.retention_cli import audit_app, retention_app
from pi_scanner.subjects_cli import subject_app
from pi_scanner.targets import settings_from_targets

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_RUNTIME = 0, 1, 2, 3

app = typer.Typer(
    name="pi-scanner",
    help="Find children's personal information in databases and object stores; enforce retention.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Configuration commands.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.command("serve")(serve)
app.add_typer(jobs_app, name="jobs")
app.add_typer(retention_app, name="retention")
app.add_typer(audit_app, name="audit")
app.add_typer(subject_app, name="subject")
app.command("doctor")(doctor)
app.add_typer(compliance_app, name="compliance")
app.add_typer(incident_app, name="incident")
app.add_typer(decommission_app, name="decommission")

err_console = Console(stderr=True)
log = logging.getLogger("pi_scanner")


class OutputFormat(StrEnum):
    """Report formats of ``scan``."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


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


class _State:
    debug = False


def _fail(exc: BaseException, code: int) -> typer.Exit:
    if _State.debug:
        err_console.print_exception()
    # Escaped: messages name extras like ``pi-scanner[postgres]``, which rich would eat as markup.
    err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _exit_code_for(report: dict[str, Any], fail_on: FailOn) -> int:
    summary = report["summary"]
    if summary.get("failed_connectors") or summary.get("store_errors") or summary.get("assets_with_errors"):
        return EXIT_RUNTIME  # an error anywhere outranks what was found: the answer is incomplete
    if fail_on is FailOn.never:
        return EXIT_OK
    if fail_on is FailOn.any_pi:
        found = any(not c.get("suspected") for a in report["assets"] for c in a["columns"])
        return EXIT_FOUND if found else EXIT_OK
    statuses = _FAIL_STATUSES[fail_on]
    return EXIT_FOUND if any(a["child_status"] in statuses for a in report["assets"]) else EXIT_OK


def render(report: dict[str, Any], fmt: OutputFormat, output: Path | None) -> None:
    """Write or print a report in the chosen format."""
    from pi_scanner.report.html import render_html
    from pi_scanner.report.json_report import dumps
    from pi_scanner.report.markdown import render_markdown
    from pi_scanner.report.table import render_table

    if fmt is OutputFormat.table:
        if output:
            with output.open("w", encoding="utf-8") as fh:
                render_table(report, Console(file=fh, width=160, color_system=None))
        else:
            render_table(report, Console())
        return
    text = {
        OutputFormat.json: dumps,
        OutputFormat.markdown: render_markdown,
        OutputFormat.html: render_html,
    }[fmt](report)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


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
            outcome.run, outcome.infos, show_examples=show_examples, failed_connectors=outcome.failed_connectors
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


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"pi-scanner {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks and debug logs.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    _State.debug = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )


@app.command()
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
        raise _fail(exc, EXIT_USAGE) from None
    except (MissingDependencyError, PiScannerError, OSError) as exc:
        raise _fail(exc, EXIT_RUNTIME) from None
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


@app.command()
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
        raise _fail(exc, EXIT_USAGE) from None
    except (PiScannerError, OSError) as exc:
        raise _fail(exc, EXIT_RUNTIME) from None
    render(report, OutputFormat.table, None)
    for fmt, name in ((OutputFormat.json, "report.json"), (OutputFormat.html, "report.html"),
                      (OutputFormat.markdown, "report.md")):
        render(report, fmt, output / name)
    err_console.print(f"reports: {output / 'report.json'}, {output / 'report.html'}, {output / 'report.md'}")
    raise typer.Exit(0)


@config_app.command("check")
def config_check(
    config: Annotated[Path, typer.Argument(help="YAML configuration file.")],
) -> None:
    """Validate a configuration file and list its connectors (secrets are never printed)."""
    from pi_scanner.registry import build_connector

    try:
        settings = load_settings(config)
        for name, cfg in settings.connectors.items():
            connector = build_connector(name, cfg)
            typer.echo(f"{name}: {cfg.type} {connector.describe()}")
    except (ConfigError, MissingDependencyError, PiScannerError) as exc:
        raise _fail(exc, EXIT_USAGE) from None
    typer.echo(f"{config}: valid ({len(settings.connectors)} connector(s))")


@app.command()
def plugins() -> None:
    """List installed connector plugins and whether each can be loaded."""
    from pi_scanner.registry import plugin_statuses

    for status in plugin_statuses():
        state = "ok" if not status.error else f"disabled: {status.error}"
        typer.echo(f"{status.type_name:10} {status.target:45} {state}")


report_app = typer.Typer(help="Reports from the catalog: a recorded run (default) or the annual audit pack.")
app.add_typer(report_app, name="report")
report_app.command("annual")(annual_command)


@report_app.callback(invoke_without_command=True)
def report_command(
    ctx: typer.Context,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Configuration (for the catalog).")] = None,
    catalog: Annotated[str | None, typer.Option("--catalog", help="Catalog URL.")] = None,
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
        raise _fail(exc, EXIT_USAGE) from None
    except PiScannerError as exc:
        raise _fail(exc, EXIT_RUNTIME) from None
    render(build_report(run), fmt, output)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        # Python's own exit code for an uncaught exception is 1, which means "children's PI found".
        # The message may quote a value, so only the class is printed (``--debug`` shows the traceback).
        if _State.debug:
            err_console.print_exception()
        err_console.print(f"[red]internal error:[/red] {type(exc).__name__} (run with --debug for details)",
                          highlight=False)
        sys.exit(EXIT_RUNTIME)
