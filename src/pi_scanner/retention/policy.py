"""Retention policies: which records, how old, and what happens to them when they expire.

A policy is validated from one entry of the configuration's ``retention:`` list (unknown keys are
errors). Durations accept ``Nh``, ``Nd``, ``Nw``, ``Ny`` and ISO-8601 forms (``P1Y``, ``P6M``,
``P30D``, ``P1Y2M3DT4H``); zero and negative durations are rejected. Expiry arithmetic follows the
Civil Code rule used for ages: a month or year step that lands on a missing day takes the month's end.

Example::

    retention:
      - name: inactive-students
        selector: {connector: school_db, tables: ["main.students"]}
        anchor: last_active_at
        max_age: 365d
        scope: child_records
        action: delete
        legal_holds:
          - keys: [[42]]
            reason: "disciplinary appeal pending"
            basis: "PIPL 47(2)"
"""

from __future__ import annotations

import calendar
import datetime as dt
import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pi_scanner.errors import ConfigError

_SHORT = re.compile(r"^\s*(-?\d+)\s*([hdwy])\s*$", re.IGNORECASE)
_ISO = re.compile(
    r"^(-)?P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)

#: Anchor name meaning "the object's LastModified time" for object stores.
LAST_MODIFIED = "LastModified"


@dataclass(frozen=True)
class Duration:
    """A calendar-aware duration: whole years and months, then days and seconds.

    Attributes:
        years: Calendar years.
        months: Calendar months.
        days: Days (weeks are folded in as 7 days).
        seconds: Seconds (hours, minutes).
        text: The duration as written in the configuration.
    """

    years: int = 0
    months: int = 0
    days: int = 0
    seconds: int = 0
    text: str = ""

    def subtract_from(self, instant: dt.datetime) -> dt.datetime:
        """``instant`` minus this duration (months/years first, clamped to the month's end)."""
        total_months = instant.year * 12 + (instant.month - 1) - (self.years * 12 + self.months)
        year, month = divmod(total_months, 12)
        month += 1
        day = min(instant.day, calendar.monthrange(year, month)[1])
        shifted = instant.replace(year=year, month=month, day=day)
        return shifted - dt.timedelta(days=self.days, seconds=self.seconds)

    def approx_seconds(self) -> float:
        """Length in seconds with 365.2425-day years and 30.436875-day months (for ordering only)."""
        return (
            self.years * 365.2425 * 86400 + self.months * 30.436875 * 86400 + self.days * 86400 + self.seconds
        )

    def __str__(self) -> str:
        return self.text


def parse_duration(text: str) -> Duration:
    """Parse ``365d``, ``12h``, ``2w``, ``2y``, ``P1Y``, ``P6M``, ``P30D`` or ``PT12H``.

    Raises:
        ValueError: Unparseable, zero or negative.
    """
    raw = str(text).strip()
    short = _SHORT.match(raw)
    if short:
        n, unit = int(short.group(1)), short.group(2).lower()
        if n <= 0:
            raise ValueError(f"duration {raw!r} must be positive")
        if unit == "h":
            return Duration(seconds=n * 3600, text=raw)
        if unit == "d":
            return Duration(days=n, text=raw)
        if unit == "w":
            return Duration(days=7 * n, text=raw)
        return Duration(years=n, text=raw)
    iso = _ISO.match(raw.upper())
    if iso:
        if iso.group(1):
            raise ValueError(f"duration {raw!r} must be positive")
        y, mo, w, d, h, mi, s = (int(g) if g else 0 for g in iso.groups()[1:])
        dur = Duration(years=y, months=mo, days=d + 7 * w, seconds=h * 3600 + mi * 60 + s, text=raw)
        if dur.approx_seconds() <= 0:
            raise ValueError(f"duration {raw!r} must be positive")
        return dur
    if raw.startswith("-"):
        raise ValueError(f"duration {raw!r} must be positive")
    raise ValueError(f"cannot parse duration {raw!r}: use Nh, Nd, Nw, Ny or ISO-8601 such as P1Y, P6M, P30D")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selector(_Strict):
    """Which assets a policy covers.

    Attributes:
        connector: Connector name glob (default every connector).
        tables: Globs over ``schema.table`` (SQL connectors).
        buckets: Bucket globs (object stores; default every bucket when ``prefixes`` is set).
        prefixes: Key globs within the buckets (``exports/*``).
        children_pi: Cover every asset the latest scan classified as holding children's PI.
        entities: With ``children_pi``: only assets with a finding of one of these entity types.
    """

    connector: str = "*"
    tables: list[str] = Field(default_factory=list)
    buckets: list[str] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=list)
    children_pi: bool = False
    entities: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _something_selected(self) -> Selector:
        if not (self.tables or self.prefixes or self.buckets or self.children_pi):
            raise ValueError("a selector needs tables, buckets/prefixes or children_pi: true")
        if self.entities and not self.children_pi:
            raise ValueError("entities filters only apply with children_pi: true")
        return self

    def matches_table(self, connector: str, schema: str, table: str) -> bool:
        """Whether ``schema.table`` of ``connector`` is selected by name (not by ``children_pi``)."""
        if not fnmatch.fnmatchcase(connector, self.connector):
            return False
        name = f"{schema}.{table}"
        return any(fnmatch.fnmatchcase(name, g) or fnmatch.fnmatchcase(table, g) for g in self.tables)

    def matches_object(self, connector: str, bucket: str, key: str) -> bool:
        """Whether ``key`` in ``bucket`` of ``connector`` is selected by name."""
        if not fnmatch.fnmatchcase(connector, self.connector):
            return False
        if not (self.buckets or self.prefixes):
            return False
        if self.buckets and not any(fnmatch.fnmatchcase(bucket, b) for b in self.buckets):
            return False
        return not self.prefixes or any(
            key.startswith(p) if not any(ch in p for ch in "*?[") else fnmatch.fnmatchcase(key, p)
            for p in self.prefixes
        )


class AnonymizeOperator(_Strict):
    """How one column is anonymised.

    Attributes:
        operator: ``null`` (set NULL), ``replace`` (a fixed value), ``mask`` (keep the ends, mask the
            middle) or ``hash`` (keyed HMAC-SHA256, hex).
        value: The replacement for ``replace``.
        masking_char: The character masking uses.
        keep_start: Characters kept at the start by ``mask``.
        keep_end: Characters kept at the end by ``mask``.
    """

    operator: Literal["null", "replace", "mask", "hash"]
    value: str | None = None
    masking_char: str = Field("*", min_length=1, max_length=1)
    keep_start: int = Field(0, ge=0)
    keep_end: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _replace_needs_value(self) -> AnonymizeOperator:
        if self.operator == "replace" and self.value is None:
            raise ValueError("operator replace needs a value")
        return self


class LegalHold(_Strict):
    """Records that must be kept although they expired (another law mandates their retention).

    Attributes:
        tables: ``schema.table`` globs held whole.
        keys: Primary keys held (each a list of the key's column values, or a scalar for one column).
        prefixes: Object key prefixes held.
        subjects: Keyed hashes (see :func:`pi_scanner.keys.keyed_hash`) of subject identifiers held.
        subject_column: The column whose normalised value is hashed and compared with ``subjects``.
        reason: Why the records are held.
        basis: The legal basis (``CSL 21``, ``E-Commerce Law 31``).
    """

    tables: list[str] = Field(default_factory=list)
    keys: list[Any] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)
    subject_column: str | None = None
    reason: str = Field(min_length=1)
    basis: str = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> LegalHold:
        if not (self.tables or self.keys or self.prefixes or self.subjects):
            raise ValueError("a legal hold needs tables, keys, prefixes or subjects")
        if self.subjects and not self.subject_column:
            raise ValueError("a legal hold on subjects needs subject_column")
        return self

    def key_set(self) -> set[tuple[Any, ...]]:
        """Held primary keys as tuples."""
        return {tuple(k) if isinstance(k, list | tuple) else (k,) for k in self.keys}


class RetentionPolicy(_Strict):
    """One retention rule.

    Attributes:
        name: Unique name (appears in plans, reports and the ledger).
        selector: Which assets it covers.
        anchor: The timestamp column expiry counts from, or ``LastModified`` for objects.
        max_age: How long records are kept after the anchor.
        scope: ``child_records`` (only rows whose verdict is child/likely_child) or ``all_records``.
        action: ``delete``, ``anonymize`` or ``delete_all_versions`` (versioned buckets).
        anonymize: Column to operator, for ``action: anonymize``.
        legal_holds: Records kept despite expiry.
        basis: Legal basis recorded in the ledger for this policy's actions.
        batch_size: Records per batch (one transaction per batch).
        rate_limit: Batches per second at most (None: unthrottled).
        max_deletes_per_run: Safety cap: a plan item that would exceed it stops the run.
        require_scan_within: Refuse to plan when the latest scan in the catalog is older.
        enforce: False (default) keeps the policy report-only: ``apply`` skips it.
        allow_cascade: Delete rows of tables whose declared foreign keys reference deleted rows, in the same
            transaction (otherwise refuse); also the default of ``cascade`` (``declared``).
        cascade: Through which links of the data map rows linked to the planned rows are planned and
            deleted first: ``none`` (listed with their counts; a root they point at is refused),
            ``declared`` (declared foreign keys) or ``inferred`` (also inferred links the scan accepted,
            and ``accept_links``). Default ``declared`` with ``allow_cascade``, else ``none``.
        accept_links: Labels of links below the confidence threshold accepted by hand
            (``"grades.student_id -> students.id"``).
        allow_no_primary_key: Allow tables without a primary key (keyed by ctid/rowid).
        allow_pi_primary_key: Allow a primary key that is itself PI (the plan stores keyed hashes).
        anchor_timezone: Time zone of naive anchor timestamps.
    """

    name: str = Field(min_length=1, max_length=128)
    selector: Selector
    anchor: str = Field(min_length=1)
    max_age: Duration
    scope: Literal["child_records", "all_records"] = "all_records"
    action: Literal["delete", "anonymize", "delete_all_versions"] = "delete"
    anonymize: dict[str, AnonymizeOperator] = Field(default_factory=dict)
    legal_holds: list[LegalHold] = Field(default_factory=list)
    basis: str = "P 12; PIPL 19, 47"
    batch_size: int = Field(1000, ge=1, le=100_000)
    rate_limit: float | None = Field(None, gt=0)
    max_deletes_per_run: int = Field(10_000, ge=0)
    require_scan_within: Duration | None = None
    enforce: bool = False
    allow_cascade: bool = False
    cascade: Literal["none", "declared", "inferred"] | None = None
    accept_links: list[str] = Field(default_factory=list)
    allow_no_primary_key: bool = False
    allow_pi_primary_key: bool = False
    anchor_timezone: str = "Asia/Shanghai"

    @field_validator("max_age", "require_scan_within", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if value is None or isinstance(value, Duration):
            return value
        return parse_duration(str(value))

    @field_validator("anchor_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RetentionPolicy:
        if self.action == "anonymize" and not self.anonymize:
            raise ValueError("action anonymize needs an anonymize mapping of column -> operator")
        if self.action != "anonymize" and self.anonymize:
            raise ValueError("anonymize operators are only used with action: anonymize")
        is_objects = bool(self.selector.prefixes or self.selector.buckets)
        if self.anchor == LAST_MODIFIED and self.selector.tables:
            raise ValueError("anchor LastModified applies to objects, not tables")
        if is_objects and not self.selector.tables and self.anchor != LAST_MODIFIED:
            raise ValueError("objects are anchored on LastModified")
        if self.action == "delete_all_versions" and not is_objects:
            raise ValueError("delete_all_versions applies to buckets")
        if is_objects and self.scope == "child_records":
            raise ValueError("objects cannot be selected per record: use scope all_records for buckets")
        if is_objects and (self.cascade is not None or self.accept_links):
            raise ValueError("cascade and accept_links follow links between tables, not objects")
        return self

    def cascade_mode(self) -> str:
        """The effective ``cascade``: as set, else ``declared`` with ``allow_cascade``, else ``none``."""
        return self.cascade or ("declared" if self.allow_cascade else "none")

    def follows_links(self) -> bool:
        """Whether planning walks the data map from the rows acted on (``child_records``, or ``cascade`` set)."""
        return self.scope == "child_records" or self.cascade is not None

    def tz(self) -> ZoneInfo:
        """The zone of naive anchor values."""
        return ZoneInfo(self.anchor_timezone)


def reference_instant(as_of: dt.date) -> dt.datetime:
    """The instant expiry is measured from: the start of ``as_of`` in Asia/Shanghai, in UTC."""
    return dt.datetime.combine(as_of, dt.time(), tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(dt.UTC)


def cutoff_for(policy: RetentionPolicy, as_of: dt.date) -> dt.datetime:
    """The UTC instant before which a record anchored there is over-retained."""
    return policy.max_age.subtract_from(reference_instant(as_of).astimezone(policy.tz())).astimezone(dt.UTC)


def parse_policies(raw: list[Any] | None) -> list[RetentionPolicy]:
    """Validate the configuration's ``retention:`` list.

    Raises:
        ConfigError: With ``retention[i].field`` paths for every error, or on duplicate names.
    """
    policies: list[RetentionPolicy] = []
    problems: list[str] = []
    for i, entry in enumerate(raw or []):
        if isinstance(entry, RetentionPolicy):
            policies.append(entry)
            continue
        try:
            policies.append(RetentionPolicy.model_validate(entry))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                where = f"retention[{i}]" + (f".{loc}" if loc else "")
                msg = str(err["msg"]).removeprefix("Value error, ")
                problems.append(f"  at {where}: {msg}")
    seen: set[str] = set()
    for p in policies:
        if p.name in seen:
            problems.append(f"  duplicate retention policy name {p.name!r}")
        seen.add(p.name)
    if problems:
        raise ConfigError("invalid retention policies\n" + "\n".join(problems))
    return policies


def holds_covering(
    policies: Iterable[RetentionPolicy], connector: str, schema: str, table: str
) -> list[LegalHold]:
    """Legal holds of every policy whose connector glob covers ``schema.table``.

    A policy selecting tables by name contributes for the tables it names; a ``children_pi`` policy for
    every table of its connectors. A hold binds whatever the policy's own ``enforce`` says.
    """
    holds: list[LegalHold] = []
    for policy in policies:
        sel = policy.selector
        if fnmatch.fnmatchcase(connector, sel.connector) and (
            sel.children_pi or sel.matches_table(connector, schema, table)
        ):
            holds.extend(policy.legal_holds)
    return holds


def whole_table_hold(holds: Iterable[LegalHold], schema: str, table: str) -> LegalHold | None:
    """The first of ``holds`` whose ``tables`` globs hold ``schema.table`` whole, or None."""
    name = f"{schema}.{table}"
    return next((h for h in holds if any(fnmatch.fnmatchcase(name, g) for g in h.tables)), None)
