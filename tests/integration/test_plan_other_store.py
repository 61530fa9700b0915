"""A plan is never applied to another store than it was made for (command line, PostgreSQL, MariaDB, SQLite).

Plans name stores by connector name, and a name is not a store: ``school`` may point at one database in the
configuration a plan was made with and at another in the one it is applied with, and ``sqlite:///school.db``
is another file in another directory. ``retention apply`` (and ``subject apply``) refuse such a plan with a
clear error before writing anything; with the store it was made for, it applies.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.integration.test_retention_links import AS_OF, KEY, _school, _state


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pi_scanner", *args], capture_output=True, text=True, timeout=900,
                          cwd=cwd)


def _config(path: Path, url: str, catalog: Path) -> Path:
    path.write_text(yaml.safe_dump({
        "connectors": {"school": {"type": "sql", "url": url}},
        "catalog": {"url": f"sqlite:///{catalog}", "hmac_key": KEY},
        "retention": [{"name": "inactive", "selector": {"connector": "school", "tables": ["*.students"]},
                       "anchor": "last_active_at", "max_age": "365d", "scope": "child_records", "enforce": True,
                       "cascade": "inferred"}],
    }), encoding="utf-8")
    return path


@pytest.mark.postgres
@pytest.mark.mysql
def test_a_retention_plan_is_refused_on_another_database(pg_url: str, mysql_url: str, tmp_path: Path) -> None:
    _school(pg_url)
    _school(mysql_url)  # the same schema and rows: the plan's keys would match there
    made_for = _config(tmp_path / "pg.yaml", pg_url, tmp_path / "cat.db")
    other = _config(tmp_path / "other.yaml", mysql_url, tmp_path / "cat.db")
    assert _cli(tmp_path, "scan", "-c", str(made_for), "--as-of", AS_OF.isoformat(), "--fail-on", "never"
                ).returncode == 0
    planned = _cli(tmp_path, "retention", "plan", "-c", str(made_for), "-o", str(tmp_path / "plan.json"),
                   "--as-of", AS_OF.isoformat())
    assert planned.returncode == 0, planned.stderr
    before = _state(mysql_url)
    refused = _cli(tmp_path, "retention", "apply", str(tmp_path / "plan.json"), "-c", str(other))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "other stores" in refused.stderr and "'school'" in refused.stderr
    assert _state(mysql_url) == before  # nothing written on the other store
    pg_before = _state(pg_url)
    applied = _cli(tmp_path, "retention", "apply", str(tmp_path / "plan.json"), "-c", str(made_for))
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert _state(pg_url) != pg_before  # the store it was made for: applied


def test_a_subject_plan_made_from_a_relative_sqlite_url_is_refused_elsewhere(tmp_path: Path) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    for folder in (here, there):
        _school(f"sqlite:///{folder / 'school.db'}")
    assert _cli(here, "scan", "sqlite:///school.db", "--as-of", AS_OF.isoformat(), "--fail-on", "never"
                ).returncode == 0
    erase = _cli(here, "subject", "erase", "sqlite:///school.db", "--record", "main.students:3", "-o",
                 str(tmp_path / "erase.json"), "--as-of", AS_OF.isoformat())
    assert erase.returncode == 0, erase.stdout + erase.stderr
    before = _state(f"sqlite:///{there / 'school.db'}")
    refused = _cli(there, "retention", "apply", str(tmp_path / "erase.json"), "sqlite:///school.db")
    assert refused.returncode == 2 and "other stores" in refused.stderr, refused.stdout + refused.stderr
    refused = _cli(there, "subject", "apply", str(tmp_path / "erase.json"), "sqlite:///school.db")
    assert refused.returncode == 2 and "other stores" in refused.stderr, refused.stdout + refused.stderr
    assert _state(f"sqlite:///{there / 'school.db'}") == before
    applied = _cli(here, "retention", "apply", str(tmp_path / "erase.json"), "sqlite:///school.db")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert 3 not in {r[0] for r in _state(f"sqlite:///{here / 'school.db'}")["students"]}
