"""Sample in, verdict out: the one entry point the scanner calls.

Per column: the fast engine's detections, the name hints, encryption, then a column verdict
(:mod:`pi_scanner.classify.column`). Per record: the age verdict (:mod:`pi_scanner.classify.age`).
Per asset: the most protective status of its records, or ``child_purposed`` when the table or bucket
belongs to a school or kindergarten system.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from pi_scanner.classify.age import RowVerdict, age_verdicts, count_ages
from pi_scanner.classify.collection_time import sample_collection
from pi_scanner.classify.column import (
    COLUMN_AGE,
    CONTACT_ENTITIES,
    ColumnVerdict,
    analyse_column,
    categorised,
    with_articles,
)
from pi_scanner.classify.column_names import NameHint, name_hints, tokenize, tokenize_table, without_table_prefix
from pi_scanner.classify.dates import parse_birth_date, resolve_dayfirst
from pi_scanner.classify.entities import IDENTIFYING, NEEDS_PEOPLE, TEXT_ONLY
from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.op_logs import log_column
from pi_scanner.classify.people import (
    PERSON_ONLY,
    people_topic,
    rows_are_people,
    table_topic,
    table_words_people,
    topic_column,
)
from pi_scanner.classify.person_names import looks_like_name_part, looks_like_person_name
from pi_scanner.classify.recognizers import default_recognizers
from pi_scanner.classify.recognizers.base import Detection
from pi_scanner.classify.row_roles import coded_roles, row_roles
from pi_scanner.classify.table_context import TableContext
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import (
    AgeCounts,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    ColumnFinding,
    ColumnInfo,
    Sample,
)

#: Table/bucket words that make an asset child-purposed whatever its rows say.
_CHILD_PURPOSE_STRONG = frozenset({
    "kindergarten", "nursery", "preschool", "pupil", "pupils", "child", "children", "kid", "kids",
    "infant", "baby", "yey", "primary", "elementary",
})
_CHILD_PURPOSE_CJK_STRONG = ("幼儿园", "托儿所", "小学", "儿童", "幼儿", "婴儿", "宝宝", "少儿")
#: Words that suggest a school system, where most but not all people are children.
_CHILD_PURPOSE_WEAK = frozenset({"student", "students", "stu", "xs", "xsxx", "xsjbxx", "xj", "xx", "school", "class"})
_CHILD_PURPOSE_CJK_WEAK = ("学生", "学籍", "班级", "学校")
#: Tables that describe the organisation itself (a school's profile, system settings): its phone, address,
#: e-mail and name there are the organisation's, not a person's.
_ORG_TABLE_TOKENS = frozenset({
    "school", "schools", "setting", "settings", "config", "configs", "configuration", "configurations",
    "organisation", "organization", "org", "institution", "tenant", "xxjbxx", "campus",
    # an organisation's parts and outlets: a department's, a store's or a branch's own contacts
    "dept", "department", "departments", "store", "stores", "shop", "shops", "branch", "branches", "company",
    "companies",
})
#: Column words naming a person of the organisation (a department's ``leader``, a store's ``manager_phone``,
#: 负责人 ``fzr``, 联系人 ``lxr``, 校长 ``xz``, 园长 ``yz``): their contacts are theirs, not the organisation's.
_ORG_PERSON_WORDS = frozenset({
    "manager", "leader", "principal", "director", "headmaster", "headteacher", "rector", "president", "chairman",
    "owner", "person", "fzr", "lxr", "xz", "yz", "fddbr", "frdb",
})
_ORG_TABLE_CJK = ("园所", "学校信息", "学校基本", "机构", "系统设置", "配置")
#: Tables of classes or grades: a class's own name there is no one's personal information.
_CLASS_TABLE_TOKENS = frozenset({"bj", "nj", "class", "classes", "grade", "grades", "batch", "batches", "bjxx"})
_CLASS_TABLE_CJK = ("班级", "年级")
#: Entities an organisation table may hold about the organisation itself.
_ORG_ENTITIES = CONTACT_ENTITIES | {"SCHOOL_NAME"}
#: Entities that a number-typed column cannot hold (a ``next_school`` or ``person_name_id`` integer is a key).
_NOT_NUMERIC = TEXT_ONLY
_NUMERIC_TYPES = ("int", "smallint", "bigint", "tinyint", "numeric", "decimal", "bool", "float", "double", "real")

#: Share of likely-child records from which the asset is tagged likely_child.
LIKELY_SHARE = 0.01


def _parse_date(text: str, dayfirst: bool | None) -> tuple[dt.date, dt.date] | None:
    parsed = parse_birth_date(text, date_column=True, excel=True, dayfirst=dayfirst)
    if parsed is None or parsed.ambiguous:
        return None
    return parsed.earliest, parsed.latest


@dataclass(frozen=True)
class _Analysis:
    verdicts: list[ColumnVerdict]
    hints: list[NameHint]
    raw: list[list[object]]
    rows: list[RowVerdict]
    ages: AgeCounts
    age_note: str | None = None


#: Column-name tokens that say the values are one part of a person's name.
_NAME_PART_TOKENS = frozenset(
    {"first", "last", "given", "family", "surname", "middle", "fname", "lname", "forename", "firstname", "lastname"}
)


def table_kind(table: str, comment: str = "") -> str:
    """``org`` for a table about the organisation, ``class`` for a table of classes, else ``""``.

    Only the table's own name counts: ``student_school`` is about students (it names a subject).
    """
    tokens = tokenize_table(table)
    latin = [t for t in tokens if t.isascii() and not t.isdigit()]
    cjk = "".join(t for t in tokens if not t.isascii())
    if set(latin) & {"student", "students", "stu", "xs", "person", "people", "user", "users", "staff"}:
        return ""
    if (latin and latin[-1] in _ORG_TABLE_TOKENS) or "".join(latin) in _ORG_TABLE_TOKENS:
        return "org"
    if any(w in cjk or w in comment for w in _ORG_TABLE_CJK):
        return "org"
    if (latin and latin[-1] in _CLASS_TABLE_TOKENS) or cjk in _CLASS_TABLE_CJK:
        return "class"
    return ""


def _refine(
    hint: NameHint, column: ColumnInfo, foreign_keys: dict[str, str], kind: str, table: str = ""
) -> NameHint:
    """Narrow a name hint by what the schema says beyond the name.

    A foreign key is a reference (``gibbonPersonID``, ``student_id``), not the PI it points at; a
    number-typed column cannot hold a name, address or e-mail; an organisation table's contacts and a
    class table's class names are nobody's personal data.
    """
    drop: set[str] = set()
    if column.name in foreign_keys:
        drop.update(hint.entities)
    if column.type_name.startswith(_NUMERIC_TYPES):
        drop.update(_NOT_NUMERIC)
    if tokenize(column.name) == ["name"] and _names_a_thing(table):
        drop.add("PERSON_NAME")  # a bare ``name`` of a setting, a custom field, a batch is the thing's name
    if kind == "org" and not set(tokenize(column.name)) & _ORG_PERSON_WORDS:
        drop.update(_ORG_ENTITIES)
    elif kind == "class":
        drop.add("GRADE_CLASS")
    if not drop & set(hint.entities):
        return hint
    kept = tuple(e for e in hint.entities if e not in drop)
    return NameHint(kept, hint.role, hint.date_column and "DATE_OF_BIRTH" in kept, hint.minor_flag,
                    hint.strength if kept else 0.0, hint.non_pi)


#: Head nouns of tables of things, whose bare ``name`` column names the thing, not a person.
_THING_HEADS = frozenset({
    "setting", "settings", "field", "fields", "batch", "batches", "config", "configs", "configuration",
    "configurations", "type", "types", "role", "roles", "category", "categories", "option", "options",
    "course", "courses", "subject", "subjects", "house", "houses", "form", "forms", "group", "groups",
})


def _names_a_thing(table: str) -> bool:
    tokens = [t for t in tokenize_table(table) if t.isascii() and not t.isdigit()]
    return bool(tokens) and tokens[-1] in _THING_HEADS


def _account_first(verdict: ColumnVerdict, hint: NameHint) -> ColumnVerdict:
    """An account column filled with phone numbers or e-mails is still the account (docs/labelling.md)."""
    f = verdict.finding
    if f is None or f.suspected or "USERNAME" not in hint.entities[:1] or f.entity_types[0] not in CONTACT_ENTITIES:
        return verdict
    types = ("USERNAME", *(e for e in f.entity_types if e != "USERNAME"))
    return dataclasses.replace(verdict, finding=dataclasses.replace(f, entity_types=types))


def _without_owned(verdict: ColumnVerdict, kind: str, column: str = "") -> ColumnVerdict:
    """Drop what the table's own subject holds: the organisation's contacts, a class table's class names."""
    owned = _ORG_ENTITIES if kind == "org" else frozenset({"GRADE_CLASS"}) if kind == "class" else frozenset()
    if kind == "org" and set(tokenize(column)) & _ORG_PERSON_WORDS:
        return verdict  # the manager's own phone (docs/labelling.md)
    f = verdict.finding
    if not owned or f is None or not set(f.entity_types) <= owned:
        return verdict
    return dataclasses.replace(
        verdict, finding=None, accepted=frozenset(), cells=[[] for _ in verdict.cells],
        organisation=tuple(sorted(set(verdict.organisation) | (set(f.entity_types) & CONTACT_ENTITIES))),
    )


#: Words of a column that names a thing of its table (``name``, ``short_name``, ``title``, ``mc`` 名称).
_THING_NAME_WORDS = frozenset({
    "name", "names", "short", "full", "display", "official", "long", "english", "chinese", "en", "cn", "zh",
    "mc", "jc", "title", "alias", "label", "local", "fullname", "shortname", "fi", "sv",
})


#: Column words of the record's own date (when a stated age was true).
_RECORD_DATE_WORDS = frozenset({"created", "create", "createtime", "createdate", "submitted", "submit", "recorded",
                                "record", "registered", "register", "filled", "report", "reported", "ctime"})
_RECORD_DATE_CJK = ("创建", "填报", "填写", "登记", "提交", "录入", "记录时间", "报名时间")


def _record_date_column(columns: Sequence[ColumnInfo]) -> int | None:
    for i, col in enumerate(columns):
        tokens = set(tokenize(col.name))
        if tokens & _RECORD_DATE_WORDS and (tokens & {"at", "time", "date", "on", "ts", "datetime"} or
                                            col.type_name.startswith(("date", "timestamp"))):
            return i
        if any(w in col.name for w in _RECORD_DATE_CJK):
            return i
    return None


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _date_stated_ages(
    verdicts: list[ColumnVerdict], columns: Sequence[ColumnInfo], raw: list[list[object]], as_of: dt.date
) -> tuple[list[ColumnVerdict], str | None]:
    """Move ages read from an age column from the record's own date to the reference date.

    An age stated in 2023 is two years older in 2025. With no record date the age is taken as of the
    reference date and the asset says so (``stated_age_stale_prone``): the count may lag behind.
    """
    with_ages = [i for i, v in enumerate(verdicts)
                 if any(d.facts.kind == COLUMN_AGE for cell in v.cells for d in cell)]
    if not with_ages:
        return verdicts, None
    at = _record_date_column(columns)
    if at is None:
        return verdicts, "stated_age_stale_prone"
    out = list(verdicts)
    for i in with_ages:
        cells = []
        for r, cell in enumerate(out[i].cells):
            stated_on = _as_date(raw[at][r]) if r < len(raw[at]) else None
            moved = []
            for d in cell:
                if d.facts.kind == COLUMN_AGE and d.facts.age_interval and stated_on and stated_on <= as_of:
                    lo, hi = d.facts.age_interval
                    days = (as_of - stated_on).days
                    d = dataclasses.replace(
                        d, facts=dataclasses.replace(d.facts, age_interval=(lo + days // 366, hi + -(-days // 365)))
                    )
                moved.append(d)
            cells.append(moved)
        out[i] = dataclasses.replace(out[i], cells=cells)
    return out, "stated_age_dated"


def _rows_are_persons(table: str, comment: str, hints: Sequence[NameHint]) -> bool:
    """The rows are persons themselves (named so, or holding a person-only attribute), not records about one."""
    return table_words_people(table, comment) is True or any(set(h.entities) & PERSON_ONLY for h in hints)


def _without_bare_name(verdict: ColumnVerdict, column: str, table: str = "") -> ColumnVerdict:
    f = verdict.finding
    if f is None or not f.suspected or "PERSON_NAME" not in f.entity_types:
        return verdict
    # ``recipename`` of ``tbl_recipe`` is the recipe's bare name with the table's noun glued on
    if not set(tokenize(without_table_prefix(column, table) or column)) <= _THING_NAME_WORDS:
        return verdict
    kept = tuple(e for e in f.entity_types if e != "PERSON_NAME")
    return dataclasses.replace(verdict, finding=dataclasses.replace(f, entity_types=kept) if kept else None)


#: Words of a general remark on a record (free text whatever the record): a leave's ``reason`` is the
#: leave's, its ``remark`` a note about it (docs/labelling.md). A teacher's ``comment`` on a grade is an
#: evaluation, and any note of a medical record is a health record.
_REMARK_WORDS = frozenset({"remark", "remarks", "note", "notes", "memo", "bz", "beizhu"})


#: Column words of the period a record covers.
_PERIOD_WORDS = frozenset({"start", "end", "begin", "from", "to", "until", "period", "valid", "validity", "during",
                           "kssj", "jssj", "ksrq", "jsrq", "qsrq", "zzrq"})


def _record_period(column: ColumnInfo) -> bool:
    """``start_date``, ``valid_to``, ``validity_period``: when the record about the person held."""
    return bool(set(tokenize(column.name)) & _PERIOD_WORDS)


def _general_remark(column: str) -> bool:
    return bool(set(tokenize(column)) & _REMARK_WORDS) or "备注" in column


#: Entity types of what a record table records (its topic), as opposed to identifiers and attributes.
_RECORD_TYPES = frozenset({"MEDICAL_INFO", "EDUCATION_RECORD", "MONEY_AMOUNT"})


def _topic_finding(
    verdict: ColumnVerdict, column: ColumnInfo, hint: NameHint, topic: str, foreign_keys: dict[str, str],
    table: str = "",
) -> ColumnVerdict:
    """A name-only finding of the table's topic for a column of a people's record table.

    A column of a vaccinations, attendance or fees table with nothing of its own to say holds that
    record (spec §A9; docs/labelling.md): its type is the table's topic.
    """
    f = verdict.finding
    if f is not None and f.suspected and not f.matched and not hint.entities and f.entity_types == ("DATE_OF_BIRTH",):
        # A date that might be a birthday, in a record of something else, is the record's date.
        f = None
        verdict = dataclasses.replace(verdict, finding=None)
    if f is not None and topic in _RECORD_TYPES and set(f.entity_types) <= _RECORD_TYPES - {topic}:
        # A record type read into an ambiguous word yields to what the table records: an ``amount`` in an
        # immunisation is a dose, a ``weight`` in a gradebook an assessment's weight, unless the word is the
        # system's own bookkeeping (a gradebook's ``aggregationweight``).
        if f.suspected and not topic_column(column.name, column.name in foreign_keys, topic, table):
            return dataclasses.replace(verdict, finding=None)
        return dataclasses.replace(verdict, finding=dataclasses.replace(f, entity_types=(topic,)))
    if (f is not None and topic == "MESSAGE_CONTENT" and (verdict.free_text or "FREE_TEXT" in f.entity_types)
            and topic_column(column.name, column.name in foreign_keys, topic, table)):
        # The body of a message is the message, whatever the recognizers found inside it (an age, a phone).
        types = ("MESSAGE_CONTENT", *(e for e in f.entity_types if e not in ("FREE_TEXT", "MESSAGE_CONTENT")))
        return dataclasses.replace(verdict, finding=dataclasses.replace(f, entity_types=types))
    if (f is not None and "FREE_TEXT" in f.entity_types and topic not in ("OCCUPATION", "MESSAGE_CONTENT")
            and (topic == "MEDICAL_INFO" or not _general_remark(column.name))):
        # The most specific category wins: a note in a vaccinations table is a health record, a remark on
        # an exam score an education record (docs/labelling.md).
        types = tuple(topic if e == "FREE_TEXT" else e for e in f.entity_types)
        return dataclasses.replace(verdict, finding=dataclasses.replace(f, entity_types=tuple(dict.fromkeys(types))))
    if f is not None or hint.entities or hint.non_pi:
        return verdict
    if not topic_column(column.name, column.name in foreign_keys, topic, table):
        return verdict
    n = len(verdict.cells)
    finding = ColumnFinding(
        name=column.name, entity_types=(topic,), confidence=0.2, sampled=n, matched=0, suspected=True,
        subject_role=hint.role,
    )
    return dataclasses.replace(verdict, finding=finding)


def _without_people_only(verdict: ColumnVerdict, column: str) -> ColumnVerdict:
    """Drop what is PI only in a people's table: name-only findings, people-only types, a bare ``name``."""
    f = verdict.finding
    if f is None:
        return verdict
    if f.suspected:
        # A name alone is no evidence in a table about no one (a course's ``code``, a unit's ``phone``).
        return dataclasses.replace(verdict, finding=None, accepted=frozenset(), cells=[[] for _ in verdict.cells])
    drop = set(f.entity_types) & NEEDS_PEOPLE
    if set(tokenize(column)) <= _THING_NAME_WORDS:
        drop.add("PERSON_NAME")
    if not drop:
        return verdict
    kept = tuple(e for e in f.entity_types if e not in drop)
    accepted = verdict.accepted - drop
    cells = [[d for d in c if d.entity not in drop] for c in verdict.cells]
    finding = dataclasses.replace(f, entity_types=kept) if kept else None
    return dataclasses.replace(verdict, finding=finding, accepted=accepted, cells=cells)


def _names_a_part(column_name: str) -> bool:
    tokens = set(tokenize(column_name))
    return bool(tokens & _NAME_PART_TOKENS) and ("name" in tokens or bool(tokens & {"surname", "fname", "lname"}))


class _ColumnEngine(Protocol):
    def detect_column_normalized(
        self, texts: Sequence[str], context: Sequence[str] = ()
    ) -> list[list[Detection]]: ...


class Classifier:
    """Classifies samples of assets into column findings and per-record age verdicts.

    Args:
        config: Classifier settings.
        as_of: Reference date for ages (Asia/Shanghai calendar date).
        show_examples: Keep masked examples in findings.
    """

    def __init__(self, config: ClassifierConfig, as_of: dt.date, show_examples: bool = False) -> None:
        self.config = config
        self.as_of = as_of
        self.show_examples = show_examples and config.examples == "masked"
        recognizers = default_recognizers(as_of)
        self.engine: _ColumnEngine
        if config.engine == "presidio":
            from pi_scanner.classify.presidio_engine import PresidioEngine

            self.engine = PresidioEngine(recognizers)
        else:
            self.engine = FastEngine(recognizers, config.max_cell_chars)
        #: The anchor column a retention policy names for an asset (collection-time age's fallback when
        #: no created/enrolment column is found); set by the scan's work units.
        self.collection_anchor: Callable[[AssetRef], str | None] | None = None
        #: The zone naive timestamps of that anchor column are in (the policy's ``anchor_timezone``).
        self.collection_anchor_zone: Callable[[AssetRef], dt.tzinfo | None] | None = None
        self._name_shape: Callable[[str], bool] | None = looks_like_person_name
        self._name_part_shape: Callable[[str], bool] | None = looks_like_name_part

    def _detect(self, texts: Sequence[str], names: Sequence[str]) -> list[list[Detection]]:
        # Column name and comment are context: 出生证 in a header admits a birth-certificate number,
        # order_no caps an ID-shaped value at "possible".
        return self.engine.detect_column_normalized(texts, context=tuple(n for n in names if n))

    def _analyse(
        self, sample: Sample, context: TableContext | None = None, about_people: bool | None = None
    ) -> _Analysis:
        table = sample.asset.path[-1] if sample.asset.path else ""
        width = len(sample.columns)
        raw: list[list[object]] = [
            [row[i] if i < len(row) else None for row in sample.rows] for i in range(width)
        ]
        verdicts: list[ColumnVerdict] = []
        hints: list[NameHint] = []
        kind = table_kind(table, sample.table_comment)
        for col, values in zip(sample.columns, raw, strict=True):
            hint = _refine(name_hints(col.name, table, col.comment), col, sample.foreign_keys, kind, table)
            # A role taken from the table name ("guardians") makes the row's subject a guardian, which
            # age.py handles itself; only a guardian role named by the column itself marks someone else.
            if name_hints(col.name, "", col.comment).role == "unknown" and hint.role == "guardian":
                hint = NameHint(hint.entities, "unknown", hint.date_column, hint.minor_flag, hint.strength,
                                hint.non_pi)
            if col.type_name.startswith("date") and "DATE_OF_BIRTH" in hint.entities:
                hint = NameHint(hint.entities, hint.role, True, hint.minor_flag, hint.strength, hint.non_pi)
            texts = [normalize_cell(v, self.config.max_cell_chars) for v in values]
            detections = self._detect(texts, (col.name, col.comment))
            verdicts.append(
                analyse_column(
                    col, values, detections, hint,
                    min_share=self.config.min_share,
                    show_examples=self.show_examples,
                    max_examples=self.config.max_examples,
                    looks_like_name=self._name_part_shape if _names_a_part(col.name) else self._name_shape,
                    parse_date=_parse_date,
                    resolve_dayfirst=resolve_dayfirst,
                    texts=texts,
                )
            )
            verdicts[-1] = _account_first(_without_owned(verdicts[-1], kind, col.name), hint)
            hints.append(hint)
        people = rows_are_people(
            table, [c.name for c in sample.columns], hints, comment=sample.table_comment,
            confirmed=[v.accepted for v in verdicts],
            declared=about_people if about_people is not None else context.about_people if context else None,
            schema_role=context.role_of_rows if context is not None else "unknown",
        )
        if not people:
            verdicts = [_without_people_only(v, c.name) for v, c in zip(verdicts, sample.columns, strict=True)]
        elif not _rows_are_persons(table, sample.table_comment, hints):
            # Records about a person (preferences, enrolments) rather than persons: their bare ``name`` is
            # the record's (a setting's, a group's), not the person's.
            verdicts = [_without_bare_name(v, c.name, table) for v, c in zip(verdicts, sample.columns, strict=True)]
        if people:
            verdicts = [log_column(v, c.name, table, sample.table_comment) for v, c in zip(verdicts, sample.columns,
                                                                                       strict=True)]
        topic = table_topic(table, sample.table_comment)
        dates_only = False
        if topic is None and context is not None and context.people_tables:
            topic = people_topic(context.people_tables)
            # A pupil's record of no named kind: only its dates are surely the record's (when a placement,
            # a leave, a service began and ended); its codes and flags may be anything.
            dates_only = topic == "EDUCATION_RECORD"
        if people and topic is not None:
            verdicts = [
                _topic_finding(v, c, h, topic, sample.foreign_keys, table)
                if not dates_only or _record_period(c) else v
                for v, c, h in zip(verdicts, sample.columns, hints, strict=True)
            ]
        verdicts, age_note = _date_stated_ages(verdicts, sample.columns, raw, self.as_of)
        rows, ages = age_verdicts(verdicts, raw, len(sample.rows), self.as_of, self.config.child_mode)
        roles = row_roles(sample.columns, raw)
        if roles is None and context is not None and context.role_codes is not None:
            # A role code resolved through its lookup table by the data map (gibbonRoleIDPrimary → gibbonRole).
            roles = coded_roles(sample.columns, raw, context.role_codes.column, dict(context.role_codes.codes))
        if roles is not None:
            school = (context is not None and context.child_purposed) or _names_children(sample)
            rows = _apply_row_roles(rows, roles, school)
            ages = count_ages(rows)
        return _Analysis(verdicts, hints, raw, rows, ages, age_note)

    def classify(
        self, sample: Sample, context: TableContext | None = None, about_people: bool | None = None
    ) -> AssetResult:
        """Classify one sample.

        Args:
            sample: Rows of one asset.
            context: What the rest of the schema says about the table
                (:func:`~pi_scanner.datamap.context.schema_contexts`): an empty person table that an
                enrolment table points at holds students' records; a guardians table does not.
            about_people: The hook for the data map: True when the table's rows are people or link to
                people, False when they are about no one, None to let the classifier decide from the table
                itself (:func:`~pi_scanner.classify.people.rows_are_people`). Name-only hints and
                people-only types (free text, photos, fees...) count only in people's tables.

        Returns:
            Column findings (masks only), per-category record counts and the asset's child status.
        """
        a = self._analyse(sample, context, about_people)
        has_pi = any(v.finding is not None for v in a.verdicts)
        confirmed = any(v.finding is not None and not v.finding.suspected for v in a.verdicts)
        n = len(sample.rows)
        notes: list[str] = []
        # A school's own tables (its profile, its class list, a relation code beside two keys) are not
        # children's records: the name makes a table child-purposed only when it identifies someone.
        identifies = any(
            v.finding is not None and bool(set(v.finding.entity_types) & IDENTIFYING) for v in a.verdicts
        )
        purposed = identifies and _child_purposed(sample, a.ages, context)
        if purposed:
            notes.append("child_purposed")
        if a.ages.conflicts:
            notes.append("dob_conflict")
        if a.age_note:
            notes.append(a.age_note)
        if any(v.organisation for v in a.verdicts):
            notes.append("organisation_contact")

        if a.ages.child:
            status = ChildStatus.CHILD
        elif a.ages.likely_child and a.ages.likely_child >= LIKELY_SHARE * max(1, n):
            status = ChildStatus.LIKELY_CHILD
        elif purposed:
            status = ChildStatus.CHILD
        elif a.ages.minor_14_17:
            status = ChildStatus.MINOR_14_17
        elif a.ages.likely_child:
            status = ChildStatus.UNKNOWN  # a handful below 1 %: reviewed per record, not per asset
        elif a.ages.adult and confirmed:
            status = ChildStatus.ADULT
        elif has_pi:
            status = ChildStatus.UNKNOWN
        else:
            status = ChildStatus.NONE
        children = status in (ChildStatus.CHILD, ChildStatus.LIKELY_CHILD)
        findings = tuple(
            categorised(with_articles(v.finding, children)) for v in a.verdicts if v.finding is not None
        )
        anchor = self.collection_anchor(sample.asset) if self.collection_anchor is not None else None
        zone = self.collection_anchor_zone(sample.asset) if self.collection_anchor_zone is not None else None
        collection = sample_collection(sample.columns, a.raw, a.rows, self.as_of, self.config.child_mode,
                                       anchor=anchor, anchor_zone=zone, complete=sample.complete)
        return AssetResult(sample.asset, findings, status, n, a.ages, tuple(notes), collection=collection)

    def row_verdicts(self, sample: Sample) -> list[ChildStatus]:
        """Age category of every record of the sample, in row order (retention and subject requests)."""
        return [r.status for r in self._analyse(sample).rows]

    def detections(self, sample: Sample) -> dict[str, list[list[Detection]]]:
        """Accepted detections per column name, one list per row (for the subject index).

        Only detections that survived the column verdict are returned: a coincidental ID-shaped order
        number is not a subject identifier. ``Detection.normalized`` holds the canonical value for
        keyed fingerprints; it must never leave the process.
        """
        return self.detections_and_verdicts(sample)[0]

    def detections_and_verdicts(
        self, sample: Sample
    ) -> tuple[dict[str, list[list[Detection]]], list[ChildStatus]]:
        """:meth:`detections` and :meth:`row_verdicts` from one analysis (the subject index needs both)."""
        a = self._analyse(sample)
        cells = {col.name: v.cells for col, v in zip(sample.columns, a.verdicts, strict=True)}
        return cells, [r.status for r in a.rows]


def _child_purposed(sample: Sample, ages: AgeCounts, context: TableContext | None = None) -> bool:
    """Whether the table, bucket or file belongs to a children's system (school, kindergarten).

    The schema context outranks the name: a students' family-members table (``XS_JTCY``) or a staff table
    holds adults even in a school system, and an organisation's or a class's own table holds no child's
    records; a person table that enrolments point at is the students' even though its name is neutral.
    """
    if context is not None and context.role_of_rows in ("guardian", "staff"):
        return False
    parts = list(sample.asset.path[-2:]) if sample.asset.kind is AssetKind.TABLE else list(sample.asset.path)
    if sample.asset.kind is AssetKind.TABLE and sample.asset.path and table_kind(
        sample.asset.path[-1], sample.table_comment
    ):
        return False
    text = " ".join([*parts, sample.table_comment])
    tokens = set(tokenize_table(text))
    strong = bool(tokens & _CHILD_PURPOSE_STRONG) or any(w in text for w in _CHILD_PURPOSE_CJK_STRONG)
    weak = bool(tokens & _CHILD_PURPOSE_WEAK) or any(w in text for w in _CHILD_PURPOSE_CJK_WEAK)
    by_schema = context is not None and context.child_purposed
    if not (strong or weak or by_schema):
        return False
    # Records that are mostly adults (a university's students, a teachers' table) outweigh the name.
    known = ages.child + ages.likely_child + ages.minor_14_17 + ages.adult
    if known and ages.adult * 2 > known:
        return False
    return strong or by_schema or ages.child + ages.likely_child > 0 or known == 0


def _names_children(sample: Sample) -> bool:
    text = " ".join([*sample.asset.path[-2:], sample.table_comment])
    tokens = set(tokenize_table(text))
    return bool(tokens & (_CHILD_PURPOSE_STRONG | _CHILD_PURPOSE_WEAK)) or any(
        w in text for w in _CHILD_PURPOSE_CJK_STRONG + _CHILD_PURPOSE_CJK_WEAK
    )


def _apply_row_roles(rows: list[RowVerdict], roles: Sequence[str | None], school: bool) -> list[RowVerdict]:
    """Apply the per-row roles of a mixed person table.

    Guardians' and staff rows are never children's; a student row with no age signal is likely a
    child's in a school system.
    """
    out = []
    for row, role in zip(rows, roles, strict=True):
        if role == "adult" and row.status in (ChildStatus.CHILD, ChildStatus.LIKELY_CHILD, ChildStatus.UNKNOWN):
            row = dataclasses.replace(row, status=ChildStatus.ADULT)
        elif role == "student" and school and row.status is ChildStatus.UNKNOWN:
            row = dataclasses.replace(row, status=ChildStatus.LIKELY_CHILD)
        out.append(row)
    return out
