"""``subject find`` never answers "nothing" for a store it did not search (command line, SQLite + PostgreSQL).

The index was built with the school's store only; a clinic's database (PostgreSQL) is configured later. A
find then says the clinic was not searched (not scanned; then scanned but not indexed) instead of an
answer that reads as "no data there"; once indexed, the warning is gone and the clinic's record is found.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from pi_scanner.demo import make_ric

CHILD = "110105201503041239"


def _cli(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True, timeout=600,
                          cwd=tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.postgres
def test_a_store_missing_from_the_index_is_named(pg_url: str, tmp_path: Path) -> None:
    db = tmp_path / "school.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT)")
    con.executemany("INSERT INTO students VALUES (?,?,?)", [(1, "王小明", CHILD), (2, "王小红", "310115201602290484")])
    con.commit()
    con.close()
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE patients (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT)"))
        rng = random.Random(4)
        others = [make_ric(rng, dt.date(2014, 1 + i, 3)) for i in range(6)]
        conn.execute(sa.text("INSERT INTO patients VALUES (:i, :n, :c)"),
                     [{"i": 7, "n": "王小明", "c": CHILD},
                      *({"i": 8 + i, "n": f"李{i}", "c": c} for i, c in enumerate(others))])
    engine.dispose()
    catalog = f"sqlite:///{tmp_path / 'catalog.db'}"
    school = tmp_path / "school.yaml"
    school.write_text(f"connectors:\n  school: {{type: sql, url: 'sqlite:///{db}'}}\ncatalog: {{url: '{catalog}'}}\n",
                      encoding="utf-8")
    both = tmp_path / "both.yaml"
    both.write_text(f"connectors:\n  school: {{type: sql, url: 'sqlite:///{db}'}}\n  clinic: {{type: sql, url: "
                    f"'{pg_url}'}}\ncatalog: {{url: '{catalog}'}}\n", encoding="utf-8")
    _cli(tmp_path, "scan", "-c", str(school), "--as-of", "2026-03-15", "--fail-on", "never")
    _cli(tmp_path, "subject", "index", "-c", str(school), "--as-of", "2026-03-15")

    def find() -> tuple[dict[str, object], str]:
        done = _cli(tmp_path, "subject", "find", "-c", str(both), "--id-number", CHILD, "--format", "json")
        return json.loads(done.stdout), " ".join(done.stderr.split())  # the console wraps long lines

    doc, err = find()
    assert "clinic: not scanned" in err and doc["not_indexed"], err
    assert {loc["asset"] for loc in doc["locations"]} == {"school:main/students"}  # type: ignore[union-attr]
    _cli(tmp_path, "scan", "-c", str(both), "--as-of", "2026-03-15", "--fail-on", "never")
    doc, err = find()
    assert "clinic: holds PI per the latest scan but is not in the subject index" in err, err
    _cli(tmp_path, "subject", "index", "-c", str(both), "--as-of", "2026-03-15")
    doc, err = find()
    assert "not searched" not in err and not doc["not_indexed"], err
    assert {loc["asset"] for loc in doc["locations"]} == {"school:main/students", "clinic:public/patients"}, doc  # type: ignore[union-attr]
    assert CHILD not in json.dumps(doc) + err
