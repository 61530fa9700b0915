"""Write operations on SQL stores for retention plans: batched keyed deletes and updates.

Every statement is built from a reflected :class:`sqlalchemy.Table` (names are quoted by the dialect,
never formatted). Every write re-checks the expiry predicate inside the statement
(``WHERE pk IN (batch) AND anchor < cutoff``), so a record touched after planning survives. One
transaction per batch. Errors never carry cell values: database errors are reduced to their class and
SQLSTATE/errno.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from pi_scanner.connectors.sql import reflect_table
from pi_scanner.errors import PlanError

AnchorKind = Literal["datetime", "datetime_tz", "date", "text"]

#: Depth of foreign-key chains followed when cascading.
MAX_CASCADE_DEPTH = 8


@dataclass(frozen=True)
class Dependant:
    """A table whose foreign key references the table being purged.

    Attributes:
        schema: Its schema.
        table: Its name.
        columns: The referencing columns.
        referred: The referenced columns of the parent.
        on_delete: The declared ``ON DELETE`` rule (``CASCADE``, ``SET NULL``...), or ``""``.
    """

    schema: str | None
    table: str
    columns: tuple[str, ...]
    referred: tuple[str, ...]
    on_delete: str = ""

    @property
    def display(self) -> str:
        """``schema.table(cols)``."""
        prefix = f"{self.schema}." if self.schema else ""
        return f"{prefix}{self.table}({', '.join(self.columns)})"


def db_error(exc: BaseException) -> str:
    """A value-free description of a database error (class and SQLSTATE/errno only)."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlstate", None)
    if code is None:
        args = getattr(orig, "args", ())
        code = args[0] if args and isinstance(args[0], int) else None
    return f"{type(orig).__name__}" + (f" ({code})" if code is not None else "")


def reflect(engine: sa.Engine, schema: str | None, name: str) -> sa.Table:
    """Reflect one table.

    Raises:
        PlanError: The table does not exist or cannot be read.
    """
    try:
        return reflect_table(engine, name, schema)
    except sa.exc.NoSuchTableError:
        raise PlanError(f"table {schema}.{name} does not exist") from None
    except sa.exc.DBAPIError as exc:
        raise PlanError(f"cannot reflect {schema}.{name}: {db_error(exc)}") from None


def row_key_columns(table: sa.Table, dialect: str, allow_no_primary_key: bool) -> list[sa.ColumnElement[Any]]:
    """The columns that identify a row: the primary key, or ctid/rowid when explicitly allowed.

    Raises:
        PlanError: No primary key and not allowed (or no physical row id on this database).
    """
    pk = list(table.primary_key.columns)
    if pk:
        return list(pk)
    if not allow_no_primary_key:
        raise PlanError(
            f"table {table.fullname} has no primary key; set allow_no_primary_key: true to delete by "
            "physical row id (ctid/rowid), which is only safe while nothing rewrites the table"
        )
    if dialect == "postgresql":
        return [sa.cast(sa.literal_column("ctid"), sa.Text).label("ctid")]
    if dialect == "sqlite":
        return [sa.literal_column("rowid").label("rowid")]
    raise PlanError(f"table {table.fullname} has no primary key and {dialect} has no stable row id")


def anchor_kind(table: sa.Table, anchor: str, text_ok: Callable[[], bool]) -> AnchorKind:
    """Classify the anchor column's type.

    Args:
        table: The reflected table.
        anchor: The anchor column's name.
        text_ok: Called for text columns: True when the stored values are ISO-8601 timestamps.

    Raises:
        PlanError: The column is missing or is not a timestamp.
    """
    if anchor not in table.c:
        raise PlanError(f"table {table.fullname} has no anchor column {anchor!r}")
    type_ = table.c[anchor].type
    if isinstance(type_, sa.DateTime):
        return "datetime_tz" if type_.timezone else "datetime"
    if isinstance(type_, sa.Date):
        return "date"
    if isinstance(type_, sa.String) and text_ok():
        return "text"
    raise PlanError(
        f"anchor column {anchor!r} of {table.fullname} is not a timestamp (type {type_.__class__.__name__})"
    )


def cutoff_bound(kind: AnchorKind, cutoff: dt.datetime, tz: ZoneInfo, text_sep: str = " ") -> Any:
    """The value the anchor column is compared with (``anchor < bound``).

    Naive timestamps are read in ``tz``; a date anchor counts from its local midnight; ISO text compares
    lexicographically, so the bound is written in the stored form.
    """
    local = cutoff.astimezone(tz)
    if kind == "datetime_tz":
        return cutoff
    if kind == "datetime":
        return local.replace(tzinfo=None)
    if kind == "date":
        # A date d is anchored at d 00:00: expired when that is before the cutoff.
        return local.date() + dt.timedelta(days=1 if local.time() != dt.time() else 0)
    return local.replace(tzinfo=None).isoformat(sep=text_sep)


def expired_clause(table: sa.Table, anchor: str, bound: Any) -> sa.ColumnElement[bool]:
    """``anchor < bound`` (NULL anchors never expire: nothing says how old they are)."""
    clause: sa.ColumnElement[bool] = table.c[anchor] < bound
    return clause


def keys_clause(
    key_cols: Sequence[sa.ColumnElement[Any]], keys: Sequence[Sequence[Any]], dialect: str | None = None
) -> sa.ColumnElement[bool]:
    """``key IN (keys)``, as a row-value IN for composite keys.

    On PostgreSQL a single-column key becomes ``key = ANY(:keys)`` with one array parameter: the
    statement text stays the same whatever the batch size, so the server parses and plans one statement
    instead of one per distinct IN-list length, and the driver binds one value instead of thousands.
    """
    if len(key_cols) == 1:
        col = key_cols[0]
        values = [k[0] for k in keys]
        if dialect == "postgresql" and not isinstance(col.type, sa.types.NullType):
            return col == sa.any_(sa.bindparam("keys", values, type_=sa.ARRAY(col.type)))
        return col.in_(values)
    return sa.tuple_(*key_cols).in_([tuple(k) for k in keys])


def ranges_clause(
    col: sa.ColumnElement[Any], ranges: Sequence[tuple[int, int]], dialect: str | None = None
) -> sa.ColumnElement[bool]:
    """``col BETWEEN a AND b OR …`` over inclusive ranges of an integer key; single keys as one IN list.

    A dense range becomes one index range scan however many rows it covers, where ``IN`` would bind
    and probe every key.
    """
    singles = [a for a, b in ranges if a == b]
    parts: list[sa.ColumnElement[bool]] = [col.between(a, b) for a, b in ranges if a != b]
    if singles:
        parts.append(keys_clause([col], [[k] for k in singles], dialect))
    if not parts:
        return sa.false()
    return parts[0] if len(parts) == 1 else sa.or_(*parts)


#: Keys per delete batch (one transaction each) when the policy does not say, by dialect; measured with
#: ``python -m benchmarks.retention`` (benchmarks/README.md): larger batches amortise the per-batch
#: checkpoint and ledger entry, smaller ones hold locks for less time.
BATCH_SIZE = {"postgresql": 50_000, "mysql": 20_000, "mariadb": 20_000, "sqlite": 20_000}


def batch_size_for(dialect: str) -> int:
    """Default keys per batch on ``dialect`` (see :data:`BATCH_SIZE`)."""
    return BATCH_SIZE.get(dialect, 10_000)


def key_columns_for_write(table: sa.Table, pk_names: Sequence[str], dialect: str) -> list[sa.ColumnElement[Any]]:
    """Columns for a WHERE on the plan's key names (primary key, ``ctid`` or ``rowid``)."""
    if list(pk_names) == ["ctid"] and "ctid" not in table.c and dialect == "postgresql":
        return [sa.cast(sa.literal_column("ctid"), sa.Text)]
    if list(pk_names) == ["rowid"] and "rowid" not in table.c and dialect == "sqlite":
        return [sa.literal_column("rowid")]
    missing = [n for n in pk_names if n not in table.c]
    if missing:
        raise PlanError(f"table {table.fullname} no longer has key column(s) {missing}")
    return [table.c[n] for n in pk_names]


def stream_rows(
    engine: sa.Engine,
    table: sa.Table,
    key_cols: Sequence[sa.ColumnElement[Any]],
    extra: Sequence[sa.ColumnElement[Any]],
    where: sa.ColumnElement[bool],
    batch_size: int,
) -> Iterator[list[tuple[Any, ...]]]:
    """Yield (keys..., extra...) of rows matching ``where`` in key order, ``batch_size`` at a time.

    Raises:
        PlanError: The read failed.
    """
    stmt = sa.select(*key_cols, *extra).where(where).order_by(*key_cols)
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(stmt)
            for part in result.partitions(batch_size):
                yield [tuple(r) for r in part]
    except sa.exc.DBAPIError as exc:
        raise PlanError(f"cannot read {table.fullname}: {db_error(exc)}") from None


def count_where(engine: sa.Engine, table: sa.Table, where: sa.ColumnElement[bool]) -> int:
    """``SELECT count(*) FROM table WHERE where``."""
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table).where(where)).scalar_one())
    except sa.exc.DBAPIError as exc:
        raise PlanError(f"cannot count {table.fullname}: {db_error(exc)}") from None


def count_keys_present(
    engine: sa.Engine, table: sa.Table, key_cols: Sequence[sa.ColumnElement[Any]], keys: Sequence[Sequence[Any]]
) -> int:
    """How many of ``keys`` still exist."""
    if not keys:
        return 0
    return count_where(engine, table, keys_clause(key_cols, keys, engine.dialect.name))


def dependants(engine: sa.Engine, table: sa.Table) -> list[Dependant]:
    """Tables (in the same schema) whose foreign keys reference ``table``."""
    insp = sa.inspect(engine)
    out: list[Dependant] = []
    for name in insp.get_table_names(schema=table.schema):
        for fk in insp.get_foreign_keys(name, schema=table.schema):
            if fk.get("referred_table") != table.name:
                continue
            referred_schema = fk.get("referred_schema")
            if referred_schema not in (None, table.schema):
                continue
            out.append(
                Dependant(
                    schema=table.schema,
                    table=name,
                    columns=tuple(fk["constrained_columns"]),
                    referred=tuple(fk["referred_columns"]),
                    on_delete=str((fk.get("options") or {}).get("ondelete") or "").upper(),
                )
            )
    return out


def _cascade(
    conn: sa.Connection, engine: sa.Engine, table: sa.Table, where: sa.ColumnElement[bool], depth: int,
    counts: dict[str, int], seen: frozenset[str],
) -> None:
    if depth > MAX_CASCADE_DEPTH:
        raise PlanError(f"foreign-key chain below {table.fullname} is deeper than {MAX_CASCADE_DEPTH}")
    for dep in dependants(engine, table):
        if dep.display in seen:
            continue  # self-references and cycles: the rows go with the parent's own delete
        child = reflect(engine, dep.schema, dep.table)
        parent_keys = sa.select(*(table.c[c] for c in dep.referred)).where(where)
        child_cols = [child.c[c] for c in dep.columns]
        child_where = (
            child_cols[0].in_(parent_keys) if len(child_cols) == 1 else sa.tuple_(*child_cols).in_(parent_keys)
        )
        _cascade(conn, engine, child, child_where, depth + 1, counts, seen | {dep.display})
        res = conn.execute(sa.delete(child).where(child_where))
        counts[dep.display] = counts.get(dep.display, 0) + int(res.rowcount or 0)


def delete_batch(
    engine: sa.Engine,
    table: sa.Table,
    key_cols: Sequence[sa.ColumnElement[Any]],
    keys: Sequence[Sequence[Any]],
    recheck: sa.ColumnElement[bool],
    cascade: bool = False,
    match: sa.ColumnElement[bool] | None = None,
) -> tuple[int, dict[str, int]]:
    """Delete the rows with ``keys`` (or matching ``match``) that still satisfy ``recheck``, in one transaction.

    Args:
        engine: The store's engine (a writable one).
        table: The reflected table.
        key_cols: Key columns (:func:`key_columns_for_write`).
        keys: The batch's keys.
        recheck: The expiry predicate, re-evaluated inside the statement.
        cascade: Delete referencing rows of dependant tables first (same transaction).
        match: The batch's rows by another clause than ``keys`` (:func:`ranges_clause`).

    Returns:
        Rows deleted from ``table``, and rows deleted per dependant table.

    Raises:
        PlanError: The statement failed (nothing of this batch was deleted).
    """
    if match is None and not keys:
        return 0, {}
    where = sa.and_(keys_clause(key_cols, keys, engine.dialect.name) if match is None else match, recheck)
    cascaded: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            if cascade:
                _cascade(conn, engine, table, where, 1, cascaded, frozenset({table.fullname}))
            res = conn.execute(sa.delete(table).where(where))
            return int(res.rowcount or 0), cascaded
    except sa.exc.IntegrityError as exc:
        raise PlanError(
            f"deleting from {table.fullname} violates a foreign key ({db_error(exc)}); "
            "set allow_cascade: true or purge the referencing rows first"
        ) from None
    except sa.exc.DBAPIError as exc:
        raise PlanError(f"delete from {table.fullname} failed: {db_error(exc)}") from None


def update_batch(
    engine: sa.Engine,
    table: sa.Table,
    key_cols: Sequence[sa.ColumnElement[Any]],
    keys: Sequence[Sequence[Any]],
    recheck: sa.ColumnElement[bool],
    columns: Sequence[str],
    transform: Callable[[str, Any], Any],
    match: sa.ColumnElement[bool] | None = None,
) -> int:
    """Rewrite ``columns`` of the rows with ``keys`` that still satisfy ``recheck``, in one transaction.

    Rows are read and locked (``FOR UPDATE`` where supported), transformed in memory, and written back
    one by one with the predicate repeated in each UPDATE.

    Args:
        engine: The store's engine (a writable one).
        table: The reflected table.
        key_cols: Key columns (:func:`key_columns_for_write`).
        keys: The batch's keys.
        recheck: The expiry predicate, re-evaluated inside every statement.
        columns: Columns rewritten.
        transform: ``(column, old value) -> new value``.
        match: The batch's rows by another clause than ``keys`` (:func:`ranges_clause`).

    Returns:
        Rows updated.

    Raises:
        PlanError: A statement failed (the batch is rolled back).
    """
    if match is None and not keys:
        return 0
    where = sa.and_(keys_clause(key_cols, keys, engine.dialect.name) if match is None else match, recheck)
    n = 0
    try:
        with engine.begin() as conn:
            query = sa.select(*key_cols, *(table.c[c] for c in columns)).where(where)
            if engine.dialect.name != "sqlite":
                query = query.with_for_update()
            rows = conn.execute(query).all()
            width = len(key_cols)
            for row in rows:
                key = tuple(row[:width])
                values = {c: transform(c, row[width + i]) for i, c in enumerate(columns)}
                res = conn.execute(
                    sa.update(table).where(keys_clause(key_cols, [key]), recheck).values(**values)
                )
                n += int(res.rowcount or 0)
    except sa.exc.DBAPIError as exc:
        raise PlanError(f"update of {table.fullname} failed: {db_error(exc)}") from None
    return n
