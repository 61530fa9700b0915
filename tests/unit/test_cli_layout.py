"""The ``cli`` package: same commands as before the split, formats from the one registry."""

from __future__ import annotations

import typer.main

from pi_scanner.cli import app
from pi_scanner.cli.options import OutputFormat
from pi_scanner.report.formats import FORMAT_NAMES, TEXT_FORMATS

COMMANDS = {
    "serve", "doctor", "scan", "demo", "plugins", "config", "jobs", "retention", "audit", "subject",
    "compliance", "incident", "decommission", "report",
}


def test_every_command_of_the_readme_is_still_there() -> None:
    group = typer.main.get_group(app)
    assert set(group.commands) >= COMMANDS, COMMANDS - set(group.commands)


def test_cli_formats_are_the_registry_formats() -> None:
    assert {f.value for f in OutputFormat} == set(FORMAT_NAMES)
    assert {f.extension for f in TEXT_FORMATS.values()} == {"json", "html", "md"}
