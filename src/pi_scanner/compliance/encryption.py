"""Art. 13: is children's PI stored encrypted?

Two kinds of evidence are combined per asset:

* what the classifier saw in the values: each PI column is plaintext or encrypted/hashed
  (:attr:`~pi_scanner.models.ColumnFinding.encrypted`);
* what the store says about itself, where it can be asked: MariaDB/MySQL table encryption options and
  encrypted tablespaces, PostgreSQL's pgcrypto extension and ``bytea`` columns, whether the scanning
  connection itself runs over TLS (``pg_stat_ssl`` / ``Ssl_cipher``), and bucket/object encryption from
  the object store's posture.

Store-level (transparent) encryption protects files on disk, not readers of the table: plaintext columns
in an encrypted table are still listed, but the asset passes Art. 13's storage requirement. A query the
scanning role may not run leaves that piece of evidence ``None`` (unknown), never "encrypted".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from pi_scanner.compliance.evidence import (
    FAIL,
    PASS,
    UNKNOWN,
    CheckResult,
    children_records,
    holds_children,
    pi_columns,
    posture_encrypted,
)
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.models import AssetKind, AssetResult

log = logging.getLogger(__name__)

ARTICLES = (13,)
_SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys")


@dataclass
class DbEncryptionEvidence:
    """What one database says about encryption. ``None`` means the scanning role could not find out.

    Attributes:
        connector: Connector name.
        backend: ``postgresql``, ``mysql``, ``mariadb`` or ``sqlite``.
        connection_tls: The scanning connection is encrypted with TLS.
        tls_detail: TLS version or cipher name of the scanning connection.
        pgcrypto: PostgreSQL's pgcrypto extension is installed.
        bytea_columns: ``schema.table`` → binary columns (candidates for column encryption).
        encrypted_tables: ``schema.table`` → True/False from the table's encryption option.
        default_table_encryption: MariaDB ``innodb_encrypt_tables`` / MySQL ``default_table_encryption``.
        unreadable: Evidence queries the role could not run (query names, no messages).
    """

    connector: str
    backend: str
    connection_tls: bool | None = None
    tls_detail: str | None = None
    pgcrypto: bool | None = None
    bytea_columns: dict[str, list[str]] = field(default_factory=dict)
    encrypted_tables: dict[str, bool] = field(default_factory=dict)
    default_table_encryption: bool | None = None
    unreadable: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report form (names and flags only)."""
        return {
            "connector": self.connector,
            "backend": self.backend,
            "connection_tls": self.connection_tls,
            "tls_detail": self.tls_detail,
            "pgcrypto": self.pgcrypto,
            "encrypted_tables": sum(1 for v in self.encrypted_tables.values() if v),
            "default_table_encryption": self.default_table_encryption,
            "unreadable": list(self.unreadable),
        }


def _try(
    conn: sa.Connection, name: str, stmt: Any, params: Mapping[str, Any], ev: DbEncryptionEvidence
) -> list[Any] | None:
    """Run one evidence query; a failure marks it unreadable and the next query still runs."""
    try:
        return list(conn.execute(stmt, dict(params)).all())
    except sa.exc.SQLAlchemyError as exc:
        ev.unreadable.append(name)
        log.info("encryption evidence %s unavailable on %s: %s", name, ev.connector, type(exc).__name__)
        # PostgreSQL aborts the transaction on error: roll back so the next query can run.
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            conn.rollback()
        return None


def _pg(conn: sa.Connection, ev: DbEncryptionEvidence) -> None:
    rows = _try(
        conn,
        "pg_stat_ssl",
        sa.text("SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()"),
        {},
        ev,
    )
    if rows:
        ev.connection_tls = bool(rows[0][0])
        ev.tls_detail = " ".join(str(x) for x in rows[0][1:] if x) or None
    ext = sa.text("SELECT extname FROM pg_extension WHERE extname = :n")
    rows = _try(conn, "pg_extension", ext, {"n": "pgcrypto"}, ev)
    if rows is not None:
        ev.pgcrypto = bool(rows)
    rows = _try(
        conn,
        "bytea_columns",
        sa.text(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type = :t AND table_schema NOT IN :sys"
        ).bindparams(sa.bindparam("sys", expanding=True)),
        {"t": "bytea", "sys": list(_SYSTEM_SCHEMAS)},
        ev,
    )
    for schema, table, column in rows or ():
        ev.bytea_columns.setdefault(f"{schema}.{table}", []).append(str(column))


def _mysql(conn: sa.Connection, ev: DbEncryptionEvidence) -> None:
    rows = _try(conn, "ssl_cipher", sa.text("SHOW SESSION STATUS LIKE :v"), {"v": "Ssl_cipher"}, ev)
    if rows is not None:
        cipher = str(rows[0][1]) if rows else ""
        ev.connection_tls = bool(cipher)
        ev.tls_detail = cipher or None
    for var in ("innodb_encrypt_tables", "default_table_encryption"):
        rows = _try(conn, var, sa.text("SHOW GLOBAL VARIABLES LIKE :v"), {"v": var}, ev)
        if rows:
            value = str(rows[0][1]).strip().upper()
            ev.default_table_encryption = value in {"ON", "FORCE", "1", "YES"}
    rows = _try(
        conn,
        "tables",
        sa.text(
            "SELECT TABLE_SCHEMA, TABLE_NAME, CREATE_OPTIONS FROM information_schema.TABLES "
            "WHERE TABLE_TYPE = :t AND TABLE_SCHEMA NOT IN :sys"
        ).bindparams(sa.bindparam("sys", expanding=True)),
        {"t": "BASE TABLE", "sys": list(_SYSTEM_SCHEMAS)},
        ev,
    )
    for schema, table, options in rows or ():
        opts = str(options or "").upper().replace("'", "").replace('"', "").replace(" ", "")
        ev.encrypted_tables[f"{schema}.{table}"] = "ENCRYPTED=YES" in opts or "ENCRYPTION=Y" in opts
    # MariaDB: tablespaces encrypted by key rotation threads (innodb_encrypt_tables=ON) show up here,
    # even when the table's own options say nothing.
    rows = _try(
        conn,
        "innodb_tablespaces_encryption",
        sa.text("SELECT NAME, ENCRYPTION_SCHEME FROM information_schema.INNODB_TABLESPACES_ENCRYPTION"),
        {},
        ev,
    )
    for name, scheme in rows or ():
        key = str(name).replace("/", ".")
        if int(scheme or 0) > 0:
            ev.encrypted_tables[key] = True


def probe_sql_encryption(engine: sa.Engine, connector: str) -> DbEncryptionEvidence:
    """Ask a database what it says about encryption.

    Args:
        engine: An engine connected as the scanning role.
        connector: Connector name (for the report).

    Returns:
        The evidence; pieces the role cannot read are None and named in ``unreadable``.
    """
    backend = engine.dialect.name
    ev = DbEncryptionEvidence(connector=connector, backend=backend)
    try:
        with engine.connect() as conn:
            if backend == "postgresql":
                _pg(conn, ev)
            elif backend in ("mysql", "mariadb"):
                _mysql(conn, ev)
            else:
                ev.unreadable.append("unsupported_backend")
    except sa.exc.SQLAlchemyError as exc:
        ev.unreadable.append("connect")
        log.warning("encryption evidence: cannot connect to %s: %s", connector, type(exc).__name__)
    return ev


def _table_key(result: AssetResult) -> str:
    return ".".join(result.asset.path[-2:]) if len(result.asset.path) >= 2 else result.asset.path[-1]


@dataclass(frozen=True)
class PlaintextEntry:
    """One asset holding plaintext children's PI, for the ranked list.

    Attributes:
        asset: Display name.
        children_records: Child and likely-child records counted.
        columns: Plaintext PI columns.
        entity_types: Entity types found in them.
        at_rest: ``encrypted``, ``not_encrypted`` or ``unknown`` (store-level encryption).
    """

    asset: str
    children_records: int
    columns: tuple[str, ...]
    entity_types: tuple[str, ...]
    at_rest: str

    def as_dict(self) -> dict[str, Any]:
        """The report form."""
        return {
            "asset": self.asset,
            "children_records": self.children_records,
            "columns": list(self.columns),
            "entity_types": list(self.entity_types),
            "at_rest": self.at_rest,
        }


def _at_rest(result: AssetResult, info: AssetInfo | None, db: DbEncryptionEvidence | None) -> bool | None:
    if result.asset.kind == AssetKind.OBJECT:
        return posture_encrypted(info.meta.get("posture") if info else None)
    if result.asset.kind == AssetKind.TABLE and db is not None:
        if db.backend in ("mysql", "mariadb"):
            flag = db.encrypted_tables.get(_table_key(result))
            if flag:
                return True
            if db.default_table_encryption:
                return True
            if "tables" in db.unreadable:
                return None
            return False
        # PostgreSQL has no table-level encryption to ask about; disk encryption is invisible.
        return False
    return None


def check_encryption(
    result: AssetResult,
    info: AssetInfo | None = None,
    db: DbEncryptionEvidence | None = None,
) -> tuple[CheckResult, PlaintextEntry | None]:
    """Art. 13 for one asset holding children's PI.

    Returns:
        The check (``pass`` when every PI column is encrypted/hashed or the store encrypts at rest,
        ``fail`` when plaintext sits in a store that does not, ``unknown`` when the store could not say),
        and the asset's entry for the plaintext list (None when no column is plaintext).
    """
    cols = pi_columns(result)
    plain = [c for c in cols if not c.encrypted]
    encrypted = [c.name for c in cols if c.encrypted]
    at_rest = _at_rest(result, info, db)
    at_rest_text = {True: "encrypted", False: "not_encrypted", None: "unknown"}[at_rest]
    evidence: dict[str, Any] = {
        "plaintext_columns": [c.name for c in plain],
        "encrypted_columns": encrypted,
        "at_rest": at_rest_text,
        "children_records": children_records(result),
    }
    if db is not None:
        evidence["connection_tls"] = db.connection_tls
        if db.backend == "postgresql":
            evidence["pgcrypto"] = db.pgcrypto
            evidence["bytea_columns"] = db.bytea_columns.get(_table_key(result), [])
    if not plain or at_rest is True:
        status = PASS
    elif at_rest is False:
        status = FAIL
    else:
        status = UNKNOWN
    entry = None
    if plain:
        types = sorted({e for c in plain for e in c.entity_types})
        entry = PlaintextEntry(
            result.asset.display,
            children_records(result),
            tuple(c.name for c in plain),
            tuple(types),
            at_rest_text,
        )
    return CheckResult("encryption", ARTICLES, status, evidence), entry


def unencrypted_children_pi(
    results: Iterable[AssetResult],
    infos: Mapping[str, AssetInfo] | None = None,
    db_evidence: Mapping[str, DbEncryptionEvidence] | None = None,
) -> list[PlaintextEntry]:
    """Every asset with plaintext children's PI not protected at rest, most children's records first."""
    infos = infos or {}
    db_evidence = db_evidence or {}
    out = []
    for r in results:
        if not holds_children(r):
            continue
        check, entry = check_encryption(r, infos.get(r.asset.display), db_evidence.get(r.asset.connector))
        if entry is not None and check.status != PASS:
            out.append(entry)
    out.sort(key=lambda e: (-e.children_records, e.asset))
    return out
