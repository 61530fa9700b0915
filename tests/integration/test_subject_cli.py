"""A subject erasure through the command line: scan, index, find, erase plan, `retention apply`, residual find."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

CHILD = "110105201503041239"
SIBLING = "310115201602290484"
GUARDIAN_PHONE = "13800138000"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd)


def test_erase_through_retention_apply(tmp_path: Path) -> None:
    db = tmp_path / "school.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, jhr_sjh TEXT)")
    con.executemany("INSERT INTO students VALUES (?,?,?,?)", [
        (1, "王小明", CHILD, GUARDIAN_PHONE), (2, "王小红", SIBLING, GUARDIAN_PHONE),
    ])
    con.commit()
    con.close()
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(
        f"connectors:\n  school:\n    type: sql\n    url: sqlite:///{db}\n"
        f"catalog:\n  url: sqlite:///{tmp_path / 'catalog.db'}\n",
        encoding="utf-8",
    )
    assert cli("scan", "-c", str(cfg), "--as-of", "2026-03-15", "--fail-on", "never", cwd=tmp_path).returncode == 0
    index = cli("subject", "index", "-c", str(cfg), "--as-of", "2026-03-15", cwd=tmp_path)
    assert index.returncode == 0, index.stderr
    found = cli("subject", "find", "-c", str(cfg), "--id-number", CHILD, "--format", "json", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert CHILD not in found.stdout  # masked unless --reveal
    assert json.loads(found.stdout)["locations"], found.stdout
    plan = tmp_path / "plan.json"
    erase = cli("subject", "erase", "-c", str(cfg), "--id-number", CHILD, "-o", str(plan), "--as-of", "2026-03-15",
                cwd=tmp_path)
    assert erase.returncode == 0, erase.stderr
    assert CHILD not in plan.read_text(encoding="utf-8")
    applied = cli("retention", "apply", str(plan), "-c", str(cfg), cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    rows = sqlite3.connect(db).execute("SELECT sfzh FROM students ORDER BY id").fetchall()
    assert rows == [(SIBLING,)]  # the sibling sharing the guardian's phone survives
    again = cli("retention", "apply", str(plan), "-c", str(cfg), cwd=tmp_path)
    assert again.returncode == 0  # a rerun is a no-op
    verify = cli("audit", "verify", "-c", str(cfg), cwd=tmp_path)
    assert verify.returncode == 0, verify.stdout + verify.stderr
