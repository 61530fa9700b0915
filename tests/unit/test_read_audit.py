"""Our own reads are recorded in the audit ledger (Art. 15), with identity and reason but no secrets."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from pydantic import SecretStr
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.cli import app
from pi_scanner.config import CatalogConfig, FolderConnectorConfig, S3ConnectorConfig, SqlConnectorConfig
from pi_scanner.keys import load_hmac_key
from pi_scanner.read_audit import ACTION, ReadReason, store_identity
from pi_scanner.retention.ledger import Ledger
from tests.canaries import make_canaries


def test_identity_is_a_user_or_key_id_never_a_secret() -> None:
    sql = SqlConnectorConfig(url="postgresql://scanner:hunter2-secret@db.internal:5432/school")
    assert store_identity(sql) == "postgresql:scanner@db.internal/school"
    with_pw = SqlConnectorConfig(url="mysql://scanner@db/school", password=SecretStr("s3cr3t-pw"))
    assert "s3cr3t-pw" not in store_identity(with_pw) and "scanner@db" in store_identity(with_pw)
    s3 = S3ConnectorConfig(access_key_id="AKIAEXAMPLEKEYID", secret_access_key=SecretStr("wJalrXUtnFEMI/K7MDENG"))
    assert store_identity(s3) == "s3:access-key:AKIAEXAMPLEKEYID"
    assert store_identity(S3ConnectorConfig(profile="scan")) == "s3:profile:scan"
    assert store_identity(FolderConnectorConfig(path="/data")).startswith("fs:os-user:")


def test_reason_takes_the_user_and_truncates(monkeypatch) -> None:
    monkeypatch.setenv("USER", "alice")
    r = ReadReason.on_demand("x" * 500)
    assert r.user == "alice" and len(r.reason) == 200 and r.trigger == "on-demand"


def _estate(tmp_path: Path) -> tuple[Path, list]:
    db = tmp_path / "school.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, phone TEXT)")
    con.execute("CREATE TABLE rooms (id INTEGER PRIMARY KEY, label TEXT)")
    kids = make_canaries(20)
    con.executemany("INSERT INTO students VALUES (?,?,?,?)",
                    [(i, k.name, k.resident_id, k.phone) for i, k in enumerate(kids, 1)])
    con.executemany("INSERT INTO rooms VALUES (?,?)", [(i, f"R{i}") for i in range(5)])
    con.commit()
    con.close()
    return db, kids


def test_scan_records_each_asset_read_with_identity_and_reason(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("USER", "auditor-bob")
    db, kids = _estate(tmp_path)
    catalog_url = f"sqlite:///{tmp_path / 'cat.db'}"
    res = CliRunner().invoke(app, ["scan", f"sqlite:///{db}", "--catalog", catalog_url, "--as-of", "2026-03-15",
                                   "--reason", "quarterly inventory", "-f", "json", "-o", str(tmp_path / "r.json")])
    assert res.exit_code == 1, res.output
    catalog = Catalog(catalog_url)
    try:
        ledger = Ledger(catalog, load_hmac_key(CatalogConfig(url=catalog_url)))
        reads = [e for e in ledger.entries(action=ACTION)]
        assert {e.asset.split(":", 1)[1] for e in reads} == {"main/students", "main/rooms"}
        students = next(e for e in reads if e.asset.endswith("students"))
        assert students.count == 20 and students.actor == "auditor-bob"
        assert students.details["reason"] == "quarterly inventory"
        assert students.details["trigger"] == "on-demand"
        assert students.details["identity"].startswith("sqlite:file-owner:")
        assert students.details["rows"] == 20 and students.basis == "P 15"
        assert ledger.verify().ok
        # Filters of `audit show` (asset glob, time) see them.
        assert [e.asset for e in ledger.entries(asset_glob="*students")] == [students.asset]
        future = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
        assert list(ledger.entries(since=future)) == []
        # A second scan appends, it never rewrites.
        CliRunner().invoke(app, ["scan", f"sqlite:///{db}", "--catalog", catalog_url, "--as-of", "2026-03-15",
                                 "-f", "json", "-o", str(tmp_path / "r2.json")])
        again = list(ledger.entries(action=ACTION))
        assert len(again) == 4 and [e.seq for e in again[:2]] == [e.seq for e in reads]
        assert ledger.verify().ok
        exported = tmp_path / "ledger.jsonl"
        ledger.export_jsonl(exported)
        text = exported.read_text(encoding="utf-8")
        for kid in kids:
            assert not any(v in text for v in kid.values())
        assert json.loads(text.splitlines()[0])["action"] == ACTION
    finally:
        catalog.close()
