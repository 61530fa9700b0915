"""``subject export|correct --follow-links`` from the command line, on PostgreSQL and MariaDB.

A pupil is found by the resident ID in ``students``; grades, a bus roster holding a copy of the pupil's
mobile, and a guardians table (a guardian's own mobile, and on one row the pupil's mobile typed into the
guardian's column) point at the pupil without an identifier. Run as a user would (scan, subject index,
subject export/correct, subject apply as subprocesses):

* ``export --follow-links`` writes the pupil's row and every linked row (mode 0600), nothing of another pupil;
* ``correct --field mobile --follow-links`` corrects the pupil's mobile and its copy in the bus roster (the
  same kind of PI about the pupil), lists the guardians table (the copy sits in a guardian's column) and
  leaves it alone; applied, exactly those cells change.

Canary values (the resident ID, the old and new mobile) never appear on stdout/stderr, in the plan or in
the catalog.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.demo import make_ric

PUPILS = 30
TARGET = 7
NEW_MOBILE = "13912345678"


def _mobile(i: int) -> str:
    return f"1380013{i:04d}"


def _guardian_mobile(i: int) -> str:
    return f"1590022{i:04d}"


def _school(url: str) -> dict[int, str]:
    rng = random.Random(11)
    engine = sa.create_engine(url)
    md = sa.MetaData()
    sa.Table("students", md, sa.Column("student_id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("xm", sa.String(32)), sa.Column("csrq", sa.Date), sa.Column("sfzh", sa.String(18)),
             sa.Column("mobile", sa.String(20)))
    sa.Table("grades", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("student_id", sa.Integer), sa.Column("score", sa.Integer))
    sa.Table("bus_roster", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("student_id", sa.Integer), sa.Column("route", sa.String(10)), sa.Column("mobile", sa.String(20)))
    sa.Table("guardians", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("student_id", sa.Integer), sa.Column("jhr_xm", sa.String(32)),
             sa.Column("jhr_sjh", sa.String(20)))
    md.create_all(engine)
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in md.tables}
    ids: dict[int, str] = {}
    for i in range(1, PUPILS + 1):
        dob = dt.date(2013 + i % 6, 1 + i % 12, 1 + i % 27)
        ids[i] = make_ric(rng, dob)
        rows["students"].append({"student_id": i, "xm": f"王小{i}", "csrq": dob, "sfzh": ids[i], "mobile": _mobile(i)})
        rows["grades"] += [{"id": i * 10 + k, "student_id": i, "score": 60 + k} for k in range(3)]
        rows["bus_roster"].append({"id": 100 + i, "student_id": i, "route": "R1", "mobile": _mobile(i)})
        # The target's guardian row carries the pupil's own number in the guardian's column (a typing slip).
        rows["guardians"].append({"id": 200 + i, "student_id": i, "jhr_xm": f"王大{i}",
                                  "jhr_sjh": _mobile(i) if i == TARGET else _guardian_mobile(i)})
    with engine.begin() as conn:
        for name in ("students", "grades", "bus_roster", "guardians"):
            conn.execute(md.tables[name].insert(), rows[name])
    engine.dispose()
    return ids


def _cli(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True, timeout=900,
                          cwd=tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _table(url: str, name: str) -> dict[int, dict[str, Any]]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        table = sa.Table(name, sa.MetaData(), autoload_with=conn)
        out = {int(r[0]): dict(r._mapping) for r in conn.execute(sa.select(table))}
    engine.dispose()
    return out


def _exercise(url: str, tmp: Path) -> None:
    ids = _school(url)
    canaries = [ids[TARGET], _mobile(TARGET), NEW_MOBILE]
    cfg = tmp / "cfg.yaml"
    cfg.write_text(f"connectors:\n  school:\n    type: sql\n    url: {url}\n"
                   f"catalog:\n  url: sqlite:///{tmp / 'catalog.db'}\n", encoding="utf-8")
    outputs = [_cli(tmp, "scan", "-c", str(cfg), "--as-of", "2026-03-15", "--fail-on", "never"),
               _cli(tmp, "subject", "index", "-c", str(cfg), "--as-of", "2026-03-15")]

    export = tmp / "child.json"
    outputs.append(_cli(tmp, "subject", "export", "-c", str(cfg), "--id-number", ids[TARGET], "--follow-links",
                        "-o", str(export)))
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    doc = json.loads(export.read_text(encoding="utf-8"))
    got: dict[str, set[int]] = {}
    for rec in doc["records"]:
        record = rec["record"]
        table = rec["asset"].rsplit("/", 1)[-1]
        got.setdefault(table, set()).add(int(record.get("id", record.get("student_id"))))
        assert int(record["student_id"]) == TARGET, rec["asset"]  # no other pupil's row
    assert got == {"students": {TARGET}, "grades": {TARGET * 10 + k for k in range(3)}, "bus_roster": {100 + TARGET},
                   "guardians": {200 + TARGET}}, got

    value = tmp / "new.txt"
    value.write_text(NEW_MOBILE, encoding="utf-8")
    plan = tmp / "plan.json"
    correct = _cli(tmp, "subject", "correct", "-c", str(cfg), "--id-number", ids[TARGET], "--field", "mobile",
                   "--value-file", str(value), "--follow-links", "-o", str(plan))
    outputs.append(correct)
    assert "guardians" in correct.stderr  # listed: the copy sits in a guardian's column
    items = json.loads(plan.read_text(encoding="utf-8"))["items"]
    assert sorted((i["asset"].rsplit("/", 1)[-1], i["field"]) for i in items) == [
        ("bus_roster", "mobile"), ("students", "mobile")], items
    before = {t: _table(url, t) for t in ("students", "bus_roster", "guardians")}
    outputs.append(_cli(tmp, "subject", "apply", str(plan), "-c", str(cfg), "--value-file", str(value)))
    after = {t: _table(url, t) for t in ("students", "bus_roster", "guardians")}
    assert after["students"][TARGET]["mobile"] == NEW_MOBILE
    assert after["bus_roster"][100 + TARGET]["mobile"] == NEW_MOBILE
    after["students"][TARGET]["mobile"] = after["bus_roster"][100 + TARGET]["mobile"] = _mobile(TARGET)
    assert after == before  # nothing else changed: the guardian's column is left alone
    _cli(tmp, "audit", "verify", "-c", str(cfg))

    written = plan.read_text(encoding="utf-8") + "".join(o.stdout + o.stderr for o in outputs)
    written += (tmp / "catalog.db").read_bytes().decode("latin-1")
    assert not [c for c in canaries if c in written]


@pytest.mark.postgres
def test_export_and_correct_follow_links_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise(pg_url, tmp_path)


@pytest.mark.mysql
def test_export_and_correct_follow_links_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise(mysql_url, tmp_path)
