"""What every command group of the CLI shares: exit codes, the error line, and common options."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

#: Exit codes of every command: 0 nothing found, 1 found (or more than needed), 2 usage or configuration,
#: 3 a store, an asset or the scanner failed (outranks 1: the answer is incomplete).
EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_RUNTIME = 0, 1, 2, 3

err_console = Console(stderr=True)


class State:
    """Process-wide CLI state set by the root callback."""

    debug = False


class OutputFormat(StrEnum):
    """Report formats (``--format``): the terminal table and the text formats of :mod:`pi_scanner.report.formats`."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


def fail(exc: BaseException, code: int) -> typer.Exit:
    """Print one escaped error line (and the traceback under ``--debug``); return the exit to raise."""
    if State.debug:
        err_console.print_exception()
    # Escaped: messages name extras like ``pi-scanner[postgres]``, which rich would eat as markup.
    err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="YAML configuration file.")]
OptionalConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="YAML configuration file.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Reference date YYYY-MM-DD (default today, Shanghai).")]
CatalogOpt = Annotated[str | None, typer.Option("--catalog", help="Catalog URL (overrides the config).")]
TargetsArg = Annotated[
    list[str] | None,
    typer.Argument(help="Stores: SQLAlchemy URLs, s3://bucket/prefix, or local paths (instead of --config)."),
]
