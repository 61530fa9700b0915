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
