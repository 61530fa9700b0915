"""A name + birth-date request finds a pupil whose birth date sits in a custom field (PostgreSQL, MariaDB).

RosarioSIS keeps a pupil's birth date in ``students.custom_200000004``, labelled "Birthdate" by a row of
``custom_fields``; the scan relabels the column from that definition and classifies it as a birth date. The
subject index takes the birth-date column from that finding (named by the real column), so ``subject find
--name … --birth-date …`` run as a user would finds the pupil and walks to the enrolments; the name and date
never appear in its output or in the catalog.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

TARGET = 17
NAME = "Ngozi Okonkwo-Baptiste"


def _dob(i: int) -> dt.date:
    return dt.date(2012 + i % 8, 1 + i % 12, 1 + i % 27)


def _school(url: str) -> None:
    engine = sa.create_engine(url)
    md = sa.MetaData()
    fields = sa.Table("custom_fields", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                      sa.Column("type", sa.String(10)), sa.Column("title", sa.Text),
                      sa.Column("category_id", sa.Integer))
    students = sa.Table("students", md, sa.Column("student_id", sa.Integer, primary_key=True, autoincrement=False),
                        sa.Column("last_name", sa.String(50)), sa.Column("first_name", sa.String(50)),
                        sa.Column("custom_200000000", sa.Text), sa.Column("custom_200000004", sa.Text),
                        sa.Column("custom_200000005", sa.Text))
    enrolment = sa.Table("student_enrollment", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                         sa.Column("student_id", sa.Integer), sa.Column("syear", sa.Integer))
    md.create_all(engine)
    last = ["Walker", "White", "Brown", "Garcia", "Nguyen"]
    with engine.begin() as conn:
        conn.execute(fields.insert(), [{"id": 200000000, "type": "select", "title": "Gender", "category_id": 1},
                                       {"id": 200000004, "type": "date", "title": "Birthdate", "category_id": 1},
                                       {"id": 200000005, "type": "select", "title": "Language", "category_id": 1}])
        conn.execute(students.insert(), [{
            "student_id": i, "last_name": "Okonkwo-Baptiste" if i == TARGET else last[i % 5],
            "first_name": "Ngozi" if i == TARGET else f"Kid{i}", "custom_200000000": "Female",
            "custom_200000004": _dob(i).isoformat(), "custom_200000005": "English"} for i in range(1, 41)])
        conn.execute(enrolment.insert(), [{"id": i * 10 + k, "student_id": i, "syear": 2024 + k}
                                          for i in range(1, 41) for k in range(2)])
    engine.dispose()


def _cli(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True, timeout=900,
                          cwd=tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _exercise(url: str, tmp: Path) -> None:
    _school(url)
    cfg = tmp / "cfg.yaml"
    cfg.write_text(f"connectors:\n  sis: {{type: sql, url: '{url}'}}\ncatalog: {{url: 'sqlite:///{tmp / 'cat.db'}'}}\n",
                   encoding="utf-8")
    outputs = [_cli(tmp, "scan", "-c", str(cfg), "--as-of", "2026-03-15", "--fail-on", "never"),
               _cli(tmp, "subject", "index", "-c", str(cfg), "--as-of", "2026-03-15")]
    # The guardian writes the date their own way.
    birth = _dob(TARGET)
    found = _cli(tmp, "subject", "find", "-c", str(cfg), "--name", "ngozi  OKONKWO-baptiste",
                 "--birth-date", f"{birth.year}年{birth.month}月{birth.day}日", "--format", "json")
    outputs.append(found)
    walk = json.loads(found.stdout)
    reached = {r["path"][-1]: r["keys"] for r in walk["reached"]}
    assert reached["students"] == [[TARGET]], walk
    assert sorted(k[0] for k in reached["student_enrollment"]) == [TARGET * 10, TARGET * 10 + 1]
    written = "".join(o.stdout + o.stderr for o in outputs) + (tmp / "cat.db").read_bytes().decode("latin-1")
    assert NAME not in written and "Ngozi" not in found.stdout and birth.isoformat() not in found.stdout


@pytest.mark.postgres
def test_a_birth_date_in_a_custom_field_finds_the_pupil_postgres(pg_url: str, tmp_path: Path) -> None:
    _exercise(pg_url, tmp_path)


@pytest.mark.mysql
def test_a_birth_date_in_a_custom_field_finds_the_pupil_mariadb(mysql_url: str, tmp_path: Path) -> None:
    _exercise(mysql_url, tmp_path)
