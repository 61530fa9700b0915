"""SQL databases through SQLAlchemy: PostgreSQL (psycopg 3), MySQL/MariaDB (PyMySQL), SQLite.

Safety first, after pdscan: SELECT only (in a read-only transaction that is always rolled back), a
per-statement timeout, at most ``max_concurrent_queries`` statements in flight against the database, and
bounded samples. Table and column names come from strangers' databases, so every statement is built from
reflected :class:`sqlalchemy.Table` objects and quoted by the dialect; nothing is string-formatted.

Errors never carry cell values: database messages on reads are reduced to the exception class and the
SQLSTATE/errno, and URLs are rendered with the password masked.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import logging
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import URL

from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.base import AssetInfo, Capability, Connector, check_readable, not_read
from pi_scanner.errors import (
    ConnectionLostError,
    ConnectorError,
    MissingDependencyError,
    PiScannerError,
    StoreUnavailableError,
)
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample

log = logging.getLogger(__name__)

#: Schemas that hold the database's own catalog, never user data.
SYSTEM_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys"})
_SYSTEM_PREFIXES = ("pg_temp_", "pg_toast_temp_")

#: PostgreSQL: TABLESAMPLE only pays off when the table is much larger than the sample.
_TABLESAMPLE_MIN_FACTOR = 5
#: Ask TABLESAMPLE for this many times the rows needed: pages vary in how many rows they hold.
_TABLESAMPLE_OVERSAMPLE = 2.0
#: A block sample returning less than this share of the wanted rows falls back to a plain LIMIT.
_TABLESAMPLE_MIN_SHARE = 0.5

#: Errors that mean "the statement ran out of time" (SQLSTATE for PostgreSQL, errno for MySQL/MariaDB).
_PG_TIMEOUT_STATES = frozenset({"57014"})
_MYSQL_TIMEOUT_ERRNOS = frozenset({1969, 3024})
#: Errors that mean "the table is gone".
_PG_MISSING_STATES = frozenset({"42P01"})
_MYSQL_MISSING_ERRNOS = frozenset({1146})
#: Errors that mean "the connection is gone" (a restart, an operator's terminate/KILL, a network cut): the
#: statement can run again on a new connection. PostgreSQL: class 08 and the 57P0x shutdown states;
#: MySQL/MariaDB: server gone away, lost during query, connection killed, server shutdown.
_PG_LOST_STATES = frozenset({"57P01", "57P02", "57P03"})
_MYSQL_LOST_ERRNOS = frozenset({1053, 1927, 2006, 2013, 2055})

_DRIVERS = {
    "postgresql": ("postgresql+psycopg", "postgres"),
    "postgres": ("postgresql+psycopg", "postgres"),
    "mysql": ("mysql+pymysql", "mysql"),
    "mariadb": ("mysql+pymysql", "mysql"),
}


def normalize_url(url: str | URL, password: str | None = None) -> URL:
    """Parse a database URL, pick the supported driver and merge a password that the URL lacks.

    ``postgresql://`` becomes ``postgresql+psycopg://``; ``mysql://`` and ``mariadb://`` become
    ``mysql+pymysql://``. An explicit ``+driver`` is kept.

    Raises:
        ConnectorError: Not a valid SQLAlchemy URL (the message never echoes the URL, which may hold a
            password).
    """
    try:
        parsed = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        raise ConnectorError("sql", "the url is not a valid SQLAlchemy URL") from None
    if parsed.drivername in _DRIVERS:
        parsed = parsed.set(drivername=_DRIVERS[parsed.drivername][0])
    if password is not None and parsed.password is None:
        parsed = parsed.set(password=password)
    return parsed


def _extra_for(url: URL) -> str:
    backend = url.get_backend_name()
    return {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql"}.get(backend, backend)


def _type_name(type_: Any, dialect: sa.Dialect) -> str:
    try:
        return str(type_.compile(dialect=dialect)).lower()
    except Exception:
        # Types the dialect cannot render back (NullType for unknown types) still have a class name.
        return type(type_).__name__.lower()


def _to_python(value: Any) -> Any:
    # Binary columns come back as memoryview from some drivers; keep bytes so they can be hashed and
    # inspected after the connection is gone.
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, bytearray):
        return bytes(value)
    return value


def _driver_code(exc: BaseException) -> str | int | None:
    orig = getattr(exc, "orig", None) or exc
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int):
        return args[0]  # MySQL/MariaDB errno (more specific than PyMySQL's sqlstate)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    return str(sqlstate) if sqlstate else None


def _is_timeout(exc: BaseException, backend: str) -> bool:
    code = _driver_code(exc)
    if backend == "postgresql":
        return code in _PG_TIMEOUT_STATES
    if backend in ("mysql", "mariadb"):
        return code in _MYSQL_TIMEOUT_ERRNOS
    orig = getattr(exc, "orig", None) or exc
    return "interrupted" in str(orig).lower()


def _unescape_mysql(name: str) -> str:
    # SQLAlchemy's MySQL reflection parses SHOW CREATE TABLE and returns column names (and the column
    # names of keys) still escaped: a column `a``b` comes back as "a``b" instead of "a`b". Quoting that
    # name again doubles the backticks once more and the statement names a column that does not exist
    # (MariaDB error 1054). The captured text is always the escaped form, so undoing the doubling is exact.
    return name.replace("``", "`")


def _mysql_column_reflect(inspector: Any, table: sa.Table, column_info: dict[str, Any]) -> None:
    column_info["name"] = _unescape_mysql(column_info["name"])


def reflect_table(bind: sa.Connection | sa.Engine, name: str, schema: str | None) -> sa.Table:
    """Reflect one table, with column names exactly as the database holds them.

    Use this instead of ``sa.Table(..., autoload_with=...)`` for tables from strangers' databases: on
    MySQL/MariaDB it undoes SQLAlchemy's reflection leaving backticks in column names escaped, so a
    column named ``name` --`` can be selected (and is quoted correctly) like any other.

    Args:
        bind: A connection or engine to reflect with.
        name: The table's name.
        schema: Its schema (a database on MySQL), or None for the default.

    Returns:
        The reflected table in a fresh ``MetaData``.

    Reflection cannot lose a column: SQLAlchemy's MySQL reflection parses ``SHOW CREATE TABLE`` line by
    line and drops (with only a warning) a column whose name holds a newline. The database's own catalogue
    (``information_schema.columns``) is compared with what reflection found, and every column it missed
    is added with the catalogue's type name (``table.info["recovered_columns"]`` lists them).

    Raises:
        sqlalchemy.exc.NoSuchTableError: The table does not exist.
    """
    listeners: list[tuple[str, Any]] = []
    if bind.dialect.name in ("mysql", "mariadb"):
        listeners.append(("column_reflect", _mysql_column_reflect))
    with warnings.catch_warnings(record=True) as caught:
        # "Unknown column definition": what it would have dropped is recovered below, not lost.
        warnings.simplefilter("always", sa.exc.SAWarning)
        table = sa.Table(name, sa.MetaData(), schema=schema, autoload_with=bind, listeners=listeners)
    dropped = sum(1 for w in caught if str(w.message).startswith("Unknown column definition"))
    recovered = []
    for column, type_name in catalogue_columns(bind, name, schema).get(name, []):
        if column not in table.c:
            table.append_column(sa.Column(column, sa.types.NullType(), info={"raw_type": type_name}))
            recovered.append(column)
    table.info["recovered_columns"] = recovered
    # Columns reflection dropped that the catalogue could not name either: counted, never silently lost.
    table.info["unreadable_columns"] = max(0, dropped - len(recovered))
    return table


def catalogue_columns(
    bind: sa.Connection | sa.Engine, table: str | None, schema: str | None
) -> dict[str, list[tuple[str, str]]]:
    """Columns as the database's catalogue lists them: table name to ``(column, type name)`` in order.

    Args:
        bind: A connection or engine.
        table: One table, or None for every table of ``schema``.
        schema: The schema (a database on MySQL), or None for the connection's default.

    Returns:
        Empty where there is no ``information_schema`` (SQLite) or it cannot be read.
    """
    if bind.dialect.name not in ("postgresql", "mysql", "mariadb"):
        return {}
    cols = sa.table("columns", sa.column("table_schema"), sa.column("table_name"), sa.column("column_name"),
                    sa.column("data_type"), sa.column("ordinal_position"), schema="information_schema")
    current = "current_schema()" if bind.dialect.name == "postgresql" else "DATABASE()"
    here: sa.ColumnElement[Any] = sa.literal_column(current)
    stmt = sa.select(cols.c.table_name, cols.c.column_name, cols.c.data_type).where(
        cols.c.table_schema == (schema if schema is not None else here)
    ).order_by(cols.c.table_name, cols.c.ordinal_position)
    if table is not None:
        stmt = stmt.where(cols.c.table_name == table)
    out: dict[str, list[tuple[str, str]]] = {}
    try:
        if isinstance(bind, sa.Engine):
            with bind.connect() as conn:
                rows = list(conn.execute(stmt).all())
        else:
            rows = _catalogue_rows(bind, stmt)
    except sa.exc.DBAPIError:
        return {}
    for tname, column, data_type in rows:
        out.setdefault(str(tname), []).append((str(column), str(data_type or "").lower()))
    return out


def _catalogue_rows(conn: sa.Connection, stmt: sa.Select[Any]) -> list[Any]:
    """Rows of a catalogue query in a savepoint, so a refusal does not abort the caller's transaction."""
    if conn.dialect.name == "postgresql" and conn.in_transaction():
        with conn.begin_nested():
            return list(conn.execute(stmt).all())
    return list(conn.execute(stmt).all())


def _coerce_all(column: sa.ColumnElement[Any], values: Sequence[Any]) -> list[Any]:
    """``values`` converted to the column's Python type, unconvertible ones dropped, order kept."""
    try:
        python_type: type | None = column.type.python_type
    except NotImplementedError:
        python_type = None
    out: list[Any] = []
    for value in values:
        if value is None:
            continue
        if python_type is None or isinstance(value, python_type):
            out.append(value)
            continue
        try:
            if python_type is int:
                text = str(value).strip()
                if text.lstrip("+-").isdigit():
                    out.append(int(text))  # exact, even beyond float precision (snowflake ids)
                    continue
                number = float(text)
                if number.is_integer():
                    out.append(int(number))  # '7.0'; '7.5' can never equal an integer id
            elif python_type is str:
                out.append(str(value))
            else:
                out.append(python_type(str(value)))
        except (TypeError, ValueError, ArithmeticError):
            continue
    return list(dict.fromkeys(out))


def _is_missing_table(exc: BaseException, backend: str) -> bool:
    code = _driver_code(exc)
    if backend == "postgresql":
        return code in _PG_MISSING_STATES
    if backend in ("mysql", "mariadb"):
        return code in _MYSQL_MISSING_ERRNOS
    orig = getattr(exc, "orig", None) or exc
    return "no such table" in str(orig).lower()


def is_connection_lost(exc: BaseException, backend: str) -> bool:
    """True when ``exc`` (a SQLAlchemy or a raw driver error) says the connection itself is gone.

    Args:
        exc: The exception.
        backend: ``postgresql``, ``mysql``, ``mariadb`` or ``sqlite``.
    """
    if getattr(exc, "connection_invalidated", False):
        return True
    orig = getattr(exc, "orig", None) or exc
    code = _driver_code(exc)
    if backend == "postgresql":
        if isinstance(code, str) and (code in _PG_LOST_STATES or code.startswith("08")):
            return True
        # psycopg raises a bare OperationalError (no SQLSTATE) when the socket closes under it.
        return code is None and type(orig).__name__ == "OperationalError"
    if backend in ("mysql", "mariadb"):
        return code in _MYSQL_LOST_ERRNOS
    return False


class SqlConnector(Connector):
    """Scans the tables of one SQL database.

    Args:
        name: The connector's name in the configuration.
        config: Its validated :class:`~pi_scanner.config.SqlConnectorConfig`.

    Raises:
        MissingDependencyError: The database driver is not installed.
        ConnectorError: The URL cannot be parsed or names an unknown database type.
    """

    type_name: ClassVar[str] = "sql"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({
        Capability.SAMPLING, Capability.CENSUS, Capability.DATA_MAP, Capability.DELETE,
        Capability.PRIVILEGES, Capability.SUBJECT_LOOKUP, Capability.SQL,
    })
    config_model: ClassVar[type[SqlConnectorConfig]] = SqlConnectorConfig
    config: SqlConnectorConfig

    def __init__(self, name: str, config: SqlConnectorConfig) -> None:
        super().__init__(name, config)
        password = config.password.get_secret_value() if config.password is not None else None
        self._replica = config.read_replica_url is not None
        try:
            self.url = normalize_url(config.read_replica_url or config.url, password)
        except ConnectorError:
            raise ConnectorError(name, "the url is not a valid SQLAlchemy URL") from None
        self.backend = self.url.get_backend_name()
        # hide_parameters: a driver error must never echo bound values (keys of a retention pass).
        kwargs: dict[str, Any] = {
            "connect_args": dict(config.connect_args),
            "pool_pre_ping": True,
            "hide_parameters": True,
        }
        if self.backend != "sqlite":
            # No more connections than statements allowed in flight.
            kwargs.update(pool_size=config.max_concurrent_queries, max_overflow=0)
        try:
            self.engine: sa.Engine = sa.create_engine(self.url, **kwargs)
        except ImportError:
            extra = _extra_for(self.url)
            raise MissingDependencyError(extra, extra) from None
        except sa.exc.NoSuchModuleError:
            raise ConnectorError(name, f"unsupported database type {self.url.drivername!r}") from None
        self._slots = threading.BoundedSemaphore(config.max_concurrent_queries)

    # -- connections ------------------------------------------------------------------------------

    def describe(self) -> str:
        """The database URL with the password masked (and whether it is the read replica)."""
        suffix = " (read replica)" if self._replica else ""
        return f"sql {self.url.render_as_string(hide_password=True)}{suffix}"

    def _connect_error(self, exc: BaseException) -> StoreUnavailableError:
        orig = getattr(exc, "orig", None) or exc
        first = (str(orig).strip().splitlines() or [""])[0]
        if self.url.password:
            first = first.replace(str(self.url.password), "***")
        detail = f"{type(orig).__name__}: {first[:200]}" if first else type(orig).__name__
        # Transient as well: during a scan a refused connection is most often a server restarting.
        return StoreUnavailableError(
            self.name, f"cannot connect to {self.url.render_as_string(hide_password=True)} ({detail})"
        )

    @contextmanager
    def _session(self, *, timeout: bool = True) -> Iterator[sa.Connection]:
        """A connection in a read-only transaction that is rolled back, within the concurrency limit."""
        with self._slots:
            try:
                conn = self.engine.connect()
            except sa.exc.DBAPIError as exc:
                raise self._connect_error(exc) from None
            try:
                if self.backend == "postgresql":
                    conn = conn.execution_options(postgresql_readonly=True)
                txn = conn.begin()
                try:
                    restore = self._apply_timeout(conn) if timeout else None
                    try:
                        yield conn
                    finally:
                        if restore is not None:
                            restore()
                finally:
                    self._end(conn, txn)
            finally:
                conn.close()

    def _end(self, conn: sa.Connection, txn: sa.RootTransaction) -> None:
        """Roll back a session's transaction; a connection that died under it is discarded instead.

        A lost connection cannot roll back, and the error of that rollback would replace the error that
        explains what happened (the read failed because the server went away).
        """
        if conn.invalidated:
            return  # already discarded (a read found the connection gone)
        try:
            if txn.is_active:
                txn.rollback()
        except sa.exc.DBAPIError as exc:
            if not is_connection_lost(exc, self.backend):
                raise
            log.debug("rollback on a lost connection skipped", extra={"connector": self.name})
            conn.invalidate()

    def _apply_timeout(self, conn: sa.Connection) -> Any:
        """Bound every statement of this session; returns an undo callable where one is needed."""
        seconds = self.config.statement_timeout_s
        if self.backend == "postgresql":
            # set_config(..., true) is SET LOCAL: it ends with the transaction, leaving the pool clean.
            conn.execute(sa.select(sa.func.set_config("statement_timeout", str(int(seconds * 1000)), True)))
            return None
        if self.backend in ("mysql", "mariadb"):
            if conn.dialect.is_mariadb:  # type: ignore[attr-defined]
                conn.execute(sa.text("SET SESSION max_statement_time = :s").bindparams(s=float(seconds)))
            else:
                conn.execute(sa.text("SET SESSION max_execution_time = :ms").bindparams(ms=int(seconds * 1000)))
            return None
        if self.backend == "sqlite":
            raw = conn.connection.dbapi_connection
            assert raw is not None
            deadline = time.monotonic() + seconds

            def _expired() -> int:
                return 1 if time.monotonic() > deadline else 0

            # A non-zero return from the progress handler interrupts the running statement.
            raw.set_progress_handler(_expired, 10_000)
            return lambda: raw.set_progress_handler(None, 0)
        return None

    def driver_errors(self) -> tuple[type[BaseException], ...]:
        """Exceptions of the database driver itself (raised where a raw cursor is used, as COPY is)."""
        dbapi = getattr(self.engine.dialect, "loaded_dbapi", None)
        error = getattr(dbapi, "Error", None)
        return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()

    def _read_error(self, exc: BaseException, asset: AssetRef, action: str) -> PiScannerError:
        """A value-free error for a failed read: SQLAlchemy's wrapper or the driver's own exception."""
        if _is_timeout(exc, self.backend):
            return self.transient(
                f"{action} {asset.display} timed out after {self.config.statement_timeout_s:g}s"
            )
        if isinstance(exc, sa.exc.NoSuchTableError) or _is_missing_table(exc, self.backend):
            return self.terminal(f"{asset.display} no longer exists")
        if is_connection_lost(exc, self.backend):
            return ConnectionLostError(f"{self.name}: connection lost while {action} {asset.display}")
        orig = getattr(exc, "orig", None) or exc
        code = _driver_code(exc)
        where = f" [{code}]" if code is not None else ""
        # The driver's message may quote data; only its class and code are passed on.
        return self.terminal(f"{action} {asset.display} failed: {type(orig).__name__}{where}")

    # -- discovery --------------------------------------------------------------------------------

    def _schemas(self, inspector: sa.Inspector) -> list[str]:
        if self.config.schemas is not None:
            return list(self.config.schemas)
        if self.backend in ("mysql", "mariadb") and self.url.database:
            # A MySQL "schema" is a database: scan the one the URL names, not every database the
            # account can see.
            return [self.url.database]
        if self.backend == "sqlite":
            return ["main"]
        return [
            s
            for s in inspector.get_schema_names()
            if s.lower() not in SYSTEM_SCHEMAS and not s.lower().startswith(_SYSTEM_PREFIXES)
        ]

    def _wanted(self, schema: str, table: str) -> bool:
        qualified = f"{schema}.{table}"
        if not any(fnmatch.fnmatchcase(qualified, g) for g in self.config.include):
            return False
        return not any(fnmatch.fnmatchcase(qualified, g) for g in self.config.exclude)

    def _row_estimates(self, conn: sa.Connection, schema: str, tables: list[str]) -> dict[str, int | None]:
        if self.backend == "postgresql":
            cls = sa.table(
                "pg_class",
                sa.column("relname"),
                sa.column("reltuples"),
                sa.column("relnamespace"),
                sa.column("relkind"),
                schema="pg_catalog",
            )
            ns = sa.table("pg_namespace", sa.column("oid"), sa.column("nspname"), schema="pg_catalog")
            query = (
                sa.select(cls.c.relname, cls.c.reltuples)
                .select_from(cls.join(ns, cls.c.relnamespace == ns.c.oid))
                .where(ns.c.nspname == schema, cls.c.relkind.in_(["r", "p", "m"]))
            )
            # reltuples is -1 on a table never vacuumed or analysed: unknown, not empty.
            return {r[0]: (int(r[1]) if r[1] is not None and r[1] >= 0 else None) for r in conn.execute(query)}
        if self.backend in ("mysql", "mariadb"):
            info = sa.table(
                "tables",
                sa.column("table_schema"),
                sa.column("table_name"),
                sa.column("table_rows"),
                schema="information_schema",
            )
            query = sa.select(info.c.table_name, info.c.table_rows).where(info.c.table_schema == schema)
            return {r[0]: (int(r[1]) if r[1] is not None else None) for r in conn.execute(query)}
        if self.backend == "sqlite":
            out: dict[str, int | None] = {}
            for name in tables:
                try:
                    out[name] = int(
                        conn.execute(sa.select(sa.func.count()).select_from(sa.table(name, schema=schema))).scalar_one()
                    )
                except sa.exc.DBAPIError:
                    out[name] = None  # too slow (timed out) or unreadable: the estimate is optional
            return out
        return {}

    def discover(self) -> Iterator[AssetInfo]:
        """Yield every table that matches include/exclude, with columns, keys, comment and row estimate.

        Raises:
            ConnectorError: The database cannot be reached.
        """
        infos: list[AssetInfo] = []
        with self._session() as conn:
            try:
                inspector = sa.inspect(conn)
                with warnings.catch_warnings():
                    # Reflection's "unknown column definition": the catalogue comparison recovers it.
                    warnings.simplefilter("ignore", sa.exc.SAWarning)
                    for schema in self._schemas(inspector):
                        infos.extend(self._discover_schema(conn, inspector, schema))
            except sa.exc.DBAPIError as exc:
                if _is_timeout(exc, self.backend):
                    raise self.transient("discovery timed out") from None
                raise ConnectorError(
                    self.name, f"discovery failed: {type(getattr(exc, 'orig', None) or exc).__name__}"
                ) from None
        yield from infos

    def _relations(self, inspector: sa.Inspector, schema: str) -> dict[str, str]:
        """Every wanted relation of ``schema`` and what it is: table, view, materialized_view, foreign_table."""
        kinds = dict.fromkeys(inspector.get_table_names(schema=schema), "table")
        for name in inspector.get_view_names(schema=schema):
            kinds.setdefault(name, "view")
        if self.backend == "postgresql":
            pg: Any = inspector
            for name in pg.get_materialized_view_names(schema=schema):
                kinds.setdefault(name, "materialized_view")
            for name in pg.get_foreign_table_names(schema=schema):
                kinds[name] = "foreign_table"
        return {name: kind for name, kind in kinds.items() if self._wanted(schema, name)}

    def _view_bases(self, conn: sa.Connection, schema: str) -> dict[str, list[str]]:
        """The relations each view of ``schema`` reads (PostgreSQL's dependency catalogue; elsewhere none).

        ``information_schema.view_table_usage`` lists only tables the current role owns, which a
        least-privilege scanner never does; ``pg_depend`` of the view's rewrite rule lists them all.
        """
        if self.backend != "postgresql":
            return {}
        query = sa.text(
            "SELECT DISTINCT v.relname, tn.nspname, t.relname"
            " FROM pg_catalog.pg_rewrite r"
            " JOIN pg_catalog.pg_class v ON v.oid = r.ev_class"
            " JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace"
            " JOIN pg_catalog.pg_depend d ON d.objid = r.oid"
            "  AND d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass"
            " JOIN pg_catalog.pg_class t ON t.oid = d.refobjid"
            " JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace"
            " WHERE vn.nspname = :schema AND v.relkind IN ('v', 'm') AND t.oid <> v.oid"
        )
        bases: dict[str, list[str]] = {}
        for view, base_schema, base in conn.execute(query, {"schema": schema}):
            bases.setdefault(view, []).append(f"{base_schema}.{base}")
        return {view: sorted(found) for view, found in bases.items()}

    def _relation_meta(self, kind: str, bases: list[str]) -> dict[str, Any]:
        """``AssetInfo.meta`` facts of a relation that is not a plain table."""
        meta: dict[str, Any] = {"relation": kind}
        if bases:
            meta["base_tables"] = bases
        if kind == "foreign_table":
            meta.update(not_read("foreign_table", "foreign table: its rows live in another server; not read"))
        elif not self.config.include_views:
            meta.update(not_read("view_excluded", f"{kind.replace('_', ' ')} not read (include_views: false)"))
        return meta

    def _discover_schema(self, conn: sa.Connection, inspector: sa.Inspector, schema: str) -> list[AssetInfo]:
        relations = self._relations(inspector, schema)
        names = list(relations)
        if not names:
            return []
        any_kind = sa.engine.reflection.ObjectKind.ANY
        columns = inspector.get_multi_columns(schema=schema, filter_names=names, kind=any_kind)
        pks = inspector.get_multi_pk_constraint(schema=schema, filter_names=names)
        fks = inspector.get_multi_foreign_keys(schema=schema, filter_names=names)
        try:
            comments = inspector.get_multi_table_comment(schema=schema, filter_names=names, kind=any_kind)
        except NotImplementedError:
            comments = {}  # SQLite keeps no table comments
        bases = self._view_bases(conn, schema) if len(set(relations.values())) > 1 else {}
        try:
            uniques = inspector.get_multi_unique_constraints(schema=schema, filter_names=names)
        except (NotImplementedError, sa.exc.DBAPIError):
            uniques = {}  # the data map then trusts primary keys only
        estimates = self._row_estimates(conn, schema, names)
        catalogue = catalogue_columns(conn, None, schema)  # what reflection may have dropped
        fix: Callable[[str], str] = _unescape_mysql if self.backend in ("mysql", "mariadb") else str
        out = []
        for name in sorted(names):
            key = (schema, name)
            if key not in columns:
                continue  # dropped while we were looking
            cols = tuple(
                ColumnInfo(
                    name=fix(c["name"]),
                    type_name=_type_name(c["type"], conn.dialect),
                    comment=c.get("comment") or "",
                    nullable=bool(c.get("nullable", True)),
                )
                for c in columns[key]
            )
            known = {c.name for c in cols}
            recovered = tuple(ColumnInfo(name=n, type_name=t) for n, t in catalogue.get(name, []) if n not in known)
            cols += recovered
            pk_info = pks.get(key)
            pk = tuple(fix(c) for c in pk_info.get("constrained_columns") or ()) if pk_info else ()
            fkeys = {
                fix(fk["constrained_columns"][0]): f"{fk['referred_table']}.{fix(fk['referred_columns'][0])}"
                for fk in fks.get(key, [])
                if len(fk["constrained_columns"]) == 1 and fk["referred_columns"]
            }
            # Every declared key whole (composite ones too), for the data map's links.
            constraints = [
                {
                    "columns": [fix(c) for c in fk["constrained_columns"]],
                    "ref_schema": fk.get("referred_schema") or schema,
                    "ref_table": fk["referred_table"],
                    "ref_columns": [fix(c) for c in fk["referred_columns"]],
                }
                for fk in fks.get(key, [])
                if fk["constrained_columns"] and len(fk["constrained_columns"]) == len(fk["referred_columns"] or ())
            ]
            unique = [[fix(c) for c in u["column_names"]] for u in uniques.get(key, []) if u.get("column_names")]
            comment_info = comments.get(key)
            comment = (comment_info.get("text") if comment_info else None) or ""
            estimate = estimates.get(name)
            signature = json.dumps([[c.name, c.type_name] for c in cols], ensure_ascii=False)
            fingerprint = f"rows~{estimate};cols={hashlib.sha256(signature.encode()).hexdigest()[:16]}"
            meta: dict[str, Any] = {"primary_key": list(pk), "foreign_keys": fkeys, "table_comment": comment,
                                    "foreign_key_constraints": constraints, "unique": unique}
            if recovered:
                meta["recovered_columns"] = [c.name for c in recovered]
            if relations[name] != "table":
                meta.update(self._relation_meta(relations[name], bases.get(name, [])))
                if relations[name] == "view":
                    fingerprint = ""  # a view changes when its base tables do: always read again
            out.append(
                AssetInfo(
                    ref=AssetRef(self.name, AssetKind.TABLE, (schema, name)),
                    columns=cols,
                    row_count_estimate=estimate,
                    fingerprint=fingerprint,
                    meta=meta,
                )
            )
        return out

    # -- reading ----------------------------------------------------------------------------------

    def _reflect(self, conn: sa.Connection, asset: AssetRef) -> sa.Table:
        if asset.kind != AssetKind.TABLE or len(asset.path) != 2:
            raise self.terminal(f"{asset.display} is not a schema.table asset")
        schema, name = asset.path
        return reflect_table(conn, name, schema)

    def sample_statement(
        self, table: sa.Table, limit: int, estimate: int | None, oversample: float = _TABLESAMPLE_OVERSAMPLE
    ) -> tuple[sa.Select[Any], str]:
        """The statement that samples ``table`` and its method (``tablesample`` or ``limit``).

        PostgreSQL reads random pages with ``TABLESAMPLE SYSTEM`` when the table is much larger than the
        sample (25 ms against 285 ms for ``ORDER BY random()`` on 1e6 rows); elsewhere the first rows.
        ``oversample`` is how many times the rows needed the pages asked for should hold.
        """
        if self.backend == "postgresql" and estimate and estimate >= _TABLESAMPLE_MIN_FACTOR * limit:
            percent = min(100.0, 100.0 * oversample * limit / estimate)
            sampled = sa.tablesample(table, sa.func.system(percent))
            return sa.select(*sampled.c).limit(limit), "tablesample"
        return sa.select(*table.c).limit(limit), "limit"

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        """Read at most ``limit`` rows of a table (values as the driver returns them, binary as bytes).

        Raises:
            TransientError: The statement timed out or the connection dropped.
            TerminalError: The table is gone or cannot be read.
        """
        ref = asset.ref
        check_readable(asset)
        with self._session() as conn:
            try:
                table = self._reflect(conn, ref)
                stmt, method = self.sample_statement(table, limit, asset.row_count_estimate)
                rows = [tuple(_to_python(v) for v in r) for r in conn.execute(stmt)]
                if method == "tablesample":
                    wanted = min(limit, asset.row_count_estimate or limit)
                    if len(rows) < wanted:
                        # Few pages drawn by chance (or only a short last page): one draw of more pages.
                        more, _ = self.sample_statement(table, limit, asset.row_count_estimate,
                                                        4 * _TABLESAMPLE_OVERSAMPLE)
                        again = [tuple(_to_python(v) for v in r) for r in conn.execute(more)]
                        rows = again if len(again) > len(rows) else rows
                    if len(rows) < _TABLESAMPLE_MIN_SHARE * wanted:
                        stmt, method = sa.select(*table.c).limit(limit), "limit"
                        rows = [tuple(_to_python(v) for v in r) for r in conn.execute(stmt)]
            except PiScannerError:
                raise
            except (sa.exc.DBAPIError, sa.exc.NoSuchTableError) as exc:
                raise self._read_error(exc, ref, "sampling") from None
        log.debug("sampled %s: %d rows by %s", ref.display, len(rows), method)
        columns = tuple(
            ColumnInfo(
                name=c.name,
                type_name=c.info.get("raw_type") or _type_name(c.type, conn.dialect),
                comment=c.comment or "",
                nullable=bool(c.nullable),
            )
            for c in table.c
        )
        unreadable = int(table.info.get("unreadable_columns") or 0)
        fkeys: dict[str, str] = {}
        for fk in table.foreign_keys:
            fkeys.setdefault(fk.parent.name, f"{fk.column.table.name}.{fk.column.name}")
        return Sample(
            asset=ref,
            columns=columns,
            rows=rows,
            row_count_estimate=asset.row_count_estimate,
            primary_key=tuple(c.name for c in table.primary_key.columns),
            table_comment=table.comment or "",
            foreign_keys=fkeys,
            complete=method == "limit" and len(rows) < limit,
            limits={"columns": unreadable} if unreadable else {},
            columns_total=len(columns) + unreadable if unreadable else None,
        )

    def read_where(
        self,
        asset: AssetRef,
        columns: Sequence[str],
        *,
        where_in: Mapping[str, Sequence[Any]] | None = None,
        limit: int,
    ) -> list[tuple[Any, ...]]:
        """Read at most ``limit`` rows of some columns of a table, filtered by ``column IN (values)``.

        Used to read rows of one table chosen by the values of another (custom-field definitions and
        their values). Filter values are converted to each column's Python type first, because a field
        id read from one table is compared with a column of another type (``'7'`` against an integer);
        values that cannot be converted cannot match and are dropped.

        Args:
            asset: A ``schema.table`` asset of this connector.
            columns: Columns to return, in order.
            where_in: Column name to the values it must be one of (all conditions must hold).
            limit: Most rows returned.

        Returns:
            Rows of ``columns`` (binary as bytes); empty when a filter has no usable value.

        Raises:
            TerminalError: The table or a column does not exist, or the statement failed.
            TransientError: The statement timed out or the connection dropped.
        """
        if limit < 1:
            return []
        with self._session() as conn:
            try:
                table = self._reflect(conn, asset)
                wanted = [*columns, *(where_in or {})]
                missing = [c for c in wanted if c not in table.c]
                if missing:
                    raise self.terminal(f"{asset.display} has no column(s) {missing}")
                stmt = sa.select(*(table.c[c] for c in columns))
                for name, values in (where_in or {}).items():
                    usable = _coerce_all(table.c[name], values)
                    if not usable:
                        return []
                    stmt = stmt.where(table.c[name].in_(usable))
                return [tuple(_to_python(v) for v in r) for r in conn.execute(stmt.limit(limit))]
            except PiScannerError:
                raise
            except (sa.exc.DBAPIError, sa.exc.NoSuchTableError) as exc:
                raise self._read_error(exc, asset, "reading") from None

    def _row_key(self, table: sa.Table) -> list[sa.ColumnElement[Any]]:
        pk = list(table.primary_key.columns)
        if pk:
            return list(pk)
        if self.backend == "postgresql":
            return [sa.literal_column("ctid").label("ctid")]
        if self.backend == "sqlite":
            return [sa.literal_column("rowid").label("rowid")]
        raise self.terminal(f"{table.name} has no primary key; a keyed full pass is impossible")

    def iter_batches(
        self, asset: AssetInfo, columns: Sequence[str], batch_size: int = 10_000
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Stream every row as (primary-key values..., ``columns``...) in batches of ``batch_size``.

        Server-side cursors keep memory bounded by one batch. Tables without a primary key are keyed by
        ``ctid`` (PostgreSQL) or ``rowid`` (SQLite). On PostgreSQL the statement timeout applies to each
        fetch; on MySQL/MariaDB and SQLite a full pass is not timed out (it is one long statement).

        Raises:
            TerminalError: The table is gone, a column does not exist, or there is no usable key.
            TransientError: A fetch timed out or the connection dropped.
        """
        ref = asset.ref
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        with self._session(timeout=self.backend == "postgresql") as conn:
            try:
                table = self._reflect(conn, ref)
                missing = [c for c in columns if c not in table.c]
                if missing:
                    raise self.terminal(f"{ref.display} has no column(s) {missing}")
                stmt = sa.select(*self._row_key(table), *(table.c[c] for c in columns))
                result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(stmt)
                try:
                    for part in result.partitions(batch_size):
                        yield [tuple(_to_python(v) for v in r) for r in part]
                finally:
                    # Closes the server-side cursor when the consumer stops early. (PyMySQL reads the
                    # rest of an unbuffered result to do so; invalidating the connection instead leaves
                    # cursors that fail noisily at garbage collection.)
                    result.close()
            except PiScannerError:
                raise
            except (sa.exc.DBAPIError, sa.exc.NoSuchTableError) as exc:
                raise self._read_error(exc, ref, "reading") from None

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def sql_capable(connector: Connector) -> SqlConnector | None:
    """``connector`` when core code may run SQL through it (:attr:`Capability.SQL`), else None.

    The capability is what decides; the class check only gives the caller the session it runs SQL in (a
    plugin gets it by subclassing :class:`SqlConnector`, which declares the capability).
    """
    if connector.supports(Capability.SQL) and isinstance(connector, SqlConnector):
        return connector
    return None
