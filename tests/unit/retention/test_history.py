"""Over-retention history: scans on two reference dates give a two-point trend; the annual pack sums the ledger."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import yaml
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.cli import app
from pi_scanner.config import load_settings
from pi_scanner.keys import load_hmac_key
from pi_scanner.retention.history import over_retention_by_run, record_over_retention
from pi_scanner.retention.ledger import Ledger, summarise_year

runner = CliRunner()
CHILD_IDS = ["110105201503041239", "310115201602290484", "440305201203150318", "330106202011110025",
             "510107201806010779"]


def _estate(tmp_path: Path) -> Path:
    db = tmp_path / "school.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, sfzh TEXT, last_active_at TEXT)")
    # Three inactive since early 2024, two since mid 2025: expired at 2026-03-15 → 3, at 2026-09-01 → 5.
    active = ["2024-01-10", "2024-02-10", "2024-03-10", "2025-06-01", "2025-06-02"]
    con.executemany("INSERT INTO students VALUES (?,?,?)",
                    [(i + 1, pid, day) for i, (pid, day) in enumerate(zip(CHILD_IDS, active, strict=True))])
    con.commit()
    con.close()
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(yaml.safe_dump({
        "connectors": {"school": {"type": "sql", "url": f"sqlite:///{db}"}},
        "catalog": {"url": f"sqlite:///{tmp_path / 'catalog.db'}"},
        "retention": [{"name": "inactive-students", "selector": {"connector": "school", "tables": ["*.students"]},
                       "anchor": "last_active_at", "max_age": "365d"}],
    }), encoding="utf-8")
    return cfg


def _scan(cfg: Path, as_of: str) -> dict[str, object]:
    res = runner.invoke(app, ["scan", "-c", str(cfg), "--as-of", as_of, "--fail-on", "never", "-f", "json"])
    assert res.exit_code == 0, res.output
    report: dict[str, object] = json.loads(res.stdout)
    return report


def test_two_scans_draw_a_two_point_over_retention_trend(tmp_path: Path) -> None:
    cfg = _estate(tmp_path)
    first = _scan(cfg, "2026-03-15")
    second = _scan(cfg, "2026-09-01")
    assert first["retention"]["over_retained_records"] == 3  # type: ignore[index]
    assert second["retention"]["over_retained_records"] == 5  # type: ignore[index]
    html = runner.invoke(app, ["compliance", "check", "-c", str(cfg), "--as-of", "2026-09-01", "--no-live",
                               "-f", "html"]).stdout
    figure = html[html.index("<figcaption>Over-retained records</figcaption>"):]
    figure = figure[: figure.index("</figure>")]
    assert "Needs two or more runs" not in figure
    assert len(re.findall(r"<circle ", figure)) == 2
    labels = re.findall(r"text-anchor='middle'>([^<]+)</text>", figure)
    assert labels == ["3", "2026-03-15", "5", "2026-09-01"]
    for pid in CHILD_IDS:
        assert pid not in html


def test_history_replaces_a_recomputed_run_and_skips_unevaluated_assets(tmp_path: Path) -> None:
    with Catalog(f"sqlite:///{tmp_path / 'c.db'}") as cat:
        cat.migrate()
        day = dt.date(2026, 3, 15)
        ok = {"policy": "p", "asset": "s:main/a", "expired": 4, "children": 3}
        broken = {"policy": "p", "asset": "s:main/b", "expired": 0, "children": None, "error": "table gone"}
        assert record_over_retention(cat, "run-1", day, [ok, broken]) == 1
        record_over_retention(cat, "run-1", day, [dict(ok, expired=6)])
        record_over_retention(cat, "run-2", day, [])
        totals = over_retention_by_run(cat, ["run-1", "run-2", "run-3"])
        # run-2 computed no figure and run-3 had no report: neither is drawn as zero.
        assert totals == {"run-1": {"over_retained": 6, "children_over_retained": 3}}


def test_summarise_year_counts_actions_requests_and_verification(tmp_path: Path) -> None:
    with Catalog(f"sqlite:///{tmp_path / 'c.db'}") as cat:
        cat.migrate()
        key = b"k" * 32
        ledger = Ledger(cat, key)
        ledger.append("retention.delete", policy="p", asset="s:main/a", count=7, keys=[[1]])
        ledger.append("retention.delete_objects", policy="p", asset="b:x", count=2, keys=[["k"]])
        ledger.append("retention.anonymize", policy="p", asset="s:main/a", count=3, keys=[[2]])
        ledger.append("subject.find", policy="subject:r1", count=1, details={"request_id": "r1"})
        ledger.append("subject.find", policy="subject:r1", count=1, details={"request_id": "r1"})
        ledger.append("subject.export", policy="subject:r2", count=1, details={"request_id": "r2"})
        ledger.append("subject.erase_plan", policy="subject:r2", count=1, details={"request_id": "r2"})
        ledger.append("subject.delete", policy="subject:r2", count=1, details={"request_id": "r2"})
        ledger.append("subject.correct", policy="subject:r3", count=2, details={"request_id": "r3"})
        year = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).year
        summary = summarise_year(cat, year, key)
        assert summary["entries"] == 9
        assert summary["records_deleted"] == 10 and summary["records_anonymised"] == 3
        assert summary["records_corrected"] == 2
        assert summary["by_action"]["subject.find"] == {"entries": 2, "records": 2}
        assert summary["subject_requests"] == {"total": 2, "by_kind": {"access": 1, "erasure": 1, "export": 1}}
        assert summary["verification"]["status"] == "intact" and summary["verification"]["entries"] == 9
        assert summarise_year(cat, year - 1, key)["entries"] == 0
        assert summarise_year(cat, year)["verification"]["status"] == "not_verified"
        with cat.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE audit_ledger SET count = 70 WHERE seq = 1")
        broken = summarise_year(cat, year, key)
        assert broken["verification"]["status"] == "broken" and broken["records_deleted"] == 73


def test_annual_pack_includes_ledger_summary_and_over_retention(tmp_path: Path) -> None:
    cfg = _estate(tmp_path)
    _scan(cfg, "2026-03-15")
    _scan(cfg, "2026-09-01")
    settings = load_settings(cfg)
    with Catalog.from_config(settings.catalog) as cat:
        Ledger(cat, load_hmac_key(settings.catalog)).append("retention.delete", policy="inactive-students",
                                                           asset="school:main/students", count=3, keys=[[1]])
    res = runner.invoke(app, ["report", "annual", "--year", "2026", "-c", str(cfg), "--as-of", "2026-12-31"])
    assert res.exit_code == 0, res.output
    pack = json.loads(res.stdout)
    ledger = pack["retention_ledger"]
    assert ledger["available"] is True, ledger
    assert ledger["verification"]["status"] == "intact"
    # Each scan recorded its reads (scan.read); the deletion above is counted by action.
    assert ledger["by_action"]["scan.read"]["entries"] >= 2
    assert ledger["records_deleted"] == 3
    assert [(h["as_of"], h.get("over_retained")) for h in pack["history"]] == [("2026-03-15", 3), ("2026-09-01", 5)]


def test_annual_summary_uses_the_shanghai_calendar(tmp_path: Path) -> None:
    year = 2026
    with Catalog(f"sqlite:///{tmp_path / 'c.db'}") as cat:
        cat.migrate()
        key = b"k" * 32
        Ledger(cat, key).append("retention.delete", count=1, keys=[[1]])
        # 31 Dec 2025 17:00 UTC is 1 Jan 2026 01:00 in Shanghai: it belongs to 2026.
        with cat.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE audit_ledger SET recorded_at = '2025-12-31 17:00:00.000000'")
        assert summarise_year(cat, year)["entries"] == 1
        assert summarise_year(cat, year - 1)["entries"] == 0
