"""The daemon refuses, at start, a configuration whose scheduled scans could not record their reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from pi_scanner.daemon import load_config
from pi_scanner.errors import ConfigError

JOBS = "daemon:\n  jobs:\n    - {name: s, kind: scan, interval_seconds: 60}\n"


def test_server_catalog_without_hmac_key_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "c.yaml"
    cfg.write_text("catalog:\n  url: postgresql://scanner@db/catalog\n" + JOBS, encoding="utf-8")
    with pytest.raises(ConfigError, match="hmac_key"):
        load_config(cfg)


def test_server_catalog_with_key_and_sqlite_catalog_are_accepted(tmp_path: Path) -> None:
    with_key = tmp_path / "k.yaml"
    with_key.write_text(
        "catalog:\n  url: postgresql://scanner@db/catalog\n  hmac_key: 0123456789abcdef0123\n" + JOBS, encoding="utf-8"
    )
    load_config(with_key)
    sqlite = tmp_path / "s.yaml"
    sqlite.write_text(f"catalog:\n  url: sqlite:///{tmp_path / 'cat.db'}\n" + JOBS, encoding="utf-8")
    load_config(sqlite)
