"""doctor asks each connector whether it can list privileges instead of testing its config class."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pi_scanner.config import parse_settings
from pi_scanner.doctor import run_doctor


def test_doctor_says_which_connectors_cannot_list_their_privileges(tmp_path: Path) -> None:
    db = tmp_path / "school.db"
    sqlite3.connect(db).close()
    (tmp_path / "tables.json").write_text("{}", encoding="utf-8")
    settings = parse_settings({"connectors": {
        "exports": {"type": "fs", "path": str(tmp_path)},
        "school": {"type": "sql", "url": f"sqlite:///{db}"},
        "fixtures": {"type": "example", "path": str(tmp_path / "tables.json")},
    }})
    reports = {r.connector: r for r in run_doctor(settings)}
    for name, kind in (("exports", "fs"), ("fixtures", "example")):
        (entry,) = reports[name].privileges
        assert entry.level == "unknown" and reports[name].error is None
        assert f"connector '{name}' (type {kind}): cannot list its privileges" in entry.note
    # A connector that declares the capability is examined (sqlite: the file's owner reads it).
    assert reports["school"].kind == "sqlite" and reports["school"].error is None
    assert not any("cannot list" in p.note for p in reports["school"].privileges)
