"""``pi-scanner doctor``: what can the identity we scan with actually do?

A scanner that can write is a liability: a bug, a stolen config or a mistyped command could change the very
data it is meant to inventory. Scanning needs SELECT (list/get on object stores) and nothing else;
enforcing retention needs DELETE/UPDATE on the named tables only. The doctor connects to every configured
store with the configured identity and lists every privilege beyond that, read from the server itself:

* PostgreSQL: role attributes (superuser, createrole, createdb, bypassrls, replication), membership of
  ``pg_write_all_data``, and per scanned table INSERT/UPDATE/DELETE/TRUNCATE/REFERENCES/TRIGGER and
  ownership (``has_table_privilege``/``pg_has_role``, which follow role inheritance);
* MySQL/MariaDB: ``SHOW GRANTS FOR CURRENT_USER`` parsed into global, schema and table privileges, with
  SUPER and GRANT OPTION called out;
* S3: listing, ACL and policy readability, and whether a write would be authorised, probed with a PutObject
  whose ``If-Match`` precondition cannot hold (nothing is written: the store refuses with 403 when the
  identity may not write, and with 404/412 after authorising the write when it may).

Nothing the doctor prints carries a secret: URLs are masked, only a user name or an access key id is shown,
and the password hash that ``SHOW GRANTS`` prints on older servers is never kept.
"""

from __future__ import annotations

import contextlib
import fnmatch
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import sqlalchemy as sa

from pi_scanner.config import AnyConnectorConfig, S3ConnectorConfig, Settings, SqlConnectorConfig
from pi_scanner.connectors.base import Capability
from pi_scanner.errors import CapabilityError, MissingDependencyError, PiScannerError
from pi_scanner.registry import load_connector_class

Purpose = Literal["scan", "enforce"]

#: Verdict of one finding: ``excess`` makes the doctor exit 1; ``unknown`` is a warning; ``ok`` is needed.
Level = Literal["ok", "excess", "unknown", "info"]

_PG_TABLE_PRIVS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
#: MySQL privileges a scanner needs (USAGE is "no privilege").
_MYSQL_READ_PRIVS = frozenset({"SELECT", "USAGE", "SHOW VIEW", "SHOW DATABASES"})
#: Privileges the enforcer needs on the tables its policies name.
_ENFORCE_PRIVS = frozenset({"DELETE", "UPDATE"})
_SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys")


@dataclass(frozen=True)
class Privilege:
    """One thing the identity can do, and whether the purpose needs it.

    Attributes:
        scope: ``role``, ``global``, ``schema <name>``, ``table <schema.table>`` or ``bucket <name>``.
        privilege: ``SUPERUSER``, ``DELETE``, ``GRANT OPTION``, ``s3:PutObject``, ...
        level: ``ok`` (needed), ``excess`` (more than needed), ``unknown`` (could not tell), ``info``.
        note: Why it matters (never a value or a secret).
    """

    scope: str
    privilege: str
    level: Level
    note: str = ""


@dataclass
class StoreReport:
    """What one connector's identity can do.

    Attributes:
        connector: Connector name.
        kind: ``postgresql``, ``mysql``, ``sqlite``, ``s3`` or ``fs``.
        target: The store with any password masked.
        identity: Database user or access key id (never a secret).
        can_read: Whether the identity could read what it scans (None when not checked).
        privileges: Every privilege found beyond plain reading, and the reads that were checked.
        error: Why the store could not be examined, if it could not.
    """

    connector: str
    kind: str
    target: str
    identity: str = ""
    can_read: bool | None = None
    privileges: list[Privilege] = field(default_factory=list)
    error: str | None = None

    @property
    def excess(self) -> bool:
        """True when the identity holds anything its purpose does not need."""
        return any(p.level == "excess" for p in self.privileges)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = asdict(self)
        data["excess"] = self.excess
        return data


@dataclass(frozen=True)
class Needs:
    """What the identity is allowed to hold.

    Attributes:
        purpose: ``scan`` (read only) or ``enforce`` (read plus DELETE/UPDATE on ``write_tables``).
        write_tables: ``schema.table`` globs the enforcer may change (from retention policies and
            ``--allow-write``); ignored when the purpose is ``scan``.
    """

    purpose: Purpose = "scan"
    write_tables: tuple[str, ...] = ()

    def may_write(self, schema: str, table: str, privilege: str) -> bool:
        """Whether ``privilege`` on ``schema.table`` is needed for the purpose."""
        if self.purpose != "enforce" or privilege not in _ENFORCE_PRIVS:
            return False
        name = f"{schema}.{table}"
        return any(fnmatch.fnmatchcase(name, g) or fnmatch.fnmatchcase(table, g) for g in self.write_tables)


def enforcement_tables(settings: Settings, connector: str) -> tuple[str, ...]:
    """``schema.table`` globs that the retention policies of ``connector`` act on."""
    globs: list[str] = []
    for policy in settings.retention:
        selector = policy.get("selector") if isinstance(policy, dict) else None
        if isinstance(selector, dict) and selector.get("connector") in (None, connector):
            globs.extend(str(t) for t in selector.get("tables") or [])
    return tuple(globs)


def _scope_filter(cfg: SqlConnectorConfig) -> Any:
    def wanted(schema: str, table: str) -> bool:
        qualified = f"{schema}.{table}"
        if cfg.schemas is not None and schema not in cfg.schemas:
            return False
        if not any(fnmatch.fnmatchcase(qualified, g) for g in cfg.include):
            return False
        return not any(fnmatch.fnmatchcase(qualified, g) for g in cfg.exclude)

    return wanted


def _one_line(exc: BaseException, secret: str | None = None) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = (str(orig).strip().splitlines() or [""])[0][:200]
    if secret:
        text = text.replace(secret, "***")
    return f"{type(orig).__name__}: {text}" if text else type(orig).__name__


# ----------------------------------------------------------------------------------------- PostgreSQL

_PG_ROLE = sa.text(
    "SELECT current_user AS who, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls, r.rolreplication,"
    " COALESCE((SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = 'pg_write_all_data'),"
    " false) AS write_all,"
    " COALESCE((SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = 'pg_read_all_data'),"
    " false) AS read_all,"
    " has_database_privilege(current_database(), 'CREATE') AS db_create"
    " FROM pg_roles r WHERE r.rolname = current_user"
)
_PG_TABLES = sa.text(
    "SELECT n.nspname AS schema_name, c.relname AS table_name,"
    " has_table_privilege(c.oid, 'SELECT') AS p_select,"
    " has_table_privilege(c.oid, 'INSERT') AS p_insert,"
    " has_table_privilege(c.oid, 'UPDATE') AS p_update,"
    " has_table_privilege(c.oid, 'DELETE') AS p_delete,"
    " has_table_privilege(c.oid, 'TRUNCATE') AS p_truncate,"
    " has_table_privilege(c.oid, 'REFERENCES') AS p_references,"
    " has_table_privilege(c.oid, 'TRIGGER') AS p_trigger,"
    " pg_has_role(current_user, c.relowner, 'USAGE') AS owns"
    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')"
    " AND n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast')"
    " AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'"
    " ORDER BY 1, 2"
)
_PG_SCHEMAS = sa.text(
    "SELECT n.nspname AS schema_name, has_schema_privilege(n.oid, 'CREATE') AS p_create,"
    " pg_has_role(current_user, n.nspowner, 'USAGE') AS owns"
    " FROM pg_namespace n WHERE n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast')"
    " AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%' ORDER BY 1"
)


def _pg_report(conn: sa.Connection, report: StoreReport, cfg: SqlConnectorConfig, needs: Needs) -> None:
    role = conn.execute(_PG_ROLE).mappings().one()
    report.identity = str(role["who"])
    attrs = (
        ("rolsuper", "SUPERUSER", "bypasses every permission check"),
        ("rolcreaterole", "CREATEROLE", "can create roles and grant itself more"),
        ("rolcreatedb", "CREATEDB", "can create databases"),
        ("rolbypassrls", "BYPASSRLS", "ignores row-level security"),
        ("rolreplication", "REPLICATION", "can stream the whole cluster"),
        ("write_all", "pg_write_all_data", "may write every table"),
        ("db_create", "CREATE ON DATABASE", "can create schemas"),
    )
    for key, name, note in attrs:
        if role[key]:
            report.privileges.append(Privilege("role", name, "excess", note))
    if role["read_all"]:
        report.privileges.append(Privilege("role", "pg_read_all_data", "info", "reads every table (more than scoped)"))
    wanted = _scope_filter(cfg)
    for row in conn.execute(_PG_SCHEMAS).mappings():
        if cfg.schemas is not None and row["schema_name"] not in cfg.schemas:
            continue
        if row["owns"]:
            report.privileges.append(Privilege(f"schema {row['schema_name']}", "OWNER", "excess", "owns the schema"))
        elif row["p_create"]:
            report.privileges.append(Privilege(f"schema {row['schema_name']}", "CREATE", "excess", "can add objects"))
    readable = unreadable = 0
    for row in conn.execute(_PG_TABLES).mappings():
        schema, table = str(row["schema_name"]), str(row["table_name"])
        if not wanted(schema, table):
            continue
        scope = f"table {schema}.{table}"
        if row["p_select"]:
            readable += 1
        else:
            unreadable += 1
            report.privileges.append(Privilege(scope, "SELECT", "unknown", "missing: this table cannot be scanned"))
        if row["owns"]:
            report.privileges.append(Privilege(scope, "OWNER", "excess", "owners hold every privilege and can grant"))
        for priv in _PG_TABLE_PRIVS:
            if row[f"p_{priv.lower()}"]:
                ok = needs.may_write(schema, table, priv)
                report.privileges.append(
                    Privilege(scope, priv, "ok" if ok else "excess", "named by a retention policy" if ok else "")
                )
    report.can_read = unreadable == 0 if readable + unreadable else None


# ----------------------------------------------------------------------------------------- MySQL

@dataclass(frozen=True)
class MysqlGrant:
    """One parsed ``GRANT`` line of ``SHOW GRANTS``.

    Attributes:
        privileges: Upper-case privilege names; column privileges keep their name (``UPDATE``).
        database: ``*`` for global grants, else the database name.
        table: ``*`` for database-wide grants, else the table name; empty for role grants.
        grant_option: ``WITH GRANT OPTION`` was present.
        role: For ``GRANT role TO user`` lines, the role name.
    """

    privileges: tuple[str, ...]
    database: str
    table: str
    grant_option: bool = False
    role: str = ""


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside backticks, quotes and parentheses."""
    parts: list[str] = []
    depth, quote, start, i = 0, "", 0, 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                if i + 1 < len(text) and text[i + 1] == quote:
                    i += 1  # doubled quote inside a quoted name
                else:
                    quote = ""
        elif ch in "`'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
            i = start
            continue
        i += 1
    parts.append(text[start:])
    return parts


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "`'\"":
        q = name[0]
        return name[1:-1].replace(q + q, q)
    return name


_GRANT_HEAD = re.compile(r"^\s*GRANT\s+", re.IGNORECASE)


def parse_mysql_grant(line: str) -> MysqlGrant | None:
    """Parse one line of ``SHOW GRANTS``; returns None for lines that are not privilege grants (PROXY).

    Only privileges and the object are kept: the grantee and any ``IDENTIFIED BY PASSWORD`` hash are dropped.
    """
    if not _GRANT_HEAD.match(line):
        return None
    body = _GRANT_HEAD.sub("", line, count=1)
    on_parts = _split_top(body, " ON ")
    grant_option = bool(re.search(r"\bWITH\b.*\bGRANT OPTION\b", line, re.IGNORECASE))
    if len(on_parts) < 2:
        role = _split_top(body, " TO ")[0]
        return MysqlGrant((), "", "", grant_option, _unquote(role))
    privs_text, rest = on_parts[0], " ON ".join(on_parts[1:])
    obj = _split_top(rest, " TO ")[0].strip()
    routine = re.match(r"^(PROCEDURE|FUNCTION|PACKAGE( BODY)?)\s", obj, re.IGNORECASE)
    if routine or privs_text.strip().upper() == "PROXY":
        return None
    db_table = _split_top(obj, ".")
    database = _unquote(db_table[0])
    table = _unquote(db_table[1]) if len(db_table) > 1 else "*"
    privs = []
    for p in _split_top(privs_text, ","):
        name = re.sub(r"\s*\(.*\)\s*$", "", p.strip()).upper()  # column list: UPDATE (`a`, `b`)
        name = " ".join(name.split())
        if name == "ALL":
            name = "ALL PRIVILEGES"
        if name:
            privs.append(name)
    return MysqlGrant(tuple(privs), database, table, grant_option)


def _mysql_report(conn: sa.Connection, report: StoreReport, cfg: SqlConnectorConfig, needs: Needs) -> None:
    report.identity = str(conn.execute(sa.select(sa.func.current_user())).scalar_one())
    lines = [str(r[0]) for r in conn.execute(sa.text("SHOW GRANTS FOR CURRENT_USER"))]
    database = conn.execute(sa.select(sa.func.database())).scalar_one()
    can_select = False
    for line in lines:
        grant = parse_mysql_grant(line)
        if grant is None:
            continue
        if grant.role:
            report.privileges.append(
                Privilege("role", f"ROLE {grant.role}", "unknown", "privileges of granted roles are not expanded")
            )
            continue
        if grant.database == "*":
            scope = "global"
        elif grant.table == "*":
            scope = f"schema {grant.database}"
        else:
            scope = f"table {grant.database}.{grant.table}"
        applies = grant.database in ("*", database) or fnmatch.fnmatchcase(str(database or ""), grant.database)
        if grant.grant_option:
            report.privileges.append(Privilege(scope, "GRANT OPTION", "excess", "can pass its privileges on"))
        for priv in grant.privileges:
            if priv in ("SELECT", "ALL PRIVILEGES") and applies:
                can_select = True
            if priv in _MYSQL_READ_PRIVS:
                continue
            ok = grant.table != "*" and needs.may_write(grant.database, grant.table, priv)
            note = {
                "SUPER": "bypasses read_only and can kill sessions",
                "ALL PRIVILEGES": "every privilege on the scope",
                "FILE": "reads and writes server files",
            }.get(priv, "named by a retention policy" if ok else "")
            report.privileges.append(Privilege(scope, priv, "ok" if ok else "excess", note))
    report.can_read = can_select


# ----------------------------------------------------------------------------------------- SQL entry

def check_sql(name: str, cfg: SqlConnectorConfig, needs: Needs) -> StoreReport:
    """Examine the identity of a SQL connector.

    Args:
        name: Connector name.
        cfg: Its configuration (password from env/file, never shown).
        needs: What the identity may hold.
    """
    from pi_scanner.connectors.sql import SqlConnector

    connector = SqlConnector(name, cfg)
    backend = connector.backend
    report = StoreReport(name, backend, connector.url.render_as_string(hide_password=True))
    secret = connector.url.password
    try:
        with connector.engine.connect() as conn:
            if backend == "postgresql":
                _pg_report(conn, report, cfg, needs)
            elif backend in ("mysql", "mariadb"):
                _mysql_report(conn, report, cfg, needs)
            else:
                report.identity = "file owner"
                report.can_read = True
                report.privileges.append(
                    Privilege("database", "file access", "unknown", "SQLite has no grants: protect the file mode")
                )
            conn.rollback()
    except sa.exc.SQLAlchemyError as exc:
        report.error = _one_line(exc, str(secret) if secret else None)
    finally:
        connector.close()
        connector.engine.dispose()
    return report


# ----------------------------------------------------------------------------------------- S3

def _s3_code(exc: Exception) -> tuple[str, int]:
    response = getattr(exc, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", "")) or type(exc).__name__
    status = int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return code, status


def _denied(code: str, status: int) -> bool:
    return status == 403 or code in ("AccessDenied", "AllAccessDisabled", "403")


def _s3_buckets(client: Any, cfg: S3ConnectorConfig) -> list[str]:
    globs = cfg.buckets
    if all(not set(g) & set("*?[") for g in globs):
        names = list(globs)
    else:
        names = [b["Name"] for b in client.list_buckets().get("Buckets", [])]
    return [b for b in names if any(fnmatch.fnmatchcase(b, g) for g in globs)
            and not any(fnmatch.fnmatchcase(b, g) for g in cfg.exclude_buckets)]


def _probe_write(client: Any, bucket: str) -> Privilege:
    """Ask for a write that cannot succeed: ``If-Match`` on a key that does not exist."""
    key = f".pi-scanner-doctor/{uuid.uuid4().hex}"
    scope = f"bucket {bucket}"
    try:
        client.put_object(Bucket=bucket, Key=key, Body=b"", IfMatch='"00000000000000000000000000000000"')
    except Exception as exc:  # botocore's error classes live in the S3 connector only
        code, status = _s3_code(exc)
        if _denied(code, status):
            return Privilege(scope, "s3:PutObject", "info", "denied (good)")
        if code in ("NoSuchKey", "PreconditionFailed", "404", "412") or status in (404, 412):
            return Privilege(scope, "s3:PutObject", "excess", "authorised (refused only by the precondition)")
        return Privilege(scope, "s3:PutObject", "unknown", f"probe answered {code}")
    return Privilege(
        scope, "s3:PutObject", "excess", f"the store ignored If-Match and wrote an empty probe object {key}"
    )


def _s3_read_acp(client: Any, bucket: str, owner_id: str | None) -> list[Privilege]:
    scope = f"bucket {bucket}"
    found: list[Privilege] = []
    try:
        acl = client.get_bucket_acl(Bucket=bucket)
    except Exception as exc:
        code, status = _s3_code(exc)
        return [Privilege(scope, "s3:GetBucketAcl", "info", "denied" if _denied(code, status) else code)]
    found.append(Privilege(scope, "s3:GetBucketAcl", "info", "ACL readable"))
    for grant in acl.get("Grants", []):
        grantee = grant.get("Grantee", {})
        perm = str(grant.get("Permission", ""))
        if owner_id and grantee.get("ID") == owner_id and perm in ("FULL_CONTROL", "WRITE", "WRITE_ACP"):
            found.append(Privilege(scope, f"ACL {perm}", "excess", "the ACL grants this identity write/ACL change"))
        if grantee.get("Type") == "Group" and perm in ("FULL_CONTROL", "WRITE", "WRITE_ACP"):
            found.append(Privilege(scope, f"ACL {perm} to a group", "excess", "anyone in the group may write"))
    return found


def _s3_policy(client: Any, bucket: str) -> list[Privilege]:
    scope = f"bucket {bucket}"
    try:
        client.get_bucket_policy(Bucket=bucket)
        note = "policy readable"
    except Exception as exc:
        code, status = _s3_code(exc)
        note = "denied" if _denied(code, status) else ("no policy set" if code == "NoSuchBucketPolicy" else code)
    return [
        Privilege(scope, "s3:GetBucketPolicy", "info", note),
        Privilege(scope, "s3:PutBucketPolicy", "unknown", "cannot be tested without changing the policy"),
    ]


def _access_key_id(client: Any) -> str:
    # Only the key id (public by design) is read, never the secret.
    try:
        creds = client._request_signer._credentials
        return str(creds.get_frozen_credentials().access_key) if creds is not None else "anonymous"
    except AttributeError:
        return "unknown"


def check_s3(name: str, cfg: S3ConnectorConfig, needs: Needs) -> StoreReport:
    """Examine the identity of an S3 connector with checks that change nothing.

    Args:
        name: Connector name.
        cfg: Its configuration.
        needs: What the identity may hold (a scanner never needs to write objects; the enforcer needs
            DeleteObject, which cannot be probed without deleting, so it is not checked).
    """
    from pi_scanner.connectors.s3 import S3Connector

    connector = S3Connector(name, cfg)
    report = StoreReport(name, "s3", connector.describe())
    try:
        client = connector.client
        report.identity = _access_key_id(client)
        owner_id: str | None = None
        with contextlib.suppress(Exception):  # listing all buckets is optional for a scanner
            owner_id = client.list_buckets().get("Owner", {}).get("ID")
        readable = True
        for bucket in _s3_buckets(client, cfg):
            try:
                client.list_objects_v2(Bucket=bucket, MaxKeys=1, Prefix=cfg.prefixes[0] if cfg.prefixes else "")
                report.privileges.append(Privilege(f"bucket {bucket}", "s3:ListBucket", "ok", ""))
            except Exception as exc:
                readable = False
                report.privileges.append(Privilege(f"bucket {bucket}", "s3:ListBucket", "unknown", _s3_code(exc)[0]))
                continue
            report.privileges.append(_probe_write(client, bucket))
            report.privileges.extend(_s3_read_acp(client, bucket, owner_id))
            report.privileges.extend(_s3_policy(client, bucket))
        report.can_read = readable
    except PiScannerError as exc:
        report.error = str(exc)
    except Exception as exc:  # unreachable endpoint, bad credentials: report, not crash
        report.error = f"{type(exc).__name__}: {_s3_code(exc)[0]}"
    finally:
        connector.close()
    return report


# ----------------------------------------------------------------------------------------- all stores

#: How doctor lists the privileges of each connector type that declares ``Capability.PRIVILEGES``.
_PRIVILEGE_CHECKS: dict[str, Callable[[str, Any, Needs], StoreReport]] = {"sql": check_sql, "s3": check_s3}


def check_store(name: str, cfg: AnyConnectorConfig, needs: Needs) -> StoreReport:
    """Examine one connector; errors become the report's ``error``, never an exception.

    A connector that does not declare :attr:`~pi_scanner.connectors.base.Capability.PRIVILEGES` (a
    folder, most plugins) gets one ``unknown`` entry saying so: doctor cannot vouch for its access.
    """
    kind = str(cfg.type)
    try:
        cls = load_connector_class(kind)
        check = _PRIVILEGE_CHECKS.get(kind)
        if cls.supports(Capability.PRIVILEGES) and check is not None:
            return check(name, cfg, needs)
    except (MissingDependencyError, PiScannerError) as exc:
        return StoreReport(name, kind, "", error=str(exc))
    why = CapabilityError(name, kind, Capability.PRIVILEGES.value, Capability.PRIVILEGES.action)
    return StoreReport(
        name, kind, str(getattr(cfg, "path", "")),
        privileges=[Privilege("store", "access", "unknown", f"{why}; check its access yourself (a folder: its mode "
                                                           "and owner)")],
    )


def run_doctor(
    settings: Settings,
    *,
    purpose: Purpose = "scan",
    allow_write: Sequence[str] = (),
    connectors: Iterable[str] | None = None,
) -> list[StoreReport]:
    """Examine every (or the named) connector of ``settings``.

    Args:
        settings: Validated configuration.
        purpose: ``scan`` (SELECT only) or ``enforce`` (also DELETE/UPDATE on policy tables).
        allow_write: Extra ``schema.table`` globs the enforcer may change.
        connectors: Only these connectors.
    """
    names = list(connectors) if connectors else list(settings.connectors)
    reports = []
    for name in names:
        tables = tuple(allow_write) + enforcement_tables(settings, name)
        reports.append(check_store(name, settings.connectors[name], Needs(purpose, tables)))
    return reports
