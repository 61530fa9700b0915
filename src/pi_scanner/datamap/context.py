"""Whose rows each table holds, and whether they are children's: the schema-level half of the data map.

An empty ``gibbonPerson`` says nothing by its name or its values, yet ``gibbonStudentEnrolment`` points at
it: in a school system the table holds the students' own records. This pre-pass reads discovery metadata
only (table names, column names, primary and foreign keys, comments; never a value and never a query) of
one connector, and gives every table a :class:`TableContext` that :meth:`Classifier.classify` weighs.

References are the declared foreign keys and the links :mod:`pi_scanner.datamap.links` inferred from
names (passed in as ``foreign_keys`` of each :class:`TableShape`), plus two kinds of their own:

* a column named like another table's own (non-generic) primary key (``XS_JTCY.XH`` → ``XS_JBXX.XH``);
* a column naming a child's key with no table behind it (``ward_id``, ``幼儿编号``, ``student_id``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pi_scanner.classify.column_names import tokenize_table
from pi_scanner.classify.people import table_words_people, tables_about_people
from pi_scanner.classify.table_context import RowRole, TableContext
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.models import AssetKind, TableLink

#: Key of a table's :class:`TableContext` in ``AssetInfo.meta``.
CONTEXT_KEY = "schema_context"

#: Words naming children as the subjects of a school or kindergarten system; Chinese systems spell them in
#: full pinyin as often as in initials (``t_youer`` 幼儿, ``xueshengid`` 学生, ``ertong`` 儿童).
_SUBJECT = frozenset({
    "student", "students", "stu", "pupil", "pupils", "child", "children", "kid", "kids", "xs", "infant",
    "infants", "ward", "wards", "learner", "learners", "xuesheng", "youer", "ertong", "baobao", "haizi",
    "xueyuan",
})
_SUBJECT_CJK = ("学生", "幼儿", "儿童", "学员", "宝宝", "孩子")
#: Tables of people in general (their role decides whose rows they are).
_PERSON = frozenset({"person", "persons", "people", "user", "users", "member", "members", "account", "accounts"})
_PERSON_CJK = ("人员", "用户", "成员")
#: Tables of guardians or family members: their rows are adults linked to a child.
_GUARDIAN = frozenset({
    "guardian", "guardians", "parent", "parents", "family", "families", "jtcy", "jz", "jzxx", "jhr",
    "contact", "contacts", "relative", "relatives", "jiazhang", "jianhuren",
})
_GUARDIAN_CJK = ("家长", "监护人", "家庭成员", "亲属", "联系人")
#: Tables of staff.
_STAFF = frozenset({"staff", "employee", "employees", "teacher", "teachers", "jzg", "faculty", "jg", "jiaoshi",
                    "laoshi", "jiaozhigong", "yuangong"})
_STAFF_CJK = ("教职工", "教师", "员工")
#: Words marking a school or kindergarten system (any table so named makes the whole store one).
_SCHOOL = frozenset({"school", "schools", "kindergarten", "nursery", "preschool", "xs", "xsxx", "xj", "enrolment",
                     "enrollment", "student", "students", "pupil", "pupils", "xuexiao", "youeryuan", "xuesheng",
                     "youer", "xueji", "banji"})
_SCHOOL_CJK = ("学生", "学籍", "幼儿", "学校", "幼儿园", "班级")
#: Primary-key names too generic to link tables by name.
_GENERIC_KEYS = frozenset({"id", "uuid", "key", "code", "pk", "no", "seq", "oid", "rowid"})
#: Column words of a key (``student_id``, ``ward_id``, ``幼儿编号``).
_KEY_WORDS = frozenset({"id", "no", "num", "number", "code", "key", "xh"})
_KEY_CJK = ("编号", "学号", "id", "ID")


@dataclass(frozen=True)
class TableShape:
    """Discovery metadata of one table (names only).

    Attributes:
        name: Table name.
        columns: Column names.
        primary_key: Primary-key column names.
        foreign_keys: Column name to referenced ``table.column``.
        comment: The table comment.
    """

    name: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: Mapping[str, str] = field(default_factory=dict)
    comment: str = ""


def _words(text: str) -> tuple[set[str], str]:
    tokens = tokenize_table(text)
    return {t for t in tokens if t.isascii() and not t.isdigit()}, "".join(t for t in tokens if not t.isascii())


def _says(text: str, words: frozenset[str], cjk: tuple[str, ...]) -> bool:
    latin, han = _words(text)
    return bool(latin & words) or any(w in han for w in cjk)


_JOIN = frozenset({"join", "joins", "link", "links", "map", "mapping", "rel", "xref"})
#: Head nouns of tables that describe people's data rather than hold people (``gibbonPersonField``).
_META_HEADS = frozenset({
    "field", "fields", "setting", "settings", "type", "types", "role", "roles", "category", "categories",
    "log", "logs", "config", "option", "options", "template", "templates",
})
_CATEGORIES: tuple[tuple[RowRole, frozenset[str], tuple[str, ...]], ...] = (
    ("guardian", _GUARDIAN, _GUARDIAN_CJK),
    ("staff", _STAFF, _STAFF_CJK),
    ("mixed", _PERSON, _PERSON_CJK),
    ("student", _SUBJECT, _SUBJECT_CJK),
)


def _table_role(shape: TableShape) -> RowRole:
    """Whose rows the table's own name says it holds; its head noun decides.

    ``FamilyChild`` holds children, ``XS_JTCY`` students' family members, ``students_join_people`` is a
    link with no persons of its own.
    """
    tokens = [t for t in tokenize_table(shape.name) if not t.isdigit()]
    if any(t in _JOIN for t in tokens) or (tokens and tokens[-1] in _META_HEADS):
        return "unknown"
    for tok in reversed(tokens):
        if tok.isascii():
            for role, words, _ in _CATEGORIES:
                if tok in words:
                    return role
            continue
        # A CJK run: the word that ends rightmost is the head (学生家庭成员 → 家庭成员).
        best: tuple[int, RowRole] | None = None
        for role, _, cjk in _CATEGORIES:
            for w in cjk:
                at = tok.rfind(w)
                if at >= 0 and (best is None or at + len(w) > best[0]):
                    best = (at + len(w), role)
        if best is not None:
            return best[1]
    if shape.comment and shape.comment != shape.name:
        return _table_role(TableShape(shape.comment, ()))
    return "unknown"


def _names_child_key(column: str) -> bool:
    """``student_id``, ``ward_id``, ``幼儿编号``: a column holding the key of a child."""
    latin, han = _words(column)
    subject = bool(latin & _SUBJECT) or any(w in han for w in _SUBJECT_CJK)
    return subject and (bool(latin & _KEY_WORDS) or any(w in column for w in _KEY_CJK))


def _person_words(table: str) -> bool:
    return table_words_people(table) is True


def schema_contexts(shapes: Sequence[TableShape]) -> dict[str, TableContext]:
    """The context of every table of one store (one schema or database).

    Args:
        shapes: Every table's metadata.

    Returns:
        Context by lower-case table name (tables with nothing to say are left out).
    """
    by_name = {s.name.lower(): s for s in shapes}
    # Tables keyed by a distinctive primary key (``XH``), for references left undeclared.
    by_key: dict[str, str] = {}
    for s in shapes:
        if len(s.primary_key) == 1 and s.primary_key[0].lower() not in _GENERIC_KEYS:
            by_key.setdefault(s.primary_key[0].lower(), s.name.lower())
    school = any(_says(f"{s.name} {s.comment}", _SCHOOL, _SCHOOL_CJK) for s in shapes)
    own = {n: _table_role(s) for n, s in by_name.items()}
    roles: dict[str, set[RowRole]] = {n: set() for n in by_name}
    referenced_by: dict[str, list[str]] = {n: [] for n in by_name}
    refs_child: set[str] = set()
    named_by: dict[str, set[RowRole]] = {n: set() for n in by_name}
    references: dict[str, dict[str, str]] = {}  # for the classifier's records-about-people hook

    for name, s in by_name.items():
        pk = {c.lower() for c in s.primary_key}
        targets: dict[str, str] = {}
        for col, target in s.foreign_keys.items():
            table = target.rsplit(".", 1)[0].lower()
            if table in by_name and table != name:
                targets[col] = table
        for col in s.columns:
            low = col.lower()
            if col not in targets and low not in pk and low in by_key and by_key[low] != name:
                targets[col] = by_key[low]
        references[name] = dict(targets)
        child_cols = {c for c in s.columns if _names_child_key(c)}
        # An enrolment row points at the one person it enrols: in a table that names children, its
        # only reference to a person table is the child's.
        person_refs = [c for c, t in targets.items() if own[t] in ("mixed", "student")]
        names_subject = own[name] == "student" or (
            own[name] == "unknown" and _says(s.name, _SUBJECT, _SUBJECT_CJK)
        )
        to_child = {
            c for c, t in targets.items()
            if c in child_cols or own[t] == "student" or (names_subject and person_refs == [c])
        }
        if to_child or child_cols:
            refs_child.add(name)
        for col, table in targets.items():
            referenced_by[table].append(s.name)
            if col in to_child:
                roles[table].add("student")
            elif own[table] in ("mixed", "guardian") and own[name] in ("guardian", "staff"):
                roles[table].add(own[name])
                named_by[table].add(own[name])  # only the referencing table's name says so
            elif own[table] in ("mixed", "guardian") and name in refs_child and len(person_refs) + len(
                [c for c in child_cols if c not in targets]
            ) == 2 and (to_child or child_cols):
                # The other side of a student link (students_join_people): a row pairing one child with
                # one person; a table with more person references says nothing about who they are.
                roles[table].add("guardian")

    # Hook (acc-14): records that point at people are about people (classify.people decides which).
    about = tables_about_people(references, {n for n in by_name if own[n] != "unknown" or _person_words(n)})
    out: dict[str, TableContext] = {}
    for name in by_name:
        role: RowRole = own[name]
        seen = roles[name]
        if role == "mixed" and seen and not (seen - named_by[name]):
            role = "mixed"  # a person table pointed at only by contacts or staff tables still holds everyone
        elif role == "mixed" or (role == "unknown" and seen):
            role = ("mixed" if len(seen) > 1 else next(iter(seen))) if seen else role
        if role == "unknown" and name in refs_child:
            role = "linked"
        purposed = school and (
            role == "student"
            or (role == "mixed" and "student" in seen)
            or role == "linked"
        )
        ctx = TableContext(purposed, role, tuple(referenced_by[name]),
                           about_people=True if name in about else None, people_tables=about.get(name, ()))
        if ctx != TableContext():
            out[name] = ctx
    return out


def shape_of(name: str, columns: Sequence[str], meta: Mapping[str, object]) -> TableShape:
    """A :class:`TableShape` from a discovered table's name, column names and connector ``meta``."""
    pk = meta.get("primary_key") or ()
    fks = meta.get("foreign_keys") or {}
    return TableShape(
        name=name,
        columns=tuple(columns),
        primary_key=tuple(str(c) for c in pk) if isinstance(pk, list | tuple) else (),
        foreign_keys={str(k): str(v) for k, v in fks.items()} if isinstance(fks, Mapping) else {},
        comment=str(meta.get("table_comment") or ""),
    )


def annotate_context(infos: Sequence[AssetInfo], links: Sequence[TableLink] = ()) -> list[AssetInfo]:
    """Attach to each table what the rest of its schema says about it (names and keys only, no query).

    Args:
        infos: Every asset one connector discovered.
        links: Inferred links to weigh beside the declared foreign keys (accepted single-column ones).

    Returns:
        The same assets in the same order; tables with a context are copies carrying it.
    """
    inferred: dict[tuple[str, ...], dict[str, str]] = {}
    for link in links:
        if link.accepted and not link.declared and len(link.from_columns) == 1:
            inferred.setdefault(link.from_path, {})[link.from_columns[0]] = f"{link.to_path[-1]}.{link.to_columns[0]}"
    groups: dict[tuple[str, ...], list[AssetInfo]] = {}
    for info in infos:
        if info.ref.kind is AssetKind.TABLE and info.ref.path:
            groups.setdefault(info.ref.path[:-1], []).append(info)
    found: dict[tuple[str, ...], TableContext] = {}
    for schema, tables in groups.items():
        shapes = []
        for t in tables:
            extra = inferred.get(t.ref.path)
            meta = t.meta
            if extra:
                fks = meta.get("foreign_keys")
                meta = {**meta, "foreign_keys": {**extra, **(fks if isinstance(fks, Mapping) else {})}}
            shapes.append(shape_of(t.ref.path[-1], [c.name for c in t.columns], meta))
        for name, ctx in schema_contexts(shapes).items():
            found[(*schema, name)] = ctx
    out = []
    for info in infos:
        key = (*info.ref.path[:-1], info.ref.path[-1].lower()) if info.ref.path else ()
        mark = found.get(key) if info.ref.kind is AssetKind.TABLE else None
        out.append(dataclasses.replace(info, meta={**info.meta, CONTEXT_KEY: mark}) if mark else info)
    return out


def context_of(info: AssetInfo) -> TableContext | None:
    """The context :func:`annotate_context` attached to an asset, or None."""
    ctx = info.meta.get(CONTEXT_KEY)
    return ctx if isinstance(ctx, TableContext) else None
