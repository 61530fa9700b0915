from __future__ import annotations

from pathlib import Path

import pytest

from pi_scanner.config import FolderConnectorConfig, S3ConnectorConfig, SqlConnectorConfig
from pi_scanner.errors import ConfigError, MissingDependencyError
from pi_scanner.registry import _missing_extra, connector_from_target, load_connector_class


def test_unknown_type_lists_installed_ones() -> None:
    with pytest.raises(ConfigError, match=r"unknown connector type 'nosuch' \(installed: .*sql"):
        load_connector_class("nosuch")


def test_missing_driver_names_the_extra() -> None:
    exc = ModuleNotFoundError("No module named 'psycopg'", name="psycopg")
    assert _missing_extra(exc) == "postgres"
    err = MissingDependencyError("connector 'sql'", "postgres")
    assert "install `pi-scanner[postgres]`" in str(err)


@pytest.mark.parametrize(
    ("target", "kind", "name"),
    [
        ("sqlite:///school.db", SqlConnectorConfig, "sqlite-school"),
        ("postgresql://u@db.internal/school", SqlConnectorConfig, "postgresql-db-internal-school"),
        ("mysql+pymysql://root@127.0.0.1/test", SqlConnectorConfig, "mysql-127-0-0-1-test"),
        ("s3://bucket/exports/2024", S3ConnectorConfig, "s3-bucket"),
    ],
)
def test_targets_become_connectors(target: str, kind: type, name: str) -> None:
    got_name, cfg = connector_from_target(target)
    assert isinstance(cfg, kind)
    assert got_name == name


def test_s3_target_keeps_bucket_and_prefix() -> None:
    _, cfg = connector_from_target("s3://bucket/exports/2024")
    assert isinstance(cfg, S3ConnectorConfig)
    assert cfg.buckets == ["bucket"] and cfg.prefixes == ["exports/2024"]


def test_local_folder_and_file(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n", encoding="utf-8")
    _, folder = connector_from_target(str(tmp_path))
    assert isinstance(folder, FolderConnectorConfig) and folder.path == str(tmp_path)
    _, single = connector_from_target(str(tmp_path / "a.csv"))
    assert isinstance(single, FolderConnectorConfig) and single.include == ["a.csv"]


def test_nonsense_target_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a store URL or an existing path"):
        connector_from_target(str(tmp_path / "missing"))


def test_built_in_connectors_declare_their_capabilities_and_config_model() -> None:
    from pi_scanner.config import BUILT_IN_CONNECTOR_CONFIGS
    from pi_scanner.connectors.base import Capability
    from pi_scanner.registry import plugin_statuses

    statuses = {s.type_name: s for s in plugin_statuses()}
    for type_name, model in BUILT_IN_CONNECTOR_CONFIGS.items():
        cls = load_connector_class(type_name)
        assert cls.config_model is model
        assert Capability.SAMPLING in cls.capabilities and Capability.CENSUS in cls.capabilities
        assert statuses[type_name].capabilities == cls.capabilities
    assert load_connector_class("sql").supports(Capability.DATA_MAP)
    assert not load_connector_class("fs").supports(Capability.PRIVILEGES)


def _with_entry_point(monkeypatch: pytest.MonkeyPatch, type_name: str, cls: type) -> None:
    from pi_scanner import registry

    class _EntryPoint:
        name = type_name
        value = f"tests:{cls.__name__}"

        def load(self) -> type:
            return cls

    real = registry._entry_points
    monkeypatch.setattr(registry, "_entry_points", lambda: {**real(), type_name: _EntryPoint()})


def test_a_connector_that_cannot_sample_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from pi_scanner.connectors.base import Capability
    from pi_scanner.connectors.fs import FolderConnector

    class Blind(FolderConnector):
        type_name = "blind"
        capabilities = frozenset({Capability.CENSUS})
        config_model = None  # type: ignore[assignment]

    _with_entry_point(monkeypatch, "blind", Blind)
    with pytest.raises(ConfigError, match="'blind' does not declare sampling"):
        load_connector_class("blind")


def test_a_plugin_cannot_take_over_a_built_in_type(monkeypatch: pytest.MonkeyPatch) -> None:
    from pi_scanner.connectors.fs import FolderConnector

    class Impostor(FolderConnector):
        config_model = SqlConnectorConfig  # type: ignore[assignment]

    _with_entry_point(monkeypatch, "fs", Impostor)
    with pytest.raises(ConfigError, match="does not take the built-in FolderConnectorConfig"):
        load_connector_class("fs")
