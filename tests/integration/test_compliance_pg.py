"""Compliance checks against REAL grants on the live PostgreSQL server.

Roles are cluster-wide, so each test creates uniquely named roles and drops them afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from pi_scanner.compliance.access import check_access, probe_sql_access
from pi_scanner.compliance.encryption import check_encryption, probe_sql_encryption
from pi_scanner.models import AgeCounts, AssetKind, AssetRef, AssetResult, ChildStatus, ColumnFinding

pytestmark = pytest.mark.postgres


def _result(table: str, encrypted: bool = False) -> AssetResult:
    return AssetResult(
        AssetRef("pg", AssetKind.TABLE, ("public", table)),
        (ColumnFinding("sfzh", ("CN_RESIDENT_ID",), 0.95, 10, 10, encrypted=encrypted),),
        ChildStatus.CHILD,
        10,
        AgeCounts(child=7, adult=3),
    )


@pytest.fixture
def pg(pg_url: str) -> Iterator[tuple[sa.Engine, str, str]]:
    """An engine on a fresh database, with a reader role and a login role that inherits it."""
    engine = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    tag = uuid.uuid4().hex[:10]
    reader, login = f"pis_reader_{tag}", f"pis_login_{tag}"
    q = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE TABLE kids (id int primary key, sfzh text, photo bytea)"))
        conn.execute(sa.text("CREATE TABLE closed (id int primary key, sfzh text)"))
        conn.execute(sa.text(f"CREATE ROLE {q(reader)} NOLOGIN"))
        conn.execute(sa.text(f"CREATE ROLE {q(login)} LOGIN IN ROLE {q(reader)}"))
        conn.execute(sa.text("GRANT SELECT ON kids TO PUBLIC"))
        conn.execute(sa.text(f"GRANT SELECT (sfzh) ON closed TO {q(reader)}"))
    try:
        yield engine, reader, login
    finally:
        with engine.connect() as conn:
            for role in (login, reader):
                conn.execute(sa.text(f"DROP OWNED BY {q(role)}"))
                conn.execute(sa.text(f"DROP ROLE IF EXISTS {q(role)}"))
        engine.dispose()


def test_public_grant_fails_and_column_grant_shows_inheriting_login(pg: tuple[sa.Engine, str, str]) -> None:
    engine, reader, login = pg
    ev = probe_sql_access(engine, "pg", [("public", "kids"), ("public", "closed")])
    assert ev.unreadable == []
    assert "postgres" in ev.superusers
    assert ev.audit_logging is False  # pgaudit is not in shared_preload_libraries here

    kids = ev.tables["public.kids"]
    assert "public" in kids.flags
    assert "PUBLIC" in kids.readers
    closed = ev.tables["public.closed"]
    assert closed.flags == set()
    assert any(g.grantee == reader and g.scope == "column" and g.column == "sfzh" for g in closed.grants)
    assert closed.members[reader] == [login]

    access, audit = check_access(_result("kids"), db=ev)
    assert access.status == "fail" and "public" in access.evidence["flags"]
    assert audit.status == "fail"
    access_closed, _ = check_access(_result("closed"), db=ev)
    assert access_closed.status == "pass"
    assert reader in access_closed.evidence["readers"]


def test_missing_table_is_unknown_not_safe(pg: tuple[sa.Engine, str, str]) -> None:
    engine, _, _ = pg
    ev = probe_sql_access(engine, "pg", [("public", "no_such_table")])
    access, _ = check_access(_result("no_such_table"), db=ev)
    # No ACL row at all must not read as "nobody can read it".
    assert access.status == "unknown"
    assert access.evidence["complete"] is False


def test_encryption_evidence_pgcrypto_bytea_and_plaintext_fail(pg: tuple[sa.Engine, str, str]) -> None:
    engine, _, _ = pg
    ev = probe_sql_encryption(engine, "pg")
    assert ev.connection_tls is False  # the test server listens without TLS
    assert ev.pgcrypto is False
    assert ev.bytea_columns["public.kids"] == ["photo"]
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pgcrypto"))
    assert probe_sql_encryption(engine, "pg").pgcrypto is True

    check, entry = check_encryption(_result("kids"), db=ev)
    assert check.status == "fail"
    assert entry is not None and entry.children_records == 7 and entry.columns == ("sfzh",)
    check_enc, entry_enc = check_encryption(_result("kids", encrypted=True), db=ev)
    assert check_enc.status == "pass" and entry_enc is None
    assert check.evidence["bytea_columns"] == ["photo"]
