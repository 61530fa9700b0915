"""Settings for a run named on the command line: a config file, store URLs or paths, or both.

Every command that takes store targets (``scan``, ``subject …``, ``retention apply``, ``map``) builds its
settings here, so an ad-hoc run behaves the same everywhere: its catalog and key live in the user's state
directory (:mod:`pi_scanner.cli.state_dir`) unless ``--catalog`` or a config file says otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pi_scanner.cli.state_dir import adhoc_catalog_url
from pi_scanner.config import Settings, load_settings
from pi_scanner.registry import connector_from_target


def settings_from_targets(targets: list[str], config: Path | None, catalog_url: str | None = None) -> Settings:
    """Combine a config file with stores named on the command line (URLs or paths).

    Args:
        targets: Store URLs or paths named on the command line.
        config: The configuration file, if any.
        catalog_url: ``--catalog``: overrides the config's catalog, and keeps an ad-hoc run out of the
            state directory.
    """
    if config:
        settings = load_settings(config)
    elif catalog_url:
        settings = Settings()
        settings = settings.model_copy(update={"catalog": settings.catalog.model_copy(update={"url": catalog_url})})
    else:
        # No config file: an ad-hoc run keeps its state in the user's state directory, never in the cwd.
        settings = Settings()
        settings = settings.model_copy(
            update={"catalog": settings.catalog.model_copy(update={"url": adhoc_catalog_url()})}
        )
    if not targets:
        return settings
    connectors: dict[str, Any] = dict(settings.connectors)
    for target in targets:
        name, cfg = connector_from_target(target)
        base, n = name, 2
        while name in connectors:
            name, n = f"{base}-{n}", n + 1
        connectors[name] = cfg
    return settings.model_copy(update={"connectors": connectors})
