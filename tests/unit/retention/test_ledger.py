"""The audit ledger: appends chain, verify detects edits, deletions, reordering and truncation."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import CatalogConfig
from pi_scanner.errors import ConfigError
from pi_scanner.keys import key_file_for, load_hmac_key
from pi_scanner.retention.ledger import Ledger
from pi_scanner.retention.tables import audit_ledger

KEY = b"k" * 32


def _fill(ledger: Ledger, n: int = 5) -> None:
    for i in range(n):
        ledger.append(
            "retention.delete", actor="test", policy="p", asset=f"db:main/t{i}", count=i + 1,
            keys=[[i], [i + 100]], basis="P 12", details={"batch": i},
        )


def test_append_chains_and_verifies(tmp_catalog: Catalog) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    _fill(ledger)
    result = ledger.verify()
    assert result.ok, result.problems
    assert result.entries == 5 and result.head_seq == 5
    entries = list(ledger.entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[0].keys_hmac and len(entries[0].keys_hmac) == 64
    # Order of keys does not change their digest; a different key set does.
    assert ledger.hash_keys([[100], [0]]) == entries[0].keys_hmac
    assert ledger.hash_keys([[0]]) != entries[0].keys_hmac


def test_empty_ledger_verifies(tmp_catalog: Catalog) -> None:
    result = Ledger(tmp_catalog, KEY).verify()
    assert result.ok and result.entries == 0


def _exec(catalog: Catalog, stmt: Any) -> None:
    with catalog.engine.begin() as conn:
        conn.execute(stmt)


def test_edited_row_detected(tmp_catalog: Catalog) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    _fill(ledger)
    _exec(tmp_catalog, audit_ledger.update().where(audit_ledger.c.seq == 3).values(count=999))
    result = ledger.verify()
    assert not result.ok
    assert any("seq 3" in p and "edited" in p for p in result.problems)


def test_edited_details_detected(tmp_catalog: Catalog) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    _fill(ledger)
    _exec(tmp_catalog, audit_ledger.update().where(audit_ledger.c.seq == 2).values(details='{"batch":7}'))
    assert not ledger.verify().ok


def test_deleted_row_detected(tmp_catalog: Catalog) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    _fill(ledger)
    _exec(tmp_catalog, audit_ledger.delete().where(audit_ledger.c.seq == 2))
    result = ledger.verify()
    assert not result.ok
    assert any("gap" in p for p in result.problems)


def test_deleted_tail_detected_by_head(tmp_catalog: Catalog) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    _fill(ledger)
    _exec(tmp_catalog, audit_ledger.delete().where(audit_ledger.c.seq == 5))
    result = ledger.verify()
    assert not result.ok
    assert any("truncated" in p for p in result.problems)


def test_rollback_detected_by_expected_head(tmp_catalog: Catalog) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    _fill(ledger, 3)
    head = ledger.verify().head_hash
    assert ledger.verify(expected_head=head).ok
    assert not ledger.verify(expected_head="f" * 64).ok


def test_reordered_rows_detected(tmp_catalog: Catalog) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    _fill(ledger)
    # Swap the contents of entries 2 and 3, keeping seq numbers: the links break.
    with tmp_catalog.engine.begin() as conn:
        rows = {r.seq: dict(r._mapping) for r in conn.execute(sa.select(audit_ledger))}
        for a, b in ((2, 3), (3, 2)):
            values = {k: v for k, v in rows[b].items() if k != "seq"}
            conn.execute(audit_ledger.update().where(audit_ledger.c.seq == a).values(**values))
    assert not ledger.verify().ok


def test_forged_chain_without_key_detected(tmp_catalog: Catalog) -> None:
    _fill(Ledger(tmp_catalog, KEY))
    # Someone with another key "re-signs" an edit: the real key sees it.
    forger = Ledger(tmp_catalog, b"x" * 32)
    forger.append("retention.delete", actor="mallory", count=1)
    assert not Ledger(tmp_catalog, KEY).verify().ok


def test_wrong_key_fails_verification(tmp_catalog: Catalog) -> None:
    _fill(Ledger(tmp_catalog, KEY))
    assert not Ledger(tmp_catalog, b"y" * 32).verify().ok


def test_concurrent_appends_stay_chained(tmp_catalog: Catalog) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                ledger.append("scan.read", actor=f"w{n}", count=i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = ledger.verify()
    assert result.ok, result.problems
    assert result.entries == 40


@pytest.mark.postgres
def test_concurrent_appends_postgres(pg_url: str) -> None:
    catalog = Catalog(pg_url)
    try:
        catalog.migrate()
        ledger = Ledger(catalog, KEY)

        def work(n: int) -> None:
            for i in range(8):
                ledger.append("scan.read", actor=f"w{n}", count=i)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        result = ledger.verify()
        assert result.ok, result.problems
        assert result.entries == 24
        _exec(catalog, audit_ledger.update().where(audit_ledger.c.seq == 5).values(actor="x"))
        assert not ledger.verify().ok
    finally:
        catalog.close()


@pytest.mark.mysql
def test_ledger_mysql_round_trip(mysql_url: str) -> None:
    catalog = Catalog(mysql_url)
    try:
        catalog.migrate()
        ledger = Ledger(catalog, KEY)
        _fill(ledger, 4)
        assert ledger.verify().ok
        _exec(catalog, audit_ledger.delete().where(audit_ledger.c.seq == 2))
        assert not ledger.verify().ok
    finally:
        catalog.close()


def test_export_jsonl(tmp_catalog: Catalog, tmp_path: Path) -> None:
    ledger = Ledger(tmp_catalog, KEY)
    _fill(ledger, 3)
    out = tmp_path / "ledger.jsonl"
    assert ledger.export_jsonl(out) == 3
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert lines[2]["prev_hash"] == lines[1]["hash"]


def test_key_generated_beside_sqlite_catalog(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cfg = CatalogConfig(url=f"sqlite:///{tmp_path / 'cat.db'}")
    with caplog.at_level("WARNING"):
        key = load_hmac_key(cfg)
    path = key_file_for(cfg.url)
    assert path is not None and path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert "generated a new HMAC key" in caplog.text
    assert key.decode() not in caplog.text
    assert load_hmac_key(cfg) == key  # stable across calls


def test_key_required_for_server_catalog() -> None:
    with pytest.raises(ConfigError, match="hmac_key"):
        load_hmac_key(CatalogConfig(url="postgresql://u@h/db"))
    with pytest.raises(ConfigError, match="at least"):
        load_hmac_key(CatalogConfig(url="postgresql://u@h/db", hmac_key="short"))
