from __future__ import annotations

from pathlib import Path

import pytest

from pi_scanner.config import (
    FolderConnectorConfig,
    PluginConnectorConfig,
    SqlConnectorConfig,
    interpolate_env,
    load_settings,
    parse_settings,
)
from pi_scanner.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "cfg.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_minimal_config_validates(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, "connectors:\n  db:\n    type: sql\n    url: sqlite:///x.db\n"))
    cfg = s.connectors["db"]
    assert isinstance(cfg, SqlConnectorConfig)
    assert cfg.sample_rows == 10_000 and cfg.max_concurrent_queries == 1


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("connectors:\n  db:\n    type: sql\n    url: x\n    smaple_rows: 5\n", "connectors.db.smaple_rows"),
        ("connectors:\n  db:\n    type: fs\n    path: [1]\n", "connectors.db.path"),
        ("classifier:\n  child_mode: lunar\n", "classifier.child_mode"),
        ("catalogue:\n  url: x\n", "catalogue"),
        ("connectors:\n  db:\n    type: sql\n    url: x\n    sample_rows: -1\n", "connectors.db.sample_rows"),
    ],
)
def test_invalid_keys_are_reported_with_their_path(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(write(tmp_path, text))
    assert f"at {where}:" in str(info.value)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"line 4, column \d+: invalid YAML"):
        load_settings(write(tmp_path, "connectors:\n  db:\n    type: sql\n   url: x\n"))


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read configuration"):
        load_settings(tmp_path / "absent.yaml")


def test_env_interpolation_with_default_and_error() -> None:
    env = {"HOST": "db.internal"}
    assert interpolate_env({"u": "pg://${HOST}/x", "v": ["${PORT:-5432}"]}, env) == {
        "u": "pg://db.internal/x",
        "v": ["5432"],
    }
    with pytest.raises(ConfigError, match="MISSING is not set"):
        interpolate_env("${MISSING}", env)


def test_secret_file_is_read_and_never_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "pw"
    secret.write_text("s3cr3t-canary\n", encoding="utf-8")
    monkeypatch.setenv("PW_FILE", str(secret))
    s = load_settings(
        write(tmp_path, "connectors:\n  db:\n    type: sql\n    url: pg://u@h/d\n    password_file: ${PW_FILE}\n")
    )
    cfg = s.connectors["db"]
    assert isinstance(cfg, SqlConnectorConfig)
    assert cfg.password is not None and cfg.password.get_secret_value() == "s3cr3t-canary"
    assert "s3cr3t-canary" not in repr(s) + str(s) + s.model_dump_json()


def test_unreadable_secret_file_names_the_file_not_the_content(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read secret file"):
        parse_settings({"catalog": {"hmac_key_file": str(tmp_path / "nope")}})


def test_plugin_types_keep_their_keys_for_the_plugin() -> None:
    s = parse_settings({"connectors": {"x": {"type": "example", "path": "a.json"}}})
    cfg = s.connectors["x"]
    assert isinstance(cfg, PluginConnectorConfig)
    assert cfg.model_dump()["path"] == "a.json"


def test_folder_defaults() -> None:
    s = parse_settings({"connectors": {"f": {"type": "fs", "path": "/tmp"}}})
    assert isinstance(s.connectors["f"], FolderConnectorConfig)


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(ConfigError, match="must be a mapping"):
        parse_settings(["a"])


def test_shipped_example_configs_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PI_SCANNER_CATALOG_PASSWORD", "x")
    monkeypatch.setenv("PI_SCANNER_MYSQL_PASSWORD", "x")
    root = Path(__file__).parents[2] / "config"
    names = ["demo.yaml", "sqlite.yaml", "mysql.yaml"]
    for name in names:
        load_settings(root / name)


def test_built_in_types_come_from_one_table() -> None:
    from pi_scanner.config import BUILT_IN_CONNECTOR_CONFIGS, S3ConnectorConfig

    assert {
        "sql": SqlConnectorConfig, "fs": FolderConnectorConfig, "s3": S3ConnectorConfig,
    } == BUILT_IN_CONNECTOR_CONFIGS
    # Every built-in type validates strictly through the union; any other goes to its plugin.
    settings = parse_settings({"connectors": {
        "db": {"type": "sql", "url": "sqlite:///x.db"},
        "files": {"type": "fs", "path": "/tmp"},
        "bucket": {"type": "s3"},
        "other": {"type": "example", "path": "t.json"},
    }})
    assert {n: type(c) for n, c in settings.connectors.items()} == {
        "db": SqlConnectorConfig, "files": FolderConnectorConfig, "bucket": S3ConnectorConfig,
        "other": PluginConnectorConfig,
    }
    with pytest.raises(ConfigError, match=r"at connectors\.bucket\.nope"):
        parse_settings({"connectors": {"bucket": {"type": "s3", "nope": 1}}})


def test_each_connector_config_says_how_many_units_may_run_at_once() -> None:
    settings = parse_settings({"connectors": {
        "db": {"type": "sql", "url": "sqlite:///x.db", "max_concurrent_queries": 2},
        "files": {"type": "fs", "path": "/tmp"},
        "bucket": {"type": "s3", "max_in_flight": 8},
        "plug": {"type": "example", "path": "t.json", "max_in_flight": 3},
        "plug2": {"type": "example", "path": "t.json"},
    }})
    assert {n: c.in_flight_limit for n, c in settings.connectors.items()} == {
        "db": 2, "files": None, "bucket": 8, "plug": 3, "plug2": None,
    }
