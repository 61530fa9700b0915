"""Executors: per-connector politeness, same results everywhere, a dying worker, incremental rescans."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.corpus import ric
from pi_scanner.config import Settings, parse_settings
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.errors import ConfigError
from pi_scanner.executors import (
    DaskExecutor,
    Executor,
    ExecutorUnavailableError,
    InProcessExecutor,
    ProcessPoolExecutor,
    make_executor,
)
from pi_scanner.models import AssetKind, AssetRef
from pi_scanner.report.json_report import build_report
from pi_scanner.scanner import run_scan
from pi_scanner.work import DIE_HOOK_ENV, UnitResult, WorkContext, WorkUnit

AS_OF = dt.date(2026, 3, 15)


def make_estate(root: Path, tables: int = 4) -> Settings:
    """A SQLite school database (children, adults, no PI) and a folder of exported CSVs."""
    url = f"sqlite:///{root / 'school.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for t in range(tables):
            conn.execute(sa.text(f"CREATE TABLE students_{t} (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, csrq TEXT)"))
            conn.execute(
                sa.text(f"INSERT INTO students_{t} VALUES (:id, :xm, :sfzh, :csrq)"),
                [{"id": i, "xm": "张三" if i % 2 else "李四",
                  "sfzh": ric("110105", dt.date(2015 - t, 1 + i % 12, 1 + i % 28), i),
                  "csrq": f"{2015 - t}-{1 + i % 12:02d}-{1 + i % 28:02d}"} for i in range(1, 60)],
            )
        conn.execute(sa.text("CREATE TABLE orders (id INTEGER PRIMARY KEY, amount INTEGER)"))
        conn.execute(sa.text("INSERT INTO orders VALUES (1, 10), (2, 20)"))
    engine.dispose()
    folder = root / "exports"
    folder.mkdir()
    lines = ["name,id_number,phone"] + [
        f"王{i},{ric('440305', dt.date(2016, 3, 1 + i), i)},1391234{i:04d}" for i in range(20)
    ]
    (folder / "pupils.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return parse_settings({
        "connectors": {"db": {"type": "sql", "url": url}, "files": {"type": "fs", "path": str(folder)}},
        "executor": {"min_units": 1, "workers": 2, "backoff_s": 0.01},
    })


def _catalog(path: Path) -> Catalog:
    cat = Catalog(f"sqlite:///{path}")
    cat.migrate()
    return cat


def normalised(report: dict[str, Any]) -> str:
    """The report without what legitimately differs between two runs."""
    out = dict(report)
    for key in ("run_id", "started_at", "finished_at"):
        out.pop(key, None)
    return json.dumps(out, sort_keys=True, ensure_ascii=False)


class _Handle:
    def __init__(self, unit: WorkUnit) -> None:
        self.unit = unit


class _Recording(Executor):
    """Hands out units in batches and records how many of each connector were in flight."""

    def __init__(self) -> None:
        super().__init__(retries=0)
        self.running: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.handles: list[WorkUnit] = []

    @property
    def slots(self) -> int:
        return 6

    def _submit(self, unit: WorkUnit, ctx: WorkContext) -> Any:
        self.running[unit.connector] = self.running.get(unit.connector, 0) + 1
        self.peak[unit.connector] = max(self.peak.get(unit.connector, 0), self.running[unit.connector])
        return _Handle(unit)

    def _wait(self, handles: set[Any]) -> set[Any]:
        return {next(iter(handles))}

    def _outcome(self, handle: Any) -> UnitResult:
        self.running[handle.unit.connector] -= 1
        return UnitResult(handle.unit)


def test_units_in_flight_respect_each_connectors_limit() -> None:
    def unit(conn: str, i: int) -> WorkUnit:
        return WorkUnit("sample", conn, AssetInfo(AssetRef(conn, AssetKind.TABLE, ("s", f"t{i}"))))

    units = [unit("db", i) for i in range(10)] + [unit("bucket", i) for i in range(10)]
    ex = _Recording()
    ctx = WorkContext("t", parse_settings({}), AS_OF)
    results = list(ex.run(units, ctx, {"db": 1, "bucket": 3}))
    assert len(results) == 20
    assert ex.peak == {"db": 1, "bucket": 3}


def test_make_executor_choices() -> None:
    cfg = parse_settings({"executor": {"min_units": 5}}).executor
    assert isinstance(make_executor(cfg, kind="process", units=2), InProcessExecutor)  # below min_units
    assert isinstance(make_executor(cfg, kind="local", units=100), InProcessExecutor)
    with pytest.raises(ConfigError, match="address"):
        make_executor(cfg, kind="dask")


def test_unreachable_dask_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExecutorUnavailableError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", timeout_s=1)
    settings = make_estate(tmp_path, tables=1)
    cat = _catalog(tmp_path / "cat.db")
    with pytest.raises(ExecutorUnavailableError):
        run_scan(settings, as_of=AS_OF, catalog=cat, executor="dask", dask_address="tcp://127.0.0.1:9")
    assert cat.list_runs() == []  # nothing recorded: the scan never started
    cat.close()


@pytest.mark.slow
def test_process_pool_matches_in_process_and_survives_a_dying_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_estate(tmp_path)
    cat = _catalog(tmp_path / "cat.db")
    local = run_scan(settings, as_of=AS_OF, catalog=cat, executor="local")
    assert local.executor == "local" and not local.run.errors
    assert any(r.child_status.value == "child" for r in local.run.results)
    # The first worker to run students_2 exits hard mid-unit; the unit must be rerun, nothing lost.
    marker = tmp_path / "died"
    monkeypatch.setenv(DIE_HOOK_ENV, f"{marker}:students_2")
    pooled = run_scan(settings, as_of=AS_OF, catalog=cat, executor="process")
    assert marker.exists(), "the test hook did not fire"
    assert pooled.executor == "process" and not pooled.run.errors
    assert normalised(build_report(pooled.run, pooled.infos)) == normalised(build_report(local.run, local.infos))
    stored = cat.load_run(pooled.run.run_id)
    names = [r.asset.display for r in stored.results]
    assert len(names) == len(set(names)) == len(local.run.results)  # each asset written once, whole
    cat.close()


def test_a_worker_that_keeps_dying_becomes_an_asset_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_estate(tmp_path, tables=1)
    info = AssetInfo(AssetRef("db", AssetKind.TABLE, ("main", "students_0")))
    # No marker file: every attempt dies.
    monkeypatch.setenv(DIE_HOOK_ENV, ":students_0")
    ex = ProcessPoolExecutor(workers=1, retries=1)
    try:
        results = list(ex.run([WorkUnit("sample", "db", info)], WorkContext("die", settings, AS_OF)))
    finally:
        ex.close()
    assert len(results) == 1 and results[0].error is not None
    assert results[0].error.error_type == "WorkerLostError"


def test_incremental_rescan_skips_unchanged_assets_and_says_why(tmp_path: Path) -> None:
    settings = make_estate(tmp_path, tables=2)
    cat = _catalog(tmp_path / "cat.db")
    first = run_scan(settings, as_of=AS_OF, catalog=cat, executor="local")
    second = run_scan(settings, as_of=AS_OF, catalog=cat, executor="local", incremental=True)
    assert set(second.skipped) == {r.asset.display for r in first.run.results}
    assert all(v == f"unchanged since run {first.run.run_id}" for v in second.skipped.values())
    report = build_report(second.run, second.infos)
    assert all(a["skipped"].startswith("unchanged since run ") for a in report["assets"])
    # A reused verdict read nothing in this run: it carries no coverage of its own.
    assert all("coverage" not in a for a in report["assets"])
    unmarked = [{k: v for k, v in a.items() if k != "skipped"} for a in report["assets"]]
    before = build_report(first.run, first.infos)
    before_assets = [{k: v for k, v in a.items() if k != "coverage"} for a in before["assets"]]
    assert normalised({**report, "assets": unmarked, "coverage": None}) == normalised(
        {**before, "assets": before_assets, "coverage": None})
    # One table changes: only it is read again.
    engine = sa.create_engine(str(settings.connectors["db"].url))  # type: ignore[union-attr]
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO students_1 VALUES (999, '赵六', NULL, '2016-01-01')"))
    engine.dispose()
    third = run_scan(settings, as_of=AS_OF, catalog=cat, executor="local", incremental=True)
    assert "db:main/students_1" not in third.skipped
    assert "db:main/students_0" in third.skipped
    assert len(third.run.results) == len(first.run.results)
    full = run_scan(settings, as_of=AS_OF, catalog=cat, executor="local", incremental=False)
    assert full.skipped == {}
    cat.close()


def test_census_counts_every_row_and_reports_rows_scanned(tmp_path: Path) -> None:
    settings = make_estate(tmp_path, tables=1)
    settings = settings.model_copy(update={"connectors": {"db": settings.connectors["db"]}})
    cat = _catalog(tmp_path / "cat.db")
    sampled = run_scan(settings, as_of=AS_OF, catalog=cat, executor="local")
    counted = run_scan(settings, as_of=AS_OF, catalog=cat, executor="local", census=True)
    by = {r.asset.path[-1]: r for r in counted.run.results}
    assert by["students_0"].rows_scanned == 59 and "census" in by["students_0"].notes
    assert by["students_0"].ages.child == 59
    assert "census" not in by["orders"].notes
    assert {r.asset.path[-1]: r.child_status for r in sampled.run.results} == {
        k: v.child_status for k, v in by.items()
    }
    cat.close()


def test_executor_kind_is_another_spelling_of_type() -> None:
    cfg = parse_settings({"executor": {"kind": "dask", "address": "tcp://127.0.0.1:8786"}}).executor
    assert cfg.type == "dask" and cfg.address == "tcp://127.0.0.1:8786"
    with pytest.raises(ConfigError, match="type or kind"):
        parse_settings({"executor": {"kind": "dask", "type": "local"}})


def _units(n: int, rows: int, cols: int = 4, phase: str = "sample", parts: int = 1) -> list[WorkUnit]:
    from pi_scanner.connectors.base import ColumnInfo
    from pi_scanner.work import Partition

    columns = tuple(ColumnInfo(f"c{i}", "TEXT") for i in range(cols))
    return [WorkUnit(phase, "db", AssetInfo(AssetRef("db", AssetKind.TABLE, ("main", f"t{i}")), columns=columns,  # type: ignore[arg-type]
                                            row_count_estimate=rows), Partition(i % parts, parts))
            for i in range(n)]


def test_the_automatic_executor_stays_in_process_until_the_work_pays_for_a_pool() -> None:
    from pi_scanner.executors import AutoExecutor, estimated_seconds

    auto = AutoExecutor(workers=2)
    try:
        # A 200-table school schema and 1,000 small tables: in-process.
        assert isinstance(auto.choose(_units(200, 200, cols=6)), InProcessExecutor)
        assert isinstance(auto.choose(_units(1_000, 20)), InProcessExecutor)
        # A 10 M-row census in 10 key ranges, and big samples: the pool.
        census = _units(10, 10_000_000, phase="census", parts=10)
        assert estimated_seconds(census) > 5
        assert isinstance(auto.choose(census), ProcessPoolExecutor)
        assert isinstance(auto.choose(_units(100, 10_000, cols=8)), ProcessPoolExecutor)
        # One core, or a database that allows one query at a time: never.
        assert isinstance(AutoExecutor(workers=1).choose(census), InProcessExecutor)
        assert isinstance(auto.choose(census, {"db": 1}), InProcessExecutor)
    finally:
        auto.close()


@pytest.mark.slow
def test_an_error_mid_scan_stops_the_pool_workers_at_once(tmp_path: Path) -> None:
    import multiprocessing

    settings = make_estate(tmp_path, tables=6)
    cat = _catalog(tmp_path / "cat.db")

    def boom(connector: str, asset: str, done: int) -> None:
        assert multiprocessing.active_children(), "the pool should be running"
        raise RuntimeError("the coordinator failed")

    with pytest.raises(RuntimeError, match="coordinator failed"):
        run_scan(settings, as_of=AS_OF, catalog=cat, executor="process", progress=boom)
    assert multiprocessing.active_children() == []
    cat.close()


def test_a_database_server_on_this_machine_counts_against_the_pools_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    import pi_scanner.executors as executors

    census = _units(10, 10_000_000, phase="census", parts=10)
    here = parse_settings({"connectors": {"db": {"type": "sql", "url": "postgresql://u@127.0.0.1/x"}}})
    away = parse_settings({"connectors": {"db": {"type": "sql", "url": "postgresql://u@db.internal/x"}}})
    monkeypatch.setattr(executors, "usable_cores", lambda: 2)
    auto = executors.AutoExecutor(workers=2)
    try:
        # Two cores: the reader and the local server already use both.
        assert isinstance(auto.choose(census, {"db": 4}, here), InProcessExecutor)
        assert isinstance(auto.choose(census, {"db": 4}, away), ProcessPoolExecutor)
        monkeypatch.setattr(executors, "usable_cores", lambda: 8)
        bigger = executors.AutoExecutor(workers=8)
        assert isinstance(bigger.choose(census, {"db": 4}, here), ProcessPoolExecutor)
        bigger.close()
    finally:
        auto.close()
