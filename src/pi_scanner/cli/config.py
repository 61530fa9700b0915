"""``pi-scanner config check`` and ``pi-scanner plugins``: the configuration and the installed connectors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pi_scanner.cli.options import EXIT_USAGE, fail
from pi_scanner.config import load_settings
from pi_scanner.errors import ConfigError, MissingDependencyError, PiScannerError

config_app = typer.Typer(help="Configuration commands.", no_args_is_help=True)


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
        raise fail(exc, EXIT_USAGE) from None
    typer.echo(f"{config}: valid ({len(settings.connectors)} connector(s))")


def plugins() -> None:
    """List installed connector plugins, whether each can be loaded and what each can do."""
    from pi_scanner.registry import plugin_statuses

    for status in plugin_statuses():
        can = ",".join(sorted(status.capabilities))
        state = f"ok ({can})" if not status.error else f"disabled: {status.error}"
        typer.echo(f"{status.type_name:10} {status.target:45} {state}")
