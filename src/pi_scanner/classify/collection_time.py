"""Collection-time age (spec §B4 step 4, §B5): was the subject a child when the record was collected?

A record collected while its subject was under 14 is children's PI even after the subject aged out: the
pupils of a system installed years ago are adults today, and their records were still collected from
children. The collection date is the record's created, enrolment or registration date, found by the
column's name (English, Chinese or pinyin initials: ``create_time``, ``cjsj``, ``rxrq`` 入学日期,
``enrol_date``, ``addtime``, ``reg_date``) and type; failing that, the anchor column a retention policy
names for the table; failing that, it is unknown and the counts say so (``source: none``).

From the date of birth alone come the age-out dates: the first day a record is no longer a child's (the
14th anniversary + 1 day in ``legal`` mode), when PIPL art. 31 guardian consent no longer suffices and the
minor must consent, and the 18th birthday, when it becomes adult data. Per asset only counts and a
histogram of those days within a horizon are kept, never a date of birth.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace

from pi_scanner.classify.column_names import tokenize
from pi_scanner.classify.dates import (
    SHANGHAI,
    Mode,
    age_years,
    interval_is_child,
    last_child_day,
    next_age_out,
    parse_birth_date,
)
from pi_scanner.models import ChildStatus, CollectionAges, ColumnInfo

#: Pseudo entity type that marks the collection-date column among a census's columns.
COLLECTED_AT = "COLLECTED_AT"
#: Days after the reference date for which age-out dates are kept per asset.
HORIZON_DAYS = 366
#: Default window of "upcoming" age-outs (daemon gauge, ``report age-outs``).
DEFAULT_WINDOW_DAYS = 30
#: Share of a sample's non-empty values that must parse as dates for the column to be used.
MIN_PARSED_SHARE = 0.5

# Priority 3: enrolment (when a school collected the child's data); 2: registration; 1: row creation.
_COMPACT: dict[str, int] = {
    **dict.fromkeys((
        "enroldate", "enrolmentdate", "enrollmentdate", "enrolldate", "enrolledat", "enrolledon",
        "enroltime", "enrollmenttime", "admissiondate", "admissiontime", "admitdate", "admittedat",
        "admittedon", "intakedate", "startdate", "entrydate", "joindate", "joinedat", "joinedon",
    ), 3),
    **dict.fromkeys((
        "regdate", "regtime", "registerdate", "registertime", "registrationdate", "registrationtime",
        "registeredat", "registeredon", "signupdate", "signuptime", "signedupat",
    ), 2),
    **dict.fromkeys((
        "createtime", "createdtime", "createdate", "createddate", "createdat", "createdon", "createat",
        "creationdate", "creationtime", "datecreated", "timecreated", "gmtcreate", "gmtcreated",
        "addtime", "adddate", "addedat", "addedon", "dateadded", "timeadded", "inserttime", "insertdate",
        "insertedat", "inputtime", "inputdate", "recordedat", "ctime", "crtime", "crdate",
    ), 1),
}
# Pinyin initials, matched as whole tokens (``xs_rxrq``): 入学/入园/入校 日期|时间, 注册/登记/建档, 创建/采集/录入/添加.
_PINYIN: dict[str, int] = {
    **dict.fromkeys(("rxrq", "rxsj", "ryrq", "rysj", "rxnyr"), 3),
    **dict.fromkeys(("zcrq", "zcsj", "djrq", "djsj", "jdrq", "jdsj"), 2),
    **dict.fromkeys(("cjsj", "cjrq", "lrsj", "lrrq", "tjsj", "tjrq"), 1),
}
_CJK: tuple[tuple[str, int], ...] = (
    *((w, 3) for w in ("入学日期", "入学时间", "入园日期", "入园时间", "入校日期", "入校时间", "报名日期", "报名时间")),
    *((w, 2) for w in ("注册日期", "注册时间", "登记日期", "登记时间", "建档日期", "建档时间")),
    *((w, 1) for w in ("创建日期", "创建时间", "采集日期", "采集时间", "录入日期", "录入时间", "添加日期", "添加时间")),
)
#: Names that look like a collection date but say the opposite (last change, leaving).
_NEGATIVE = frozenset({"update", "updated", "modify", "modified", "last", "end", "leave", "left", "graduation",
                       "graduate", "expire", "expiry", "deleted", "delete", "birth", "birthday", "dob"})
_HOURS_OFFSET = re.compile(r"(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*[+-]\d{2})$")
_TEMPORAL = re.compile(r"date|time|timestamp|year|interval")
_TEXTUAL = re.compile(r"char|text|string|clob|^$")
_INTEGER = re.compile(r"int|number|numeric\(\d+\)|numeric$|^long")


def _name_priority(name: str) -> int:
    text = unicodedata.normalize("NFKC", name)
    for word, prio in _CJK:
        if word in text:
            return prio
    tokens = tokenize(text)
    if set(tokens) & _NEGATIVE:
        return 0
    best = max((_PINYIN.get(t, 0) for t in tokens), default=0)
    compact = re.sub(r"[^0-9a-z]", "", text.lower())
    for form, prio in _COMPACT.items():
        if prio > best and compact.endswith(form):
            best = prio
    return best


def _type_fits(type_name: str) -> bool:
    t = type_name.lower()
    if "interval" in t or "bool" in t or "json" in t or "blob" in t or "bytea" in t or "binary" in t:
        return False
    return bool(_TEMPORAL.search(t) or _TEXTUAL.search(t) or _INTEGER.search(t))


def collection_candidates(columns: Sequence[ColumnInfo]) -> list[str]:
    """Columns that may hold the record's collection date, best first (enrolment, registration, creation).

    The name decides (the comment only when the name says nothing); the type must be able to hold a date
    (a date or time type, text, or an integer of epoch seconds or ``YYYYMMDD``).
    """
    scored: list[tuple[float, int, str]] = []
    for i, col in enumerate(columns):
        prio: float = _name_priority(col.name)
        if not prio and col.comment and any(w in col.comment for w, _ in _CJK):
            prio = 0.5  # comments are hints and often wrong: they rank below any name
        if prio and _type_fits(col.type_name):
            scored.append((-prio, i, col.name))
    return [name for _, _, name in sorted(scored)]


def collection_date(value: object, naive_zone: dt.tzinfo = SHANGHAI) -> dt.date | None:
    """The collection date of one cell as a Shanghai calendar date, or None when it is no exact date.

    Aware timestamps are converted to Asia/Shanghai, naive ones are taken as local time of ``naive_zone``
    (Shanghai unless a retention policy's ``anchor_timezone`` says otherwise for its anchor column); integers
    are epoch seconds or milliseconds (Shanghai) or ``YYYYMMDD``; text is read by the birth-date parser in
    date-column mode (ISO with or without time and offset, ``2019年9月1日``, ``2019/9/1``).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        stamp = value if value.tzinfo is not None else value.replace(tzinfo=naive_zone)
        return stamp.astimezone(SHANGHAI).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float):
        if value != value or value <= 0:  # NaN, or no date
            return None
        value = int(value)
    text = value if isinstance(value, str) else str(value)
    if not text or len(text) > 40:
        return None
    if naive_zone is not SHANGHAI and len(text) > 10 and text[4:5] == "-":
        # A naive ISO timestamp in another zone: its Shanghai day may be the next or the previous one.
        try:
            naive = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            naive = None
        if naive is not None and naive.tzinfo is None:
            return naive.replace(tzinfo=naive_zone).astimezone(SHANGHAI).date()
    # PostgreSQL writes timestamptz with an hours-only offset (``2019-09-01 08:00:00+08``).
    text = _HOURS_OFFSET.sub(r"\1:00", text.strip())
    parsed = parse_birth_date(text, date_column=True)
    return None if parsed is None else parsed.exact


def parses_as_dates(values: Iterable[object], limit: int = 500) -> bool:
    """Whether most non-empty values of a sample column are exact dates (the first ``limit`` decide)."""
    seen = parsed = 0
    for v in values:
        if v is None or v == "":
            continue
        seen += 1
        parsed += collection_date(v) is not None
        if seen >= limit:
            break
    return seen > 0 and parsed >= MIN_PARSED_SHARE * seen


class CollectionTally:
    """Counts collection-time ages and age-out dates record by record (caches per date of birth).

    Args:
        as_of: Reference date.
        mode: ``legal`` or ``calendar`` child boundary.
        horizon_days: Days after ``as_of`` for which age-out dates are kept.
    """

    def __init__(self, as_of: dt.date, mode: Mode = "legal", horizon_days: int = HORIZON_DAYS) -> None:
        self.as_of = as_of
        self.mode = mode
        self.horizon_days = horizon_days
        self._until = as_of + dt.timedelta(days=horizon_days)
        self.records = 0
        self.while_child = 0
        self.not_child = 0
        self.unknown = 0
        self.conflicts = 0
        self.child_now = 0
        self.aged_out = 0
        self.age_outs: dict[dt.date, int] = {}
        self.adults: dict[dt.date, int] = {}
        self._by_dob: dict[dt.date, tuple[dt.date, bool, tuple[dt.date, int] | None]] = {}

    def _exact(self, dob: dt.date) -> tuple[dt.date, bool, tuple[dt.date, int] | None]:
        known = self._by_dob.get(dob)
        if known is None:
            last = last_child_day(dob, self.mode)
            nxt = next_age_out(dob, self.as_of, self.mode) if dob <= self.as_of else None
            known = (last, dob <= self.as_of <= last, nxt if nxt is not None and nxt[0] <= self._until else None)
            if len(self._by_dob) < 1_000_000:  # bounded memory on a column of all-different dates
                self._by_dob[dob] = known
        return known

    def add(self, span: tuple[dt.date, dt.date] | None, collected: dt.date | None, n: int = 1) -> None:
        """Count ``n`` records with this date of birth (``(earliest, latest)``) and collection date.

        A record without a date of birth says nothing about either age and is not counted.
        """
        if span is None:
            return
        lo, hi = span
        if lo > self.as_of:
            return  # not born on the reference date: not a person yet (the age counts say unknown)
        self.records += n
        if lo == hi:
            last, child_now, nxt = self._exact(lo)
            while_child = None if collected is None or collected < lo else collected <= last
            if nxt is not None:
                into = self.age_outs if nxt[1] == 14 else self.adults
                into[nxt[0]] = into.get(nxt[0], 0) + n
        else:
            now = interval_is_child(lo, hi, self.as_of, self.mode)
            child_now = now is True
            while_child = None
            if collected is not None and collected >= hi:
                at = interval_is_child(lo, hi, collected, self.mode)
                while_child = at
            elif collected is not None and collected >= lo:
                collected = None  # possibly before birth: the boundary, not a conflict
        if collected is not None and collected < lo:
            self.conflicts += n
        elif while_child is None:
            self.unknown += n
        elif while_child:
            self.while_child += n
            if not child_now:
                self.aged_out += n
        else:
            self.not_child += n
        if child_now:
            self.child_now += n

    def result(self, *, source: str = "none", column: str | None = None, exact: bool = False) -> CollectionAges:
        """The counts as a :class:`~pi_scanner.models.CollectionAges`."""
        return CollectionAges(
            source=source,
            column=column,
            exact=exact,
            records=self.records,
            collected_while_child=self.while_child,
            collected_not_child=self.not_child,
            collection_unknown=self.unknown,
            collection_conflicts=self.conflicts,
            child_now=self.child_now,
            aged_out_since_collection=self.aged_out,
            as_of=self.as_of,
            horizon_days=self.horizon_days,
            age_outs=tuple((d.isoformat(), k) for d, k in sorted(self.age_outs.items())),
            adults=tuple((d.isoformat(), k) for d, k in sorted(self.adults.items())),
        )


def sample_collection(
    columns: Sequence[ColumnInfo],
    raw_columns: Sequence[Sequence[object]],
    rows: Sequence[object],
    as_of: dt.date,
    mode: Mode = "legal",
    *,
    anchor: str | None = None,
    anchor_zone: dt.tzinfo | None = None,
    complete: bool = False,
) -> CollectionAges | None:
    """Collection-time ages of a classified sample.

    Args:
        columns: The sample's columns.
        raw_columns: Raw values per column (read in memory only).
        rows: The records' :class:`~pi_scanner.classify.age.RowVerdict` objects, in row order.
        as_of: Reference date.
        mode: ``legal`` or ``calendar``.
        anchor: The anchor column a retention policy names for this table, if any (the fallback).
        anchor_zone: The policy's ``anchor_timezone``: naive timestamps of the anchor column are read in it.
        complete: The sample holds every record (the counts are then exact, not an estimate).

    Returns:
        The counts, or None when no record has a date of birth.
    """
    spans = [_subject_span(r, as_of) for r in rows]
    if not any(s is not None for s in spans):
        return None
    names = [c.name for c in columns]
    source, column, values = "none", None, None
    for name in collection_candidates(columns):
        cand = raw_columns[names.index(name)]
        if parses_as_dates(cand):
            source, column, values = "column", name, cand
            break
    if values is None and anchor is not None and anchor in names:
        cand = raw_columns[names.index(anchor)]
        if parses_as_dates(cand):
            source, column, values = "retention_anchor", anchor, cand
    zone = anchor_zone if anchor_zone is not None and column is not None and column == anchor else SHANGHAI
    tally = CollectionTally(as_of, mode)
    days: dict[object, dt.date | None] = {}  # text cells repeat (an enrolment day per class): parse once
    for i, span in enumerate(spans):
        if span is None:
            continue
        value = values[i] if values is not None and i < len(values) else None
        if isinstance(value, str | int) and not isinstance(value, bool):
            if value not in days:
                days[value] = collection_date(value, zone)
            tally.add(span, days[value])
        else:
            tally.add(span, collection_date(value, zone))
    return tally.result(source=source, column=column, exact=complete)


def _subject_span(row: object, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    span: tuple[dt.date, dt.date] | None = getattr(row, "birth_span", None)
    if span is None:
        return None
    if getattr(row, "status", None) is ChildStatus.ADULT and span[1] <= as_of and age_years(span[1], as_of) < 18:
        return None  # a staff or guardian row of a mixed table (its role overrides): not the record's subject
    return span


def merge(parts: Sequence[CollectionAges], *, source: str, column: str | None, exact: bool) -> CollectionAges:
    """Sum the counts of several passes (the key ranges of one census) into one."""
    if not parts:
        return CollectionAges(source=source, column=column, exact=exact)
    first = parts[0]
    age_outs: dict[str, int] = {}
    adults: dict[str, int] = {}
    for p in parts:
        for d, n in p.age_outs:
            age_outs[d] = age_outs.get(d, 0) + n
        for d, n in p.adults:
            adults[d] = adults.get(d, 0) + n
    return replace(
        first,
        source=source,
        column=column,
        exact=exact,
        records=sum(p.records for p in parts),
        collected_while_child=sum(p.collected_while_child for p in parts),
        collected_not_child=sum(p.collected_not_child for p in parts),
        collection_unknown=sum(p.collection_unknown for p in parts),
        collection_conflicts=sum(p.collection_conflicts for p in parts),
        child_now=sum(p.child_now for p in parts),
        aged_out_since_collection=sum(p.aged_out_since_collection for p in parts),
        age_outs=tuple(sorted(age_outs.items())),
        adults=tuple(sorted(adults.items())),
    )
