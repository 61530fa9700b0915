"""The scanner records one failing asset or store and goes on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pi_scanner import registry
from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.connectors.base import AssetInfo, Capability, Connector
from pi_scanner.errors import ConnectorError, PiScannerError
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample
from pi_scanner.scanner import run_scan


class FlakyConnector(Connector):
    """Three tables; the second cannot be read."""

    type_name: ClassVar[str] = "flaky"

    def describe(self) -> str:
        return "flaky test store"

    def discover(self) -> Iterator[AssetInfo]:
        if self.config.model_dump().get("down"):
            raise ConnectorError(self.name, "connection refused")
        for table in ("a", "broken", "c"):
            yield AssetInfo(AssetRef(self.name, AssetKind.TABLE, ("s", table)), (ColumnInfo("x"),))

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        if asset.ref.path[-1] == "broken":
            raise PiScannerError("relation dropped mid-scan")
        return Sample(asset.ref, asset.columns, [("hello",), ("world",)], complete=True)


@pytest.fixture
def flaky(monkeypatch: pytest.MonkeyPatch) -> None:
    real = registry.load_connector_class

    def load(type_name: str) -> type[Connector]:
        return FlakyConnector if type_name == "flaky" else real(type_name)

    monkeypatch.setattr(registry, "load_connector_class", load)


def test_one_failing_asset_and_one_failing_store_do_not_stop_the_scan(flaky: Any, tmp_path: Path) -> None:
    settings = parse_settings(
        {"connectors": {"up": {"type": "flaky"}, "down": {"type": "flaky", "down": True}}}
    )
    catalog = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    catalog.migrate()
    outcome = run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog)
    run = outcome.run
    assert sorted(r.asset.path[-1] for r in run.results) == ["a", "c"]
    assert outcome.failed_connectors == ["down"]
    stages = sorted((e.stage, e.asset.path[-1] if e.asset else None) for e in run.errors)
    assert stages == [("discover", None), ("sample", "broken")]
    stored = catalog.load_run(run.run_id)
    assert len(stored.results) == 2 and len(stored.errors) == 2
    assert catalog.run_status(run.run_id) == "partial"
    catalog.close()


def test_unknown_connector_name_is_a_config_error(flaky: Any, tmp_path: Path) -> None:
    from pi_scanner.errors import ConfigError

    settings = parse_settings({"connectors": {"up": {"type": "flaky"}}})
    catalog = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    catalog.migrate()
    with pytest.raises(ConfigError, match="unknown connector"):
        run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog, connector_names=["nope"])
    catalog.close()


class NoCensusConnector(FlakyConnector):
    """One table of pupils' ID numbers; declares sampling only, like a plugin that cannot stream."""

    type_name: ClassVar[str] = "nocensus"

    def discover(self) -> Iterator[AssetInfo]:
        yield AssetInfo(AssetRef(self.name, AssetKind.TABLE, ("s", "pupils")), (ColumnInfo("sfzh"),))

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        return Sample(asset.ref, asset.columns, [("110105201503041239",), ("310115201602290484",)], complete=True)


def test_a_census_the_connector_cannot_do_is_recorded_not_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = registry.load_connector_class
    monkeypatch.setattr(registry, "load_connector_class",
                        lambda t: NoCensusConnector if t == "nocensus" else real(t))
    settings = parse_settings({"connectors": {"plug": {"type": "nocensus"}}, "scan": {"census": True}})
    catalog = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    catalog.migrate()
    run = run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog).run
    # The sample's verdict stands; the census asked for is an error naming connector, type and capability.
    assert [r.child_status.value for r in run.results] == ["child"]
    assert "census" not in run.results[0].notes
    assert [(e.stage, e.error_type) for e in run.errors] == [("census", "CapabilityError")]
    assert "connector 'plug' (type nocensus): cannot census" in run.errors[0].message
    assert "110105201503041239" not in run.errors[0].message
    assert catalog.run_status(run.run_id) == "partial"
    catalog.close()


class KeyedTablesConnector(FlakyConnector):
    """Two tables whose keys are listed in discovery's meta; declares the data map, like a plugin may."""

    type_name: ClassVar[str] = "keyed"
    capabilities = frozenset({Capability.SAMPLING, Capability.DATA_MAP})

    def discover(self) -> Iterator[AssetInfo]:
        yield AssetInfo(AssetRef(self.name, AssetKind.TABLE, ("s", "students")),
                        (ColumnInfo("id"), ColumnInfo("sfzh")), meta={"primary_key": ["id"]})
        yield AssetInfo(AssetRef(self.name, AssetKind.TABLE, ("s", "scores")),
                        (ColumnInfo("id"), ColumnInfo("student_id"), ColumnInfo("score")),
                        meta={"primary_key": ["id"], "foreign_keys": {"student_id": "students.id"}})

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        rows = ([(1, "110105201503041239"), (2, "310115201602290484")] if asset.ref.path[-1] == "students"
                else [(1, 1, 90), (2, 2, 80)])
        return Sample(asset.ref, asset.columns, rows, complete=True)


@pytest.mark.parametrize("declares", [True, False])
def test_a_connector_that_declares_the_data_map_gets_its_links(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, declares: bool
) -> None:
    cls = KeyedTablesConnector if declares else type(
        "Undeclared", (KeyedTablesConnector,), {"capabilities": frozenset({Capability.SAMPLING})}
    )
    real = registry.load_connector_class
    monkeypatch.setattr(registry, "load_connector_class", lambda t: cls if t == "keyed" else real(t))
    settings = parse_settings({"connectors": {"plug": {"type": "keyed"}}})
    catalog = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    catalog.migrate()
    run = run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog).run
    links = [(lk.from_path, lk.to_path) for lk in run.links if lk.declared]
    assert links == ([(("s", "scores"), ("s", "students"))] if declares else [])
    catalog.close()


class MapOnlyConnector(FlakyConnector):
    """A plugin that lists keys (so it declares data_map) but runs no SQL: a person table whose role is a
    code in a ``role`` lookup table."""

    type_name: ClassVar[str] = "maponly"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.SAMPLING, Capability.DATA_MAP})

    def discover(self) -> Iterator[AssetInfo]:
        yield AssetInfo(AssetRef(self.name, AssetKind.TABLE, ("s", "role")),
                        (ColumnInfo("id", "integer"), ColumnInfo("name", "varchar")), meta={"primary_key": ["id"]})
        yield AssetInfo(AssetRef(self.name, AssetKind.TABLE, ("s", "person")),
                        (ColumnInfo("id", "integer"), ColumnInfo("role_id", "integer")),
                        meta={"primary_key": ["id"], "foreign_keys": {"role_id": "role.id"}})

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        return Sample(asset.ref, asset.columns, [(1, "Student"), (2, "Teacher")], complete=True)


def test_role_codes_a_plugin_cannot_read_by_sql_are_a_map_problem_not_a_silent_skip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = registry.load_connector_class
    monkeypatch.setattr(registry, "load_connector_class",
                        lambda t: MapOnlyConnector if t == "maponly" else real(t))
    settings = parse_settings({"connectors": {"plug": {"type": "maponly"}}})
    with Catalog(f"sqlite:///{tmp_path / 'cat.db'}") as catalog:
        catalog.migrate()
        run = run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog).run
    problems = [e.message for e in run.errors if e.stage == "map"]
    assert problems == ["plug: role codes not resolved through their lookup tables: "
                        "connector 'plug' (type maponly): cannot run SQL on its tables"], run.errors


def test_sql_capability_is_declared_by_the_sql_connector_and_inherited_by_a_plugin_subclass() -> None:
    from pi_scanner.config import SqlConnectorConfig
    from pi_scanner.connectors.sql import SqlConnector, sql_capable

    class Dialect(SqlConnector):
        type_name: ClassVar[str] = "dialect"

    sql = SqlConnector("db", SqlConnectorConfig(url="sqlite://"))
    plugin = Dialect("d", SqlConnectorConfig(url="sqlite://"))
    try:
        assert sql_capable(sql) is sql and sql_capable(plugin) is plugin
        assert sql_capable(NoCensusConnector("x", None)) is None
    finally:
        sql.close()
        plugin.close()


def test_a_file_map_that_fails_unexpectedly_ends_that_map_not_the_scan(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pi_scanner.datamap import file_links

    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "students.csv").write_text("student_id,sfzh\n1,110105201503041239\n2,310115201602290484\n")
    (folder / "attendance.csv").write_text("attendance_id,student_id\n1,1\n2,2\n")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise EOFError("a reader nobody mapped")

    monkeypatch.setattr(file_links, "relate_files", broken)
    settings = parse_settings({"connectors": {"files": {"type": "fs", "path": str(folder)}},
                               "executor": {"type": "local"}})
    with Catalog(f"sqlite:///{tmp_path / 'cat.db'}") as catalog:
        catalog.migrate()
        run = run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog).run
        status = catalog.run_status(run.run_id)
    assert {r.asset.path[-1] for r in run.results} == {"students.csv", "attendance.csv"}
    assert [(e.stage, e.error_type, e.message) for e in run.errors] == [
        ("map", "EOFError", "files: file map not built")]
    assert status == "partial"
