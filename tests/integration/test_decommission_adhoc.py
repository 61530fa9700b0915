"""Art. 23 without a config file: ``scan URL``, ``decommission plan URL``, ``retention apply plan URL``, then
``audit verify --catalog`` on the ad-hoc catalog in the state directory.

The school keeps pupils and their grades, attendance and medical visits in tables that point at ``students``
without declaring it. The plan lists every linked table with its count; with ``--cascade inferred`` it
deletes the pupils' linked rows first; adults' rows and theirs stay. ``audit`` without ``--config`` or
``--catalog``, or with a catalog that does not exist, is a usage error (exit 2) and creates nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

from pi_scanner.demo import make_ric

AS_OF = "2026-03-15"
CHILDREN = range(1, 31)
ADULTS = range(31, 41)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True, timeout=600,
                          cwd=cwd, env={**os.environ, "COLUMNS": "250"})


def _school(db: Path) -> None:
    rng = random.Random(23)
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE TABLE students (student_id INTEGER PRIMARY KEY, xm TEXT, csrq DATE, sfzh TEXT);
        CREATE TABLE grades (id INTEGER PRIMARY KEY, student_id INTEGER, course TEXT, score INTEGER);
        CREATE TABLE attendance (id INTEGER PRIMARY KEY, student_id INTEGER, day DATE, status TEXT);
        CREATE TABLE medical_visits (visit_id INTEGER PRIMARY KEY, student_id INTEGER, complaint TEXT);
    """)
    for i in [*CHILDREN, *ADULTS]:
        dob = dt.date(2014 + i % 5, 1 + i % 12, 1 + i % 27) if i in CHILDREN else dt.date(1982, 1 + i % 12, 3)
        con.execute("INSERT INTO students VALUES (?,?,?,?)", (i, f"王小{i}", dob.isoformat(), make_ric(rng, dob)))
        for k in range(2):
            con.execute("INSERT INTO grades VALUES (?,?,?,?)", (i * 10 + k, i, "math", 70 + k))
            con.execute("INSERT INTO attendance VALUES (?,?,?,?)", (i * 10 + k, i, "2025-10-0" + str(k + 1), "ok"))
        con.execute("INSERT INTO medical_visits VALUES (?,?,?)", (i, i, "cough"))
    con.commit()
    con.close()


def _pupils(db: Path, table: str) -> set[int]:
    con = sqlite3.connect(db)
    try:
        return {int(r[0]) for r in con.execute(f"SELECT student_id FROM {table}")}
    finally:
        con.close()


def test_decommission_without_a_config_file(tmp_path: Path) -> None:
    db = tmp_path / "school.db"
    _school(db)
    url = f"sqlite:///{db}"
    scan = _cli("scan", url, "--as-of", AS_OF, "--fail-on", "never", "-f", "json", "-o", str(tmp_path / "r.json"),
                cwd=tmp_path)
    assert scan.returncode == 0, scan.stderr
    plan = tmp_path / "plan.json"
    made = _cli("decommission", "plan", url, "--as-of", AS_OF, "-o", str(plan), "--cascade", "inferred", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    doc = json.loads(plan.read_text(encoding="utf-8"))
    (root,) = [i for i in doc["items"] if i["path"][-1] == "students" and i.get("mode") != "linked"]
    assert root["expected_count"] == len(CHILDREN)  # adults' rows stay
    listed = {e["path"][-1]: e for e in root["linked"]}
    assert {t: listed[t]["rows"] for t in ("grades", "attendance", "medical_visits")} == {
        "grades": 2 * len(CHILDREN), "attendance": 2 * len(CHILDREN), "medical_visits": len(CHILDREN)}
    assert all(listed[t]["action"] == "delete" for t in ("grades", "attendance", "medical_visits"))
    assert "linked to" in made.stderr and "grades" in made.stderr  # the listing is printed
    assert not list(tmp_path.glob("*catalog*"))  # the ad-hoc catalog lives in the state directory

    applied = _cli("retention", "apply", str(plan), url, cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    for table in ("students", "grades", "attendance", "medical_visits"):
        assert _pupils(db, table) == set(ADULTS), table

    state = Path(os.environ["XDG_STATE_HOME"]) / "pi-scanner" / "catalog.db"
    verify = _cli("audit", "verify", "--catalog", f"sqlite:///{state}", cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    entries = int(verify.stdout.split()[0])
    assert entries >= 4  # a batch per table at least
    shown = _cli("audit", "show", "--catalog", f"sqlite:///{state}", cwd=tmp_path)
    assert shown.returncode == 0 and "retention.delete" in shown.stdout, shown.stderr
    exported = _cli("audit", "export", "--catalog", f"sqlite:///{state}", "-o", str(tmp_path / "l.jsonl"),
                    cwd=tmp_path)
    assert exported.returncode == 0 and len((tmp_path / "l.jsonl").read_text().splitlines()) == entries

    # Tampering with the ad-hoc ledger is caught without a config file too.
    con = sqlite3.connect(state)
    con.execute("UPDATE audit_ledger SET count = count + 1 WHERE seq = (SELECT max(seq) FROM audit_ledger)")
    con.commit()
    con.close()
    assert _cli("audit", "verify", "--catalog", f"sqlite:///{state}", cwd=tmp_path).returncode == 1


def test_decommission_without_cascade_lists_and_refuses(tmp_path: Path) -> None:
    db = tmp_path / "school.db"
    _school(db)
    url = f"sqlite:///{db}"
    assert _cli("scan", url, "--as-of", AS_OF, "--fail-on", "never", cwd=tmp_path).returncode == 0
    plan = tmp_path / "plan.json"
    made = _cli("decommission", "plan", url, "--as-of", AS_OF, "-o", str(plan), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "will be refused" in made.stderr
    doc = json.loads(plan.read_text(encoding="utf-8"))
    assert not [i for i in doc["items"] if i.get("mode") == "linked"]
    applied = _cli("retention", "apply", str(plan), url, cwd=tmp_path)
    assert applied.returncode == 3, applied.stdout + applied.stderr  # refused
    assert _pupils(db, "students") == set(CHILDREN) | set(ADULTS)
    assert _pupils(db, "grades") == set(CHILDREN) | set(ADULTS)


def test_audit_needs_a_catalog(tmp_path: Path) -> None:
    bare = _cli("audit", "verify", cwd=tmp_path)
    assert bare.returncode == 2 and "--catalog" in bare.stderr
    missing = tmp_path / "nowhere.db"
    gone = _cli("audit", "verify", "--catalog", f"sqlite:///{missing}", cwd=tmp_path)
    assert gone.returncode == 2 and "no catalog" in gone.stderr
    assert not missing.exists()  # never created: an empty ledger would read as intact
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x INTEGER)").connection.close()
    assert _cli("audit", "show", "--catalog", f"sqlite:///{other}", cwd=tmp_path).returncode == 2
    assert _cli("decommission", "plan", "-o", str(tmp_path / "p.json"), cwd=tmp_path).returncode == 2
