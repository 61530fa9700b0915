"""A scan on a Dask LocalCluster equals the in-process scan; PostgreSQL census partitions cover growth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.classify.corpus import ric
from pi_scanner.config import SqlConnectorConfig, parse_settings
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.executors import DaskExecutor
from pi_scanner.report.json_report import build_report
from pi_scanner.scanner import run_scan
from pi_scanner.work import WorkContext, census_columns, plan_census
from tests.unit.test_executors import make_estate, normalised

distributed = pytest.importorskip("distributed")

AS_OF = dt.date(2026, 3, 15)
pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _pg_students(url: str, n: int, start: int = 1) -> None:
    engine = sa.create_engine(url)
    md = sa.MetaData()
    table = sa.Table(
        "pupils", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("xm", sa.String(16)),
        sa.Column("sfzh", sa.String(18)),
        sa.Column("jhr_sjh", sa.String(11)),
    )
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [
            {"id": i, "xm": "小明", "sfzh": ric("310101", dt.date(2012 + i % 8, 1 + i % 12, 1 + i % 28), i),
             "jhr_sjh": f"139{i:08d}"}
            for i in range(start, start + n)
        ])
    engine.dispose()


@pytest.fixture
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as lc, distributed.Client(lc) as client:
        yield client


def test_dask_scan_equals_the_local_scan(tmp_path: Path, pg_url: str, cluster: object) -> None:
    _pg_students(pg_url, 400)
    settings = make_estate(tmp_path, tables=2)
    settings = parse_settings({
        **settings.model_dump(mode="json", exclude={"connectors"}),
        "connectors": {
            **{k: v.model_dump(mode="json") for k, v in settings.connectors.items()},
            "pg": {"type": "sql", "url": pg_url, "max_concurrent_queries": 2},
        },
        "scan": {"census": True, "partition_rows": 1_000},
    })
    cat = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    cat.migrate()
    local = run_scan(settings, as_of=AS_OF, catalog=cat, executor="local")
    assert not local.run.errors
    ex = DaskExecutor(cluster)
    import pi_scanner.scanner as scanner_mod

    original = scanner_mod.make_executor
    scanner_mod.make_executor = lambda *a, **k: ex  # type: ignore[assignment]
    try:
        dasked = run_scan(settings, as_of=AS_OF, catalog=cat)
    finally:
        scanner_mod.make_executor = original  # type: ignore[assignment]
    assert dasked.executor == "dask"
    assert normalised(build_report(dasked.run, dasked.infos)) == normalised(build_report(local.run, local.infos))
    pupils = next(r for r in dasked.run.results if r.asset.path[-1] == "pupils")
    assert pupils.rows_scanned == 400 and "census" in pupils.notes
    cat.close()


def test_postgres_census_partitions_cover_rows_added_after_planning(pg_url: str) -> None:
    _pg_students(pg_url, 5_000)
    settings = parse_settings({"connectors": {"pg": {"type": "sql", "url": pg_url}}})
    conn = SqlConnector("pg", SqlConnectorConfig(url=pg_url))
    engine = sa.create_engine(pg_url)
    with engine.begin() as c:
        c.execute(sa.text("ANALYZE pupils"))
    info = next(i for i in conn.discover() if i.ref.path[-1] == "pupils")
    from pi_scanner.classify.classifier import Classifier

    result = Classifier(settings.classifier, AS_OF).classify(conn.sample(info, 1_000))
    cols = census_columns(result)
    assert cols == (("sfzh", "CN_RESIDENT_ID"),)  # the guardian's phone is not an age column
    units = plan_census(conn, info, cols, partition_rows=1_000)
    assert len(units) == 5
    _pg_students(pg_url, 123, start=5_001)  # the table grows between planning and reading
    from pi_scanner.executors import InProcessExecutor

    ex = InProcessExecutor()
    ctx = WorkContext("pg-growth", settings, AS_OF)
    parts = list(ex.run(units, ctx))
    ex.close(ctx)
    assert all(p.error is None for p in parts)
    assert sum(p.census.rows for p in parts if p.census) == 5_123
    conn.close()
    engine.dispose()
