"""Subject requests over the data map's links (SQLite): thresholds, accepted links, plain refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.errors import UsageError
from pi_scanner.scanner import run_scan
from pi_scanner.subjects.apply import apply_subject_plan
from pi_scanner.subjects.requests import find
from pi_scanner.subjects.traverse import erase_plan_from_record, parse_record, walk_record
from tests.unit.datamap import school_fixture as school


@pytest.fixture
def scanned(tmp_path: Path) -> tuple[object, Catalog, sa.Engine]:
    db = tmp_path / "school.db"
    engine = sa.create_engine(f"sqlite:///{db}")
    md = sa.MetaData()
    tables = school.build(md)
    md.create_all(engine)
    with engine.begin() as conn:
        school.fill(conn, tables)
    settings = parse_settings({"connectors": {"db": {"type": "sql", "url": f"sqlite:///{db}"}},
                               "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}"}})
    catalog = Catalog.from_config(settings.catalog)
    catalog.migrate()
    return settings, catalog, engine


def test_parse_record() -> None:
    settings = parse_settings({"connectors": {"db": {"type": "sql", "url": "sqlite:///x.db"}}})
    ref = parse_record("main.students:11", settings)
    assert (ref.connector, ref.path, ref.key) == ("db", ("main", "students"), "11")
    with pytest.raises(UsageError):
        parse_record("students", settings)
    with pytest.raises(UsageError):
        parse_record("other/main.students:1", settings)


def test_no_map_says_so_plainly(scanned: tuple[object, Catalog, sa.Engine]) -> None:
    settings, catalog, _ = scanned
    with pytest.raises(UsageError, match="no data map"):
        walk_record(settings, catalog, "main.students:11")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="index has not been built"):
        find(settings, catalog, {"mobile": "13800138000"}, school.AS_OF, hmac_key=b"k" * 32)  # type: ignore[arg-type]


def test_links_below_the_threshold_are_listed_not_followed(scanned: tuple[object, Catalog, sa.Engine]) -> None:
    settings, catalog, engine = scanned
    run_scan(settings, as_of=school.AS_OF, catalog=catalog)  # type: ignore[arg-type]
    strict = walk_record(settings, catalog, "main.students:11", threshold=0.9)  # type: ignore[arg-type]
    assert "grades.student_id -> students.id" in strict.unconfirmed
    assert "grades" not in {r.path[-1] for r in strict.reached}
    accepted = walk_record(settings, catalog, "main.students:11", threshold=0.9,  # type: ignore[arg-type]
                           accept_links=["grades.student_id -> students.id"])
    assert "grades" in {r.path[-1] for r in accepted.reached}

    plan, walk = erase_plan_from_record(settings, catalog, "main.students:11", school.AS_OF)  # type: ignore[arg-type]
    assert [i["path"][-1] for i in plan.items][-1] == "students"  # deepest rows first, the pupil last
    import json as _json

    # The student number tied the library loans to the pupil: only keyed hashes of it are planned or shown.
    assert "s0001" not in _json.dumps(plan.to_json(), default=str).lower()
    assert "s0001" not in _json.dumps(walk.to_json(), default=str).lower()
    done = apply_subject_plan(plan, settings, catalog)  # type: ignore[arg-type]
    assert done.complete
    with engine.connect() as conn:
        left = dict(conn.execute(sa.text("SELECT student_id, count(*) FROM attendance GROUP BY student_id")).all())
        loans = conn.execute(sa.text("SELECT count(*) FROM library_loans")).scalar_one()
    assert 11 not in left and left == {12: 3, 13: 3}  # the other pupils' rows stay
    assert loans == 2  # both of the pupil's loans went through the student number, with case and space drift
    assert walk.rows == sum(int(i["expected_count"]) for i in plan.items)


def test_cli_find_export_erase_from_a_record(scanned: tuple[object, Catalog, sa.Engine], tmp_path: Path) -> None:
    import json as _json
    import os

    import yaml
    from typer.testing import CliRunner

    from pi_scanner.cli import app

    settings, catalog, _ = scanned
    run_scan(settings, as_of=school.AS_OF, catalog=catalog)  # type: ignore[arg-type]
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump({"connectors": {"db": {"type": "sql", "url": settings.connectors["db"].url}},  # type: ignore[attr-defined]
                                   "catalog": {"url": f"sqlite:///{tmp_path / 'cat.db'}"}}), encoding="utf-8")
    runner = CliRunner()
    found = runner.invoke(app, ["subject", "find", "-c", str(cfg), "--record", "main.students:12", "--format", "json"])
    assert found.exit_code == 0, found.output
    walk = _json.loads(found.stdout)
    assert {r["path"][-1] for r in walk["reached"]} >= {"students", "attendance", "grades", "library_loans"}
    out = tmp_path / "export.json"
    exported = runner.invoke(app, ["subject", "export", "-c", str(cfg), "--record", "main.students:12", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    assert {r["asset"].split("/")[-1] for r in _json.loads(out.read_text(encoding="utf-8"))["records"]} >= {
        "students", "attendance"}
    plan = tmp_path / "plan.json"
    erased = runner.invoke(app, ["subject", "erase", "-c", str(cfg), "--record", "main.students:12", "-o", str(plan),
                                 "--accept-link", "nothing -> here"])
    assert erased.exit_code == 0, erased.output
    assert _json.loads(plan.read_text(encoding="utf-8"))["items"][-1]["path"][-1] == "students"
    bad = runner.invoke(app, ["subject", "find", "-c", str(cfg), "--record", "students"])
    assert bad.exit_code == 2
