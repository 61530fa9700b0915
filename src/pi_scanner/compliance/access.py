"""Art. 15 and 18: who can read each table holding children's PI, and is access logged?

PostgreSQL: table and column ACLs from ``pg_class.relacl`` / ``pg_attribute.attacl`` (``aclexplode``
lists every grantee, including PUBLIC, which ``information_schema.role_table_grants`` only shows for
roles the scanner belongs to), superusers and BYPASSRLS roles from ``pg_roles``, and who inherits each
grantee role from ``pg_auth_members``. Audit: ``pgaudit`` in ``shared_preload_libraries`` or installed.

MariaDB/MySQL: ``mysql.user`` (global), ``mysql.db`` (schema, matched with LIKE so wildcard patterns
count), ``mysql.tables_priv`` and ``mysql.columns_priv``. A role that cannot read ``mysql.*`` falls back
to ``information_schema.*_PRIVILEGES``, which shows its own grants only, so the table's access is then
*incomplete* and the check says ``unknown`` (never "safe"). Audit: the ``server_audit`` plugin (MariaDB)
or ``audit_log`` (MySQL Enterprise) active.

Object stores: public/anonymous readability and access logging from the bucket posture.

Every statement is ``text()`` with bound parameters; identifiers are never formatted into SQL.
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
    posture_logging,
    posture_public,
)
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.models import AssetKind, AssetResult

log = logging.getLogger(__name__)

ACCESS_ARTICLES = (15, 18)
AUDIT_ARTICLES = (15,)

#: Flags that make access fail outright.
EXPOSURE_FLAGS = frozenset({"public", "anonymous", "wildcard_schema"})


@dataclass(frozen=True)
class Grant:
    """One way a grantee can read a table.

    Attributes:
        grantee: Role or ``user@host`` (``PUBLIC`` for everyone).
        privilege: ``SELECT`` (or ``ALL``).
        scope: ``global``, ``schema``, ``table``, ``column`` or ``owner``/``superuser``.
        column: The column, for column grants.
    """

    grantee: str
    privilege: str
    scope: str
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The report form."""
        out: dict[str, Any] = {"grantee": self.grantee, "privilege": self.privilege, "scope": self.scope}
        if self.column is not None:
            out["column"] = self.column
        return out


@dataclass
class TableAccess:
    """Who can read one table.

    Attributes:
        table: ``schema.table``.
        grants: Grants that allow reading.
        members: Grantee role → login roles that inherit it (PostgreSQL, MariaDB roles).
        flags: ``public``, ``anonymous``, ``wildcard_schema``, ``any_host``, ``global_select``.
        complete: False when some grant source could not be read.
    """

    table: str
    grants: list[Grant] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    complete: bool = True

    @property
    def readers(self) -> list[str]:
        """Distinct grantees, sorted."""
        return sorted({g.grantee for g in self.grants})


@dataclass
class DbAccessEvidence:
    """Access facts of one database.

    Attributes:
        connector: Connector name.
        backend: Dialect name.
        tables: ``schema.table`` → access.
        superusers: Roles that read everything regardless of grants.
        audit_logging: Access is logged (None: could not find out).
        audit_detail: What was found (``pgaudit``, ``server_audit``).
        unreadable: Sources the scanning role could not read.
    """

    connector: str
    backend: str
    tables: dict[str, TableAccess] = field(default_factory=dict)
    superusers: list[str] = field(default_factory=list)
    audit_logging: bool | None = None
    audit_detail: str | None = None
    unreadable: list[str] = field(default_factory=list)


def _rows(conn: sa.Connection, ev: DbAccessEvidence, name: str, sql: str, **params: Any) -> list[Any] | None:
    stmt = sa.text(sql)
    try:
        return list(conn.execute(stmt, params).all())
    except sa.exc.SQLAlchemyError as exc:
        if name not in ev.unreadable:
            ev.unreadable.append(name)
        log.info("access evidence %s unavailable on %s: %s", name, ev.connector, type(exc).__name__)
        # PostgreSQL aborts the transaction on error: roll back so the next query can run.
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            conn.rollback()
        return None


# -- PostgreSQL ---------------------------------------------------------------------------------------

_PG_TABLE_ACL = """
SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee,
       a.privilege_type, pg_get_userbyid(c.relowner) AS owner
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(COALESCE(c.relacl, acldefault('r', c.relowner))) a
WHERE n.nspname = :schema AND c.relname = :table AND a.privilege_type = 'SELECT'
"""

_PG_COLUMN_ACL = """
SELECT at.attname, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
       a.privilege_type
FROM pg_attribute at
JOIN pg_class c ON c.oid = at.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL aclexplode(at.attacl) a
WHERE n.nspname = :schema AND c.relname = :table AND at.attacl IS NOT NULL AND a.privilege_type = 'SELECT'
"""

_PG_MEMBERS = """
WITH RECURSIVE m(role, member) AS (
  SELECT r.rolname, u.rolname FROM pg_auth_members am
  JOIN pg_roles r ON r.oid = am.roleid JOIN pg_roles u ON u.oid = am.member
  WHERE r.rolname = :role
  UNION
  SELECT m.role, u.rolname FROM m
  JOIN pg_roles mr ON mr.rolname = m.member
  JOIN pg_auth_members am ON am.roleid = mr.oid JOIN pg_roles u ON u.oid = am.member
)
SELECT DISTINCT member FROM m ORDER BY member
"""


def _pg(conn: sa.Connection, ev: DbAccessEvidence, tables: Iterable[tuple[str, str]]) -> None:
    rows = _rows(conn, ev, "pg_roles", "SELECT rolname FROM pg_roles WHERE rolsuper OR rolbypassrls ORDER BY 1")
    ev.superusers = [str(r[0]) for r in rows or ()]
    spl = _rows(conn, ev, "shared_preload_libraries", "SELECT current_setting('shared_preload_libraries', true)")
    ext = _rows(conn, ev, "pg_extension", "SELECT 1 FROM pg_extension WHERE extname = :n", n="pgaudit")
    if spl is not None:
        libs = {x.strip() for x in str(spl[0][0] or "").split(",")}
        loaded = "pgaudit" in libs
        ev.audit_logging = loaded
        ev.audit_detail = "pgaudit loaded" + (" and installed" if ext else "") if loaded else None
    elif ext:
        ev.audit_logging = None  # installed but whether it is loaded cannot be read
    for schema, table in tables:
        ta = TableAccess(f"{schema}.{table}")
        acl = _rows(conn, ev, "pg_class", _PG_TABLE_ACL, schema=schema, table=table)
        if not acl:
            # The owner always holds SELECT by default: no row at all means the table was not found.
            ta.complete = False
        for grantee, privilege, owner in acl or ():
            scope = "owner" if grantee == owner else "table"
            ta.grants.append(Grant(str(grantee), str(privilege), scope))
        cols = _rows(conn, ev, "pg_attribute", _PG_COLUMN_ACL, schema=schema, table=table)
        if cols is None:
            ta.complete = False
        for column, grantee, privilege in cols or ():
            ta.grants.append(Grant(str(grantee), str(privilege), "column", str(column)))
        if any(g.grantee == "PUBLIC" for g in ta.grants):
            ta.flags.add("public")
        for role in {g.grantee for g in ta.grants if g.grantee != "PUBLIC"}:
            members = _rows(conn, ev, "pg_auth_members", _PG_MEMBERS, role=role)
            if members is None:
                ta.complete = False
            elif members:
                ta.members[role] = [str(m[0]) for m in members]
        ev.tables[ta.table] = ta


# -- MariaDB / MySQL -----------------------------------------------------------------------------------


def _account(user: Any, host: Any) -> str:
    return f"{user or ''}@{host or ''}"


def _flag_account(ta: TableAccess, user: Any, host: Any) -> None:
    if not user:
        ta.flags.add("anonymous")
    if host == "%":
        ta.flags.add("any_host")


def _mysql(conn: sa.Connection, ev: DbAccessEvidence, tables: Iterable[tuple[str, str]]) -> None:
    stmt = sa.text(
        "SELECT PLUGIN_NAME, PLUGIN_STATUS FROM information_schema.PLUGINS WHERE LOWER(PLUGIN_NAME) IN :names"
    ).bindparams(sa.bindparam("names", expanding=True))
    plugins: list[Any] | None = None
    try:
        plugins = list(conn.execute(stmt, {"names": ["server_audit", "audit_log"]}).all())
    except sa.exc.SQLAlchemyError:
        ev.unreadable.append("information_schema.PLUGINS")
    if plugins is not None:
        active = [str(p[0]).lower() for p in plugins if str(p[1]).upper() == "ACTIVE"]
        logging_on = False
        if "server_audit" in active:
            var = _rows(conn, ev, "server_audit_logging", "SHOW GLOBAL VARIABLES LIKE :v", v="server_audit_logging")
            logging_on = bool(var) and str(var[0][1]).upper() == "ON" if var is not None else False
        ev.audit_logging = logging_on or "audit_log" in active
        ev.audit_detail = ", ".join(active) or None
    users = _rows(
        conn,
        ev,
        "mysql.user",
        "SELECT User, Host, Super_priv FROM mysql.user WHERE Select_priv = 'Y'",
    )
    global_readers = [(u, h) for u, h, _s in users or ()]
    ev.superusers = sorted({_account(u, h) for u, h, s in users or () if s == "Y"})
    roles_map = _rows(conn, ev, "mysql.roles_mapping", "SELECT Role, User, Host FROM mysql.roles_mapping")
    for schema, table in tables:
        ta = TableAccess(f"{schema}.{table}")
        if users is None:
            ta.complete = False
        for user, host in global_readers:
            ta.grants.append(Grant(_account(user, host), "SELECT", "global"))
            _flag_account(ta, user, host)
            if user and user != "root":
                ta.flags.add("global_select")
        db_rows = _rows(
            conn,
            ev,
            "mysql.db",
            "SELECT User, Host, Db FROM mysql.db WHERE Select_priv = 'Y' AND :schema LIKE Db",
            schema=schema,
        )
        tab_rows = _rows(
            conn,
            ev,
            "mysql.tables_priv",
            "SELECT User, Host FROM mysql.tables_priv WHERE Db = :schema AND Table_name = :table "
            "AND FIND_IN_SET('Select', Table_priv) > 0",
            schema=schema,
            table=table,
        )
        col_rows = _rows(
            conn,
            ev,
            "mysql.columns_priv",
            "SELECT User, Host, Column_name FROM mysql.columns_priv WHERE Db = :schema AND Table_name = :table "
            "AND FIND_IN_SET('Select', Column_priv) > 0",
            schema=schema,
            table=table,
        )
        if db_rows is None or tab_rows is None or col_rows is None:
            ta.complete = False
            _mysql_fallback(conn, ev, ta, schema, table)
        for user, host, pattern in db_rows or ():
            ta.grants.append(Grant(_account(user, host), "SELECT", "schema"))
            _flag_account(ta, user, host)
            if str(pattern) != schema:
                ta.flags.add("wildcard_schema")
        for user, host in tab_rows or ():
            ta.grants.append(Grant(_account(user, host), "SELECT", "table"))
            _flag_account(ta, user, host)
        for user, host, column in col_rows or ():
            ta.grants.append(Grant(_account(user, host), "SELECT", "column", str(column)))
            _flag_account(ta, user, host)
        if roles_map is None and users is not None:
            ta.complete = False  # who holds a granted role cannot be seen
        for role, user, host in roles_map or ():
            if any(g.grantee == _account(role, "") for g in ta.grants):
                ta.members.setdefault(str(role), []).append(_account(user, host))
        ev.tables[ta.table] = ta


def _mysql_fallback(conn: sa.Connection, ev: DbAccessEvidence, ta: TableAccess, schema: str, table: str) -> None:
    """What information_schema shows an unprivileged role: its own grants only (incomplete)."""
    queries: tuple[tuple[str, str, str, dict[str, str]], ...] = (
        ("USER_PRIVILEGES", "global", "SELECT GRANTEE, NULL FROM information_schema.USER_PRIVILEGES "
         "WHERE PRIVILEGE_TYPE = 'SELECT'", {}),
        ("SCHEMA_PRIVILEGES", "schema", "SELECT GRANTEE, NULL FROM information_schema.SCHEMA_PRIVILEGES "
         "WHERE PRIVILEGE_TYPE = 'SELECT' AND :schema LIKE TABLE_SCHEMA", {"schema": schema}),
        ("TABLE_PRIVILEGES", "table", "SELECT GRANTEE, NULL FROM information_schema.TABLE_PRIVILEGES "
         "WHERE PRIVILEGE_TYPE = 'SELECT' AND TABLE_SCHEMA = :schema AND TABLE_NAME = :table",
         {"schema": schema, "table": table}),
        ("COLUMN_PRIVILEGES", "column", "SELECT GRANTEE, COLUMN_NAME FROM information_schema.COLUMN_PRIVILEGES "
         "WHERE PRIVILEGE_TYPE = 'SELECT' AND TABLE_SCHEMA = :schema AND TABLE_NAME = :table",
         {"schema": schema, "table": table}),
    )
    for name, scope, sql, params in queries:
        for grantee, column in _rows(conn, ev, f"information_schema.{name}", sql, **params) or ():
            # GRANTEE is quoted as 'user'@'host'.
            text = str(grantee).replace("'", "")
            user, _, host = text.partition("@")
            ta.grants.append(Grant(_account(user, host), "SELECT", scope, str(column) if column else None))
            _flag_account(ta, user, host)


def probe_sql_access(engine: sa.Engine, connector: str, tables: Iterable[tuple[str, str]]) -> DbAccessEvidence:
    """Read who can access ``tables`` (``(schema, table)`` pairs) and whether access is logged.

    Args:
        engine: An engine connected as the scanning role.
        connector: Connector name (for the report).
        tables: The tables holding children's PI.

    Returns:
        The evidence; what the role cannot read is named in ``unreadable`` and makes tables incomplete.
    """
    backend = engine.dialect.name
    ev = DbAccessEvidence(connector=connector, backend=backend)
    wanted = list(tables)
    try:
        with engine.connect() as conn:
            if backend == "postgresql":
                _pg(conn, ev, wanted)
            elif backend in ("mysql", "mariadb"):
                _mysql(conn, ev, wanted)
            else:
                ev.unreadable.append("unsupported_backend")
    except sa.exc.SQLAlchemyError as exc:
        ev.unreadable.append("connect")
        log.warning("access evidence: cannot connect to %s: %s", connector, type(exc).__name__)
    for schema, table in wanted:
        ev.tables.setdefault(f"{schema}.{table}", TableAccess(f"{schema}.{table}", complete=False))
    return ev


def _status_of_flags(flags: set[str], complete: bool) -> str:
    if flags & EXPOSURE_FLAGS:
        return FAIL
    return PASS if complete else UNKNOWN


def check_access(
    result: AssetResult,
    info: AssetInfo | None = None,
    db: DbAccessEvidence | None = None,
    max_grants: int = 50,
) -> list[CheckResult]:
    """Art. 15/18 access and audit-logging checks for one asset holding children's PI.

    Returns:
        Two checks: ``access`` (fail on public, anonymous or wildcard access; unknown when grants could
        not all be read) and ``audit_logging`` (fail when logging is off, unknown when not visible).
    """
    if result.asset.kind == AssetKind.OBJECT or (info is not None and "posture" in info.meta):
        posture = info.meta.get("posture") if info else None
        public = posture_public(posture)
        access_status = {True: FAIL, False: PASS, None: UNKNOWN}[public]
        logged = posture_logging(posture)
        return [
            CheckResult("access", ACCESS_ARTICLES, access_status, {"public": public, "source": "bucket_posture"}),
            CheckResult(
                "audit_logging", AUDIT_ARTICLES, {True: PASS, False: FAIL, None: UNKNOWN}[logged],
                {"access_logging": logged},
            ),
        ]
    if db is None or result.asset.kind != AssetKind.TABLE:
        return [
            CheckResult("access", ACCESS_ARTICLES, UNKNOWN, {"reason": "no access evidence for this store"}),
            CheckResult("audit_logging", AUDIT_ARTICLES, UNKNOWN, {"reason": "no access evidence for this store"}),
        ]
    key = ".".join(result.asset.path[-2:])
    ta = db.tables.get(key) or TableAccess(key, complete=False)
    evidence: dict[str, Any] = {
        "readers": ta.readers[:max_grants],
        "readers_total": len(ta.readers),
        "grants": [g.as_dict() for g in ta.grants[:max_grants]],
        "members": {k: v[:max_grants] for k, v in sorted(ta.members.items())},
        "superusers": db.superusers[:max_grants],
        "flags": sorted(ta.flags),
        "complete": ta.complete,
        "unreadable": list(db.unreadable),
    }
    audit_status = {True: PASS, False: FAIL, None: UNKNOWN}[db.audit_logging]
    return [
        CheckResult("access", ACCESS_ARTICLES, _status_of_flags(ta.flags, ta.complete), evidence),
        CheckResult("audit_logging", AUDIT_ARTICLES, audit_status, {"audit": db.audit_detail, "on": db.audit_logging}),
    ]


def access_matrix(evidence: Mapping[str, DbAccessEvidence]) -> list[dict[str, Any]]:
    """One row per (table, grantee) across databases, for the access review of the annual pack."""
    rows = []
    for connector, ev in sorted(evidence.items()):
        for table, ta in sorted(ev.tables.items()):
            for g in ta.grants:
                rows.append({"connector": connector, "table": table, **g.as_dict(), "flags": sorted(ta.flags)})
    return rows
