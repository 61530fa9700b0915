"""The identity of the store a connector points at (what a plan records, and apply compares)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pi_scanner.config import SqlConnectorConfig, parse_settings
from pi_scanner.errors import PlanError
from pi_scanner.retention.stores import check_stores, stamp_stores, store_identity


def _sql(url: str, **extra: object) -> SqlConnectorConfig:
    return SqlConnectorConfig(url=url, **extra)  # type: ignore[arg-type]


def test_the_same_store_whatever_the_user_password_or_replica() -> None:
    base = store_identity(_sql("postgresql+psycopg://a@db.school:5432/sis"))
    assert base == store_identity(_sql("postgresql+psycopg://b:secret@DB.school:5432/sis",
                                       read_replica_url="postgresql+psycopg://r@replica/sis"))
    assert base != store_identity(_sql("postgresql+psycopg://a@db.school:5432/sis_staging"))
    assert base != store_identity(_sql("postgresql+psycopg://a@db2.school:5432/sis"))
    assert base != store_identity(_sql("mysql+pymysql://a@db.school:5432/sis"))


def test_a_relative_sqlite_file_is_named_by_where_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    here = store_identity(_sql("sqlite:///school.db"))
    assert here == store_identity(_sql(f"sqlite:///{tmp_path / 'a' / 'school.db'}"))
    monkeypatch.chdir(tmp_path / "b")
    assert store_identity(_sql("sqlite:///school.db")) != here


def test_a_plan_is_refused_when_its_connector_moved() -> None:
    made = parse_settings({"connectors": {"school": {"type": "sql", "url": "postgresql+psycopg://u@h/sis"}}})
    moved = parse_settings({"connectors": {"school": {"type": "sql", "url": "postgresql+psycopg://u@h/other"}}})
    items = [{"connector": "school", "kind": "table"}]
    stamp_stores(items, made)
    check_stores(items, made)
    with pytest.raises(PlanError, match="other stores than 'school'"):
        check_stores(items, moved)
    check_stores([{"connector": "school"}], moved)  # a plan made before stores were recorded: not checked
