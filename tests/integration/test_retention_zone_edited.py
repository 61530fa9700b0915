"""A policy's ``anchor_timezone`` edited between plan and apply does not move what is deleted (PostgreSQL, MariaDB).

Anchors are naive timestamps read in the policy's zone. A plan made with ``Asia/Shanghai`` counts the rows
whose naive anchor falls in the 8 hours between the Shanghai and the UTC reading of its cut-off; applied after
the policy was edited to ``UTC``, the re-checked DELETE still uses the plan's zone: exactly the planned rows
go.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.retention.enforcer import apply_plan
from pi_scanner.retention.planner import build_plan
from pi_scanner.retention.policy import cutoff_for, parse_policies
from pi_scanner.scanner import run_scan

AS_OF = dt.date(2026, 3, 15)
KEY = b"zone-edited-test-hmac-key-0123456789abcdef"


def _settings(url: str, tmp: Path, zone: str) -> Settings:
    return parse_settings({
        "connectors": {"school": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp / 'cat.db'}"},
        "retention": [{"name": "visits", "selector": {"connector": "school", "tables": ["*.visits"]},
                       "anchor": "visited_at", "max_age": "365d", "scope": "all_records", "enforce": True,
                       "anchor_timezone": zone}],
    })


def _exercise(url: str, tmp: Path) -> None:
    shanghai = _settings(url, tmp, "Asia/Shanghai")
    cutoff = cutoff_for(parse_policies(shanghai.retention)[0], AS_OF).replace(tzinfo=None)  # naive UTC
    # Hours after the naive UTC cut-off: expired read in Shanghai (cut-off + 8 h), not read in UTC.
    rows: list[dict[str, Any]] = [{"id": i, "visited_at": cutoff + dt.timedelta(hours=h)}
                                  for i, h in enumerate((-30, -1, 2, 5, 7, 9, 30), start=1)]
    engine = sa.create_engine(url)
    md = sa.MetaData()
    visits = sa.Table("visits", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                      sa.Column("visited_at", sa.DateTime), sa.Column("xm", sa.String(20)))
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(visits.insert(), [{**r, "xm": f"王小{r['id']}"} for r in rows])
    catalog = Catalog.from_config(shanghai.catalog)
    catalog.migrate()
    run_scan(shanghai, as_of=AS_OF, catalog=catalog)
    plan = build_plan(shanghai, catalog, AS_OF, KEY)
    (item,) = plan.items
    planned = {k[0] for k in plan.keys(item)}
    assert planned == {1, 2, 3, 4, 5}, planned  # before cut-off + 8 h
    edited = _settings(url, tmp, "UTC")
    result = apply_plan(plan, edited, catalog, hmac_key=KEY)
    assert result.ok, result.to_json()
    with engine.connect() as conn:
        left = {int(r[0]) for r in conn.execute(sa.select(visits.c.id))}
    assert left == {6, 7}  # exactly the planned rows went
    plan.close()
    catalog.close()
    engine.dispose()


@pytest.mark.postgres
def test_an_edited_anchor_zone_keeps_the_planned_rows_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise(pg_url, tmp_path)


@pytest.mark.mysql
def test_an_edited_anchor_zone_keeps_the_planned_rows_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise(mysql_url, tmp_path)
