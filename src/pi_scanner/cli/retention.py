"""``pi-scanner retention …`` and ``pi-scanner audit …`` commands.

Exit codes:

* ``retention report``: 0 nothing over-retained, 1 over-retained records found, 2 config error, 3 failure.
* ``retention plan``: 0 plan written (even when empty), 2 config error (bad policy, missing/non-timestamp
  anchor, PI primary key refused), 3 failure.
* ``retention apply``: 0 applied, 1 a ``max_deletes_per_run`` cap stopped the run or residual records
  remain, 2 config error / edited plan / a plan made for another store than a connector points at now
  (nothing applied), 3 an item failed or was refused.
* ``audit verify``: 0 intact, 1 tampering detected, 2 config error (no ``--config``/``--catalog``, or no
  catalog at the URL given), 3 failure.

``audit verify|show|export`` take ``--config FILE`` or ``--catalog URL`` (the ad-hoc catalog of runs made
without a config file is ``sqlite:///$XDG_STATE_HOME/pi-scanner/catalog.db``, its key beside it).

Mount in ``cli.py``::

    from pi_scanner.cli.retention import audit_app, retention_app
    app.add_typer(retention_app, name="retention")
    app.add_typer(audit_app, name="audit")
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table

from pi_scanner.as_of import parse_as_of
from pi_scanner.catalog.store import Catalog
from pi_scanner.cli.options import EXIT_FOUND, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, fail
from pi_scanner.cli.state_dir import CATALOG_FILE, state_dir
from pi_scanner.cli.targets import settings_from_targets
from pi_scanner.config import Settings, load_settings
from pi_scanner.errors import ConfigError, PiScannerError, PlanError
from pi_scanner.keys import load_hmac_key
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.keyset import side_file
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import Plan, build_plan, over_retained_report

retention_app = typer.Typer(help="Over-retained records: report, plan, apply.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit ledger.", no_args_is_help=True)

console = Console()
err_console = Console(stderr=True)
log = logging.getLogger(__name__)

ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="Configuration file.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD (default today, Shanghai).")]




def _open(config: Path) -> tuple[Settings, Catalog, bytes]:
    settings = load_settings(config)
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    return settings, catalog, load_hmac_key(settings.catalog)


def _open_for_plan(
    config: Path | None, targets: list[str], catalog_url: str | None
) -> tuple[Settings, Catalog, bytes]:
    """Settings for applying a plan: a config file, or the store targets a `subject erase` plan was made from.

    Raises:
        ConfigError: Neither a config nor a store target was given.
    """
    if config is None and not targets:
        raise ConfigError(
            "give --config FILE, or the store URLs or paths the plan was made from "
            "(e.g. `pi-scanner retention apply plan.json sqlite:///school.db`)"
        )
    settings = settings_from_targets(targets, config, catalog_url)
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    return settings, catalog, load_hmac_key(settings.catalog)


LedgerConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="Configuration file.")]
LedgerCatalogOpt = Annotated[
    str | None, typer.Option("--catalog", help="Catalog URL (e.g. an ad-hoc run's, in the state directory).")
]


def _open_ledger(config: Path | None, catalog_url: str | None) -> tuple[Catalog, bytes]:
    """The catalog whose ledger is read: from ``--config``, or from ``--catalog URL`` alone.

    A catalog that does not exist is never created (an empty ledger would verify as intact): a missing
    SQLite file, or a database without the audit ledger, is an error.

    Raises:
        ConfigError: Neither option, or no catalog (or no key) at the URL given.
    """
    if config is None and catalog_url is None:
        raise ConfigError(
            "give --config FILE or --catalog URL (runs made without a config file keep their catalog at "
            f"sqlite:///{state_dir() / CATALOG_FILE})"
        )
    settings = load_settings(config) if config is not None else Settings()
    if catalog_url is not None:
        settings = settings.model_copy(
            update={"catalog": settings.catalog.model_copy(update={"url": catalog_url})})
    url = settings.catalog.url
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigError("--catalog is not a valid SQLAlchemy URL") from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        where = parsed.database or ""
        if not where or where == ":memory:" or not Path(where).is_file():
            raise ConfigError(f"no catalog at {shown}: nothing to read (scan or plan with it first)")
    key = load_hmac_key(settings.catalog, create=False)
    catalog = Catalog.from_config(settings.catalog)
    try:
        with catalog.engine.connect() as conn:
            present = sa.inspect(conn).has_table("audit_ledger")
    except sa.exc.DBAPIError as exc:
        catalog.close()
        raise ConfigError(f"cannot open the catalog {shown}: {type(exc.orig).__name__}") from None
    if not present:
        catalog.close()
        raise ConfigError(f"{shown} holds no audit ledger: not a pi-scanner catalog, or nothing was ever ledgered")
    catalog.migrate()
    return catalog, key


def print_linked(plan: Plan, out: Console) -> None:
    """Print the tables linked to each planned asset, their counts and what the plan does with them."""
    print_linked_reports(plan.report, out)
    for i in plan.items:
        if i.get("blocked_by_links"):
            out.print(f"[yellow]warning:[/yellow] {i['asset']} will be refused: linked rows point at it that the "
                      f"plan does not delete ({'; '.join(i['blocked_by_links'])})", highlight=False)


def print_linked_reports(reports: list[Any], out: Console) -> None:
    """Print the tables linked to each asset's over-retained rows, with their counts."""
    for r in reports:
        for t in r.linked:
            out.print(f"  linked to {r.asset}: {t['table']} {'-' if t['rows'] is None else t['rows']} row(s) via "
                      f"{', '.join(t['via'])} (confidence {t['confidence']}"
                      f"{', declared' if t['declared'] else ''}): {t['action']}"
                      + (f" ({t['reason']})" if t["reason"] else ""), highlight=False)
        for u in r.unconfirmed_links:
            out.print(f"  unconfirmed link {u['label']} (confidence {u['confidence']}): "
                      f"{'-' if u['rows'] is None else u['rows']} row(s), not followed unless accepted",
                      highlight=False)
        if r.linked_note:
            out.print(f"[yellow]note:[/yellow] {r.asset}: {r.linked_note}", highlight=False)


def _run(fn: Any) -> None:
    """Map exceptions to exit codes; never print a traceback with values."""
    try:
        code = fn()
    except typer.Exit:
        raise
    except (ConfigError, PlanError) as exc:
        raise fail(exc, EXIT_USAGE) from None
    except PiScannerError as exc:
        raise fail(exc, EXIT_RUNTIME) from None
    raise typer.Exit(code)


@retention_app.command("report")
def report_cmd(
    config: ConfigOpt,
    as_of: AsOfOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count over-retained records per policy and asset (exit 1 when any are found)."""

    def go() -> int:
        settings, catalog, key = _open(config)
        with catalog:
            reports, errors = over_retained_report(settings, catalog, parse_as_of(as_of), key)
        if json_out:
            print(json.dumps({"assets": [r.__dict__ for r in reports], "errors": errors}, ensure_ascii=False))
        else:
            table = Table("policy", "asset", "cutoff", "expired", "children", "held", "to act on", "oldest", "notes")
            for r in reports:
                notes = r.error or ("supersedes " + ", ".join(r.superseded) if r.superseded else "")
                table.add_row(
                    r.policy, r.asset, r.cutoff[:19], str(r.expired),
                    "-" if r.children is None else str(r.children), str(r.held), str(r.candidates),
                    r.oldest or "-", notes,
                )
            if reports:  # an empty grid over a warning reads as "nothing over-retained"
                console.print(table)
            print_linked_reports(reports, console)
            for e in errors:
                err_console.print(f"[yellow]warning:[/yellow] {e}", highlight=False)
        if errors and not reports:
            return EXIT_USAGE
        return EXIT_FOUND if any(r.candidates for r in reports) else EXIT_OK

    _run(go)


_PLAN_HELP = (
    "Write a plan naming exactly the records each policy would delete or anonymise.\n\n"
    "A policy with scope child_records (or with cascade set) also lists every table linked to its rows in the "
    "latest scan's data map, with the linked rows counted. A deleting policy's cascade says which of them the plan "
    "deletes first: none (listed; rows they still point at are refused), declared (through declared foreign keys) "
    "or inferred (also through links the scan accepted, and the links named in accept_links). An anonymising "
    "policy lists them only."
)
_APPLY_HELP = (
    "Execute exactly the plan (retention, decommission or subject request), resuming an interrupted run.\n\n"
    "A plan is applied to the stores it was made for only: when a connector now points at another host, database "
    "or file than when it was planned, nothing is applied (exit 2)."
)


@retention_app.command("plan", help=_PLAN_HELP)
def plan_cmd(
    config: ConfigOpt,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write plan.json.")],
    as_of: AsOfOpt = None,
) -> None:
    """Write a plan naming exactly the records each policy would delete or anonymise."""

    def go() -> int:
        settings, catalog, key = _open(config)
        with catalog:
            plan = build_plan(settings, catalog, parse_as_of(as_of), key)
        try:
            plan.save(output)
        finally:
            plan.close()
        total = sum(int(i["expected_count"]) for i in plan.items)
        console.print(f"plan {plan.plan_id}: {len(plan.items)} item(s), {total} record(s) -> {output}")
        print_linked(plan, err_console)
        for e in plan.errors:
            err_console.print(f"[yellow]warning:[/yellow] {e}", highlight=False)
        return EXIT_USAGE if plan.errors else EXIT_OK

    _run(go)


@retention_app.command("apply", help=_APPLY_HELP)
def apply_cmd(
    plan_file: Annotated[Path, typer.Argument(help="plan.json written by `retention plan`.")],
    targets: Annotated[
        list[str] | None,
        typer.Argument(help="The store URLs or paths the plan was made from (instead of --config)."),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Configuration file.")] = None,
    catalog_url: Annotated[str | None, typer.Option("--catalog", help="Catalog URL (overrides the config).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count only; write nothing.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    value: Annotated[
        str | None, typer.Option("--value", help="For a subject correction plan: the new value it was planned with.")
    ] = None,
) -> None:
    """Execute exactly the plan (retention, decommission or subject request), resuming an interrupted run."""

    def go() -> int:
        try:
            data = json.loads(plan_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PlanError(f"cannot read plan {plan_file}: {type(exc).__name__}") from None
        plan = Plan.from_json(data, side_file(plan_file))
        settings, catalog, key = _open_for_plan(config, targets or [], catalog_url)
        if any("request" in item for item in plan.items):
            return _apply_subject(plan, settings, catalog, key, dry_run=dry_run, json_out=json_out, value=value)
        with catalog:
            result = apply_plan(plan, settings, catalog, dry_run=dry_run, hmac_key=key)
        if json_out:
            print(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            for r in result.items:
                console.print(
                    f"{r.status:8} {r.asset} [{r.policy}] planned {r.planned}, affected {r.affected}, "
                    f"batches {r.batches} (+{r.resumed_batches} done before), residual "
                    f"{'-' if r.residual is None else r.residual}" + (f": {r.message}" if r.message else ""),
                    highlight=False,
                )
        if any(i.status in ("failed", "refused") for i in result.items):
            return EXIT_RUNTIME
        if result.cap_breached or any(i.residual for i in result.items):
            return EXIT_FOUND
        return EXIT_OK

    _run(go)


def _apply_subject(
    plan: Plan, settings: Any, catalog: Any, key: bytes, *, dry_run: bool, json_out: bool, value: str | None
) -> int:
    """Subject erase/correct plans (``pi-scanner subject erase``) run through the same command."""
    from pi_scanner.cli.subject import print_apply_result
    from pi_scanner.subjects.apply import apply_subject_plan

    if dry_run:
        for item in plan.items:
            console.print(f"would {item.get('action', '?')} {item.get('asset', '?')}", highlight=False)
        return EXIT_OK
    with catalog:
        result = apply_subject_plan(plan, settings, catalog, value=value, hmac_key=key)
    if json_out:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print_apply_result(result)
    return EXIT_OK if result.complete else EXIT_RUNTIME


@audit_app.command("verify")
def verify_cmd(
    config: LedgerConfigOpt = None,
    catalog_url: LedgerCatalogOpt = None,
    expected_head: Annotated[str | None, typer.Option("--expected-head", help="A head hash noted earlier.")] = None,
) -> None:
    """Check the ledger's hash chain (exit 1 on any edit, deletion, gap or rollback)."""

    def go() -> int:
        catalog, key = _open_ledger(config, catalog_url)
        with catalog:
            result = Ledger(catalog, key).verify(expected_head)
        for p in result.problems:
            err_console.print(f"[red]tampered:[/red] {p}", highlight=False)
        console.print(f"{result.entries} entries, head seq {result.head_seq}, head hash {result.head_hash}")
        return EXIT_OK if result.ok else EXIT_FOUND

    _run(go)


@audit_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON Lines file to write.")],
    config: LedgerConfigOpt = None,
    catalog_url: LedgerCatalogOpt = None,
) -> None:
    """Export every ledger entry as JSON Lines."""

    def go() -> int:
        catalog, key = _open_ledger(config, catalog_url)
        with catalog:
            n = Ledger(catalog, key).export_jsonl(output)
        console.print(f"{n} entries -> {output}")
        return EXIT_OK

    _run(go)


@audit_app.command("show")
def show_cmd(
    config: LedgerConfigOpt = None,
    catalog_url: LedgerCatalogOpt = None,
    asset: Annotated[str | None, typer.Option("--asset", help="Asset glob (connector:schema/table).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="ISO date or timestamp (UTC).")] = None,
) -> None:
    """List ledger entries."""

    def go() -> int:
        when = None
        if since:
            try:
                when = dt.datetime.fromisoformat(since)
            except ValueError:
                raise ConfigError(f"--since must be an ISO date or timestamp, got {since!r}") from None
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
        catalog, key = _open_ledger(config, catalog_url)
        with catalog:
            table = Table("seq", "time", "actor", "action", "policy", "asset", "count", "basis")
            for e in Ledger(catalog, key).entries(asset_glob=asset, since=when):
                table.add_row(
                    str(e.seq), e.recorded_at.isoformat(timespec="seconds"), e.actor, e.action,
                    e.policy or "", e.asset or "", str(e.count), e.basis or "",
                )
        console.print(table)
        return EXIT_OK

    _run(go)


def main() -> None:
    """Run the two sub-apps standalone (``python -m pi_scanner.cli.retention retention plan …``)."""
    root = typer.Typer(no_args_is_help=True)
    root.add_typer(retention_app, name="retention")
    root.add_typer(audit_app, name="audit")
    root(prog_name="pi-scanner")


if __name__ == "__main__":
    main()
