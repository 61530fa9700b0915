"""Collection-time age end to end on PostgreSQL and MariaDB: ``pi-scanner scan`` (census over every row)
then ``pi-scanner report age-outs`` as subprocesses, counts checked against the known dates of birth, and no
date of birth, name or ID of a canary in any output, report or catalog dump."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa

from pi_scanner.classify.dates import age_out_date, is_child
from pi_scanner.report.json_report import report_schema
from tests.canaries import make_canaries, resident_id

AS_OF = dt.date(2026, 3, 15)
WINDOW = 30


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True, timeout=600, cwd=cwd,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )


def _people(rng: random.Random) -> list[dict[str, object]]:
    """Pupils of an install enrolled years ago (adults now), pupils who turn 14 soon, young children."""
    canaries = make_canaries(40, AS_OF, seed=rng.randrange(2**32))
    people: list[dict[str, object]] = []
    for i, c in enumerate(canaries[:20]):  # enrolled in 2010 aged 6 or 7: adults today
        birth = dt.date(2003, 10, 1) + dt.timedelta(days=rng.randrange(300))
        people.append({"xm": c.name, "sfzh": resident_id(birth, rng), "birth": birth,
                       "rxrq": dt.datetime(2010, 9, 1, 8, 0), "n": i})
    for i in range(8):  # the 14th birthday between as_of - 3 and as_of + 35 days: some in the window, some not
        birth = dt.date(2012, 3, 12) + dt.timedelta(days=i * 5)
        people.append({"xm": f"测{secrets.token_hex(3)}", "sfzh": resident_id(birth, rng), "birth": birth,
                       "rxrq": dt.datetime(2018, 9, 1, 8, 0), "n": 100 + i})
    for i, c in enumerate(canaries[20:]):  # children now, enrolled 2022
        people.append({"xm": c.name, "sfzh": c.resident_id, "birth": c.birth,
                       "rxrq": dt.datetime(2022, 9, 1, 8, 0), "n": 200 + i})
    people[-1]["rxrq"] = None  # no enrolment date: unknown
    people[-2]["rxrq"] = dt.datetime(2000, 1, 1)  # before birth: a conflict
    return people


def _fill(url: str, people: list[dict[str, object]]) -> None:
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    table = sa.Table(
        "xs_jbxx", meta,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("xm", sa.String(20)),
        sa.Column("sfzh", sa.String(18)),
        sa.Column("rxrq", sa.DateTime(timezone=True)),
        sa.Column("create_time", sa.DateTime),
    )
    try:
        meta.create_all(engine)
        with engine.begin() as conn:
            conn.execute(table.insert(), [
                {"xm": p["xm"], "sfzh": p["sfzh"], "rxrq": p["rxrq"], "create_time": dt.datetime(2024, 1, 1)}
                for p in people
            ])
    finally:
        engine.dispose()


def _expected(people: list[dict[str, object]]) -> dict[str, object]:
    births = [p["birth"] for p in people]
    assert all(isinstance(b, dt.date) for b in births)
    until = AS_OF + dt.timedelta(days=WINDOW)
    outs = sorted(age_out_date(b) for b in births if isinstance(b, dt.date) and AS_OF < age_out_date(b) <= until)
    while_child = sum(
        1 for p in people
        if isinstance(p["rxrq"], dt.datetime) and isinstance(p["birth"], dt.date)
        and p["rxrq"].date() >= p["birth"] and is_child(p["birth"], p["rxrq"].date())
    )
    aged_out = sum(
        1 for p in people
        if isinstance(p["rxrq"], dt.datetime) and isinstance(p["birth"], dt.date)
        and p["rxrq"].date() >= p["birth"] and is_child(p["birth"], p["rxrq"].date())
        and not is_child(p["birth"], AS_OF)
    )
    return {"age_outs": len(outs), "next": outs[0].isoformat() if outs else None, "while_child": while_child,
            "aged_out": aged_out}


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
def test_scan_and_age_outs_on_a_real_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = request.getfixturevalue("pg_url" if backend == "postgresql" else "mysql_url")
    rng = random.Random(secrets.randbits(32))
    people = _people(rng)
    _fill(url, people)
    expected = _expected(people)
    assert expected["age_outs"] and expected["aged_out"] == 21  # 20 old pupils and one who turned 14 last week
    catalog = tmp_path / "catalog.db"
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(
        f"catalog:\n  url: sqlite:///{catalog}\nscan:\n  census: true\n"
        f"connectors:\n  school:\n    type: sql\n    url: {url}\n    sample_rows: 20\n",
        encoding="utf-8",
    )
    outputs: list[str] = []

    before = _cli("report", "age-outs", "--config", str(cfg), "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    outputs += [before.stdout, before.stderr]
    assert before.returncode == 2 and "no scan run" in before.stderr  # never an empty "nothing to do"

    scan = _cli("scan", "--config", str(cfg), "--as-of", AS_OF.isoformat(), "--format", "json",
                "--output", str(tmp_path / "report.json"), cwd=tmp_path)
    outputs += [scan.stdout, scan.stderr]
    assert scan.returncode in (0, 1), scan.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, report_schema())
    students = next(a for a in report["assets"] if a["path"][-1] == "xs_jbxx")
    assert "census" in students["notes"] and students["rows_scanned"] == len(people)
    c = students["collection"]
    assert (c["source"], c["column"], c["estimated"]) == ("column", "rxrq", False)
    assert c["records"] == len(people)
    assert c["collected_while_child"] == expected["while_child"]
    assert c["aged_out_since_collection"] == expected["aged_out"]
    assert (c["collection_unknown"], c["collection_conflicts"]) == (1, 1)
    assert c["age_outs"] == {"within_days": WINDOW, "records": expected["age_outs"], "next": expected["next"]}

    for fmt in ("json", "csv", "table"):
        proc = _cli("report", "age-outs", "--config", str(cfg), "--as-of", AS_OF.isoformat(), "--within", "30d",
                    "--format", fmt, cwd=tmp_path)
        outputs += [proc.stdout, proc.stderr]
        assert proc.returncode == 0, proc.stderr
        if fmt == "json":
            doc = json.loads(proc.stdout)
            row = next(r for r in doc["assets"] if r["asset"].endswith("xs_jbxx"))
            assert (row["age_outs"], row["next_age_out"]) == (expected["age_outs"], expected["next"])
            assert not row["estimated"] and row["window_covered"]
        else:
            assert f"{expected['age_outs']}" in proc.stdout and "xs_jbxx" in proc.stdout
    for fmt, name in (("html", "report.html"), ("markdown", "report.md")):
        proc = _cli("report", "--config", str(cfg), "--format", fmt, "--output", str(tmp_path / name), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        outputs.append((tmp_path / name).read_text(encoding="utf-8"))
    assert "Collection-time age" in outputs[-1]

    outputs.append((tmp_path / "report.json").read_text(encoding="utf-8"))
    con = sqlite3.connect(catalog)
    outputs.extend(str(row) for row in con.iterdump())
    con.close()
    blob = "\n".join(outputs)
    for p in people:
        birth = p["birth"]
        assert isinstance(birth, dt.date)
        for secret in (str(p["xm"]), str(p["sfzh"]), str(p["sfzh"])[6:14], birth.isoformat()):
            assert secret not in blob, "a raw name, ID or date of birth was written"
