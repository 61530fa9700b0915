"""Art. 23 decommission: ``decommission plan`` then ``retention apply`` removes exactly the children's rows."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from typer.testing import CliRunner

from pi_scanner.cli import app
from pi_scanner.demo import make_ric

AS_OF = "2026-03-15"
KEY = "decommission-test-hmac-key-0123456789"


def _estate(url: str) -> tuple[set[int], set[int]]:
    """``students`` (children ids 1..30, adults 31..45 — the service's parents' accounts) and ``staff``."""
    rng = random.Random(7)
    engine = sa.create_engine(url)
    md = sa.MetaData()
    students = sa.Table(
        "students", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(32)),
        sa.Column("id_card", sa.String(18)),
        sa.Column("birth_date", sa.Date),
    )
    staff = sa.Table(
        "staff", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(32)),
        sa.Column("id_card", sa.String(18)),
    )
    md.create_all(engine)
    rows = []
    for i in range(1, 46):
        dob = dt.date(2015 + i % 4, 1 + i % 12, 1 + i % 27) if i <= 30 else dt.date(1980 + i % 10, 3, 1 + i % 27)
        rows.append({"id": i, "name": f"王{'小明' if i <= 30 else '建国'}{i}", "id_card": make_ric(rng, dob),
                     "birth_date": dob})
    with engine.begin() as conn:
        conn.execute(students.insert(), rows)
        conn.execute(staff.insert(), [{"id": i, "name": f"李老师{i}", "id_card": make_ric(rng, dt.date(1975, 5, i))}
                                      for i in range(1, 11)])
    engine.dispose()
    return set(range(1, 31)), set(range(31, 46))


def _ids(url: str, table: str) -> set[int]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        t = sa.Table(table, sa.MetaData(), autoload_with=engine)
        out = {int(r[0]) for r in conn.execute(sa.select(t.c.id))}
    engine.dispose()
    return out


def _exercise(url: str, tmp_path: Path) -> None:
    children, adults = _estate(url)
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({
        "connectors": {"svc": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}", "hmac_key": KEY},
        # A report-only policy's legal hold still binds the decommission: student 5 is kept.
        "retention": [{"name": "appeals", "selector": {"connector": "svc", "tables": ["*.students"]},
                       "anchor": "birth_date", "max_age": "100y",
                       "legal_holds": [{"keys": [[5]], "reason": "appeal pending", "basis": "PIPL 47(2)"}]}],
    }, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    scan = runner.invoke(app, ["scan", "-c", str(config), "--as-of", AS_OF, "-f", "json",
                               "-o", str(tmp_path / "r.json"), "--fail-on", "never"])
    assert scan.exit_code in (0, 1), scan.output
    plan_file = tmp_path / "plan.json"
    res = runner.invoke(app, ["decommission", "plan", "-c", str(config), "--connector", "svc",
                              "--as-of", AS_OF, "-o", str(plan_file)])
    assert res.exit_code == 0, res.output
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    [item] = plan["items"]
    assert item["path"][-1] == "students" and item["anchor"] is None and item["mode"] == "decommission"
    assert {k[0] for k in item["keys"]} == children - {5}
    assert item["legal_hold_exclusions"] == [{"reason": "appeal pending", "basis": "PIPL 47(2)", "count": 1}]
    assert "王小明" not in plan_file.read_text(encoding="utf-8")  # keys, never values
    assert item["store"]  # the store it was planned on: never applied to another one

    # The same connector name pointing at another store is refused before any write.
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text(config.read_text(encoding="utf-8").replace(url, f"sqlite:///{tmp_path / 'other.db'}"),
                         encoding="utf-8")
    moved = runner.invoke(app, ["retention", "apply", str(plan_file), "-c", str(elsewhere)])
    assert moved.exit_code == 2, moved.output
    assert _ids(url, "students") == children | adults

    # Student 12 is removed by hand after planning: existence is re-checked, nothing fails.
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.Table("students", sa.MetaData(), autoload_with=engine).delete().where(sa.column("id") == 12))
    engine.dispose()
    out = runner.invoke(app, ["retention", "apply", str(plan_file), "-c", str(config), "--json"])
    assert out.exit_code == 0, out.output
    [done] = json.loads(out.stdout)["items"]
    assert done["status"] == "done" and done["affected"] == len(children) - 2 and done["residual"] == 0
    assert _ids(url, "students") == adults | {5}
    assert _ids(url, "staff") == set(range(1, 11))
    verify = runner.invoke(app, ["audit", "verify", "-c", str(config)])
    assert verify.exit_code == 0, verify.output

    # An edited plan is refused.
    plan["items"][0]["keys"].append([31])
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    edited = runner.invoke(app, ["retention", "apply", str(plan_file), "-c", str(config)])
    assert edited.exit_code == 2 and 31 in _ids(url, "students")


def test_decommission_sqlite(tmp_path: Path) -> None:
    _exercise(f"sqlite:///{tmp_path / 'svc.db'}", tmp_path)


@pytest.mark.postgres
def test_decommission_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise(pg_url, tmp_path)


def test_decommission_unknown_connector(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"connectors": {}, "catalog": {"url": f"sqlite:///{tmp_path / 'c.db'}",
                                                                      "hmac_key": KEY}}), encoding="utf-8")
    res = CliRunner().invoke(app, ["decommission", "plan", "-c", str(config), "--connector", "nope",
                                   "-o", str(tmp_path / "p.json")])
    assert res.exit_code == 2 and not (tmp_path / "p.json").exists()
