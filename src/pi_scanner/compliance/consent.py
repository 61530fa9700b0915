"""Art. 9, 10, 14: does every child's record have valid guardian consent?

The child table is read (bounded by ``sample_rows``) and classified record by record with the same
recognizers and age rules as a scan, so "a child's record" means exactly what it means in the scan
report. Each child's record is joined, in memory, on ``subject_ref`` to its newest consent row (newest
``granted_at``). Outcomes per child, first match wins:

``no_consent``           no consent row at all;
``withdrawn_with_data``  the newest consent was withdrawn, yet the record is still here (Art. 20: delete);
``invalid_status``       the newest consent is in a state that is not "in force";
``consent_by_minor``     the consenter is the child/a minor (role) or was under 18 when consenting;
``outdated_policy``      consent predates the current policy version (Art. 10: re-consent);
``valid``                otherwise.

Only counts and keyed HMACs of the subject keys (for retention and subject deletion) leave this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from pi_scanner.classify.age import age_verdicts
from pi_scanner.classify.column import analyse_column
from pi_scanner.classify.column_names import name_hints
from pi_scanner.classify.fast import FastEngine
from pi_scanner.classify.recognizers import default_recognizers
from pi_scanner.compliance.config import ConsentSource
from pi_scanner.compliance.evidence import FAIL, PASS, CheckResult
from pi_scanner.config import ClassifierConfig
from pi_scanner.connectors.sql import reflect_table
from pi_scanner.errors import ConfigError
from pi_scanner.keys import subject_hash
from pi_scanner.models import ChildStatus, ColumnInfo

ARTICLES = (9, 10, 14)
OUTCOMES = ("valid", "no_consent", "withdrawn_with_data", "invalid_status", "consent_by_minor", "outdated_policy")
_CHILDREN = frozenset({ChildStatus.CHILD, ChildStatus.LIKELY_CHILD})

#: Classifies the rows of a table: (columns, rows, table name, as_of) -> one status per row.
RowClassifier = Callable[[Sequence[ColumnInfo], Sequence[Sequence[Any]], str, dt.date], list[ChildStatus]]


def subject_hmac(key: bytes, value: object) -> str:
    """Keyed hash of a subject key (its text form), the same as the subject index's."""
    return subject_hash(key, str(value).strip())


def classify_rows(
    columns: Sequence[ColumnInfo],
    rows: Sequence[Sequence[Any]],
    table: str,
    as_of: dt.date,
    config: ClassifierConfig | None = None,
) -> list[ChildStatus]:
    """Age status of every record, with the scan's recognizers, column rules and age rules."""
    cfg = config or ClassifierConfig()
    engine = FastEngine(default_recognizers(as_of), cfg.max_cell_chars)
    raw = [[r[i] for r in rows] for i in range(len(columns))]
    verdicts = [
        analyse_column(c, raw[i], engine.detect_column(raw[i]), name_hints(c.name, table, c.comment),
                       min_share=cfg.min_share)
        for i, c in enumerate(columns)
    ]
    rows_v, _ = age_verdicts(verdicts, raw, len(rows), as_of, cfg.child_mode)
    return [v.status for v in rows_v]


@dataclass
class ConsentResult:
    """Consent coverage of one child table. Counts and HMACs only.

    Attributes:
        child_table: ``connector:schema/table`` of the child table.
        records: Records read from the child table.
        children: Records classified as a child's or likely child's.
        minors_14_17: Records of 14–17 year olds (reported, not checked: consent is the minor's own).
        outcomes: Outcome → children's records.
        withdrawn_subjects: HMACs of subject keys whose consent was withdrawn while data remains.
        gaps: HMACs of subject keys with no valid consent (capped), for the evidence list.
        truncated: The child table had more records than ``sample_rows``.
    """

    child_table: str
    records: int = 0
    children: int = 0
    minors_14_17: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    withdrawn_subjects: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def coverage(self) -> float | None:
        """Share of children's records with valid consent (None when there are none)."""
        return self.outcomes["valid"] / self.children if self.children else None

    def as_dict(self) -> dict[str, Any]:
        """The report form."""
        return {
            "child_table": self.child_table,
            "records": self.records,
            "children": self.children,
            "minors_14_17": self.minors_14_17,
            "coverage": None if self.coverage is None else round(self.coverage, 4),
            "outcomes": dict(self.outcomes),
            "withdrawn_subjects": list(self.withdrawn_subjects),
            "gap_subjects": list(self.gaps),
            "truncated": self.truncated,
        }

    def check(self) -> CheckResult:
        """The per-asset check for the child table."""
        status = PASS if self.children and self.outcomes["valid"] == self.children else FAIL
        if not self.children:
            status = PASS
        return CheckResult("consent", ARTICLES, status, self.as_dict())


def _split(name: str) -> tuple[str | None, str]:
    schema, _, table = name.rpartition(".")
    return (schema or None), table


def _reflect(conn: sa.Connection, name: str, connector: str, what: str) -> sa.Table:
    schema, table = _split(name)
    try:
        return reflect_table(conn, table, schema)
    except sa.exc.NoSuchTableError:
        raise ConfigError(f"compliance.consent: {what} {name!r} not found on connector {connector!r}") from None


def _column(table: sa.Table, name: str | None, field_name: str, connector: str) -> sa.ColumnElement[Any] | None:
    if name is None:
        return None
    if name not in table.c:
        raise ConfigError(
            f"compliance.consent.{field_name}: column {name!r} is not in table {table.fullname!r} "
            f"on connector {connector!r}"
        )
    return table.c[name]


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _newer(a: Any, b: Any) -> bool:
    if a is None:
        return False
    if b is None:
        return True
    try:
        return bool(a > b)
    except TypeError:  # mixed types in a loosely typed column: compare their text
        return str(a) > str(b)


def _age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def check_consent(
    source: ConsentSource,
    engine: sa.Engine,
    as_of: dt.date,
    hmac_key: bytes,
    *,
    classifier: ClassifierConfig | None = None,
    max_listed: int = 1000,
) -> ConsentResult:
    """Join a child table's children's records to their consent and count the gaps.

    Args:
        source: Where the child records and consents are.
        engine: Engine of the source's SQL connector.
        as_of: Reference date for children's ages.
        hmac_key: Key of the subject HMACs (the catalog's ``hmac_key``).
        classifier: Classifier settings used for the records' ages.
        max_listed: HMACs listed per gap list at most.

    Raises:
        ConfigError: A table or column the source names does not exist.
    """
    with engine.connect() as conn:
        child = _reflect(conn, source.child_table, source.connector, "child_table")
        consent = _reflect(conn, source.table, source.connector, "consent table")
        ref = _column(child, source.subject_ref, "subject_ref", source.connector)
        assert ref is not None
        picked = {
            "key": _column(consent, source.subject_key, "subject_key", source.connector),
            "granted_at": _column(consent, source.granted_at, "granted_at", source.connector),
            "status": _column(consent, source.status, "status", source.connector),
            "version": _column(consent, source.policy_version, "policy_version", source.connector),
            "dob": _column(consent, source.consenter_birth_date, "consenter_birth_date", source.connector),
            "role": _column(consent, source.consenter_role, "consenter_role", source.connector),
        }
        cols = list(child.c)
        rows = conn.execute(sa.select(*cols).limit(source.sample_rows + 1)).all()
        consent_cols = [c.label(k) for k, c in picked.items() if c is not None]
        consents = conn.execute(sa.select(*consent_cols)).mappings().all()
        conn.rollback()
    result = ConsentResult(child_table=f"{source.connector}:{source.child_table.replace('.', '/')}")
    if len(rows) > source.sample_rows:
        result.truncated = True
        rows = rows[: source.sample_rows]
    infos = [ColumnInfo(c.name, str(c.type).lower(), c.comment or "") for c in cols]
    statuses = classify_rows(infos, rows, child.name, as_of, classifier)
    ref_index = [c.name for c in cols].index(source.subject_ref)
    newest: dict[str, Any] = {}
    for c in consents:
        k = str(c["key"]).strip()
        prev = newest.get(k)
        if prev is None or _newer(c["granted_at"], prev["granted_at"]):
            newest[k] = c
    valid = {s.lower() for s in source.valid_statuses}
    withdrawn = {s.lower() for s in source.withdrawn_statuses}
    minor_roles = {s.lower() for s in source.minor_roles}
    result.records = len(rows)
    for row, status in zip(rows, statuses, strict=True):
        if status == ChildStatus.MINOR_14_17:
            result.minors_14_17 += 1
        if status not in _CHILDREN:
            continue
        result.children += 1
        key_value = row[ref_index]
        outcome = _outcome(newest.get(str(key_value).strip()), source, valid, withdrawn, minor_roles)
        result.outcomes[outcome] += 1
        if outcome == "withdrawn_with_data" and len(result.withdrawn_subjects) < max_listed:
            result.withdrawn_subjects.append(subject_hmac(hmac_key, key_value))
        elif outcome != "valid" and len(result.gaps) < max_listed:
            result.gaps.append(subject_hmac(hmac_key, key_value))
    return result


def _outcome(
    c: Any, source: ConsentSource, valid: set[str], withdrawn: set[str], minor_roles: set[str]
) -> str:
    if c is None:
        return "no_consent"
    if source.status is not None:
        state = str(c["status"] or "").strip().lower()
        if state in withdrawn:
            return "withdrawn_with_data"
        if state not in valid:
            return "invalid_status"
    if source.consenter_role is not None and str(c["role"] or "").strip().lower() in minor_roles:
        return "consent_by_minor"
    if source.consenter_birth_date is not None:
        dob = _as_date(c["dob"])
        granted = _as_date(c["granted_at"])
        if dob is not None and granted is not None and _age_on(dob, granted) < 18:
            return "consent_by_minor"
    if source.policy_version is not None and str(c["version"] or "").strip() != source.current_policy_version:
        return "outdated_policy"
    return "valid"
