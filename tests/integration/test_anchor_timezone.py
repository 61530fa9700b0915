"""Collection-time age reads a retention anchor's naive timestamps in the policy's ``anchor_timezone``.

Thirty pupils born 2012-03-14 (under 14 in law until the day after their 14th birthday, 2026-03-15) were
registered at ``2026-03-14 23:30`` (naive) in the column a retention policy counts from. Read in
Asia/Shanghai that is the birthday itself: collected while a child. Read in UTC it is 07:30 on 2026-03-15 in
Shanghai: collected at 14, not as a child. The sample
(classifier) and the census (PostgreSQL's ``timezone()`` day in SQL; MariaDB's rows in Python) must agree
with the policy, on real databases.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.scanner import run_scan
from tests.canaries import resident_id

AS_OF = dt.date(2026, 3, 20)
BIRTH = dt.date(2012, 3, 14)
REGISTERED = dt.datetime(2026, 3, 14, 23, 30)  # naive
PUPILS = 30


def _seed(url: str) -> str:
    """The table, filled; returns its ``schema.table`` for the policy's selector."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    meta = sa.MetaData()
    table = sa.Table("pupils", meta, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                     sa.Column("sfzh", sa.String(18)), sa.Column("t_mark", sa.DateTime))
    meta.create_all(engine)
    rng = random.Random(7)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": i, "sfzh": resident_id(BIRTH, rng), "t_mark": REGISTERED}
                                      for i in range(1, PUPILS + 1)])
        schema = "public" if engine.dialect.name == "postgresql" else conn.exec_driver_sql("SELECT DATABASE()").scalar()
    engine.dispose()
    return f"{schema}.pupils"


@pytest.mark.parametrize("backend", [pytest.param("pg_url", marks=pytest.mark.postgres),
                                     pytest.param("mysql_url", marks=pytest.mark.mysql)])
@pytest.mark.parametrize("census", [False, True])
def test_naive_anchor_read_in_the_policy_zone_at_a_day_boundary(
    backend: str, census: bool, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = str(request.getfixturevalue(backend))
    qualified = _seed(url)
    counts = {}
    for zone in ("Asia/Shanghai", "UTC"):
        settings = parse_settings({
            "connectors": {"db": {"type": "sql", "url": url}},
            "scan": {"census": census},
            "executor": {"type": "local"},
            "retention": [{"name": "pupils", "selector": {"connector": "db", "tables": [qualified]},
                           "max_age": "3y", "anchor": "t_mark", "anchor_timezone": zone}],
        })
        db = tmp_path / (zone.replace("/", "_") + ".db")
        with Catalog(f"sqlite:///{db}") as catalog:
            catalog.migrate()
            (result,) = run_scan(settings, as_of=AS_OF, catalog=catalog, executor="local").run.results
        assert result.collection is not None and result.collection.column == "t_mark", result.collection
        assert result.collection.source == "retention_anchor"
        assert ("census" in result.notes) is census
        counts[zone] = (result.collection.collected_while_child, result.collection.collected_not_child)
    assert counts == {"Asia/Shanghai": (PUPILS, 0), "UTC": (0, PUPILS)}
