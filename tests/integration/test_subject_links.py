"""Erasing one pupil from a known record follows the data map (RosarioSIS from the corpus, PostgreSQL and MariaDB).

RosarioSIS (dev half of the real-schema corpus) is loaded with its declared keys and generated rows, scanned
by the real scan path, and one pupil is erased starting from ``--record <connector>/<schema>.students:<id>``:
every row of that pupil in every table that points at it goes, no row of any other pupil does, the
foreign keys hold throughout (deepest rows first), the ledger verifies, and applying the plan again
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks.corpus.load import discover, generate_rows, load, open_server

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.keys import load_hmac_key
from pi_scanner.retention.ledger import Ledger
from pi_scanner.scanner import run_scan
from pi_scanner.subjects.apply import apply_subject_plan
from pi_scanner.subjects.traverse import erase_plan_from_record
from tests.conftest import _unavailable

AS_OF = dt.date(2026, 3, 15)


def _links_to_students(labels: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for src, dst in labels["links"].items():
        if dst.lower() == "students.student_id":
            table, column = src.split(".", 1)
            out.append((table, column))
    return out


def _counts(engine: sa.Engine, schema: str | None, pupil: Any, refs: list[tuple[str, str]]) -> dict[str, Any]:
    md = sa.MetaData()
    md.reflect(engine, schema=schema)
    out: dict[str, Any] = {"total": {}, "pupil": {}, "others": {}}
    with engine.connect() as conn:
        for table in md.tables.values():
            out["total"][table.name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for name, column in refs:
            table = next(t for t in md.tables.values() if t.name == name)
            col = table.c[column]
            out["pupil"][name] = conn.execute(sa.select(sa.func.count()).where(col == pupil)).scalar_one()
            out["others"][name] = conn.execute(
                sa.select(sa.func.count()).select_from(table).where(sa.or_(col != pupil, col.is_(None)))
            ).scalar_one()
    return out


def _busiest_pupil(engine: sa.Engine, schema: str | None, refs: list[tuple[str, str]]) -> Any:
    """The pupil with rows in the most linked tables (so the walk has something to find)."""
    md = sa.MetaData()
    md.reflect(engine, schema=schema)
    tables_of: dict[Any, set[str]] = {}
    with engine.connect() as conn:
        for name, column in refs:
            table = next(t for t in md.tables.values() if t.name == name)
            for (value,) in conn.execute(sa.select(table.c[column]).distinct()):
                if value is not None:
                    tables_of.setdefault(value, set()).add(name)
    return max(sorted(tables_of, key=str), key=lambda v: len(tables_of[v]))


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_erasing_one_pupil_from_a_record_follows_every_link(dialect: str, tmp_path: Path) -> None:
    (system,) = discover(split="dev", only=["rosariosis"])
    with open_server(dialect) as server:
        down = server.available()
        if down is not None:
            _unavailable(f"{dialect} for the corpus", RuntimeError(down))
        loaded = load(system, server, generate_rows(system, AS_OF))
        assert loaded.failure is None and loaded.url is not None, loaded.failure
        engine = sa.create_engine(loaded.url, poolclass=sa.pool.NullPool)
        schema = "public" if dialect == "postgresql" else sa.make_url(loaded.url).database
        refs = [r for r in _links_to_students(system.labels)]
        pupil = _busiest_pupil(engine, schema, refs)
        before = _counts(engine, schema, pupil, refs)
        assert sum(before["pupil"].values()) >= 3, before["pupil"]  # the pupil has rows in linked tables

        settings = parse_settings({
            "connectors": {"sis": {"type": "sql", "url": loaded.url}},
            "catalog": {"url": f"sqlite:///{tmp_path / 'catalog.db'}"},
        })
        catalog = Catalog.from_config(settings.catalog)
        catalog.migrate()
        run_scan(settings, as_of=AS_OF, catalog=catalog)
        plan, walk = erase_plan_from_record(settings, catalog, f"sis/{schema}.students:{pupil}", AS_OF)
        assert walk.reached[0].path[-1] == "students" and not walk.unreachable
        reached = {r.path[-1] for r in walk.reached}
        for name, n in before["pupil"].items():
            if n:
                assert name in reached, (name, sorted(reached))

        result = apply_subject_plan(plan, settings, catalog)
        assert result.complete, [i for i in result.items if i.status != "done"]
        after = _counts(engine, schema, pupil, refs)
        assert not any(after["pupil"].values()), after["pupil"]  # every row of the pupil is gone
        assert after["others"] == before["others"]  # and no row of any other pupil
        planned = {tuple(i["path"])[-1]: int(i["expected_count"]) for i in plan.items}
        for name, total in before["total"].items():
            assert total - after["total"][name] == planned.get(name, 0), name  # exactly the plan's rows

        key = load_hmac_key(settings.catalog)
        assert Ledger(catalog, key).verify().ok
        again = apply_subject_plan(plan, settings, catalog)
        assert {i.status for i in again.items} == {"already_done"}
        assert _counts(engine, schema, pupil, refs) == after  # a rerun is a no-op
        assert json.dumps(walk.to_json(), default=str)  # the walk is reportable (ids and names only)
        catalog.close()
        engine.dispose()
