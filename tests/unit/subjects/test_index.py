"""Subject index on a SQLite store and catalog: census build, incremental skip, key rotation, lookups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from pydantic import SecretStr

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.scanner import run_scan
from pi_scanner.subjects.index import build_index, is_built, lookup, subject_index
from pi_scanner.subjects.normalize import fingerprint, key_id

AS_OF = dt.date(2025, 6, 1)
CHILD = "110105201503070013"
OTHER = "110105201709120012"


def _setup(tmp_path: Path, key: str) -> tuple[Catalog, object, str]:
    store = f"sqlite:///{tmp_path / 'school.db'}"
    eng = sa.create_engine(store)
    with eng.begin() as c:
        c.execute(sa.text("CREATE TABLE students (id integer primary key, name text, id_number text, "
                          "guardian_phone text)"))
        c.execute(sa.text("INSERT INTO students VALUES (1,'张小明',:a,'13800138000'),(2,'张小红',:b,'13800138000')"),
                  {"a": CHILD, "b": OTHER})
    eng.dispose()
    settings = parse_settings({"connectors": {"db": {"type": "sql", "url": store}},
                               "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": key}})
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    run_scan(settings, as_of=AS_OF, catalog=catalog)
    return catalog, settings, store


def test_build_lookup_incremental_and_rotation(tmp_path: Path) -> None:
    key = "a" * 32
    catalog, settings, _ = _setup(tmp_path, key)
    report = build_index(settings, catalog, AS_OF)  # type: ignore[arg-type]
    assert report.indexed == 1 and report.records == 2 and not report.errors
    kid = key_id(key.encode())
    hits = lookup(catalog, [fingerprint(key.encode(), "resident_id", CHILD)], kid)
    assert [(h.record_key, h.column, h.role) for h in hits] == [("[1]", "id_number", "subject")]
    assert hits[0].child_status in ("child", "likely_child")
    phone = lookup(catalog, [fingerprint(key.encode(), "mobile", "13800138000")], kid)
    assert sorted(h.record_key for h in phone) == ["[1]", "[2]"]
    assert {h.role for h in phone} == {"guardian"}
    with catalog.engine.connect() as c:
        stored = " ".join(str(v) for row in c.execute(sa.select(subject_index)) for v in row)
    assert CHILD not in stored and "13800138000" not in stored  # fingerprints only
    assert build_index(settings, catalog, AS_OF).skipped == 1  # type: ignore[arg-type]
    assert is_built(catalog, kid) and not is_built(catalog, key_id(b"c" * 32))  # another key: not built for it

    catalog_cfg = settings.catalog.model_copy(update={"hmac_key": SecretStr("b" * 32)})  # type: ignore[attr-defined]
    rotated = settings.model_copy(update={"catalog": catalog_cfg})  # type: ignore[attr-defined]
    again = build_index(rotated, catalog, AS_OF)
    assert again.indexed == 1  # a new key id forces a re-index
    assert lookup(catalog, [fingerprint(key.encode(), "resident_id", CHILD)], kid) == []
    new = lookup(catalog, [fingerprint(b"b" * 32, "resident_id", CHILD)], key_id(b"b" * 32))
    assert len(new) == 1
    catalog.close()


def test_lookup_uses_the_fingerprint_index(tmp_path: Path) -> None:
    catalog, _settings, _ = _setup(tmp_path, "a" * 32)
    stmt = sa.select(subject_index).where(subject_index.c.fingerprint == "0" * 64)
    with catalog.engine.connect() as c:
        plan = " ".join(str(r) for r in c.execute(sa.text("EXPLAIN QUERY PLAN " + str(
            stmt.compile(catalog.engine, compile_kwargs={"literal_binds": True})))))
    assert "ix_subject_index_fingerprint" in plan
    catalog.close()


def test_a_connector_that_cannot_census_is_an_index_error_not_an_empty_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pi_scanner import registry
    from pi_scanner.connectors.base import Capability
    from pi_scanner.connectors.sql import SqlConnector

    class SampleOnly(SqlConnector):
        capabilities = frozenset({Capability.SAMPLING})

    key = "a" * 32
    catalog, settings, _ = _setup(tmp_path, key)
    real = registry.load_connector_class
    monkeypatch.setattr(registry, "load_connector_class", lambda t: SampleOnly if t == "sql" else real(t))
    report = build_index(settings, catalog, AS_OF)  # type: ignore[arg-type]
    assert report.indexed == 0
    assert report.errors == ["db: CapabilityError: connector 'db' (type sql): cannot census"]
