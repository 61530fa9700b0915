"""Value objects that flow between connectors, the classifier, the catalog and reports.

Only :class:`Sample` ever carries raw values, and only inside the process: its ``rows`` are excluded
from ``repr`` and it is never persisted. Everything downstream of the classifier (findings, verdicts,
reports) carries masks and keyed hashes only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, get_args


class AssetKind(StrEnum):
    """What an asset is in its store."""

    TABLE = "table"
    OBJECT = "object"
    FILE = "file"


class ChildStatus(StrEnum):
    """Age category of a record or an asset, ordered from most to least protected in :data:`SEVERITY`."""

    CHILD = "child"
    LIKELY_CHILD = "likely_child"
    MINOR_14_17 = "minor_14_17"
    ADULT = "adult"
    NONE = "none"
    UNKNOWN = "unknown"


#: Higher means more protected; an asset takes the most severe status of its records.
SEVERITY: dict[ChildStatus, int] = {
    ChildStatus.CHILD: 5,
    ChildStatus.LIKELY_CHILD: 4,
    ChildStatus.MINOR_14_17: 3,
    ChildStatus.UNKNOWN: 2,
    ChildStatus.ADULT: 1,
    ChildStatus.NONE: 0,
}


@dataclass(frozen=True)
class AssetRef:
    """Address of one asset: a table, an object or a file.

    Attributes:
        connector: Name of the configured connector that owns the asset.
        kind: Table, object or file.
        path: Names from the store root down, e.g. ``("public", "students")`` or
            ``("bucket", "exports/2024.csv")``.
    """

    connector: str
    kind: AssetKind
    path: tuple[str, ...]

    @property
    def display(self) -> str:
        """Human readable ``connector:a/b`` form (names only, never values)."""
        return f"{self.connector}:{'/'.join(self.path)}"


@dataclass(frozen=True)
class ColumnInfo:
    """A column of a table, a header of a CSV or a key path of a JSON document.

    Attributes:
        name: Column name as the store spells it (``guardian.phone`` for nested JSON).
        type_name: The store's type name, lower case (``varchar(32)``, ``date``, ``bytea``), or ``""``.
        comment: The column comment, if the store keeps one. Comments are hints, and often wrong.
        nullable: Whether the store allows NULL.
    """

    name: str
    type_name: str = ""
    comment: str = ""
    nullable: bool = True


@dataclass(frozen=True)
class Sample:
    """Rows read from one asset, kept in memory only while it is classified.

    Attributes:
        asset: Where the rows came from.
        columns: Column metadata, in the order of each row's values.
        rows: Raw values (never logged: excluded from ``repr``).
        row_count_estimate: The store's estimate of the asset's total rows, if known.
        primary_key: Names of the primary-key columns, empty when there is none.
        table_comment: Comment on the table or object, if any.
        foreign_keys: Column name to referenced ``table.column`` (hints for person links).
        complete: True when ``rows`` holds every row of the asset (a full pass, or a small asset).
        bytes_read: Bytes read from the store for this sample, where known.
        limits: Configured limits this read hit, each with the count of what it left out
            (``{"line_length": 1, "columns": 8000}``; names in :data:`COVERAGE_LIMITS`).
        columns_total: Columns the asset has, when more than ``columns`` (some could not be read).
    """

    asset: AssetRef
    columns: Sequence[ColumnInfo]
    rows: Sequence[Sequence[Any]] = field(repr=False)
    row_count_estimate: int | None = None
    primary_key: tuple[str, ...] = ()
    table_comment: str = ""
    foreign_keys: dict[str, str] = field(default_factory=dict)
    complete: bool = False
    bytes_read: int = 0
    limits: dict[str, int] = field(default_factory=dict)
    columns_total: int | None = None


@dataclass(frozen=True)
class ColumnFinding:
    """What the classifier concluded about one column. Holds no raw value.

    Attributes:
        name: Column name.
        entity_types: Entity types found (``CN_RESIDENT_ID``, ``CN_MOBILE``, ...), most likely first.
        confidence: 0..1; share of validated values combined with name hints.
        sampled: Non-empty values examined.
        matched: Values that validated as the first entity type.
        encrypted: Values look encrypted or hashed rather than plaintext.
        suspected: Only the name (or comment) suggests PI; no value confirmed it.
        masked_examples: Masked values such as ``110105********1239`` (empty unless asked for).
        articles: Articles of the 2019 Provisions the finding touches.
        subject_role: ``subject`` (the record's own person), ``guardian`` or ``unknown``.
        category: The §A9 category (``basic_profile``, ``health``...; see ``classify/entities.py``); empty
            for findings made before categories existed (readers derive it from ``entity_types``).
        sensitive: Sensitive PI in GB/T 35273 App. B whoever it is about (a child's PI is sensitive anyway).
    """

    name: str
    entity_types: tuple[str, ...]
    confidence: float
    sampled: int
    matched: int
    encrypted: bool = False
    suspected: bool = False
    masked_examples: tuple[str, ...] = ()
    articles: tuple[int, ...] = ()
    subject_role: str = "unknown"
    category: str = ""
    sensitive: bool = False


@dataclass(frozen=True)
class AgeCounts:
    """How many records of an asset fell in each age category."""

    child: int = 0
    likely_child: int = 0
    minor_14_17: int = 0
    adult: int = 0
    unknown: int = 0
    conflicts: int = 0

    @property
    def total(self) -> int:
        """All records counted."""
        return self.child + self.likely_child + self.minor_14_17 + self.adult + self.unknown


@dataclass(frozen=True)
class CollectionAges:
    """Collection-time age of an asset's records (spec §B4 step 4, §B5). Counts and dates only.

    A record whose subject was under 14 when it was collected is children's PI even after the subject
    aged out; ``age_outs`` are the days on which records leave the children's tier (from then on the
    minor's own consent applies, PIPL art. 31), ``adults`` the days they turn 18.

    Attributes:
        source: Where the collection date came from: ``column`` (a created/enrolment date column),
            ``retention_anchor`` (the anchor a retention policy names) or ``none`` (unknown).
        column: The column read for it, or None.
        exact: True when every record was counted (a census or a complete sample); False for a sample
            (the counts are an estimate of the asset's).
        records: Records with a date of birth (exact or partial) that were counted.
        collected_while_child: Records whose subject was under 14 on the collection date.
        collected_not_child: Records whose subject was 14 or older on the collection date.
        collection_unknown: Records with a date of birth but no usable collection date (none, unparseable
            or, for a partial date of birth, at the boundary).
        collection_conflicts: Records "collected" before the subject was born (one of the dates is wrong).
        child_now: Records whose subject is under 14 on the reference date.
        aged_out_since_collection: Collected while a child, 14 or older on the reference date.
        as_of: The reference date the dates below count from.
        horizon_days: How many days after ``as_of`` ``age_outs`` and ``adults`` cover.
        age_outs: ``(ISO date, records)``: the first day records are no longer children's, in
            ``(as_of, as_of + horizon_days]``, ascending.
        adults: ``(ISO date, records)``: the day minors' records become adults' (the 18th birthday), same window.
    """

    source: str = "none"
    column: str | None = None
    exact: bool = False
    records: int = 0
    collected_while_child: int = 0
    collected_not_child: int = 0
    collection_unknown: int = 0
    collection_conflicts: int = 0
    child_now: int = 0
    aged_out_since_collection: int = 0
    as_of: dt.date | None = None
    horizon_days: int = 0
    age_outs: tuple[tuple[str, int], ...] = ()
    adults: tuple[tuple[str, int], ...] = ()

    @property
    def next_age_out(self) -> str | None:
        """The earliest day (ISO) in the horizon on which a record leaves the children's tier, or None."""
        return self.age_outs[0][0] if self.age_outs else None

    def age_outs_within(self, days: int, start: dt.date | None = None) -> int:
        """Records leaving the children's tier in ``(start, start + days]`` (``start`` default ``as_of``)."""
        return _within(self.age_outs, start or self.as_of, days)

    def covers(self, days: int, start: dt.date | None = None) -> bool:
        """Whether ``(start, start + days]`` lies inside the window the dates were kept for."""
        begin = start or self.as_of
        if self.as_of is None or begin is None:
            return False
        return begin >= self.as_of and begin + dt.timedelta(days=days) <= self.as_of + dt.timedelta(
            days=self.horizon_days
        )

    def adults_within(self, days: int, start: dt.date | None = None) -> int:
        """Records turning 18 in ``(start, start + days]`` (``start`` default ``as_of``)."""
        return _within(self.adults, start or self.as_of, days)


def _within(dates: tuple[tuple[str, int], ...], start: dt.date | None, days: int) -> int:
    if start is None:
        return 0
    lo, hi = start.isoformat(), (start + dt.timedelta(days=days)).isoformat()
    return sum(n for d, n in dates if lo < d <= hi)


#: Limits a read can hit, by report name. Those in :data:`LIMITS_HIDING_COLUMNS` can hide whole columns
#: (or the part of a value where PI sits), so an asset that hit one is never reported ``none``.
#: ``damaged``: a compressed stream or archive entry cut short or corrupt (the rest was never read);
#: ``unreadable_objects``: members of an S3 key-pattern group that failed (deleted, denied) while others
#: were read; ``sheets``: workbook sheets besides the one read.
COVERAGE_LIMITS = ("line_length", "columns", "cell_size", "object_size", "decompression_ratio", "nesting",
                   "damaged", "unreadable_objects", "sheets")
LIMITS_HIDING_COLUMNS = frozenset({"line_length", "columns", "cell_size", "decompression_ratio", "nesting",
                                   "damaged", "unreadable_objects", "sheets"})
#: Why an asset was not read at all, by report name.
SKIP_REASONS = ("special_file", "symlink", "symlink_loop", "permission", "format", "foreign_table",
                "view_excluded", "archived")


#: Where a scan records an error (:attr:`AssetError.stage`; the report schema and the metrics' ``stage``
#: label list the same values):
#:
#: * ``connect``: the connector could not be built (unknown type, missing driver, bad URL);
#: * ``discover``: listing the store's assets failed (unreachable, denied);
#: * ``map``: the data map of a store could not be built or has a problem;
#: * ``sample``: reading or classifying one asset's sample failed;
#: * ``census``: the full pass over one asset (or one key range of it) failed, or the connector cannot
#:   stream one.
ErrorStage = Literal["connect", "discover", "map", "sample", "census"]
ERROR_STAGES: tuple[ErrorStage, ...] = get_args(ErrorStage)


@dataclass(frozen=True)
class Coverage:
    """What a scan read of one asset and what it did not (counts and reasons only, never values).

    Attributes:
        rows_read: Records read.
        rows_total: Records the asset holds, when the store says (an estimate for tables).
        bytes_read: Bytes read from the store.
        bytes_total: Bytes the asset holds, when known (files, objects).
        columns_read: Columns read.
        columns_total: Columns the asset has, when known.
        cells_read: Cells examined (rows times columns read).
        cells_partly_read: Cells longer than the cap, read in windows.
        limits: ``(limit, count left out)`` pairs for every limit hit (see :data:`COVERAGE_LIMITS`).
        not_read: Why the asset was not read at all (see :data:`SKIP_REASONS`), or ``""``.
        detail: A value-free sentence for ``not_read``.
    """

    rows_read: int = 0
    rows_total: int | None = None
    bytes_read: int = 0
    bytes_total: int | None = None
    columns_read: int = 0
    columns_total: int | None = None
    cells_read: int = 0
    cells_partly_read: int = 0
    limits: tuple[tuple[str, int], ...] = ()
    not_read: str = ""
    detail: str = ""

    @property
    def may_hide_pi(self) -> bool:
        """True when a limit that can hide a column or a value's middle was hit."""
        return any(name in LIMITS_HIDING_COLUMNS for name, _ in self.limits)


@dataclass(frozen=True)
class TableLink:
    """A reference from columns of one table to the key of another, declared or inferred (the data map).

    Attributes:
        connector: Connector that owns both tables.
        from_path: ``(schema, table)`` of the referencing table.
        from_columns: Its referencing columns (several for a declared composite key).
        to_path: ``(schema, table)`` of the referenced table.
        to_columns: The referenced key columns, in the same order.
        confidence: 0..1; 1.0 for a declared foreign key.
        declared: True when the database declares the foreign key.
        accepted: Confidence at or above the acting threshold: propagation, subject requests and
            retention follow it.
        evidence: Machine-readable reasons (``name:key``, ``contained:0.98``, ``type_mismatch``,
            ``case_drift``, ``self_reference``, ``unverified``); never values.
    """

    connector: str
    from_path: tuple[str, ...]
    from_columns: tuple[str, ...]
    to_path: tuple[str, ...]
    to_columns: tuple[str, ...]
    confidence: float
    declared: bool
    accepted: bool
    evidence: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``attendance.student_id -> students.id`` (names only)."""
        src = ",".join(self.from_columns)
        dst = ",".join(self.to_columns)
        return f"{self.from_path[-1]}.{src} -> {self.to_path[-1]}.{dst}"


@dataclass(frozen=True)
class LinkedVia:
    """How a table came to hold children's records through links.

    Attributes:
        path: The links from this table to a children's table, nearest first
            (``["attendance.student_id -> students.id"]``).
        confidence: The product of the links' confidences.
    """

    path: tuple[str, ...]
    confidence: float


@dataclass(frozen=True)
class AssetResult:
    """The classifier's verdict on one asset.

    Attributes:
        asset: The asset.
        columns: One finding per column that holds or suggests PI.
        child_status: Category of the asset (the most severe of its records, or child-purposed).
        rows_scanned: Records examined.
        ages: Per-category record counts.
        notes: Short machine-readable remarks (``dob_conflict``, ``child_purposed``); never values.
        linked_via: The links through which the table holds children's records, or None.
        coverage: What was read and what was not (None for verdicts loaded from an older catalog).
        collection: Collection-time ages of the records with a date of birth (None when none has one).
    """

    asset: AssetRef
    columns: tuple[ColumnFinding, ...]
    child_status: ChildStatus
    rows_scanned: int
    ages: AgeCounts
    notes: tuple[str, ...] = ()
    linked_via: LinkedVia | None = None
    coverage: Coverage | None = None
    collection: CollectionAges | None = None


@dataclass(frozen=True)
class AssetError:
    """A failure confined to one asset; the scan goes on.

    Attributes:
        asset: The asset, or None for a connector-wide failure.
        stage: Where it happened, one of :data:`ERROR_STAGES`.
        error_type: Exception class name.
        message: A one-line message with no raw values.
    """

    asset: AssetRef | None
    stage: ErrorStage
    error_type: str
    message: str


@dataclass
class ScanRun:
    """One execution of a scan, as recorded in the catalog and the report."""

    run_id: str
    as_of: dt.date
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    results: list[AssetResult] = field(default_factory=list)
    errors: list[AssetError] = field(default_factory=list)
    connectors: list[str] = field(default_factory=list)
    links: list[TableLink] = field(default_factory=list)
