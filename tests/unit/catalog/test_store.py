from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from pydantic import SecretStr

from pi_scanner.catalog import schema
from pi_scanner.catalog.store import Catalog, CatalogError
from pi_scanner.config import CatalogConfig
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.models import (
    AgeCounts,
    AssetError,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    ColumnFinding,
)

AS_OF = dt.date(2026, 9, 1)
STUDENTS = AssetRef("school", AssetKind.TABLE, ("public", "学生表"))
EXPORT = AssetRef("lake", AssetKind.OBJECT, ("bucket", "exports/2024.csv"))


def _result(asset: AssetRef = STUDENTS, status: ChildStatus = ChildStatus.CHILD) -> AssetResult:
    return AssetResult(
        asset=asset,
        columns=(
            ColumnFinding(
                name="身份证号",
                entity_types=("CN_RESIDENT_ID",),
                confidence=0.97,
                sampled=100,
                matched=97,
                masked_examples=("110105********1239",),
                articles=(9, 10),
                subject_role="subject",
            ),
            ColumnFinding(
                name="jhr_dh",
                entity_types=("CN_MOBILE",),
                confidence=0.4,
                sampled=0,
                matched=0,
                suspected=True,
            ),
        ),
        child_status=status,
        rows_scanned=100,
        ages=AgeCounts(child=80, minor_14_17=15, adult=5, conflicts=1),
        notes=("dob_conflict",),
    )


def test_roundtrip_rebuilds_results_and_errors(tmp_catalog: Catalog) -> None:
    run_id = tmp_catalog.start_run(AS_OF, ["school", "lake"], "cli")
    assert len(run_id) == 32 and int(run_id, 16) >= 0
    tmp_catalog.record_result(run_id, _result(), AssetInfo(STUDENTS, fingerprint="rows=100"))
    tmp_catalog.record_error(run_id, AssetError(EXPORT, "sample", "ConnectorError", "access denied"))
    tmp_catalog.record_error(run_id, AssetError(None, "discover", "ConnectorError", "unreachable"))
    tmp_catalog.finish_run(run_id, "partial")

    run = tmp_catalog.load_run(run_id)
    assert run.as_of == AS_OF
    assert run.connectors == ["school", "lake"]
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert run.started_at.tzinfo is not None
    assert run.results == [_result()]
    assert run.errors == [
        AssetError(EXPORT, "sample", "ConnectorError", "access denied"),
        AssetError(None, "discover", "ConnectorError", "unreachable"),
    ]
    assert tmp_catalog.run_status(run_id) == "partial"


def test_recording_same_asset_twice_replaces(tmp_catalog: Catalog) -> None:
    run_id = tmp_catalog.start_run(AS_OF, ["school"], "cli")
    tmp_catalog.record_result(run_id, _result(status=ChildStatus.UNKNOWN))
    tmp_catalog.record_result(run_id, _result(status=ChildStatus.CHILD))
    run = tmp_catalog.load_run(run_id)
    assert [r.child_status for r in run.results] == [ChildStatus.CHILD]
    assert len(run.results[0].columns) == 2


def test_asset_fingerprint_is_the_last_recorded(tmp_catalog: Catalog) -> None:
    assert tmp_catalog.asset_fingerprint(STUDENTS) is None
    r1 = tmp_catalog.start_run(AS_OF, ["school"], "cli")
    tmp_catalog.record_result(r1, _result(), AssetInfo(STUDENTS, fingerprint="rows=100"))
    r2 = tmp_catalog.start_run(AS_OF, ["school"], "cli")
    tmp_catalog.record_result(r2, _result(), AssetInfo(STUDENTS, fingerprint="rows=120"))
    # A result without info keeps the previous fingerprint.
    tmp_catalog.record_result(r2, _result())
    assert tmp_catalog.asset_fingerprint(STUDENTS) == "rows=120"
    other = AssetRef("school", AssetKind.TABLE, ("public", "学生"))
    assert tmp_catalog.asset_fingerprint(other) is None


def test_latest_and_list_runs(tmp_catalog: Catalog) -> None:
    assert tmp_catalog.latest_run_id() is None
    first = tmp_catalog.start_run(AS_OF, ["school"], "schedule")
    tmp_catalog.record_result(first, _result())
    tmp_catalog.finish_run(first, "ok")
    second = tmp_catalog.start_run(AS_OF, ["school"], "cli")
    tmp_catalog.record_error(second, AssetError(STUDENTS, "sample", "X", "boom"))
    assert tmp_catalog.latest_run_id() == second
    assert tmp_catalog.latest_run_id("ok") == first
    assert tmp_catalog.latest_run_id("failed") is None
    runs = tmp_catalog.list_runs()
    assert [r.run_id for r in runs] == [second, first]
    assert (runs[0].status, runs[0].assets, runs[0].errors) == ("running", 0, 1)
    assert (runs[1].status, runs[1].assets, runs[1].errors, runs[1].trigger) == ("ok", 1, 0, "schedule")
    assert len(tmp_catalog.list_runs(limit=1)) == 1


def test_bad_status_and_unknown_run(tmp_catalog: Catalog) -> None:
    run_id = tmp_catalog.start_run(AS_OF, [], "cli")
    with pytest.raises(ValueError, match="status"):
        tmp_catalog.finish_run(run_id, "done")
    with pytest.raises(CatalogError, match="no scan run"):
        tmp_catalog.finish_run("0" * 32, "ok")
    with pytest.raises(CatalogError, match="no scan run"):
        tmp_catalog.load_run("0" * 32)


def test_sqlite_file_is_private_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cat.db"
    with Catalog(f"sqlite:///{path}") as cat:
        cat.migrate()
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        with cat.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_migrate_is_idempotent_and_upgrades_older(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cat.db'}"
    with Catalog(url) as cat:
        assert cat.current_revision() is None
        with cat.engine.begin() as conn:
            cfg = cat.alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001_initial")
        run_id = cat.start_run(AS_OF, ["school"], "cli")
        cat.migrate()
        cat.migrate()
        head = command.ScriptDirectory.from_config(cat.alembic_config()).get_current_head()
        assert cat.current_revision() == head
        assert cat.load_run(run_id).run_id == run_id
        tables = set(sa.inspect(cat.engine).get_table_names())
        assert set(schema.metadata.tables) <= tables
        assert schema.VERSION_TABLE in tables


def test_migration_matches_schema_module(tmp_path: Path) -> None:
    # The hand-written revisions and schema.py must describe the same tables.
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with Catalog(f"sqlite:///{tmp_path / 'cat.db'}") as cat:
        cat.migrate()
        with cat.engine.connect() as conn:
            # Later revisions (0002_...) add tables of other features, described by their own modules.
            def ours(name: str | None, type_: str, parent: object) -> bool:
                return type_ != "table" or name in schema.metadata.tables

            opts = {"version_table": schema.VERSION_TABLE, "include_name": ours}
            ctx = MigrationContext.configure(conn, opts=opts)
            diff = compare_metadata(ctx, schema.metadata)
    assert diff == []


def test_password_is_merged_but_never_shown() -> None:
    cat = Catalog("postgresql://scanner@db.invalid/catalog", SecretStr("s3cret-pw"))
    try:
        assert cat.engine.url.password == "s3cret-pw"
        assert cat.engine.url.drivername == "postgresql+psycopg"
        assert "s3cret-pw" not in repr(cat) and "s3cret-pw" not in cat.url_masked
        assert "s3cret-pw" not in repr(cat.engine)
    finally:
        cat.close()


def test_from_config(tmp_path: Path) -> None:
    cfg = CatalogConfig(url=f"sqlite:///{tmp_path / 'c.db'}")
    with Catalog.from_config(cfg) as cat:
        cat.migrate()
        assert cat.latest_run_id() is None


def test_unreachable_catalog_is_a_clear_error() -> None:
    cat = Catalog("postgresql://scanner@127.0.0.1:1/catalog", SecretStr("pw-xyz"))
    try:
        with pytest.raises(CatalogError) as info:
            cat.migrate()
        assert "pw-xyz" not in str(info.value) and "***" in str(info.value)
    finally:
        cat.close()


def test_invalid_url_is_config_error() -> None:
    from pi_scanner.errors import ConfigError

    with pytest.raises(ConfigError):
        Catalog("not a url")
