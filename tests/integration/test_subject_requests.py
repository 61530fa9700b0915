"""Subject requests through the CLI with stores named by URL: find, reveal, export, correct, erase with a store
offline, not found, invalid identifiers. SQLite plus a folder of CSV exports, both real."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.cli import app
from pi_scanner.cli.state_dir import CATALOG_FILE, state_dir
from pi_scanner.config import CatalogConfig
from pi_scanner.keys import load_hmac_key
from pi_scanner.retention.ledger import Ledger

CHILD = "110105201503041239"
SIBLING = "310115201602290484"
UNKNOWN = "440305201203150318"  # valid, held nowhere
TYPO = "110105201503041230"  # CHILD with a wrong check digit
PHONE = "13800138000"
AS_OF = "2026-03-15"

runner = CliRunner()


@pytest.fixture
def estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    stores = tmp_path / "stores"
    stores.mkdir()
    con = sqlite3.connect(stores / "school.db")
    con.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, jhr_sjh TEXT)")
    con.executemany("INSERT INTO students VALUES (?,?,?,?)",
                    [(1, "王小明", CHILD, PHONE), (2, "王小红", SIBLING, PHONE), (3, "李四", "330106202011110025",
                                                                                "13900139000")])
    con.commit()
    con.close()
    exports = tmp_path / "exports"
    exports.mkdir()
    with (exports / "roster.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["xm", "id_card", "guardian_phone"])
        w.writerows([["王小明", CHILD, PHONE], ["王小红", SIBLING, PHONE], ["张三", "510107201806010779",
                                                                          "13700137000"]])
    targets = [f"sqlite:///{stores / 'school.db'}", str(exports)]
    ok = runner.invoke(app, ["scan", *targets, "--as-of", AS_OF, "--fail-on", "never", "-f", "json"])
    assert ok.exit_code == 0, ok.output
    ok = runner.invoke(app, ["subject", "index", *targets, "--as-of", AS_OF])
    assert ok.exit_code == 0, ok.output
    return targets


def _ledger(tmp_path: Path) -> list[dict[str, object]]:
    # Ad-hoc runs keep their catalog (and key) in the state directory (conftest isolates it per test).
    cfg = CatalogConfig(url=f"sqlite:///{state_dir() / CATALOG_FILE}")
    with Catalog.from_config(cfg) as cat:
        return [e.to_json() for e in Ledger(cat, load_hmac_key(cfg, create=False)).entries()]


def _find(targets: list[str], *extra: str) -> tuple[int, str, str]:
    res = runner.invoke(app, ["subject", "find", "--id-number", *extra, *targets, "--as-of", AS_OF,
                              "--format", "json"])
    return res.exit_code, res.stdout, res.stderr


def test_find_by_url_is_masked_and_covers_both_stores(estate: list[str]) -> None:
    code, out, err = _find(estate, CHILD)
    assert code == 0, err
    found = json.loads(out)
    assert {loc["connector"] for loc in found["locations"]} == {"sqlite-school", "fs-exports"}
    assert CHILD not in out and SIBLING not in out and PHONE not in out


def test_reveal_needs_a_reason_and_is_audited(estate: list[str], tmp_path: Path) -> None:
    code, out, err = _find(estate, CHILD, "--reveal")
    assert code == 2 and "reason" in err and CHILD not in out + err
    code, out, err = _find(estate, CHILD, "--reveal", "--reason", "guardian access request 2026-17")
    assert code == 0, err
    assert CHILD in out  # revealed on request
    finds = [e for e in _ledger(tmp_path) if e["action"] == "subject.find"]
    assert finds[-1]["details"]["reveal"] is True  # type: ignore[index]
    assert finds[-1]["details"]["reason"] == "guardian access request 2026-17"  # type: ignore[index]
    assert all(CHILD not in json.dumps(e, ensure_ascii=False) for e in _ledger(tmp_path))


def test_not_found_is_success_empty_and_audited(estate: list[str], tmp_path: Path) -> None:
    code, out, err = _find(estate, UNKNOWN)
    assert code == 0, err
    found = json.loads(out)
    assert found["locations"] == [] and found["linked"] == []
    last = [e for e in _ledger(tmp_path) if e["action"] == "subject.find"][-1]
    assert last["count"] == 0 and last["details"]["found"] == 0  # type: ignore[index]


def test_invalid_identifier_is_refused_unless_forced(estate: list[str], tmp_path: Path) -> None:
    before = len(_ledger(tmp_path))
    code, out, err = _find(estate, TYPO)
    assert code == 2 and "--force" in err and TYPO not in out + err
    assert len(_ledger(tmp_path)) == before  # refused before anything was searched
    code, out, err = _find(estate, TYPO, "--force")
    assert code == 0, err
    assert json.loads(out)["locations"] == []  # nobody holds the mistyped number
    assert _ledger(tmp_path)[-1]["action"] == "subject.find"


def test_export_holds_the_child_and_nothing_of_siblings(estate: list[str], tmp_path: Path) -> None:
    out = tmp_path / "access.json"
    res = runner.invoke(app, ["subject", "export", "--id-number", CHILD, "-o", str(out), *estate, "--as-of", AS_OF])
    assert res.exit_code == 0, res.output
    assert os.stat(out).st_mode & 0o777 == 0o600
    text = out.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert {r["store"] for r in doc["records"]} == {"sqlite-school", "fs-exports"}
    assert all(CHILD in json.dumps(r["record"], ensure_ascii=False) for r in doc["records"])
    assert SIBLING not in text and "王小红" not in text  # the sibling sharing the guardian's phone
    assert [e for e in _ledger(tmp_path) if e["action"] == "subject.export"]


def test_correct_one_field_across_stores_via_retention_apply(estate: list[str], tmp_path: Path) -> None:
    plan = tmp_path / "fix.json"
    res = runner.invoke(app, ["subject", "correct", "--field", "xm", "--value", "王晓明", "-o", str(plan),
                              "--id-number", CHILD, *estate, "--as-of", AS_OF])
    assert res.exit_code == 0, res.output
    text = plan.read_text(encoding="utf-8")
    items = json.loads(text)["items"]
    assert {i["connector"] for i in items} == {"sqlite-school", "fs-exports"}
    assert {i["action"] for i in items} == {"update"}
    assert "王晓明" not in text and CHILD not in text  # only keyed hashes are planned
    # retention apply takes the same store URLs the plan was made from (no config file needed).
    wrong = runner.invoke(app, ["retention", "apply", str(plan), *estate, "--value", "王大明"])
    # Refused before anything is written (retention_cli maps this UsageError to exit 3).
    assert wrong.exit_code != 0 and "--value" in wrong.stderr and "王大明" not in wrong.stderr
    res = runner.invoke(app, ["retention", "apply", str(plan), *estate, "--value", "王晓明"])
    assert res.exit_code == 0, res.output
    rows = sqlite3.connect(estate[0].removeprefix("sqlite:///")).execute(
        "SELECT xm FROM students ORDER BY id").fetchall()
    assert rows == [("王晓明",), ("王小红",), ("李四",)]
    roster = list(csv.DictReader((Path(estate[1]) / "roster.csv").open(encoding="utf-8")))
    assert [r["xm"] for r in roster] == ["王晓明", "王小红", "张三"]
    assert [r["id_card"] for r in roster] == [CHILD, SIBLING, "510107201806010779"]
    corrected = [e for e in _ledger(tmp_path) if e["action"] == "subject.correct"]
    assert sorted(e["count"] for e in corrected) == [1, 1]


def test_erase_with_a_store_offline_stays_pending_until_rerun(estate: list[str], tmp_path: Path) -> None:
    plan = tmp_path / "erase.json"
    res = runner.invoke(app, ["subject", "erase", "--id-number", CHILD, "-o", str(plan), *estate, "--as-of", AS_OF])
    assert res.exit_code == 0, res.output
    # The database goes away (its volume unmounted) between planning and applying.
    (tmp_path / "stores").rename(tmp_path / "stores-offline")
    first = runner.invoke(app, ["subject", "apply", str(plan), *estate])
    assert first.exit_code == 1
    lines = first.stdout.splitlines()
    assert any(line.startswith("pending") and "sqlite-school" in line and "rerun" in line for line in lines)
    assert any(line.startswith("done") and "fs-exports" in line for line in lines)
    assert CHILD not in first.stdout + first.stderr
    roster = (Path(estate[1]) / "roster.csv").read_text(encoding="utf-8")
    assert CHILD not in roster and SIBLING in roster
    (tmp_path / "stores-offline").rename(tmp_path / "stores")
    second = runner.invoke(app, ["subject", "apply", str(plan), *estate])
    assert second.exit_code == 0, second.output
    assert any(line.startswith("done") and "sqlite-school" in line for line in second.stdout.splitlines())
    assert any(line.startswith("already_done") and "fs-exports" in line for line in second.stdout.splitlines())
    rows = sqlite3.connect(estate[0].removeprefix("sqlite:///")).execute("SELECT sfzh FROM students").fetchall()
    assert (CHILD,) not in rows and (SIBLING,) in rows
    code, out, _ = _find(estate, CHILD)
    assert code == 0 and json.loads(out)["locations"] == []
