"""Compliance checks against REAL grants on the live MariaDB server.

Accounts are server-wide: each test creates uniquely named ones and drops them. The anonymous and
wildcard accounts use a host in 10.255.255.0/24 so that they can never match a real connection of
another test running at the same time.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from pi_scanner.compliance.access import check_access, probe_sql_access
from pi_scanner.compliance.encryption import check_encryption, probe_sql_encryption
from pi_scanner.models import AgeCounts, AssetKind, AssetRef, AssetResult, ChildStatus, ColumnFinding

pytestmark = pytest.mark.mysql

_UNREACHABLE_HOST = "10.255.255.%"


def _result(schema: str, table: str) -> AssetResult:
    return AssetResult(
        AssetRef("db", AssetKind.TABLE, (schema, table)),
        (ColumnFinding("sfzh", ("CN_RESIDENT_ID",), 0.95, 10, 10),),
        ChildStatus.CHILD,
        10,
        AgeCounts(child=4, likely_child=1, adult=5),
    )


@pytest.fixture
def maria(mysql_url: str) -> Iterator[tuple[sa.Engine, str, str, str]]:
    """A fresh database with two tables, a table-level reader and a low-privilege scanning account."""
    engine = sa.create_engine(mysql_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    schema = sa.make_url(mysql_url).database
    assert schema
    tag = uuid.uuid4().hex[:10]
    reader, scanner, password = f"pis_r_{tag}", f"pis_s_{tag}", uuid.uuid4().hex
    q = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE TABLE kids (id int primary key, sfzh varchar(18))"))
        conn.execute(sa.text("CREATE TABLE vault (id int primary key, sfzh varchar(18)) ENCRYPTED=NO"))
        conn.execute(sa.text("CREATE USER :u@:h"), {"u": reader, "h": _UNREACHABLE_HOST})
        conn.execute(sa.text(f"GRANT SELECT ON {q(schema)}.kids TO :u@:h"), {"u": reader, "h": _UNREACHABLE_HOST})
        conn.execute(sa.text("CREATE USER :u@'%' IDENTIFIED BY :p"), {"u": scanner, "p": password})
        conn.execute(sa.text(f"GRANT SELECT ON {q(schema)}.* TO :u@'%'"), {"u": scanner})
    scanner_url = sa.make_url(mysql_url).set(username=scanner, password=password)
    try:
        yield engine, schema, reader, scanner_url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text("DROP USER IF EXISTS :u@:h"), {"u": reader, "h": _UNREACHABLE_HOST})
            conn.execute(sa.text("DROP USER IF EXISTS :u@'%'"), {"u": scanner})
            conn.execute(sa.text("DROP USER IF EXISTS ''@:h"), {"h": _UNREACHABLE_HOST})
        engine.dispose()


def test_table_grant_listed_and_passes(maria: tuple[sa.Engine, str, str, str]) -> None:
    engine, schema, reader, _ = maria
    ev = probe_sql_access(engine, "db", [(schema, "kids")])
    assert "mysql.user" not in ev.unreadable
    ta = ev.tables[f"{schema}.kids"]
    assert f"{reader}@{_UNREACHABLE_HOST}" in ta.readers
    assert ta.complete is True
    assert not ta.flags & {"public", "anonymous", "wildcard_schema"}
    access, audit = check_access(_result(schema, "kids"), db=ev)
    assert access.status == "pass"
    assert audit.status == "fail"  # server_audit is not loaded on the test server
    assert any(u.startswith("root@") for u in ev.superusers)


def test_anonymous_wildcard_schema_grant_fails(maria: tuple[sa.Engine, str, str, str]) -> None:
    engine, schema, _, _ = maria
    pattern = schema[:8].replace("_", "\\_") + "%"  # e.g. pis\_0123% matches this database
    q = engine.dialect.identifier_preparer.quote
    with engine.connect() as conn:
        conn.execute(sa.text("CREATE USER ''@:h"), {"h": _UNREACHABLE_HOST})
        conn.execute(sa.text(f"GRANT SELECT ON {q(pattern)}.* TO ''@:h"), {"h": _UNREACHABLE_HOST})
    ev = probe_sql_access(engine, "db", [(schema, "kids")])
    ta = ev.tables[f"{schema}.kids"]
    assert {"anonymous", "wildcard_schema"} <= ta.flags
    access, _ = check_access(_result(schema, "kids"), db=ev)
    assert access.status == "fail"


def test_low_privilege_scanner_sees_unknown_not_safe(maria: tuple[sa.Engine, str, str, str]) -> None:
    _, schema, reader, scanner_url = maria
    engine = sa.create_engine(scanner_url, poolclass=sa.pool.NullPool)
    try:
        ev = probe_sql_access(engine, "db", [(schema, "kids")])
    finally:
        engine.dispose()
    assert "mysql.user" in ev.unreadable
    ta = ev.tables[f"{schema}.kids"]
    assert ta.complete is False
    # The other account's table grant is invisible to this role; its own schema grant is visible.
    assert f"{reader}@{_UNREACHABLE_HOST}" not in ta.readers
    assert any(r.startswith("pis_s_") for r in ta.readers)
    access, _ = check_access(_result(schema, "kids"), db=ev)
    assert access.status == "unknown"


def test_encryption_table_options_and_plaintext(maria: tuple[sa.Engine, str, str, str]) -> None:
    engine, schema, _, _ = maria
    ev = probe_sql_encryption(engine, "db")
    assert ev.connection_tls is False
    assert ev.encrypted_tables[f"{schema}.kids"] is False
    assert ev.default_table_encryption is False
    check, entry = check_encryption(_result(schema, "kids"), db=ev)
    assert check.status == "fail"
    assert entry is not None and entry.children_records == 5 and entry.at_rest == "not_encrypted"
    # Table encryption declared (as a key-management plugin would honour) counts as at-rest encryption.
    ev.encrypted_tables[f"{schema}.kids"] = True
    check_tde, _ = check_encryption(_result(schema, "kids"), db=ev)
    assert check_tde.status == "pass"
    assert check_tde.evidence["plaintext_columns"] == ["sfzh"]
