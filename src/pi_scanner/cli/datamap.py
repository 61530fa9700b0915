"""``pi-scanner map``: scan stores and write their children's data map (JSON, Graphviz DOT or a Fides dataset).

Exit codes: 0 written, 2 usage or configuration error, 3 a store could not be scanned at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pi_scanner.as_of import parse_as_of
from pi_scanner.cli.options import EXIT_RUNTIME, EXIT_USAGE, err_console, fail
from pi_scanner.cli.scan import execute_scan
from pi_scanner.cli.targets import settings_from_targets
from pi_scanner.errors import ConfigError, MissingDependencyError, PiScannerError, UsageError
from pi_scanner.report.data_map import FORMATS


def map_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write the map to.")],
    targets: Annotated[
        list[str] | None, typer.Argument(help="Stores: SQLAlchemy URLs, s3://bucket/prefix, or local paths.")
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="YAML configuration file.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, dot or fides (a Fides dataset YAML).")] = "json",
    as_of: Annotated[str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD (default today).")] = None,
    catalog: Annotated[str | None, typer.Option("--catalog", help="Catalog URL (overrides the config).")] = None,
) -> None:
    """Scan stores and write their data map: children's tables, the tables linked to them, and the links."""
    try:
        if fmt not in FORMATS:
            raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        settings = settings_from_targets(targets or [], config, catalog)
        if not settings.connectors:
            raise UsageError("nothing to map: name stores (URLs or paths) or use --config")
        report = execute_scan(settings, as_of=parse_as_of(as_of), connectors=None, show_examples=False,
                              catalog_url=catalog)
    except (ConfigError, UsageError) as exc:
        raise fail(exc, EXIT_USAGE) from None
    except (MissingDependencyError, PiScannerError, OSError) as exc:
        raise fail(exc, EXIT_RUNTIME) from None
    output.write_text(FORMATS[fmt](report), encoding="utf-8")
    links = report.get("links", [])
    err_console.print(f"map written to {output}: {len(links)} links, "
                      f"{sum(1 for a in report['assets'] if a.get('linked_via'))} tables linked to children's tables",
                      highlight=False)
    for err in report["summary"]["store_errors"]:
        err_console.print(f"[red]error:[/red] {err['message']}", highlight=False, soft_wrap=True)
    if report["summary"]["failed_connectors"]:
        raise typer.Exit(EXIT_RUNTIME)
