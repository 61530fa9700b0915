"""``action: anonymize`` on SQLite and PostgreSQL: null/mask/hash/replace, predicate re-check, residual."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import Settings, parse_settings
from pi_scanner.retention.enforcer import anonymised, apply_plan
from pi_scanner.retention.keyset import side_file
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.planner import Plan, build_plan
from pi_scanner.retention.policy import AnonymizeOperator

KEY = b"anonymize-test-hmac-key-0123456789abc"
AS_OF = dt.date(2026, 3, 15)
OPS = {
    "guardian_phone": {"operator": "mask", "keep_start": 3, "keep_end": 4},
    "id_card": {"operator": "hash"},
    "nickname": {"operator": "null"},
    "city": {"operator": "replace", "value": "redacted"},
}


def _make(url: str) -> sa.Table:
    """Rows 1..20: odd ids expired (two years old), even ids recent."""
    engine = sa.create_engine(url)
    table = sa.Table(
        "members", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("nickname", sa.String(64)),
        sa.Column("guardian_phone", sa.String(20)),
        sa.Column("id_card", sa.String(64)),
        sa.Column("city", sa.String(32)),
        sa.Column("last_active_at", sa.DateTime),
    )
    table.metadata.create_all(engine)
    base = dt.datetime(2026, 3, 15, 12)
    with engine.begin() as conn:
        conn.execute(table.insert(), [
            {"id": i, "nickname": f"小{i}", "guardian_phone": f"139{i:08d}", "id_card": f"11010520150307{i:04d}",
             "city": "北京", "last_active_at": base - dt.timedelta(days=730 if i % 2 else 10)}
            for i in range(1, 21)
        ])
    engine.dispose()
    return table


def _settings(url: str, tmp_path: Path) -> Settings:
    return parse_settings({
        "connectors": {"db": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY.decode()},
        "retention": [{
            "name": "anon", "selector": {"connector": "db", "tables": ["*.members"]},
            "anchor": "last_active_at", "max_age": "365d", "action": "anonymize", "anonymize": OPS,
            "enforce": True, "batch_size": 4,
        }],
    })


def _rows(url: str) -> dict[int, dict[str, Any]]:
    engine = sa.create_engine(url)
    table = sa.Table("members", sa.MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        out = {int(r.id): dict(r._mapping) for r in conn.execute(sa.select(table))}
    engine.dispose()
    return out


def _exercise(url: str, tmp_path: Path) -> None:
    _make(url)
    settings = _settings(url, tmp_path)
    before = _rows(url)
    with Catalog(settings.catalog.url) as catalog:
        catalog.migrate()
        built = build_plan(settings, catalog, AS_OF, KEY)
        built.save(tmp_path / "plan.json")
        built.close()
        plan = Plan.from_json(json.loads((tmp_path / "plan.json").read_text()), side_file(tmp_path / "plan.json"))
        assert not plan.errors, plan.errors
        [item] = plan.items
        assert sorted(k[0] for k in plan.keys(item)) == list(range(1, 21, 2))
        # Row 7 is used again after planning: the re-checked predicate must leave it intact.
        engine = sa.create_engine(url)
        table = sa.Table("members", sa.MetaData(), autoload_with=engine)
        with engine.begin() as conn:
            conn.execute(table.update().where(table.c.id == 7).values(last_active_at=dt.datetime(2026, 3, 14)))
        engine.dispose()
        result = apply_plan(plan, settings, catalog, hmac_key=KEY)
        [res] = result.items
        assert result.ok and res.status == "done", result.to_json()
        assert (res.affected, res.batches, res.residual) == (9, 3, 0)
        after = _rows(url)
        assert set(after) == set(before)  # anonymised rows stay
        for i, row in after.items():
            if i % 2 == 0 or i == 7:
                assert {k: v for k, v in row.items() if k != "last_active_at"} == {
                    k: v for k, v in before[i].items() if k != "last_active_at"}
                continue
            assert row["nickname"] is None and row["city"] == "redacted"
            assert row["guardian_phone"] == before[i]["guardian_phone"][:3] + "****" + before[i]["guardian_phone"][-4:]
            assert re.fullmatch(r"[0-9a-f]{64}", row["id_card"]) and row["id_card"] != before[i]["id_card"]
        hashes = {after[i]["id_card"] for i in range(1, 21, 2) if i != 7}
        assert len(hashes) == 9  # keyed hashes keep distinct values distinct
        entries = [e for e in Ledger(catalog, KEY).entries() if e.action == "retention.anonymize"]
        assert sum(e.count for e in entries) == 9 and Ledger(catalog, KEY).verify().ok

        # The residual check sees a row that escaped each operator.
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(table.update().where(table.c.id == 1).values(guardian_phone=before[1]["guardian_phone"]))
            conn.execute(table.update().where(table.c.id == 3).values(id_card=before[3]["id_card"]))
        engine.dispose()
        again = apply_plan(plan, settings, catalog, hmac_key=KEY)
        assert again.items[0].resumed_batches == 3 and again.items[0].residual == 2


@pytest.mark.parametrize(
    ("op", "value", "ok"),
    [
        ({"operator": "null"}, None, True),
        ({"operator": "null"}, "x", False),
        ({"operator": "replace", "value": "r"}, "r", True),
        ({"operator": "replace", "value": "r"}, None, False),
        ({"operator": "mask", "keep_start": 3, "keep_end": 4}, "139****5678", True),
        ({"operator": "mask", "keep_start": 3, "keep_end": 4}, "13912345678", False),
        ({"operator": "mask", "keep_start": 3, "keep_end": 4}, "****", True),
        ({"operator": "hash"}, "a" * 64, True),
        ({"operator": "hash"}, "110105201503071239", False),
    ],
)
def test_anonymised_predicate(op: dict[str, Any], value: Any, ok: bool) -> None:
    assert anonymised(AnonymizeOperator.model_validate(op), value) is ok


def test_anonymize_sqlite(tmp_path: Path) -> None:
    _exercise(f"sqlite:///{tmp_path / 'app.db'}", tmp_path)


@pytest.mark.postgres
def test_anonymize_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise(pg_url, tmp_path)
