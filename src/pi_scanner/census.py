"""Census: the full pass over columns already classified — an age category for every record.

The sampling classifier decided which columns hold the subject's date of birth (a resident ID, a
residence permit, a PR card, a date-of-birth field). The census reads only those columns, every row,
and parses them with the recognizers' validators directly in tight loops: no detection engine, no
per-row classifier call. Memory stays bounded by one batch.

On PostgreSQL the rows come through ``COPY (SELECT …) TO STDOUT`` (text format) on psycopg, which is
the fastest way out of the server; elsewhere through a server-side cursor (``stream_results``).
A :class:`KeyRange` restricts the pass to a primary-key range so a big table can be split into
independent work units (:mod:`pi_scanner.work`); an open upper bound covers rows added during the scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from pi_scanner.classify.checksums import PROVINCES, mod11_2_check, parse_ymd
from pi_scanner.classify.dates import Mode, age_years, interval_is_child, is_child, parse_birth_date
from pi_scanner.classify.recognizers.resident_id import validate_ric18
from pi_scanner.connectors.base import AssetInfo, Connector
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.errors import PiScannerError, TerminalError
from pi_scanner.models import AgeCounts

#: Entities whose value encodes the subject's exact birth date in positions 7-14.
ID_ENTITIES = frozenset({"CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT", "CN_PR_CARD"})
#: Entities the census can read an age from.
CENSUS_ENTITIES = ID_ENTITIES | {"DATE_OF_BIRTH"}

_BATCH = 50_000


@dataclass(frozen=True)
class KeyRange:
    """A half-open range ``lo <= key < hi`` over a single-column integer primary key.

    Attributes:
        column: The key column.
        lo: Inclusive lower bound, or None for "from the start".
        hi: Exclusive upper bound, or None for "to the end" (covers rows inserted during the scan).
    """

    column: str
    lo: int | None = None
    hi: int | None = None


@dataclass(frozen=True)
class CensusResult:
    """Counts of one census pass (holds no values).

    Attributes:
        ages: Records per age category.
        rows: Records read.
    """

    ages: AgeCounts
    rows: int


class _Tally:
    """Per-record classification with caches keyed by the birth date (many records share one)."""

    def __init__(self, as_of: dt.date, mode: Mode) -> None:
        self.as_of = as_of
        self.mode = mode
        self.counts = {"child": 0, "likely_child": 0, "minor_14_17": 0, "adult": 0, "unknown": 0}
        self.conflicts = 0
        self.rows = 0
        self._exact: dict[dt.date, str] = {}
        self.dates: dict[str, Any] = {}

    def exact(self, dob: dt.date) -> str:
        status = self._exact.get(dob)
        if status is None:
            if is_child(dob, self.as_of, self.mode):
                status = "child"
            elif dob > self.as_of:
                status = "unknown"  # not born yet: not a person, not an age
            else:
                status = "minor_14_17" if age_years(dob, self.as_of) < 18 else "adult"
            self._exact[dob] = status
        return status

    def interval(self, earliest: dt.date, latest: dt.date) -> str:
        verdict = interval_is_child(earliest, latest, self.as_of, self.mode)
        if verdict is True:
            return "child"
        if verdict is None:
            return "likely_child"
        return "minor_14_17" if age_years(latest, self.as_of) < 18 else "adult"

    def result(self) -> CensusResult:
        c = self.counts
        ages = AgeCounts(c["child"], c["likely_child"], c["minor_14_17"], c["adult"], c["unknown"], self.conflicts)
        return CensusResult(ages, self.rows)


_MISSING = object()


def _id_birth_date(value: Any, as_of: dt.date, dates: dict[str, Any]) -> dt.date | None:
    """The birth date of a valid 18-character ID (the validator's rules, unrolled for the hot loop)."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    if len(text) != 18:
        text = text.strip().replace(" ", "").replace("-", "")
        if len(text) != 18:
            return None
    key = text[6:14]
    born = dates.get(key, _MISSING)
    if born is _MISSING:
        # Many records share a birth date: parse each YYYYMMDD once.
        facts = validate_ric18(text.upper(), as_of)
        if facts is None:
            born = parse_ymd(key, as_of)
            dates[key] = born
            return None
        dates[key] = facts.birth_date
        return facts.birth_date
    if born is None or text[:2] not in PROVINCES:
        return None
    last = text[17]
    if last == "x":
        last = "X"
    return born if mod11_2_check(text[:17]) == last else None


def _dob(value: Any, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date(), value.date()
    if isinstance(value, dt.date):
        return value, value
    text = value if isinstance(value, str) else str(value)
    if not text:
        return None
    parsed = parse_birth_date(text, date_column=True)
    if parsed is None or parsed.ambiguous or parsed.earliest > as_of:
        return None
    return parsed.earliest, parsed.latest


def _count(rows: Iterator[Sequence[Any]], id_idx: list[int], dob_idx: list[int], tally: _Tally) -> None:
    """The tight loop: identity documents first (they win a conflict), then date-of-birth fields."""
    as_of = tally.as_of
    counts = tally.counts
    dates = tally.dates
    n = 0
    conflicts = 0
    for row in rows:
        n += 1
        born: dt.date | None = None
        for i in id_idx:
            born = _id_birth_date(row[i], as_of, dates)
            if born is not None:
                break
        status: str | None = None
        for i in dob_idx:
            span = _dob(row[i], as_of)
            if span is None:
                continue
            if born is not None:
                if span[0] == span[1] and span[0] != born:
                    conflicts += 1
                break
            status = tally.exact(span[0]) if span[0] == span[1] else tally.interval(*span)
            break
        if born is not None:
            status = tally.exact(born)
        counts[status or "unknown"] += 1
    tally.rows += n
    tally.conflicts += conflicts


def census(
    asset: AssetInfo,
    columns_with_entities: Mapping[str, str],
    as_of: dt.date,
    *,
    connector: Connector,
    child_mode: Mode = "legal",
    key_range: KeyRange | None = None,
    batch_size: int = _BATCH,
) -> AgeCounts:
    """Count every record of ``asset`` by age category, reading only the age-bearing columns.

    Args:
        asset: The asset, as discovered.
        columns_with_entities: Column name to entity type, for the *subject's* columns (a guardian's ID
            says nothing of the record's own age). Entities outside :data:`CENSUS_ENTITIES` are ignored.
        as_of: Reference date.
        connector: The open connector that owns the asset.
        child_mode: ``legal`` or ``calendar`` boundary.
        key_range: Only this primary-key range (SQL tables); default every row.
        batch_size: Rows held in memory at once.

    Returns:
        Per-category counts; records without a readable date are ``unknown``.

    Raises:
        TerminalError: The asset has none of the needed columns, or cannot be read.
        TransientError: The store timed out or dropped the connection.
    """
    return census_pass(
        asset, columns_with_entities, as_of,
        connector=connector, child_mode=child_mode, key_range=key_range, batch_size=batch_size,
    ).ages


def census_pass(
    asset: AssetInfo,
    columns_with_entities: Mapping[str, str],
    as_of: dt.date,
    *,
    connector: Connector,
    child_mode: Mode = "legal",
    key_range: KeyRange | None = None,
    batch_size: int = _BATCH,
) -> CensusResult:
    """Like :func:`census`, also returning the number of records read."""
    ids = [c for c, e in columns_with_entities.items() if e in ID_ENTITIES]
    dobs = [c for c, e in columns_with_entities.items() if e == "DATE_OF_BIRTH"]
    if not ids and not dobs:
        raise TerminalError(f"{asset.ref.display}: no age-bearing column for a census")
    columns = [*ids, *dobs]
    id_idx = list(range(len(ids)))
    dob_idx = list(range(len(ids), len(columns)))
    tally = _Tally(as_of, child_mode)
    if isinstance(connector, SqlConnector):
        for batch in _sql_batches(connector, asset, columns, key_range, batch_size):
            _count(iter(batch), id_idx, dob_idx, tally)
    else:
        if key_range is not None:
            raise TerminalError(f"{asset.ref.display}: key ranges apply to SQL tables only")
        # iter_batches puts the key first: skip it.
        for batch in connector.iter_batches(asset, columns, batch_size):
            _count((row[len(row) - len(columns):] for row in batch), id_idx, dob_idx, tally)
    return tally.result()


def _sql_batches(
    connector: SqlConnector, asset: AssetInfo, columns: list[str], key_range: KeyRange | None, batch_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    # The connector's session keeps its guarantees: read-only, rolled back, statement timeout and the
    # max_concurrent_queries slot. Its private helpers are used on purpose: the census is the
    # connector's fast path, not a second way to reach the database.
    ref = asset.ref
    with connector._session() as conn:
        try:
            table = connector._reflect(conn, ref)
            missing = [c for c in columns if c not in table.c]
            if missing:
                raise TerminalError(f"{connector.name}: {ref.display} has no column(s) {missing}")
            stmt = sa.select(*(table.c[c] for c in columns))
            if key_range is not None:
                key = table.c[key_range.column]
                if key_range.lo is not None:
                    stmt = stmt.where(key >= key_range.lo)
                if key_range.hi is not None:
                    stmt = stmt.where(key < key_range.hi)
            if connector.backend == "postgresql":
                yield from _copy_batches(conn, stmt, batch_size)
                return
            result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(stmt)
            try:
                for part in result.partitions(batch_size):
                    yield [tuple(r) for r in part]
            finally:
                result.close()
        except PiScannerError:
            raise
        except (sa.exc.DBAPIError, sa.exc.NoSuchTableError) as exc:
            raise connector._read_error(exc, ref, "census of") from None


def _unescape(field: str) -> str | None:
    if field == "\\N":
        return None
    if "\\" not in field:
        return field
    # COPY text format escapes: only backslash sequences for control characters and the backslash.
    out = field.replace("\\\\", "\x00").replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r")
    return out.replace("\x00", "\\")


def _copy_batches(conn: sa.Connection, stmt: sa.Select[Any], batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of ``stmt`` through ``COPY … TO STDOUT``: every value as text, parsed by the caller."""
    # The statement is compiled by the dialect (identifiers quoted by SQLAlchemy, integer bounds
    # rendered as literals); only the fixed COPY wrapper is added around it.
    compiled = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    raw = conn.connection.dbapi_connection
    assert raw is not None
    width = len(stmt.selected_columns)
    batch: list[tuple[Any, ...]] = []
    pending = b""
    with raw.cursor() as cur, cur.copy(f"COPY ({compiled}) TO STDOUT") as copy:  # type: ignore[attr-defined]
        for chunk in copy:
            complete, _, pending = (pending + bytes(chunk)).rpartition(b"\n")
            if complete:
                _parse_lines(complete.decode("utf-8"), width, batch)
            if len(batch) >= batch_size:
                yield batch
                batch = []
    if pending:
        _parse_lines(pending.decode("utf-8"), width, batch)
    if batch:
        yield batch


def _parse_lines(text: str, width: int, out: list[tuple[Any, ...]]) -> None:
    lines = text.split("\n")
    if "\\" not in text:  # no escapes and no NULL (\N) anywhere: split only
        if width == 1:
            out.extend((line,) for line in lines)
        else:
            out.extend(tuple(line.split("\t")) for line in lines)
        return
    for line in lines:
        out.append(tuple(_unescape(f) for f in line.split("\t")))
