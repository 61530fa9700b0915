"""The ``pi-scanner`` command line: one module per command group, mounted here.

* :mod:`.scan`: ``scan``, ``demo``
* :mod:`.serve`: ``serve``, ``jobs``
* :mod:`.retention`: ``retention``, ``audit``; :mod:`.compliance`: ``compliance``, ``incident``,
  ``decommission``; :mod:`.report`: ``report``
* :mod:`.subject`: ``subject``; :mod:`.datamap`: ``map``; :mod:`.doctor`: ``doctor``; :mod:`.config`:
  ``config``, ``plugins``
* :mod:`.options`: exit codes, the error line and the options they share; :mod:`.targets`: settings from
  store URLs named on the command line.

Exit codes: 0 no children's PI found, 1 children's PI found (tunable with ``--fail-on``), 2 usage or
configuration error, 3 a store or an asset failed with an error (even when PI was found elsewhere), or the
scanner itself failed. A configured limit that was hit is coverage (reported), not an error; a crash is
never 1.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from pi_scanner import __version__
from pi_scanner.cli.compliance import compliance_app, decommission_app, incident_app
from pi_scanner.cli.config import config_app, plugins
from pi_scanner.cli.datamap import map_cmd
from pi_scanner.cli.doctor import doctor
from pi_scanner.cli.options import EXIT_RUNTIME, State, err_console
from pi_scanner.cli.report import report_app
from pi_scanner.cli.retention import audit_app, retention_app
from pi_scanner.cli.scan import demo, scan
from pi_scanner.cli.serve import jobs_app, serve
from pi_scanner.cli.subject import subject_app

app = typer.Typer(
    name="pi-scanner",
    help="Find children's personal information in databases and object stores; enforce retention.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    State.debug = debug
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )


# Order is the order of `pi-scanner --help`.
app.command("serve")(serve)
app.command("doctor")(doctor)
app.command("scan")(scan)
app.command("demo")(demo)
app.command("map")(map_cmd)
app.command("plugins")(plugins)
app.add_typer(config_app, name="config")
app.add_typer(jobs_app, name="jobs")
app.add_typer(retention_app, name="retention")
app.add_typer(audit_app, name="audit")
app.add_typer(subject_app, name="subject")
app.add_typer(compliance_app, name="compliance")
app.add_typer(incident_app, name="incident")
app.add_typer(decommission_app, name="decommission")
app.add_typer(report_app, name="report")


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
        if State.debug:
            err_console.print_exception()
        err_console.print(f"[red]internal error:[/red] {type(exc).__name__} (run with --debug for details)",
                          highlight=False)
        sys.exit(EXIT_RUNTIME)


__all__ = ["app", "main"]
