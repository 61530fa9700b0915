from __future__ import annotations

import pytest
from pydantic import SecretStr

from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector, normalize_url
from pi_scanner.errors import ConnectorError


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg2://u@h/db", "postgresql+psycopg2"),
        ("mysql://u@h/db", "mysql+pymysql"),
        ("mariadb://u@h/db", "mysql+pymysql"),
        ("sqlite:///x.db", "sqlite"),
    ],
)
def test_normalize_url_picks_driver(url: str, driver: str) -> None:
    assert normalize_url(url).drivername == driver


def test_password_merged_only_when_url_has_none() -> None:
    assert normalize_url("postgresql://u@h/db", "pw").password == "pw"
    assert normalize_url("postgresql://u:inurl@h/db", "pw").password == "inurl"


def test_invalid_url_never_echoed() -> None:
    with pytest.raises(ConnectorError) as info:
        normalize_url("::not a url with secret-pw::")
    assert "secret-pw" not in str(info.value)


@pytest.mark.parametrize(
    ("include", "exclude", "name", "wanted"),
    [
        (["*"], [], ("public", "学生表"), True),
        (["public.*"], [], ("audit", "log"), False),
        (["*"], ["*.tmp_*"], ("public", "tmp_x"), False),
        (["public.Mixed*"], [], ("public", "mixed case"), False),  # globs are case-sensitive
        (["public.Mixed*"], [], ("public", "Mixed Case"), True),
    ],
)
def test_include_exclude(include: list[str], exclude: list[str], name: tuple[str, str], wanted: bool) -> None:
    cfg = SqlConnectorConfig(url="sqlite://", include=include, exclude=exclude)
    with SqlConnector("s", cfg) as conn:
        assert conn._wanted(*name) is wanted


def test_describe_masks_password() -> None:
    cfg = SqlConnectorConfig(url="mysql://scanner@db.invalid/school", password=SecretStr("top-secret"))
    with SqlConnector("s", cfg) as conn:
        assert "top-secret" not in conn.describe() and "***" in conn.describe()
