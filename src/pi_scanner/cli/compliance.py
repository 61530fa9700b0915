"""Compliance commands: ``compliance check``, ``incident impact``, ``report annual``.

Mount in :mod:`pi_scanner.cli`::

    app.add_typer(compliance_app, name="compliance")
    app.add_typer(incident_app, name="incident")
    app.add_typer(decommission_app, name="decommission")

and ``report annual`` is :func:`annual_command` (``report`` is a plain command today; it becomes a
sub-app with ``annual`` beside it).
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from pi_scanner.as_of import parse_as_of
from pi_scanner.cli.options import EXIT_RUNTIME, EXIT_USAGE, CatalogOpt, OptionalConfigOpt, TargetsArg, fail
from pi_scanner.config import Settings, load_settings
from pi_scanner.errors import ConfigError, PiScannerError, UsageError

_err = Console(stderr=True)

compliance_app = typer.Typer(help="Compliance checks per article of the 2019 Provisions.", no_args_is_help=True)
incident_app = typer.Typer(help="Incident response (Art. 21).", no_args_is_help=True)
decommission_app = typer.Typer(help="Decommissioning a service (Art. 23).", no_args_is_help=True)


class ComplianceFormat(StrEnum):
    """Output formats of ``compliance check``."""

    json = "json"
    markdown = "markdown"
    html = "html"
    csv = "csv"




def _fail(exc: BaseException) -> typer.Exit:
    return fail(exc, EXIT_USAGE if isinstance(exc, ConfigError | UsageError) else EXIT_RUNTIME)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        output.write_text(text, encoding="utf-8")
        _err.print(f"written {output}")


def _open_catalog(settings: Settings) -> Any:
    from pi_scanner.catalog.store import Catalog

    cat = Catalog.from_config(settings.catalog)
    cat.migrate()
    return cat


def _history(cat: Any, as_of: dt.date, limit: int = 24) -> list[dict[str, Any]]:
    runs = [r for r in cat.list_runs(limit=limit * 4) if r.as_of <= as_of and r.status in ("ok", "partial")]
    from pi_scanner.retention.history import add_over_retention

    points = []
    for r in sorted(runs, key=lambda r: (r.as_of, r.started_at))[-limit:]:
        run = cat.load_run(r.run_id)
        points.append({"as_of": r.as_of.isoformat(), "run_id": r.run_id,
                       "children_records": sum(x.ages.child + x.ages.likely_child for x in run.results)})
    return add_over_retention(cat, points)


@compliance_app.command("check")
def check_command(
    config: Annotated[Path, typer.Option("--config", "-c", help="Configuration file.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD.")] = None,
    run_id: Annotated[str | None, typer.Option("--run-id", help="Run to check (default: newest by as-of).")] = None,
    fmt: Annotated[ComplianceFormat, typer.Option("--format", "-f")] = ComplianceFormat.json,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    live: Annotated[bool, typer.Option("--live/--no-live", help="Ask SQL stores for grants and encryption.")] = True,
) -> None:
    """Run every compliance check over a recorded scan and write the report."""
    from pi_scanner.compliance.checks import attach_to_report, run_checks
    from pi_scanner.compliance.incident import run_for
    from pi_scanner.report.compliance_html import render_compliance_html
    from pi_scanner.report.compliance_text import compliance_csv, render_compliance_markdown
    from pi_scanner.report.json_report import build_report, dumps

    try:
        settings = load_settings(config)
        day = parse_as_of(as_of)
        cat = _open_catalog(settings)
        try:
            run = cat.load_run(run_id or run_for(cat, day))
            outcome = run_checks(run, settings, as_of=day, live=live)
            report = attach_to_report(build_report(run), outcome)
            history = _history(cat, day) if fmt == ComplianceFormat.html else []
        finally:
            cat.close()
    except PiScannerError as exc:
        raise _fail(exc) from None
    if fmt == ComplianceFormat.json:
        text = dumps(report)
    elif fmt == ComplianceFormat.markdown:
        text = render_compliance_markdown(report["compliance"])
    elif fmt == ComplianceFormat.html:
        text = render_compliance_html(report["compliance"], history)
    else:
        text = compliance_csv(report)
    _emit(text, output)
    if report["compliance"]["status"] == "fail":
        raise typer.Exit(1)


class CascadeMode(StrEnum):
    """``decommission plan --cascade``: through which links linked rows are deleted first."""

    none = "none"
    declared = "declared"
    inferred = "inferred"


@decommission_app.command("plan")
def decommission_plan_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write plan.json.")],
    targets: TargetsArg = None,
    config: OptionalConfigOpt = None,
    catalog_url: CatalogOpt = None,
    connector: Annotated[
        str | None,
        typer.Option("--connector", help="SQL connector of the service being shut down (default: the only one)."),
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD.")] = None,
    allow_cascade: Annotated[
        bool, typer.Option("--allow-cascade", help="Also delete rows whose declared keys reference deleted rows.")
    ] = False,
    cascade: Annotated[
        CascadeMode | None,
        typer.Option("--cascade", help="Delete rows linked to the planned rows first, through declared keys or "
                                       "also inferred links (default: declared with --allow-cascade, else none)."),
    ] = None,
    accept_link: Annotated[
        list[str] | None,
        typer.Option("--accept-link", help="Follow a link below the confidence threshold (its label, repeatable)."),
    ] = None,
) -> None:
    """Plan the deletion of every children's record of a service; run it with `retention apply`.

    The store is named by --config (and --connector) or, like `scan`, by its URL or path; the latest scan
    of it must be in the catalog. Every table linked to the planned rows is listed with its count.

    Exit codes: 0 plan written, 2 configuration error, 3 a table could not be planned.
    """
    from pi_scanner.cli.retention import print_linked
    from pi_scanner.cli.targets import settings_from_targets
    from pi_scanner.compliance.decommission import build_decommission_plan
    from pi_scanner.config import SqlConnectorConfig
    from pi_scanner.keys import load_hmac_key

    try:
        if config is None and not targets:
            raise UsageError("give the store's URL or path (as for `scan`), or --config FILE with --connector")
        settings = settings_from_targets(targets or [], config, catalog_url)
        name = connector
        if name is None:
            sql = [n for n, c in settings.connectors.items() if isinstance(c, SqlConnectorConfig)]
            if len(sql) != 1:
                raise UsageError(f"--connector is needed: {len(sql)} SQL stores are configured")
            name = sql[0]
        day = parse_as_of(as_of)
        cat = _open_catalog(settings)
        try:
            plan = build_decommission_plan(settings, cat, name, day, load_hmac_key(settings.catalog),
                                           allow_cascade=allow_cascade,
                                           cascade=cascade.value if cascade is not None else None,
                                           accept_links=accept_link or [])
        finally:
            cat.close()
    except PiScannerError as exc:
        raise _fail(exc) from None
    try:
        plan.save(output)
    finally:
        plan.close()
    total = sum(int(i["expected_count"]) for i in plan.items)
    held = sum(r.held for r in plan.report)
    _err.print(f"plan {plan.plan_id}: {len(plan.items)} item(s), {total} children's record(s), "
               f"{held} held -> {output}", highlight=False)
    print_linked(plan, _err)
    for e in plan.errors:
        _err.print(f"[yellow]warning:[/yellow] {e}", highlight=False)
    if plan.errors:
        raise typer.Exit(EXIT_RUNTIME)


@incident_app.command("impact")
def impact_command(
    asset: Annotated[list[str], typer.Option("--asset", "-a", help="Leaked asset glob (repeatable).")],
    config: Annotated[Path, typer.Option("--config", "-c", help="Configuration file.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Use the newest run on/before this date.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """How many children and minors a leak touches, which identifiers, which guardians can be told."""
    from pi_scanner.compliance.incident import incident_impact

    try:
        settings = load_settings(config)
        cat = _open_catalog(settings)
        try:
            impact = incident_impact(asset, cat, settings, parse_as_of(as_of))
        finally:
            cat.close()
    except PiScannerError as exc:
        raise _fail(exc) from None
    _emit(json.dumps(impact.as_dict(), ensure_ascii=False, indent=2) + "\n", output)


def annual_command(
    year: Annotated[int, typer.Option("--year", help="Calendar year covered.")],
    config: Annotated[Path, typer.Option("--config", "-c", help="Configuration file.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Use runs on/before this date.")] = None,
    fmt: Annotated[ComplianceFormat, typer.Option("--format", "-f")] = ComplianceFormat.json,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    live: Annotated[bool, typer.Option("--live/--no-live", help="Also ask stores (not reproducible).")] = False,
    incidents: Annotated[Path | None, typer.Option("--incidents", help="JSON list: the year's incidents.")] = None,
) -> None:
    """The annual audit pack (MOR art. 37): under-14 and 14–17 counts, consent, retention, access, incidents."""
    from pi_scanner.report.annual import build_annual_pack
    from pi_scanner.report.compliance_html import render_compliance_html
    from pi_scanner.report.compliance_text import render_compliance_markdown

    try:
        settings = load_settings(config)
        entries = json.loads(incidents.read_text(encoding="utf-8")) if incidents else None
        if entries is not None and not isinstance(entries, list):
            raise UsageError("--incidents must hold a JSON list")
        cat = _open_catalog(settings)
        try:
            pack = build_annual_pack(cat, settings, year, parse_as_of(as_of) if as_of else None, live=live,
                                     incidents=entries)
        finally:
            cat.close()
    except (OSError, json.JSONDecodeError) as exc:
        raise _fail(UsageError(f"cannot read --incidents: {type(exc).__name__}")) from None
    except PiScannerError as exc:
        raise _fail(exc) from None
    if fmt == ComplianceFormat.html:
        text = render_compliance_html(pack["compliance"], pack["history"],
                                      title=f"Annual audit pack {year}: children's personal information")
    elif fmt == ComplianceFormat.markdown:
        text = render_compliance_markdown(pack["compliance"])
    else:
        text = json.dumps(pack, ensure_ascii=False, indent=2) + "\n"
    _emit(text, output)
