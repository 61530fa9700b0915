"""The questions the data map asks a SQL store's values, answered in the database.

* :meth:`SqlProbe.containment`: the share of a column's distinct values found in another table's key. The
  column's distinct values are read from at most ``sample_rows`` rows (all of them on a small table: the
  answer is then exact) and looked up in the key by ``IN (…)`` batches, so an index on the key does the
  work. Values stay inside this module and are never logged.
* :meth:`SqlProbe.count_linked`: how many rows of a table point, through a chain of links, at the rows of
  a children's table that are children's (``student`` role codes, a birth date under the age limit, or
  every row of a child-purposed table). One ``SELECT count(*) … WHERE c IN (SELECT …)`` statement: the
  table is never pulled into Python.

Statements are built from reflected tables through the connector's own read-only, time-limited sessions.
A key compared with a column of another type family (``varchar`` against ``int``) is compared as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap.links import Candidate, Containment
from pi_scanner.datamap.schema import TableSchema, type_family
from pi_scanner.errors import PiScannerError
from pi_scanner.models import AssetKind, AssetRef, TableLink

#: Rows read at most from a referencing column for its distinct values.
SAMPLE_ROWS = 20_000
#: Distinct values looked up at most per candidate.
MAX_DISTINCT = 2_000
_BATCH = 500
#: Share below which a text key is compared again trimmed and case-folded.
_DRIFT_RETRY = 0.9


@dataclass(frozen=True)
class RootRows:
    """Which rows of a children's table are children's.

    Attributes:
        column: The column that tells (None: every row).
        codes: Role codes of students (``column IN codes``).
        born_after: Birth dates on or after this date are children's (``column >= born_after``).
        id_born_after: ``YYYYMMDD``: an 18-character resident ID whose birth-date digits (7–14) are on or
            after it is a child's (``substr(column, 7, 8) >= id_born_after``).
    """

    column: str | None = None
    codes: tuple[str, ...] = ()
    born_after: dt.date | None = None
    id_born_after: str | None = None


def _sa_type(type_name: str) -> sa.types.TypeEngine[Any]:
    family = type_family(type_name)
    if family == "int":
        return sa.Integer()
    if family in ("text", "uuid"):
        return sa.String()
    if type_name.lower().startswith("date"):
        return sa.Date()
    return sa.types.NullType()


def _family(col: sa.ColumnElement[Any]) -> str:
    try:
        return type_family(str(col.type).lower())
    except Exception:
        return "other"


def _as_text(col: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """The value as trimmed, case-folded text: keys typed by hand drift in case and spaces."""
    return sa.func.lower(sa.func.trim(sa.cast(col, sa.String(255))))


def _coerce(values: Sequence[Any], family: str) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if v is None:
            continue
        if family == "int":
            text = str(v).strip()
            if text.lstrip("+-").isdigit():
                out.append(int(text))
        elif family in ("text", "uuid"):
            out.append(str(v))
        else:
            out.append(v)
    return list(dict.fromkeys(out))




# What a containment check may meet in a stranger's column, besides a failing statement: a value the
# driver cannot bind against the key's type (SQLite refuses integers beyond 64 bits with OverflowError).
_CONTAINMENT_ERRORS = (PiScannerError, sa.exc.SQLAlchemyError, KeyError, OverflowError, ValueError)

class UncheckablePredicate(PiScannerError):
    """A root's children's-rows predicate names no physical column, so SQL cannot evaluate it."""

class SqlProbe:
    """Reads values of one SQL store for the data map (containment, linked-row counts).

    Args:
        connector: The store's connector (its sessions are read-only and time-limited).
        sample_rows: Rows read at most per referencing column.
        max_distinct: Distinct values looked up at most per candidate.
    """

    def __init__(self, connector: SqlConnector, sample_rows: int = SAMPLE_ROWS,
                 max_distinct: int = MAX_DISTINCT) -> None:
        self.connector = connector
        self.sample_rows = sample_rows
        self.max_distinct = max_distinct
        self._tables: dict[tuple[str, ...], sa.TableClause] = {}
        self.rows: dict[tuple[str, ...], int | None] = {}
        self.schemas: dict[tuple[str, ...], TableSchema] = {}

    def _table(self, conn: sa.Connection, path: tuple[str, ...]) -> sa.TableClause:
        """The table as a statement target, built from discovery metadata when known, else reflected.

        Reflecting each of 2,000 tables again would cost more than the map itself.
        """
        table = self._tables.get(path)
        if table is None:
            known = self.schemas.get(path)
            if known is not None and len(path) == 2:
                table = sa.table(path[1], *(sa.column(c.name, _sa_type(c.type_name)) for c in known.columns),
                                 schema=path[0])
            else:
                table = self.connector._reflect(conn, AssetRef(self.connector.name, AssetKind.TABLE, path))
            self._tables[path] = table
        return table

    def containment(self, candidate: Candidate) -> Containment:
        """The share of the candidate column's distinct values found in its key (errors never raise)."""
        try:
            return self._containment(candidate)
        except _CONTAINMENT_ERRORS as exc:
            return Containment(None, error=type(exc).__name__)

    def containment_many(self, candidates: Sequence[Candidate]) -> dict[Candidate, Containment]:
        """:meth:`containment` of many candidates in one session; errors never raise.

        Each candidate runs in a savepoint, so one failing statement does not abort the others.
        """
        out: dict[Candidate, Containment] = {}
        try:
            with self.connector._session() as conn:
                for c in candidates:
                    try:
                        with conn.begin_nested():
                            out[c] = self._containment(c, conn)
                    except _CONTAINMENT_ERRORS as exc:
                        out[c] = Containment(None, error=type(exc).__name__)
        except (PiScannerError, sa.exc.SQLAlchemyError) as exc:
            for c in candidates:
                out.setdefault(c, Containment(None, error=type(exc).__name__))
        return out

    def _containment(self, c: Candidate, session: sa.Connection | None = None) -> Containment:
        if session is None:
            with self.connector._session() as conn:
                return self._containment(c, conn)
        conn = session
        src = self._table(conn, c.from_path)
        dst = self._table(conn, c.to_path)
        col, key = src.c[c.column], dst.c[c.key]
        inner = sa.select(col.label("v")).where(col.is_not(None)).limit(self.sample_rows).subquery()
        values = [r[0] for r in conn.execute(sa.select(inner.c.v).distinct().limit(self.max_distinct + 1))]
        read_all = len(values) <= self.max_distinct and (self.rows.get(c.from_path) or 0) <= self.sample_rows
        values = values[: self.max_distinct]
        if not values:
            return Containment(None)
        if conn.execute(sa.select(key).limit(1)).first() is None:
            return Containment(0.0, exact=read_all)
        family = _family(key)
        usable = _coerce(values, family)
        found = 0
        for i in range(0, len(usable), _BATCH):
            part = usable[i:i + _BATCH]
            found += int(conn.execute(sa.select(sa.func.count(sa.distinct(key))).where(key.in_(part))).scalar_one())
        share = found / len(values)
        if share < _DRIFT_RETRY and family == "text":
            folded = list(dict.fromkeys(str(v).strip().lower() for v in values if v is not None))
            norm = sa.func.lower(sa.func.trim(key))
            again = 0
            for i in range(0, len(folded), _BATCH):
                part = folded[i:i + _BATCH]
                again += int(conn.execute(sa.select(sa.func.count(sa.distinct(norm))).where(norm.in_(part)))
                             .scalar_one())
            drifted = again / len(folded) if folded else 0.0
            if drifted > share + 0.1:
                return Containment(drifted, drift=True, exact=read_all)
        return Containment(share, exact=read_all)

    def count_linked(self, chain: Sequence[TableLink], root: RootRows) -> int:
        """Rows of ``chain[0]``'s table that reach a child row of the last link's table.

        Args:
            chain: Single-column links from the counted table to the children's table, nearest first.
            root: Which rows of the children's table are children's.

        Raises:
            PiScannerError: A table is gone or the statement failed (value-free message).
        """
        try:
            with self.connector._session() as conn:
                stmt = self._linked_select(conn, chain, root)
                return int(conn.execute(stmt).scalar_one())
        except sa.exc.SQLAlchemyError as exc:
            ref = AssetRef(self.connector.name, AssetKind.TABLE, chain[0].from_path)
            raise self.connector._read_error(exc, ref, "counting linked rows of") from None
        except KeyError as exc:
            raise PiScannerError(f"{self.connector.name}: a linked column is gone ({type(exc).__name__})") from None

    def count_root(self, path: tuple[str, ...], root: RootRows) -> int:
        """Rows of a children's table that ``root`` picks (to check the predicate means anything here).

        Raises:
            UncheckablePredicate: The predicate's column is not a physical column (a pivoted custom field).
            PiScannerError: The table is gone or the statement failed.
        """
        link = TableLink(self.connector.name, path, ("_",), path, ("_",), 1.0, True, True)
        try:
            with self.connector._session() as conn:
                table = self._table(conn, path)
                if root.column and root.column not in table.c:
                    # A custom field pivoted out of an EAV table (``value[Date of birth]``) is no column.
                    raise UncheckablePredicate(f"{self.connector.name}: {root.column!r} is not a column of the table")
                keys = self._root_keys(conn, link, root, table.c[root.column] if root.column else None)
                return int(conn.execute(sa.select(sa.func.count()).select_from(keys.subquery())).scalar_one())
        except sa.exc.SQLAlchemyError as exc:
            ref = AssetRef(self.connector.name, AssetKind.TABLE, path)
            raise self.connector._read_error(exc, ref, "counting children's rows of") from None
        except KeyError as exc:
            raise PiScannerError(f"{self.connector.name}: a column is gone ({type(exc).__name__})") from None

    def _root_keys(
        self, conn: sa.Connection, last: TableLink, root: RootRows, col: sa.ColumnElement[Any] | None
    ) -> sa.Select[Any]:
        top = self._table(conn, last.to_path)
        key = top.c[last.to_columns[0]] if last.to_columns[0] in top.c else sa.literal(1).label("k")
        keys: sa.Select[Any] = sa.select(key).select_from(top)
        if col is not None:
            if root.codes:
                family = _family(col)
                keys = keys.where(col.in_(_coerce(root.codes, family) if family == "int" else list(root.codes)))
            elif root.born_after is not None:
                keys = keys.where(col >= root.born_after)
            elif root.id_born_after is not None:
                text = sa.func.trim(sa.cast(col, sa.String(64)))
                keys = keys.where(sa.func.length(text) == 18, sa.func.substr(text, 7, 8) >= root.id_born_after)
        return keys

    def _linked_select(self, conn: sa.Connection, chain: Sequence[TableLink], root: RootRows) -> sa.Select[Any]:
        last = chain[-1]
        top = self._table(conn, last.to_path)
        keys = self._root_keys(conn, last, root, top.c[root.column] if root.column is not None else None)
        for i in range(len(chain) - 1, -1, -1):
            link = chain[i]
            table = self._table(conn, link.from_path)
            col = table.c[link.from_columns[0]]
            ref = self._table(conn, link.to_path).c[link.to_columns[0]]
            if _family(col) != _family(ref) or "case_drift" in link.evidence:
                cond = _as_text(col).in_(keys.with_only_columns(_as_text(keys.selected_columns[0])).scalar_subquery())
            else:
                cond = col.in_(keys.scalar_subquery())
            if i == 0:
                return sa.select(sa.func.count()).select_from(table).where(cond)
            keys = sa.select(table.c[chain[i - 1].to_columns[0]]).where(cond)
        raise AssertionError("empty chain")
