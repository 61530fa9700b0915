"""Per-record age verdicts (spec section B): which rows are children's, likely children's, minors'.

Signals come from the row's accepted detections. Tier A (an exact date of birth of the record's own
subject: resident ID, residence permit, PR card, student number, birth-date field) decides alone. Other
signals (stated age, grade, birth certificate, child-account flags, guardian fields) are age intervals
with weights, intersected and combined by noisy-OR.

An identifier in a *guardian* column (``jhr_sfzh``, ``parent_mobile``) is the guardian's: a parent's
adult ID neither makes the row adult nor a child. It only says that the record has a guardian.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pi_scanner.classify.column import ColumnVerdict
from pi_scanner.classify.dates import Mode, age_years, interval_is_child, is_child
from pi_scanner.classify.entities import IDENTIFYING
from pi_scanner.classify.fast import normalize_cell
from pi_scanner.classify.recognizers.base import Detection, Facts
from pi_scanner.models import AgeCounts, ChildStatus

#: Entities whose birth date comes from an identity document (preferred over a DOB field on conflict).
ID_ENTITIES = frozenset({"CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT", "CN_PR_CARD", "CN_STUDENT_NUMBER"})
#: Weight of "the record carries guardian fields" (tier C).
GUARDIAN_WEIGHT = 0.6
#: Noisy-OR thresholds.
CHILD_P = 0.8
LIKELY_P = 0.5
#: Ages (in completed years) that count as a child for interval signals.
CHILD_MAX_AGE = 13


@dataclass(frozen=True)
class RowVerdict:
    """The age verdict of one record.

    Attributes:
        status: The category.
        conflict: Two exact dates of birth of the subject disagreed (ID against DOB field).
        birth_date: The subject's exact date of birth, when known (kept in memory only).
        probability: The noisy-OR child probability for non-exact verdicts (1.0/0.0 for exact ones).
        birth_span: First and last possible date of birth when a partial date decided (kept in memory
            only); for an exact date both are ``birth_date``.
    """

    status: ChildStatus
    conflict: bool = False
    birth_date: dt.date | None = None
    probability: float = 0.0
    birth_span: tuple[dt.date, dt.date] | None = None


_TRUE = frozenset({"1", "true", "t", "y", "yes", "是", "开", "开启", "on", "minor", "child", "kid", "儿童", "未成年"})
_RANGE = re.compile(r"(\d{1,2})\s*(?:-|~|–|至|到)\s*(\d{1,2})")
_UNDER = re.compile(r"(?:under|<|lt|未满|小于|u)\s*(\d{1,2})|(\d{1,2})\s*(?:岁以下|以下|-)$", re.IGNORECASE)


def minor_flag_facts(value: object) -> Facts | None:
    """Age evidence from a child-account or minor-mode flag value (``1``, ``true``, ``是``, ``8-12``).

    A bare "minor" flag means under 18 (an interval crossing 14); an age bracket that ends below 14
    means a child (tier B).
    """
    text = normalize_cell(value, 200).strip().lower()
    if not text:
        return None
    if m := _RANGE.search(text):
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo <= hi < 100:
            return Facts(age_interval=(lo, max(lo, hi - 1) if hi > lo else hi), tier="B", weight=0.9)
    if m := _UNDER.search(text):
        top = int(m.group(1) or m.group(2))
        if 0 < top <= 18:
            return Facts(age_interval=(0, top - 1), tier="B", weight=0.9)
    if text in _TRUE:
        return Facts(age_interval=(0, 17), tier="B", weight=0.9)
    return None


def _exact_status(dob: dt.date, as_of: dt.date, mode: Mode) -> ChildStatus:
    if is_child(dob, as_of, mode):
        return ChildStatus.CHILD
    return ChildStatus.MINOR_14_17 if age_years(dob, as_of) < 18 else ChildStatus.ADULT


def _interval_status(earliest: dt.date, latest: dt.date, as_of: dt.date, mode: Mode) -> ChildStatus:
    verdict = interval_is_child(earliest, latest, as_of, mode)
    if verdict is True:
        return ChildStatus.CHILD
    if verdict is None:
        return ChildStatus.LIKELY_CHILD  # the boundary: review, not enforcement
    return ChildStatus.MINOR_14_17 if age_years(latest, as_of) < 18 else ChildStatus.ADULT


def row_verdict(
    evidence: Sequence[tuple[Detection, str]],
    as_of: dt.date,
    mode: Mode = "legal",
    extra: Sequence[Facts] = (),
) -> RowVerdict:
    """Combine one record's signals into a verdict.

    Args:
        evidence: ``(detection, role)`` pairs from the record's columns; role is ``subject``,
            ``guardian`` or ``unknown`` (the column's role).
        as_of: Reference date.
        mode: ``legal`` or ``calendar`` child boundary.
        extra: Further age facts about the subject (minor flags).

    Returns:
        The record's verdict.
    """
    id_dates: list[dt.date] = []
    field_dates: list[dt.date] = []
    partial: list[tuple[dt.date, dt.date]] = []
    signals: list[Facts] = list(extra)
    has_guardian = False
    identifying = False
    linked = False
    for det, role in evidence:
        if role == "guardian":
            # A guardian's phone identifies the child's household as much as the child's own would.
            linked = linked or det.entity in IDENTIFYING
            has_guardian = True
            continue
        if det.entity in IDENTIFYING:
            identifying = True
        if det.entity == "GUARDIAN_RELATION":
            has_guardian = True
            continue
        f = det.facts
        if f.birth_date is not None and f.tier == "A":
            (id_dates if det.entity in ID_ENTITIES else field_dates).append(f.birth_date)
        elif f.birth_interval is not None:
            partial.append(f.birth_interval)
        elif f.age_interval is not None or f.child_signal:
            signals.append(f)

    exact = id_dates or field_dates
    if exact:
        dob = exact[0]
        conflict = bool(id_dates and field_dates and field_dates[0] != id_dates[0])
        if len(set(id_dates)) > 1:
            conflict = True
        status = _exact_status(dob, as_of, mode)
        return RowVerdict(status, conflict, dob, 1.0 if status is ChildStatus.CHILD else 0.0, (dob, dob))
    if partial:
        lo = max(p[0] for p in partial)
        hi = min(p[1] for p in partial)
        if lo <= hi:
            return RowVerdict(_interval_status(lo, hi, as_of, mode), birth_span=(lo, hi))

    return _combine(signals, has_guardian, identifying, linked)


def _combine(signals: Sequence[Facts], has_guardian: bool, identifying: bool, linked: bool) -> RowVerdict:
    intervals = [f.age_interval for f in signals if f.age_interval is not None]
    lo = max((i[0] for i in intervals), default=0)
    hi = min((i[1] for i in intervals), default=120)
    consistent = lo <= hi
    weights: list[float] = []
    for f in signals:
        w = f.weight or (0.9 if f.tier == "B" else 0.6 if f.tier == "C" else 0.3)
        if f.tier == "D":
            continue  # weak priors never decide, and never add up to a decision on their own
        if f.child_signal:
            weights.append(w)
            continue
        if f.age_interval is None:
            continue
        a, b = f.age_interval
        if consistent:
            a, b = max(a, lo), min(b, hi)
        if b <= CHILD_MAX_AGE:
            weights.append(w)
        elif a <= CHILD_MAX_AGE:
            # Only part of the interval is under 14 (初一 11-14, a bare "minor" flag): weigh that part.
            weights.append(w * (CHILD_MAX_AGE + 1 - a) / (b - a + 1))
    if has_guardian and (weights or identifying):
        weights.append(GUARDIAN_WEIGHT)
    p = 1.0
    for w in weights:
        p *= 1.0 - w
    p = 1.0 - p
    if not (identifying or linked):
        # Age text, a grade or a school with nothing that identifies anyone (a class list, a product
        # description) is not personal information, whatever age it speaks of.
        return RowVerdict(ChildStatus.NONE, probability=p)
    if p >= CHILD_P:
        return RowVerdict(ChildStatus.CHILD, probability=p)
    if p >= LIKELY_P:
        return RowVerdict(ChildStatus.LIKELY_CHILD, probability=p)
    if intervals and consistent and lo >= 14:
        return RowVerdict(ChildStatus.MINOR_14_17 if lo < 18 else ChildStatus.ADULT, probability=p)
    if identifying or weights or has_guardian:
        return RowVerdict(ChildStatus.UNKNOWN, probability=p)
    return RowVerdict(ChildStatus.NONE, probability=p)


def age_verdicts(
    columns: Sequence[ColumnVerdict],
    raw_columns: Sequence[Sequence[object]],
    n_rows: int,
    as_of: dt.date,
    mode: Mode = "legal",
) -> tuple[list[RowVerdict], AgeCounts]:
    """Verdicts for every record of a sample, and the per-category counts.

    Args:
        columns: Column verdicts, in column order.
        raw_columns: Raw values per column (used for minor-flag columns only).
        n_rows: Number of records.
        as_of: Reference date.
        mode: ``legal`` or ``calendar``.

    Returns:
        Per-row verdicts and :class:`AgeCounts` (rows with no PI are counted as ``unknown``).
    """
    # A guardian role named by the column (``jhr_sfzh``) always marks someone else's data, even when
    # no subject column is filled in; a table *about* guardians gives its columns no guardian role.
    flags = [i for i, c in enumerate(columns) if c.minor_flag]
    verdicts: list[RowVerdict] = []
    for r in range(n_rows):
        evidence: list[tuple[Detection, str]] = []
        for c in columns:
            evidence.extend((d, c.role) for d in c.cells[r])
        extra = [f for i in flags if (f := minor_flag_facts(raw_columns[i][r])) is not None]
        verdicts.append(row_verdict(evidence, as_of, mode, extra))
    return verdicts, count_ages(verdicts)


def count_ages(verdicts: Sequence[RowVerdict]) -> AgeCounts:
    """Per-category counts of row verdicts (rows with no PI are counted as ``unknown``)."""
    counts = {s: 0 for s in ChildStatus}
    conflicts = 0
    for v in verdicts:
        counts[v.status] += 1
        conflicts += v.conflict
    return AgeCounts(
        child=counts[ChildStatus.CHILD],
        likely_child=counts[ChildStatus.LIKELY_CHILD],
        minor_14_17=counts[ChildStatus.MINOR_14_17],
        adult=counts[ChildStatus.ADULT],
        unknown=counts[ChildStatus.UNKNOWN] + counts[ChildStatus.NONE],
        conflicts=conflicts,
    )
