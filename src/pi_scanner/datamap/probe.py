"""The questions the data map asks a SQL store's values, answered in the database.

* :meth:`SqlProbe.containment`: the share of a column's distinct values found in another table's key. On a
  table of at most ``exact_rows`` rows the database answers exactly (``SELECT count(*) FROM (SELECT DISTINCT
  c …) WHERE v IN (SELECT key …)``); on a larger one a bottom-k sketch (:mod:`pi_scanner.datamap.sketch`)
  samples the column's distinct values uniformly by hash — the database keeps only rows hashing below a
  threshold — and those values are looked up in the key by ``IN (…)`` batches, so an index on the key does
  the work; the share then carries its 95 % margin. Values stay inside this module and are never logged.
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
from pi_scanner.datamap import sketch
from pi_scanner.datamap.links import Candidate, Containment, may_matter, weighed
from pi_scanner.datamap.schema import TableSchema, type_family
from pi_scanner.errors import PiScannerError
from pi_scanner.models import AssetKind, AssetRef, TableLink

#: Referencing tables up to this many rows are compared exactly (a semi-join in the database); larger ones
#: through a bottom-k sketch of the column. Measured on PostgreSQL (benchmarks/README.md, "containment"):
#: the semi-join took 0.4-0.7 s at 200 k rows, 3.8-6.8 s at 1 M and 40-49 s at 10 M; the sketch 0.2-0.7 s
#: at 1 M and 2.8-5.5 s at 10 M, within 0.01 of the exact share.
EXACT_ROWS = 250_000
_BATCH = 500
#: Candidates on small tables compared in one statement.
_EXACT_BATCH = 25
#: Rows per fetch when a column is streamed.
_STREAM_BATCH = 10_000
#: Hashed scans at most while widening the threshold for a column of few distinct values.
_MAX_PASSES = 3
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


def _db_hash(dialect: str, col: sa.ColumnElement[Any]) -> tuple[sa.ColumnElement[Any], int, int] | None:
    """A hash of the value computed by the database, with its lowest value and range (None: not here).

    PostgreSQL's ``hashtextextended`` is signed 64-bit; MariaDB/MySQL take 32 bits of ``MD5``. Only the
    order of hashes matters (a uniform sample of distinct values), not agreement with Python's.
    """
    if dialect == "postgresql":
        return sa.func.hashtextextended(sa.cast(col, sa.Text), 0), -(2**63), 2**64
    if dialect in ("mysql", "mariadb"):
        return sa.func.conv(sa.func.left(sa.func.md5(col), 8), 16, 10), 0, 2**32
    return None


def _distinct(col: sa.ColumnElement[Any], *, folded: bool) -> sa.Subquery:
    """The column's distinct non-null values as ``v`` (trimmed and case-folded text when ``folded``)."""
    return sa.select((_as_text(col) if folded else col).label("v")).where(col.is_not(None)).distinct().subquery()


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
        exact_rows: Referencing tables with at most this many rows are compared exactly in the database.
        k: Sketch size (distinct values sampled) for larger ones.
    """

    def __init__(self, connector: SqlConnector, exact_rows: int = EXACT_ROWS, k: int = sketch.DEFAULT_K) -> None:
        self.connector = connector
        self.exact_rows = exact_rows
        self.k = k
        self._tables: dict[tuple[str, ...], sa.TableClause] = {}
        self._distinct_counts: dict[tuple[tuple[str, ...], str, bool], int] = {}
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

    def weigh(self, candidates: Sequence[Candidate]) -> dict[Candidate, Containment]:
        """:meth:`containment_many` of the candidates whose values can still change their column's parent.

        A column's candidates are checked best name first, in rounds: once one weighs more than another
        could reach even fully contained (:func:`~pi_scanner.datamap.links.may_matter`), that other is
        not checked; :func:`~pi_scanner.datamap.links.choose_parents` then chooses as if it had been. On
        a store of 2,000 tables most of the 80 k candidates are such also-rans.
        """
        by_column: dict[tuple[tuple[str, ...], str], list[Candidate]] = {}
        for c in candidates:
            by_column.setdefault((c.from_path, c.column), []).append(c)
        out: dict[Candidate, Containment] = {}
        while by_column:
            todo: list[Candidate] = []
            for col, cands in list(by_column.items()):
                best = max((weighed(c, out[c]) for c in cands if c in out), default=-1.0)
                rest = [c for c in cands if c not in out and may_matter(c, best)]
                if not rest:
                    del by_column[col]
                    continue
                top = max(c.score for c in rest)
                todo.extend(c for c in rest if c.score == top)
            if not todo:
                break
            out.update(self.containment_many(todo))
        return out

    def containment_many(self, candidates: Sequence[Candidate]) -> dict[Candidate, Containment]:
        """:meth:`containment` of many candidates in one session; errors never raise.

        Each candidate runs in a savepoint, so one failing statement does not abort the others.
        """
        out: dict[Candidate, Containment] = {}
        try:
            with self.connector._session() as conn:
                # Candidates on tables known to be small are compared many per statement: on a store of
                # thousands of tables the round trips, not the semi-joins, are the cost.
                small = sorted((c for c in candidates if 0 < (self.rows.get(c.from_path) or 0) <= self.exact_rows),
                               key=lambda c: (c.from_path, c.column))  # a column's candidates side by side
                for i in range(0, len(small), _EXACT_BATCH):
                    try:
                        with conn.begin_nested():
                            out.update(self._exact_batch(conn, small[i:i + _EXACT_BATCH]))
                    except _CONTAINMENT_ERRORS:
                        pass  # each is tried alone below, so the failing one is the one named
                for c in candidates:
                    if c in out:
                        continue
                    try:
                        with conn.begin_nested():
                            out[c] = self._containment(c, conn)
                    except _CONTAINMENT_ERRORS as exc:
                        out[c] = Containment(None, error=type(exc).__name__)
        except (PiScannerError, sa.exc.SQLAlchemyError) as exc:
            for c in candidates:
                out.setdefault(c, Containment(None, error=type(exc).__name__))
        return out

    def _exact_batch(self, conn: sa.Connection, part: Sequence[Candidate]) -> dict[Candidate, Containment]:
        """:meth:`_exact` of several candidates in one statement (a ``UNION ALL`` of their counts)."""
        branches: list[sa.Select[Any]] = []
        pairs = []
        # A column has many candidates (80 k candidates over 20 k columns at 2,000 tables): its distinct
        # values are counted once, here or in an earlier batch.
        wanted: dict[tuple[tuple[str, ...], str, bool], int] = {}
        for i, c in enumerate(part):
            col = self._table(conn, c.from_path).c[c.column]
            key = self._table(conn, c.to_path).c[c.key]
            mismatch = _family(col) != _family(key)
            pairs.append((col, key, mismatch))
            distinct = _distinct(col, folded=mismatch)
            right = _as_text(key) if mismatch else key
            tag: sa.Label[Any] = sa.literal_column(str(i)).label("i")
            which = (c.from_path, c.column, mismatch)
            if which not in self._distinct_counts and which not in wanted:
                wanted[which] = i
                branches.append(sa.select(tag, sa.literal_column("0").label("k"), sa.func.count().label("n"))
                                .select_from(distinct))
            branches.append(sa.select(tag, sa.literal_column("1").label("k"), sa.func.count().label("n"))
                            .select_from(distinct)
                            .where(distinct.c.v.in_(sa.select(right).where(key.is_not(None)))))
        counts: dict[tuple[int, int], int] = {}
        for i, k, n in conn.execute(sa.union_all(*branches)):
            counts[(int(i), int(k))] = int(n)
        for which, i in wanted.items():
            self._distinct_counts[which] = counts.get((i, 0), 0)
        out: dict[Candidate, Containment] = {}
        for i, c in enumerate(part):
            col, key, mismatch = pairs[i]
            n, found = self._distinct_counts[(c.from_path, c.column, mismatch)], counts.get((i, 1), 0)
            if n == 0:
                out[c] = Containment(None)
                continue
            share = found / n
            if share < _DRIFT_RETRY and not mismatch and _family(key) == "text":
                drifted = self._exact_share(conn, col, key, folded=True)
                if drifted is not None and drifted > share + 0.1:
                    out[c] = Containment(drifted, drift=True, method="exact")
                    continue
            out[c] = Containment(share, method="exact")
        return out

    def _containment(self, c: Candidate, session: sa.Connection | None = None) -> Containment:
        if session is None:
            with self.connector._session() as conn:
                return self._containment(c, conn)
        conn = session
        src = self._table(conn, c.from_path)
        dst = self._table(conn, c.to_path)
        col, key = src.c[c.column], dst.c[c.key]
        if conn.execute(sa.select(key).limit(1)).first() is None:
            has_values = conn.execute(sa.select(col).where(col.is_not(None)).limit(1)).first() is not None
            return Containment(0.0 if has_values else None)
        if self._small(conn, src, c.from_path):
            return self._exact(conn, col, key)
        return self._sketched(conn, col, key, self.rows.get(c.from_path) or self.exact_rows)

    def _small(self, conn: sa.Connection, src: sa.TableClause, path: tuple[str, ...]) -> bool:
        """Whether the referencing table has at most ``exact_rows`` rows (the estimate, else a bounded count)."""
        known = self.rows.get(path)
        if known is not None and known > 0:
            return known <= self.exact_rows
        # No estimate (a table never analysed): count, but never past the threshold.
        head = sa.select(sa.literal(1).label("one")).select_from(src).limit(self.exact_rows + 1).subquery()
        return int(conn.execute(sa.select(sa.func.count()).select_from(head)).scalar_one()) <= self.exact_rows

    def _exact(self, conn: sa.Connection, col: sa.ColumnElement[Any], key: sa.ColumnElement[Any]) -> Containment:
        """Every distinct value of ``col`` looked up in ``key`` by the database (a semi-join)."""
        mismatch = _family(col) != _family(key)
        share = self._exact_share(conn, col, key, folded=mismatch)
        if share is None:
            return Containment(None)
        if share < _DRIFT_RETRY and not mismatch and _family(key) == "text":
            drifted = self._exact_share(conn, col, key, folded=True)
            if drifted is not None and drifted > share + 0.1:
                return Containment(drifted, drift=True, method="exact")
        return Containment(share, method="exact")

    @staticmethod
    def _exact_share(conn: sa.Connection, col: sa.ColumnElement[Any], key: sa.ColumnElement[Any], *,
                     folded: bool) -> float | None:
        right = _as_text(key) if folded else key
        distinct = _distinct(col, folded=folded)
        n = int(conn.execute(sa.select(sa.func.count()).select_from(distinct)).scalar_one())
        if n == 0:
            return None
        # ``v IN (SELECT key …)`` in a WHERE: PostgreSQL hashes it, MariaDB materialises it as a semi-join.
        found = int(conn.execute(sa.select(sa.func.count()).select_from(distinct)
                                 .where(distinct.c.v.in_(sa.select(right).where(key.is_not(None))))).scalar_one())
        return found / n

    def _sketched(self, conn: sa.Connection, col: sa.ColumnElement[Any], key: sa.ColumnElement[Any],
                  rows: int) -> Containment:
        """A uniform sample of the column's distinct values (a bottom-k sketch) looked up in the key.

        Where the database can hash (PostgreSQL, MariaDB/MySQL), it keeps only rows whose value hashes below
        a threshold, so a few thousand distinct values cross the wire; elsewhere the column is streamed
        through the sketch. Either way memory is bounded by ``k``, and the share comes with the 95 % interval
        its sample size implies.
        """
        sample, whole = self._sample(conn, col, rows)
        values = sample.values()
        if not values:
            return Containment(None)
        exact = whole and not sample.overflowed
        family = _family(key)
        usable = _coerce(values, family)
        found = self._lookup(conn, key, usable)
        share = found / len(values)
        drift = False
        if share < _DRIFT_RETRY and family == "text":
            folded = list(dict.fromkeys(str(v).strip().lower() for v in values))
            again = self._lookup(conn, sa.func.lower(sa.func.trim(key)), folded) / len(folded)
            if again > share + 0.1:
                share, drift, found, values = again, True, round(again * len(folded)), folded
        est = sketch.estimate(found, len(values), exact)
        margin = None if est is None or exact else est.margin
        return Containment(share, drift=drift, exact=exact, method="exact" if exact else "sketch", margin=margin)

    def _lookup(self, conn: sa.Connection, key: sa.ColumnElement[Any], values: Sequence[Any]) -> int:
        found = 0
        for i in range(0, len(values), _BATCH):
            part = values[i:i + _BATCH]
            found += int(conn.execute(sa.select(sa.func.count(sa.distinct(key))).where(key.in_(part))).scalar_one())
        return found

    def _sample(self, conn: sa.Connection, col: sa.ColumnElement[Any], rows: int) -> tuple[sketch.BottomK, bool]:
        """The column's bottom-k sketch, and whether every row was offered to it (no hash threshold)."""
        hashed = _db_hash(conn.dialect.name, col)
        base = sa.select(col).where(col.is_not(None))
        if hashed is None:
            found = sketch.BottomK(self.k)
            for part in conn.execution_options(yield_per=_STREAM_BATCH).execute(base).partitions():
                for (v,) in part:
                    found.add(v)
            return found, True
        expr, low, space = hashed
        share = min(1.0, 2.0 * self.k / max(rows, 1))
        for _ in range(_MAX_PASSES):
            found = sketch.BottomK(self.k)
            stmt = base if share >= 1.0 else base.where(expr < low + int(space * share))
            # A few thousand rows come back: no server-side cursor (PostgreSQL's would not outlive the
            # savepoint each candidate runs in).
            for (v,) in conn.execute(stmt.distinct()):
                found.add(v)
            if share >= 1.0 or len(found) >= self.k // 2:
                break
            # Fewer distinct values than rows (a column repeating each pupil's id): widen the threshold.
            share = min(1.0, share * 1.5 * self.k / max(len(found), 1))
        return found, share >= 1.0

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
