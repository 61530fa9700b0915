"""Census: the full pass over columns already classified — an age category for every record.

The sampling classifier decided which columns hold the subject's date of birth (a resident ID, a
residence permit, a PR card, a date-of-birth field). The census reads only those columns, every row,
and parses them with the recognizers' validators directly in tight loops: no detection engine, no
per-row classifier call. Memory stays bounded by one batch.

On PostgreSQL the rows come through ``COPY (SELECT …) TO STDOUT`` (text format) on psycopg, which is
the fastest way out of the server; elsewhere through a server-side cursor (``stream_results``).
A :class:`KeyRange` restricts the pass to a primary-key range so a big table can be split into
independent work units (:mod:`pi_scanner.work`); an open upper bound covers rows added during the scan.

The common case — one resident-ID (or residence-permit) column — has a faster path (:func:`_count_ids`):
the COPY buffer is split into lines without building a row tuple each, a cell that is 18 ASCII digits
(last one may be ``X``) with a correct MOD 11-2 check is reduced to its province code and birth date,
and those keys are counted in C by :class:`collections.Counter`. Province and date are then judged once
per distinct key. Every other cell (NULL, separators, bad check, non-ASCII) goes through the full
per-value rules, once per distinct cell, so the two paths give the same counts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlalchemy as sa

from pi_scanner.classify.checksums import PROVINCES, mod11_2_check, parse_ymd
from pi_scanner.classify.collection_time import COLLECTED_AT, CollectionTally, collection_date
from pi_scanner.classify.dates import Mode, age_years, interval_is_child, is_child, parse_birth_date
from pi_scanner.classify.recognizers.resident_id import PrCardRecognizer, validate_ric18
from pi_scanner.connectors.base import AssetInfo, Connector
from pi_scanner.connectors.sql import SqlConnector, is_connection_lost, sql_capable
from pi_scanner.errors import PiScannerError, TerminalError
from pi_scanner.models import AgeCounts, CollectionAges

#: Entities whose value encodes the subject's exact birth date in positions 7-14.
ID_ENTITIES = frozenset({"CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT", "CN_PR_CARD"})
#: Entities the census can read an age from.
CENSUS_ENTITIES = ID_ENTITIES | {"DATE_OF_BIRTH"}

_BATCH = 50_000
#: Bytes of COPY text per row assumed when sizing blocks (an 18-character ID and its newline, rounded up).
_ROW_BYTES = 32


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
        collection: Collection-time ages and age-out dates of the records read (source and column are
            the sample's to say; see :func:`pi_scanner.classify.collection_time.merge`).
    """

    ages: AgeCounts
    rows: int
    collection: CollectionAges | None = None


class _Tally:
    """Per-record classification with caches keyed by the birth date (many records share one)."""

    def __init__(self, as_of: dt.date, mode: Mode, naive_zone: dt.tzinfo | None = None) -> None:
        self.as_of = as_of
        self.mode = mode
        self.counts = {"child": 0, "likely_child": 0, "minor_14_17": 0, "adult": 0, "unknown": 0}
        self.conflicts = 0
        self.rows = 0
        self._exact: dict[dt.date, str] = {}
        self.dates: dict[str, Any] = {}
        self.resolved: dict[Any, tuple[str, dt.date | None]] = {}
        # Records per (birth date, collection day) of the key paths, folded into ``collection`` in bulk:
        # one dict increment per distinct key in the hot loop instead of a call.
        self.pending: dict[dt.date, int] = {}  # ID-only path: records per birth date
        self.pending_dated: dict[tuple[dt.date, dt.date | None], int] = {}
        self.day_by_int: dict[int, Any] = {}  # YYYYMMDD -> day, for the vectorised (ID, day) path
        # Keys of the fast path whose subject has a birth date, with their counts (folded in at the end).
        self.collection = CollectionTally(as_of, mode)
        self.collected_dates = _CollectedDates(naive_zone)

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
        self.fold()
        return CensusResult(ages, self.rows, self.collection.result(exact=True))

    def fold(self) -> None:
        """Count the pending (birth date, collection day) records into ``collection``."""
        add = self.collection.add
        for born, n in self.pending.items():
            add((born, born), None, n)
        for (born, day), n in self.pending_dated.items():
            add((born, born), day, n)
        self.pending.clear()
        self.pending_dated.clear()


_MISSING = object()


class _CollectedDates:
    """Collection dates of cells, reduced cheaply to a day and cached per distinct day (the hot loop's cost).

    ``YYYY-MM-DD`` text, alone or followed by a time with no offset (naive: Shanghai local time, as
    :func:`~pi_scanner.classify.collection_time.collection_date` reads it) or with ``+08``, is that day;
    a naive ``datetime`` is its date. Everything else goes through the full rules, once per distinct cell
    while the cache has room.
    """

    _CAP = 200_000

    def __init__(self, naive_zone: dt.tzinfo | None = None) -> None:
        self._days: dict[Any, dt.date | None] = {}  # "YYYY-MM-DD" text -> day
        self._other: dict[Any, dt.date | None] = {}  # (cell,) -> day by the full rules
        # A retention policy's anchor_timezone for naive timestamps of its anchor column (None: Shanghai);
        # such a timestamp's Shanghai day is then found by the full rules, not cut at its first ten characters.
        self.naive_zone = naive_zone

    def key(self, value: Any) -> Any:
        """A hashable key standing for the cell's day (the day's text when cheap, else the cell itself)."""
        kind = type(value)
        if kind is bytes or kind is str:
            if len(value) >= 10 and value[4:5] in _DASH and value[7:8] in _DASH:
                if len(value) == 10:
                    return value
                if value[10:11] in _SEP:
                    clock = _TIME_CHARS[kind]
                    rest = value[11:]
                    if not rest.strip(clock):
                        # A naive time: Shanghai local, unless the anchor's zone says otherwise.
                        return value[:10] if self.naive_zone is None else (value,)
                    for offset in _SHANGHAI_OFFSETS[kind]:
                        if rest.endswith(offset) and not rest[: -len(offset)].strip(clock):
                            return value[:10]
            return (value,)
        if kind is dt.datetime and value.tzinfo is None and self.naive_zone is None:
            return value.date()
        if kind is dt.date:
            return value
        return (value,)

    def date(self, key: Any) -> dt.date | None:
        """The Shanghai day of a :meth:`key`, or None when the cell holds no exact date."""
        if type(key) is dt.date:
            return key
        cache = self._other if type(key) is tuple else self._days
        if key in cache:
            return cache[key]
        if type(key) is tuple:
            cell = key[0]
            if type(cell) is bytes:
                cell = _unescape(cell.decode("utf-8", "replace"))
            day = collection_date(cell) if self.naive_zone is None else collection_date(cell, self.naive_zone)
            if len(self._other) < self._CAP:
                self._other[key] = day
            return day
        text = key.decode("ascii", "replace") if type(key) is bytes else key
        try:
            day = dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            day = None
        if len(self._days) < self._CAP:
            self._days[key] = day
        return day


_DASH = (b"-", "-")
_SEP = (b" ", b"T", " ", "T")
_TIME_CHARS: dict[type, Any] = {bytes: b"0123456789:.", str: "0123456789:."}
_SHANGHAI_OFFSETS: dict[type, Any] = {bytes: (b"+08", b"+08:00", b"+0800"), str: ("+08", "+08:00", "+0800")}


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


def _pr_birth_date(value: Any, recognizer: PrCardRecognizer) -> dt.date | None:
    """The birth date of a valid foreign permanent-resident card number (leading 9: no province code)."""
    if value is None:
        return None
    text = (value if isinstance(value, str) else str(value)).strip().replace(" ", "").replace("-", "")
    if len(text) != 18 or text[0] != "9" or not text[:17].isascii() or not text[:17].isdigit():
        return None
    facts = recognizer.validate(text, recognizer.PATTERNS[0])
    return None if facts is None else facts.birth_date


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


def _count(
    rows: Iterator[Sequence[Any]],
    id_idx: list[int],
    dob_idx: list[int],
    tally: _Tally,
    pr_idx: frozenset[int] = frozenset(),
    collected_idx: int | None = None,
) -> None:
    """The tight loop: identity documents first (they win a conflict), then date-of-birth fields.

    ``pr_idx`` are the ID positions holding permanent-resident cards, whose leading 9 is no province.
    ``collected_idx`` is the position of the record's collection date (created/enrolment), if read.
    """
    pr = PrCardRecognizer(tally.as_of)
    as_of = tally.as_of
    counts = tally.counts
    dates = tally.dates
    collection = tally.collection
    collected_dates = tally.collected_dates
    n = 0
    conflicts = 0
    for row in rows:
        n += 1
        born: dt.date | None = None
        for i in id_idx:
            born = _pr_birth_date(row[i], pr) if i in pr_idx else _id_birth_date(row[i], as_of, dates)
            if born is not None:
                break
        status: str | None = None
        subject: tuple[dt.date, dt.date] | None = None
        for i in dob_idx:
            span = _dob(row[i], as_of)
            if span is None:
                continue
            if born is not None:
                if span[0] == span[1] and span[0] != born:
                    conflicts += 1
                break
            status = tally.exact(span[0]) if span[0] == span[1] else tally.interval(*span)
            subject = span
            break
        if born is not None:
            status = tally.exact(born)
            subject = (born, born)
        counts[status or "unknown"] += 1
        if subject is not None:
            day = None
            if collected_idx is not None and row[collected_idx] is not None:
                day = collected_dates.date(collected_dates.key(row[collected_idx]))
            collection.add(subject, day)
    tally.rows += n
    tally.conflicts += conflicts


#: Index of each check character in ``10X98765432`` (what ``2 * int(body, 13) % 11`` must equal), keyed
#: both by character and by byte value so one table serves str cells and COPY's bytes.
_CHECK_INDEX: dict[str | int, int] = {}
for _i, _c in enumerate("10X98765432"):
    _CHECK_INDEX[_c] = _CHECK_INDEX[ord(_c)] = _i
_CHECK_INDEX["x"] = _CHECK_INDEX[ord("x")] = 2
#: Entities the fast path handles (their validity is province + date + MOD 11-2; a PR card is not).
FAST_ENTITIES = frozenset({"CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT"})
_RESOLVED_CAP = 1_000_000


def _valid_keys_bytes(cells: Iterable[bytes]) -> Counter[Any]:
    """Count ``province + birth date`` of every checksum-valid 18-byte cell; other cells count as ``(cell,)``.

    ISO 7064 MOD 11-2 weighs digit *i* (1-based, of 17) by ``2**(18-i) mod 11``; since ``13 ≡ 2 (mod 11)``,
    the weighted sum is ``2 * int(body, 13) mod 11``, one C call instead of 17 multiplications. ``isdigit``
    on bytes is ASCII-only, so ``int`` never sees a sign, ``_``, whitespace or the letters base 13 allows.
    """
    check = _CHECK_INDEX
    return Counter(
        c[:2] + c[6:14]
        if len(c) == 18 and c[:17].isdigit() and check.get(c[17]) == 2 * int(c[:17], 13) % 11
        else (c,)
        for c in cells
    )


_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)
_YMD_PLACES = 10 ** np.arange(7, -1, -1, dtype=np.int64)  # place values of 8 YYYYMMDD digits
_CHECK_LUT = np.full(256, -1, dtype=np.int32)
for _i, _c in enumerate("10X98765432"):
    _CHECK_LUT[ord(_c)] = _i
_CHECK_LUT[ord("x")] = 2


def _valid_keys_fixed(block: bytes) -> Counter[Any] | None:
    """:func:`_valid_keys_bytes` for a block whose lines are all 18 bytes, vectorised; None for other blocks.

    The typical ``char(18)`` / ``varchar(18)`` ID column: the block is viewed as an ``n x 18`` byte matrix
    (no copy), checked and weighed column-wise, and the valid rows' ``province * 10**8 + YYYYMMDD`` keys
    counted with :func:`numpy.unique`. Rows that fail go to the full rules like any other rejected cell.
    """
    n = (len(block) + 1) // 19
    if n == 0 or n * 19 != len(block) + 1 or block.count(b"\n") != n - 1:
        return None
    flat = np.frombuffer(block, dtype=np.uint8)
    if n > 1 and not (flat[18::19] == 10).all():
        return None
    rows = np.lib.stride_tricks.as_strided(flat, shape=(n, 18), strides=(19, 1), writeable=False)
    digits = rows[:, :17] - np.uint8(48)  # wraps below '0': anything but an ASCII digit ends up > 9
    valid = (digits <= 9).all(axis=1)
    valid &= _CHECK_LUT[rows[:, 17]] == (digits.astype(np.int32) @ _WEIGHTS) % 11
    good = digits[valid]
    keys = (good[:, 0].astype(np.int64) * 10 + good[:, 1]) * 10**8 + good[:, 6:14].astype(np.int64) @ _YMD_PLACES
    uniq, freq = np.unique(keys, return_counts=True)
    counted: Counter[Any] = Counter(dict(zip(uniq.tolist(), freq.tolist(), strict=True)))
    for i in np.flatnonzero(~valid).tolist():
        counted[(block[i * 19 : i * 19 + 18],)] += 1
    return counted


def _valid_keys_str(cells: Iterable[Any]) -> Counter[Any]:
    """:func:`_valid_keys_bytes` for driver values (str, None or anything else)."""
    check = _CHECK_INDEX
    return Counter(
        c[:2] + c[6:14]
        if type(c) is str and len(c) == 18 and c.isascii() and c[:17].isdigit()
        and check.get(c[17]) == 2 * int(c[:17], 13) % 11
        else (c,)
        for c in cells
    )


def _resolve_key(key: Any, tally: _Tally, copy_text: bool) -> tuple[str, dt.date | None]:
    """The category and birth date of one fast-path key (cached per key: one judgement per distinct key)."""
    if type(key) is tuple:
        cell = key[0]
        if copy_text:
            cell = _unescape(cell.decode("utf-8"))
        born = _id_birth_date(cell, tally.as_of, tally.dates)
        judged = ("unknown" if born is None else tally.exact(born), born)
        # Rejected cells are rarely repeated (except NULL): cache only what is cheap to keep.
        if cell is None:
            tally.resolved[key] = judged
        return judged
    # Province + YYYYMMDD: an int from the vectorised path, else bytes (COPY) or str.
    born = _key_birth_date(key, tally.as_of)
    judged = ("unknown" if born is None else tally.exact(born), born)
    tally.resolved[key] = judged
    return judged


def _count_ids(counted: Counter[Any], tally: _Tally, copy_text: bool) -> None:
    r"""Fold one batch's key counts into the tally.

    Args:
        counted: From :func:`_valid_keys_bytes` / :func:`_valid_keys_str`.
        tally: The running tally; its ``resolved`` cache maps a key to its category and birth date.
        copy_text: Cells that failed the quick test are raw COPY text fields (bytes, ``\N``, escapes).
    """
    counts = tally.counts
    resolved = tally.resolved
    if len(resolved) > _RESOLVED_CAP:
        resolved.clear()  # bounded memory on a pathological column of all-different dates
    pending = tally.pending
    rows = 0
    for key, n in counted.items():
        rows += n
        judged = resolved.get(key)
        if judged is None:
            judged = _resolve_key(key, tally, copy_text)
        status, born = judged
        counts[status] += n
        if born is not None:
            # No collection date on this path (one ID column read): age-out dates and "child now" only.
            pending[born] = pending.get(born, 0) + n
    tally.rows += rows
    if len(pending) > _RESOLVED_CAP:
        tally.fold()


def _id_key(cell: Any) -> Any:
    """:func:`_valid_keys_bytes`'s key of one cell (bytes or str): province + birth date, or ``(cell,)``."""
    check = _CHECK_INDEX
    if type(cell) is bytes:
        if len(cell) == 18 and cell[:17].isdigit() and check.get(cell[17]) == 2 * int(cell[:17], 13) % 11:
            return cell[:2] + cell[6:14]
        return (cell,)
    if (type(cell) is str and len(cell) == 18 and cell.isascii() and cell[:17].isdigit()
            and check.get(cell[17]) == 2 * int(cell[:17], 13) % 11):
        return cell[:2] + cell[6:14]
    return (cell,)


_DAY_DIGITS = np.array([19, 20, 21, 22, 24, 25, 27, 28])


def _int_day(ymd: int) -> dt.date | None:
    """The day of ``YYYYMMDD`` as an int (0 or an impossible day: None)."""
    try:
        return dt.date(ymd // 10000, ymd // 100 % 100, ymd % 100) if ymd else None
    except ValueError:
        return None


def _count_id_days_fixed(block: bytes, tally: _Tally) -> bool:
    """:func:`_count_id_dates` for a block of ``ID<TAB>YYYY-MM-DD`` lines (29 bytes each), vectorised.

    Valid IDs and days become one int ``(province * 10**8 + birth date) * 10**8 + YYYYMMDD`` counted with
    :func:`numpy.unique`; a line whose ID fails goes through the full rules with its day.

    Returns:
        False (nothing counted) when the block is not made of such lines.
    """
    n = (len(block) + 1) // 30
    if n == 0 or n * 30 != len(block) + 1:
        return False
    flat = np.frombuffer(block, dtype=np.uint8)
    if not (flat[18::30] == 9).all() or (n > 1 and not (flat[29::30] == 10).all()):
        return False
    rows = np.lib.stride_tricks.as_strided(flat, shape=(n, 29), strides=(30, 1), writeable=False)
    digits = rows[:, :17] - np.uint8(48)
    valid = (digits <= 9).all(axis=1)
    valid &= _CHECK_LUT[rows[:, 17]] == (digits.astype(np.int32) @ _WEIGHTS) % 11
    day_digits = rows[:, _DAY_DIGITS] - np.uint8(48)
    dated = (day_digits <= 9).all(axis=1) & (rows[:, 23] == 45) & (rows[:, 26] == 45)
    day = np.where(dated, day_digits.astype(np.int64) @ _YMD_PLACES, 0)
    good = digits[valid]
    keys = ((good[:, 0].astype(np.int64) * 10 + good[:, 1]) * 10**8
            + good[:, 6:14].astype(np.int64) @ _YMD_PLACES) * 10**8 + day[valid]
    uniq, freq = np.unique(keys, return_counts=True)
    resolved = tally.resolved
    if len(resolved) > _RESOLVED_CAP:
        resolved.clear()
    counts = tally.counts
    pending = tally.pending_dated
    day_by_int: dict[int, Any] = tally.day_by_int
    for key, k in zip(uniq.tolist(), freq.tolist(), strict=True):
        id_key, ymd = divmod(key, 10**8)
        judged = resolved.get(id_key)
        if judged is None:
            judged = _resolve_key(id_key, tally, True)
        status, born = judged
        counts[status] += k
        if born is not None:
            collected = day_by_int.get(ymd, _MISSING)
            if collected is _MISSING:
                collected = _int_day(ymd)
                day_by_int[ymd] = collected
            pair = (born, collected)
            pending[pair] = pending.get(pair, 0) + k
    tally.rows += int(valid.sum())
    bad = np.flatnonzero(~valid).tolist()
    if bad:
        _count_id_dates(((block[i * 30 : i * 30 + 18], block[i * 30 + 19 : i * 30 + 29]) for i in bad), tally,
                        copy_text=True)
    if len(pending) > _RESOLVED_CAP:
        tally.fold()
    return True


def _count_id_dates(pairs: Iterable[tuple[Any, Any]], tally: _Tally, copy_text: bool) -> None:
    r"""The fast path for one ID column and a collection date: count (ID key, day key) pairs, judge each once.

    Args:
        pairs: ``(ID cell, collection cell)`` of every row (COPY bytes or driver values).
        tally: The running tally.
        copy_text: The cells are raw COPY text fields.
    """
    day_key = tally.collected_dates.key
    counted: Counter[tuple[Any, Any]] = Counter((_id_key(c), day_key(d)) for c, d in pairs)
    if len(tally.resolved) > _RESOLVED_CAP:
        tally.resolved.clear()
    counts = tally.counts
    resolved = tally.resolved
    pending = tally.pending_dated
    day_of = tally.collected_dates.date
    null = b"\\N" if copy_text else None
    rows = 0
    for (key, day), n in counted.items():
        rows += n
        judged = resolved.get(key)
        if judged is None:
            judged = _resolve_key(key, tally, copy_text)
        status, born = judged
        counts[status] += n
        if born is not None:
            pair = (born, None if day == (null,) or day == (None,) else day_of(day))
            pending[pair] = pending.get(pair, 0) + n
    tally.rows += rows
    if len(pending) > _RESOLVED_CAP:
        tally.fold()


def _key_birth_date(key: Any, as_of: dt.date) -> dt.date | None:
    """The birth date of a fast-path key (province + YYYYMMDD as int, bytes or str)."""
    text = f"{key:010d}" if type(key) is int else key.decode("ascii") if type(key) is bytes else key
    return parse_ymd(text[2:], as_of) if text[:2] in PROVINCES else None


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
    collected_zone: dt.tzinfo | None = None,
) -> CensusResult:
    """Like :func:`census`, also returning the number of records read.

    ``collected_zone``: the zone naive timestamps of the collection-date column are in, when that column is
    a retention policy's anchor with an ``anchor_timezone`` other than Asia/Shanghai (None: Shanghai).
    """
    ids = [c for c, e in columns_with_entities.items() if e in ID_ENTITIES]
    dobs = [c for c, e in columns_with_entities.items() if e == "DATE_OF_BIRTH"]
    collected = [c for c, e in columns_with_entities.items() if e == COLLECTED_AT][:1]
    if not ids and not dobs:
        raise TerminalError(f"{asset.ref.display}: no age-bearing column for a census")
    columns = [*ids, *dobs, *collected]
    id_idx = list(range(len(ids)))
    dob_idx = list(range(len(ids), len(ids) + len(dobs)))
    collected_idx = len(ids) + len(dobs) if collected else None
    pr_idx = frozenset(i for i, c in enumerate(ids) if columns_with_entities[c] == "CN_PR_CARD")
    tally = _Tally(as_of, child_mode, collected_zone)
    fast = len(columns) == 1 and columns_with_entities[columns[0]] in FAST_ENTITIES
    # One ID column and the collection date: pairs counted like the keys of the ID-only fast path.
    dated = len(ids) == 1 and not dobs and bool(collected) and columns_with_entities[ids[0]] in FAST_ENTITIES
    sql = sql_capable(connector)
    if sql is not None:
        days = frozenset(collected) if dated else frozenset()
        for batch in _sql_batches(sql, asset, columns, key_range, batch_size, raw_copy=fast or dated,
                                  day_columns=days, naive_zone=collected_zone):
            if isinstance(batch, bytes) and dated:
                if not _count_id_days_fixed(batch, tally):
                    _count_id_dates((line.partition(b"\t")[::2] for line in batch.split(b"\n")), tally,
                                    copy_text=True)
            elif isinstance(batch, bytes):
                counted = _valid_keys_fixed(batch)
                if counted is None:
                    counted = _valid_keys_bytes(batch.split(b"\n"))
                _count_ids(counted, tally, copy_text=True)
            elif dated:
                _count_id_dates(((row[0], row[1]) for row in batch), tally, copy_text=False)
            elif fast:
                _count_ids(_valid_keys_str(row[0] for row in batch), tally, copy_text=False)
            else:
                _count(iter(batch), id_idx, dob_idx, tally, pr_idx, collected_idx)
    else:
        if key_range is not None:
            raise TerminalError(f"{asset.ref.display}: key ranges apply to SQL tables only")
        # iter_batches puts the key first: skip it.
        for rows in connector.iter_batches(asset, columns, batch_size):
            if dated:
                _count_id_dates(((row[-2], row[-1]) for row in rows), tally, copy_text=False)
            elif fast:
                _count_ids(_valid_keys_str(row[-1] for row in rows), tally, copy_text=False)
            else:
                _count((row[len(row) - len(columns):] for row in rows), id_idx, dob_idx, tally, pr_idx,
                       collected_idx)
    return tally.result()


def _sql_batches(
    connector: SqlConnector,
    asset: AssetInfo,
    columns: list[str],
    key_range: KeyRange | None,
    batch_size: int,
    *,
    raw_copy: bool = False,
    day_columns: frozenset[str] = frozenset(),
    naive_zone: dt.tzinfo | None = None,
) -> Iterator[list[tuple[Any, ...]] | bytes]:
    """Batches of rows; on PostgreSQL with ``raw_copy``, blocks of whole COPY text lines instead.

    ``day_columns`` (collection dates) of a timestamp type are read on PostgreSQL as their Shanghai day,
    ``YYYY-MM-DD`` or ten dashes for NULL: fixed-width lines, and one key per (ID, day) rather than per row.
    """
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
            stmt = sa.select(*(
                _as_day(table.c[c], naive_zone) if c in day_columns and connector.backend == "postgresql"
                else table.c[c]
                for c in columns
            ))
            if key_range is not None:
                key = table.c[key_range.column]
                if key_range.lo is not None:
                    stmt = stmt.where(key >= key_range.lo)
                if key_range.hi is not None:
                    stmt = stmt.where(key < key_range.hi)
            if connector.backend == "postgresql":
                if raw_copy:
                    yield from _copy_blocks(conn, stmt, batch_size)
                else:
                    for block in _copy_blocks(conn, stmt, batch_size):
                        batch: list[tuple[Any, ...]] = []
                        _parse_lines(block.decode("utf-8"), len(columns), batch)
                        yield batch
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
        except connector.driver_errors() as exc:
            # COPY runs on the driver's own cursor, so its errors arrive unwrapped (a table dropped
            # under the pass, a terminated backend). A dead connection must not go back to the pool.
            if is_connection_lost(exc, connector.backend):
                conn.invalidate()
            raise connector._read_error(exc, ref, "census of") from None


def _as_day(col: sa.ColumnElement[Any], naive_zone: dt.tzinfo | None = None) -> sa.ColumnElement[Any]:
    """A PostgreSQL timestamp or date column as ``YYYY-MM-DD`` of its Shanghai day (``----------`` for NULL).

    A naive timestamp is Shanghai local time (as :func:`~pi_scanner.classify.collection_time.collection_date`
    reads it), or local time of ``naive_zone`` (a retention policy's ``anchor_timezone``); an aware one is
    converted. Other types are read as they are.
    """
    kind = col.type
    if isinstance(kind, sa.DateTime):
        local: sa.ColumnElement[Any]
        if kind.timezone:
            local = sa.func.timezone("Asia/Shanghai", col)
        elif naive_zone is not None:
            # timezone(zone, naive) is the instant; timezone('Asia/Shanghai', instant) its Shanghai clock.
            local = sa.func.timezone("Asia/Shanghai", sa.func.timezone(str(naive_zone), col))
        else:
            local = col
        day = sa.func.to_char(local, "YYYY-MM-DD")
    elif isinstance(kind, sa.Date):
        day = sa.func.to_char(col, "YYYY-MM-DD")
    else:
        return col
    return sa.func.coalesce(day, "----------").label(col.name)


def _unescape(field: str) -> str | None:
    if field == "\\N":
        return None
    if "\\" not in field:
        return field
    # COPY text format escapes: only backslash sequences for control characters and the backslash.
    out = field.replace("\\\\", "\x00").replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r")
    return out.replace("\x00", "\\")


def _copy_blocks(conn: sa.Connection, stmt: sa.Select[Any], batch_rows: int) -> Iterator[bytes]:
    r"""``COPY (stmt) TO STDOUT`` text in blocks of whole lines (about ``batch_rows`` short rows), no final newline.

    Every yielded block holds at least one line (possibly empty: a row whose only value is ``''``), so
    ``block.split(b"\n")`` gives exactly its rows.
    """
    # The statement is compiled by the dialect (identifiers quoted by SQLAlchemy, integer bounds
    # rendered as literals); only the fixed COPY wrapper is added around it.
    compiled = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    raw = conn.connection.dbapi_connection
    assert raw is not None
    limit = max(1, batch_rows) * _ROW_BYTES
    buf = bytearray()
    with raw.cursor() as cur, cur.copy(f"COPY ({compiled}) TO STDOUT") as copy:  # type: ignore[attr-defined]
        # PostgreSQL sends one message per row. Appending each to one bytearray keeps the per-row
        # work at a memcpy; holding the driver's per-row buffers in a list instead halved the rate
        # (tens of thousands of live tracked objects for the garbage collector to walk).
        for chunk in copy:
            buf += chunk
            if len(buf) >= limit:
                end = buf.rfind(b"\n")
                if end >= 0:
                    yield bytes(buf[:end])
                    del buf[: end + 1]
    if buf.endswith(b"\n"):
        yield bytes(buf[:-1])
    elif buf:
        yield bytes(buf)


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
