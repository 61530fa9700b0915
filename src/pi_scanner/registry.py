"""Connector plugins, found through the ``pi_scanner.connectors`` entry-point group.

Built-in connectors register through the same group as third-party ones (see pyproject.toml), so the
plugin contract is exercised on every scan. Plugins load lazily: a plugin whose import fails is marked
disabled, and asking for it raises :class:`MissingDependencyError` naming the extra to install, never a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from pydantic import BaseModel, ValidationError

from pi_scanner.config import (
    BUILT_IN_CONNECTOR_CONFIGS,
    ConnectorConfig,
    PluginConnectorConfig,
    connector_config_from_target,
)
from pi_scanner.connectors.base import Capability, Connector
from pi_scanner.errors import ConfigError, MissingDependencyError

GROUP = "pi_scanner.connectors"

#: Import names of optional drivers and the pip extra that provides each.
_EXTRA_FOR_MODULE = {
    "psycopg": "postgres",
    "psycopg2": "postgres",
    "pymysql": "mysql",
    "MySQLdb": "mysql",
    "boto3": "s3",
    "botocore": "s3",
    "pyarrow": "formats",
    "openpyxl": "formats",
    "zstandard": "formats",
    "dask": "dask",
    "distributed": "dask",
}


@dataclass(frozen=True)
class PluginStatus:
    """One entry point of the connector group and whether it loads.

    Attributes:
        type_name: The ``type`` value that selects it in a config.
        target: ``module:Class`` of the entry point.
        error: Why it is disabled, or ``""`` when it loads.
        capabilities: What it declares it can do (empty when disabled).
    """

    type_name: str
    target: str
    error: str = ""
    capabilities: frozenset[Capability] = frozenset()


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def _missing_extra(exc: ImportError) -> str | None:
    top = (exc.name or "").split(".")[0]
    return _EXTRA_FOR_MODULE.get(top)


def load_connector_class(type_name: str) -> type[Connector]:
    """Import the connector class registered under ``type_name``.

    Raises:
        ConfigError: No connector of that type is installed.
        MissingDependencyError: Its driver is missing (names the pip extra).
    """
    eps = _entry_points()
    if type_name not in eps:
        known = ", ".join(sorted(eps)) or "none"
        raise ConfigError(f"unknown connector type {type_name!r} (installed: {known})")
    try:
        cls = eps[type_name].load()
    except ImportError as exc:
        extra = _missing_extra(exc)
        if extra:
            raise MissingDependencyError(f"connector {type_name!r}", extra) from None
        raise ConfigError(f"connector {type_name!r} failed to import: {exc}") from None
    if not (isinstance(cls, type) and issubclass(cls, Connector)):
        raise ConfigError(f"entry point {type_name!r} is not a pi_scanner Connector subclass")
    if Capability.SAMPLING not in cls.capabilities:
        raise ConfigError(f"connector {type_name!r} does not declare sampling, which every connector must")
    built_in = BUILT_IN_CONNECTOR_CONFIGS.get(type_name)
    if built_in is not None and cls.config_model is not built_in:
        # A plugin may not take over a built-in type: its entries are validated by the built-in model.
        raise ConfigError(f"entry point {type_name!r} does not take the built-in {built_in.__name__}")
    return cls


def plugin_statuses() -> list[PluginStatus]:
    """Every registered connector and whether it can be loaded (for ``pi-scanner plugins``)."""
    statuses = []
    for name, ep in sorted(_entry_points().items()):
        try:
            cls = load_connector_class(name)
            statuses.append(PluginStatus(name, ep.value, capabilities=cls.capabilities))
        except (ConfigError, MissingDependencyError) as exc:
            statuses.append(PluginStatus(name, ep.value, str(exc)))
    return statuses


def build_connector(name: str, config: ConnectorConfig | PluginConnectorConfig) -> Connector:
    """Instantiate the connector for one config entry.

    Plugin configs are validated against the plugin class's :attr:`~Connector.config_model` when it
    declares one.

    Raises:
        ConfigError: Unknown type or invalid plugin config.
        MissingDependencyError: The connector's driver is missing.
    """
    cls = load_connector_class(config.type)
    cfg: Any = config
    model: type[BaseModel] | None = cls.config_model
    if isinstance(config, PluginConnectorConfig) and model is not None:
        data = config.model_dump(exclude={"plugin"})
        try:
            cfg = model.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(f"connectors.{name}: {exc.errors()[0]['msg']}") from None
    return cls(name, cfg)


def connector_from_target(target: str) -> tuple[str, ConnectorConfig]:
    """Turn a command-line store (URL or path) into a named connector config, like pdscan.

    See :func:`pi_scanner.config.connector_config_from_target` (kept here for callers of the registry).

    Raises:
        ConfigError: The target is neither a known URL scheme nor an existing path.
    """
    return connector_config_from_target(target)
