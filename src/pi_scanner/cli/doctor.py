"""``pi-scanner doctor``: report what the scanning identity can do in each store.

Exit codes: 0 the identity holds only what its purpose needs, 1 it holds more, 2 usage or configuration
error, 3 a store could not be examined.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pi_scanner.config import Settings, load_settings
from pi_scanner.doctor import Purpose, StoreReport, run_doctor
from pi_scanner.errors import ConfigError, UsageError

EXIT_OK, EXIT_EXCESS, EXIT_USAGE, EXIT_RUNTIME = 0, 1, 2, 3

_err = Console(stderr=True)


def _settings(targets: list[str], config: Path | None) -> Settings:
    from pi_scanner.registry import connector_from_target

    settings = load_settings(config) if config else Settings()
    connectors = dict(settings.connectors)
    for target in targets:
        name, cfg = connector_from_target(target)
        connectors[name] = cfg
    return settings.model_copy(update={"connectors": connectors})


def _print_table(reports: list[StoreReport], purpose: str) -> None:
    console = Console()
    for rep in reports:
        status = "ERROR" if rep.error else ("MORE THAN NEEDED" if rep.excess else "ok")
        console.print(
            f"[bold]{rep.connector}[/bold] {rep.target} as [bold]{rep.identity or '?'}[/bold] "
            f"(purpose {purpose}): {status}",
            highlight=False, soft_wrap=True,
        )
        if rep.error:
            console.print(f"  cannot examine: {rep.error}", highlight=False, soft_wrap=True)
            continue
        table = Table("scope", "privilege", "verdict", "note")
        for p in rep.privileges:
            table.add_row(p.scope, p.privilege, p.level, p.note)
        console.print(table)
    console.print("scanning needs SELECT only; enforcement needs DELETE/UPDATE on the named tables only "
                  "(see docs/least-privilege.md)", highlight=False)


def doctor(
    targets: Annotated[
        list[str] | None, typer.Argument(help="Stores: SQLAlchemy URLs (no passwords: use env/secret files) or s3://.")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="YAML configuration file.")] = None,
    connector: Annotated[list[str] | None, typer.Option("--connector", help="Only this connector.")] = None,
    purpose: Annotated[str, typer.Option("--purpose", help="scan (SELECT only) or enforce.")] = "scan",
    allow_write: Annotated[
        list[str] | None, typer.Option("--allow-write", help="schema.table glob the enforcer may change.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Report what the scanning identity can do in each store; exit 1 when it holds more than it needs."""
    try:
        if purpose not in ("scan", "enforce"):
            raise UsageError("--purpose must be scan or enforce")
        settings = _settings(targets or [], config)
        if not settings.connectors:
            raise UsageError("nothing to examine: name stores or use --config")
        unknown = [c for c in connector or [] if c not in settings.connectors]
        if unknown:
            raise UsageError(f"unknown connector(s): {', '.join(unknown)}")
        want: Purpose = "enforce" if purpose == "enforce" else "scan"
        reports = run_doctor(settings, purpose=want, allow_write=allow_write or (), connectors=connector)
    except (ConfigError, UsageError) as exc:
        _err.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    if json_out:
        sys.stdout.write(json.dumps({"purpose": purpose, "stores": [r.as_dict() for r in reports]},
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        _print_table(reports, purpose)
    if any(r.excess for r in reports):
        raise typer.Exit(EXIT_EXCESS)
    raise typer.Exit(EXIT_RUNTIME if any(r.error for r in reports) else EXIT_OK)
