"""Store faults that must never read as a clean answer, on real PostgreSQL and MariaDB (silent gaps).

Each test breaks one table the way a live store breaks between discovery and reading it (a table
dropped before its sample, a lock held past the statement timeout during the census, a MariaDB metadata
lock) and checks that the faulty table is reported with a reason, never ``none``; the other table is
scanned; the exit code is 3; the catalog's run is ``partial``; no canary leaks. The faults come from
another session at a chosen moment (see :func:`tests.integration.test_store_faults._arm`).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.catalog.store import Catalog
from tests.conftest import MYSQL_ADMIN_URL
from tests.integration.test_store_faults import FAULTY, KEPT, _arm, _assets, _check_run, _no_leak, _seed
from tests.integration.test_store_faults import _scan as store_faults_scan

#: Seconds the competing session holds its lock: longer than the statement timeout times the retries.
HOLD_S = 6.0


def _scan(tmp_path: Path, url: str, **connector: Any) -> tuple[int, dict[str, Any], str, Catalog]:
    """One census partition and no retry: a fault is met once, by the whole count."""
    return store_faults_scan(tmp_path, url, retries=1, partition_rows=100_000, **connector)


def _hold_lock(statements: list[str], threads: list[threading.Thread]) -> Any:
    """A fault that takes a lock in another session, holds it for :data:`HOLD_S` and lets it go.

    The holder's thread goes into ``threads``, for the test to join before its database is dropped.
    """
    def fault(conn: sa.Connection, admin: sa.Engine) -> None:
        taken = threading.Event()

        def hold() -> None:
            with admin.connect() as c:
                c.execution_options(isolation_level="READ COMMITTED")
                with c.begin():
                    for s in statements:
                        c.execute(sa.text(s))
                    taken.set()
                    threading.Event().wait(HOLD_S)
                if statements[0].startswith("LOCK TABLES"):
                    c.execute(sa.text("UNLOCK TABLES"))

        holder = threading.Thread(target=hold, daemon=True)
        threads.append(holder)
        holder.start()
        assert taken.wait(10)
    return fault


def _not_clean(asset: dict[str, Any], stage: str, words: str) -> None:
    """The faulty table carries an error of ``stage`` naming the cause, and is not ``none``."""
    assert asset["child_status"] != "none", asset
    assert [e["stage"] for e in asset["errors"]] == [stage], asset["errors"]
    assert words in asset["errors"][0]["message"], asset["errors"]


@pytest.mark.postgres
def test_pg_table_dropped_between_discovery_and_sample_is_an_error_not_none(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    canaries = _seed(pg_url, rows=200)

    def drop(conn: sa.Connection, admin: sa.Engine) -> None:
        with admin.connect() as c:
            c.execute(sa.text(f"DROP TABLE {FAULTY}"))

    # Fired after discovery, when the sample unit reflects the table: its SELECT finds no table.
    fired = _arm(monkeypatch, drop, pg_url, phase="sample")
    code, report, output, catalog = _scan(tmp_path, pg_url)
    assert fired
    assets = _assets(report)
    _not_clean(assets[FAULTY], "sample", "no longer exists")
    assert assets[KEPT]["child_status"] == "child" and assets[KEPT]["errors"] == []
    assert report["coverage"]["assets_not_read"] == 1 and report["coverage"]["not_read"] == {"error": 1}
    assert code == 3, output
    _check_run(catalog, "partial")
    _no_leak(canaries, json.dumps(report, ensure_ascii=False), output)


@pytest.mark.postgres
def test_pg_statement_timeout_during_census_is_an_error_not_a_whole_count(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ACCESS EXCLUSIVE lock held by a migration makes the census wait past ``statement_timeout``."""
    canaries = _seed(pg_url, rows=200)
    threads: list[threading.Thread] = []
    fired = _arm(monkeypatch, _hold_lock([f"LOCK TABLE {FAULTY} IN ACCESS EXCLUSIVE MODE"], threads), pg_url)
    code, report, output, catalog = _scan(tmp_path, pg_url, statement_timeout_s=1)
    for t in threads:
        t.join()
    assert fired
    assets = _assets(report)
    _not_clean(assets[FAULTY], "census", "timed out")
    assert "census" not in assets[FAULTY]["notes"]  # the sample's counts are not passed off as the census's
    assert assets[KEPT]["child_status"] == "child" and assets[KEPT]["errors"] == []
    assert code == 3, output
    _check_run(catalog, "partial")
    _no_leak(canaries, json.dumps(report, ensure_ascii=False), output)


@pytest.mark.mysql
def test_mariadb_lock_wait_during_census_is_an_error_not_a_whole_count(
    tmp_path: Path, mysql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``LOCK TABLES … WRITE`` in another session: the census waits on the lock past ``max_statement_time``."""
    canaries = _seed(mysql_url, rows=200)
    admin_url = sa.make_url(MYSQL_ADMIN_URL).set(database=sa.make_url(mysql_url).database)
    threads: list[threading.Thread] = []
    fired = _arm(monkeypatch, _hold_lock([f"LOCK TABLES {FAULTY} WRITE"], threads),
                 admin_url.render_as_string(hide_password=False))
    code, report, output, catalog = _scan(tmp_path, mysql_url, statement_timeout_s=1)
    for t in threads:
        t.join()
    assert fired
    assets = _assets(report)
    _not_clean(assets[FAULTY], "census", "timed out")
    assert assets[KEPT]["child_status"] == "child" and assets[KEPT]["errors"] == []
    assert code == 3, output
    _check_run(catalog, "partial")
    _no_leak(canaries, json.dumps(report, ensure_ascii=False), output)
