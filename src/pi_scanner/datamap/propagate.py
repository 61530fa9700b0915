"""Propagation: a table whose rows point at children's rows holds children's PI linked to them.

The **roots** are the tables the classifier (and the census) found to hold children's records on their own
evidence: age, a children's system's purpose, resolved roles. From each root the accepted links are walked
backwards, breadth-first: every table that references a root, directly or through a chain of tables that
do, is a candidate. For each one:

* a table with rows gets ``child_rows`` = its rows that reach a child row of the root, counted by one
  statement in the database (:meth:`~pi_scanner.datamap.probe.SqlProbe.count_linked`); when there are
  any, it takes the root's ``child_status``; when there are none, nothing changes and the walk stops there;
* an **empty** table (a fresh install is mostly empty tables) gets its verdict from the schema:
  ``likely_child``, so the inventory of a new install already shows where children's data will land;
* a table of guardians or staff (its name or the schema context says so) is never made a child's table:
  a staff record pointing at a person row is the staff member's.

Every table reached gets ``linked_via``: the chain of links, nearest first, and their joint confidence.
Self-references and cycles are walked once (a visited set); composite links are not walked (their rows
are counted only where declared single-column links reach them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pi_scanner.classify.classifier import table_kind
from pi_scanner.classify.column_names import tokenize, tokenize_table
from pi_scanner.classify.table_context import RoleCodes, TableContext
from pi_scanner.datamap.links import is_tenant
from pi_scanner.datamap.probe import RootRows
from pi_scanner.datamap.schema import TableSchema
from pi_scanner.models import SEVERITY, AssetResult, ChildStatus, LinkedVia, TableLink

#: Longest chain of links walked from a root.
MAX_DEPTH = 4
#: Notes on a table's result.
LINKED_NOTE = "linked_to_children"
LINKED_EMPTY_NOTE = "linked_empty"
UNVERIFIED_NOTE = "linked_unverified"
EMPTY_PERSON_NOTE = "empty_person_table"
_CHILDISH = (ChildStatus.CHILD, ChildStatus.LIKELY_CHILD)
_ADULT_ROLES = ("guardian", "staff")

#: Counts rows of chain[0]'s table reaching a child row of the root (raises on a store error).
CountFn = Callable[[Sequence[TableLink], RootRows], int]


@dataclass(frozen=True)
class Root:
    """A table holding children's records on its own evidence.

    Attributes:
        path: The table.
        status: Its child status (child or likely_child).
        rows: Which of its rows are children's.
        exact: ``rows`` picks the children's rows themselves (a role code or a birth date); False when
            every row is counted (a child-purposed table without either).
        mixed: The table holds adults' rows too (a person table of students, parents and staff): a row
            pointing at it through a column named for another role (``created_by``, ``teacher_id``) is
            not a child's for that reason.
    """

    path: tuple[str, ...]
    status: ChildStatus
    rows: RootRows
    exact: bool
    mixed: bool = False


def root_rows(table: TableSchema | None, result: AssetResult, codes: RoleCodes | None, as_of: dt.date,
              age_limit: int = 14) -> tuple[RootRows, bool]:
    """Which rows of a root are children's, as a predicate the database can evaluate."""
    if codes is not None:
        students = tuple(c for c, role in codes.codes if role == "student")
        if students:
            return RootRows(codes.column, codes=students), True
    try:
        born_after = as_of.replace(year=as_of.year - age_limit)
    except ValueError:  # 29 February
        born_after = as_of.replace(year=as_of.year - age_limit, day=28)
    if table is not None:
        for f in result.columns:
            if f.suspected or f.subject_role == "guardian" or "DATE_OF_BIRTH" not in f.entity_types[:1]:
                continue
            col = table.column(f.name)
            if col is not None and col.type_name.lower().startswith(("date", "timestamp")):
                return RootRows(f.name, born_after=born_after), True
        for f in result.columns:
            # The birth date inside a resident ID number (digits 7–14), compared as text in the database.
            # (A sparse ID column can be "suspected" while its valid values already made children's rows.)
            trusted = not f.suspected or result.ages.child > 0
            if trusted and f.subject_role != "guardian" and f.entity_types[:1] == ("CN_RESIDENT_ID",):
                return RootRows(f.name, id_born_after=born_after.strftime("%Y%m%d")), True
    return RootRows(), False


def _empty(result: AssetResult, table: TableSchema | None) -> bool:
    return result.rows_scanned == 0 and (table is None or not table.rows)


def _stronger(a: ChildStatus, b: ChildStatus) -> ChildStatus:
    return a if SEVERITY[a] >= SEVERITY[b] else b


def propagate(
    results: Mapping[tuple[str, ...], AssetResult],
    links: Sequence[TableLink],
    roots: Sequence[Root],
    *,
    tables: Mapping[tuple[str, ...], TableSchema] | None = None,
    contexts: Mapping[tuple[str, ...], TableContext] | None = None,
    count: CountFn | None = None,
) -> tuple[dict[tuple[str, ...], AssetResult], list[str]]:
    """Walk the accepted links back from the roots and mark the tables that reach them.

    Args:
        results: Every table's result so far, by path.
        links: The store's links (only accepted, single-column, non-self links are walked).
        roots: The children's tables.
        tables: Table schemas by path (row estimates, column types).
        contexts: Schema contexts by path (guardian and staff tables are never marked).
        count: Counts linked child rows in the database; None where the store cannot (every table reached
            is then ``likely_child``).

    Returns:
        The changed results by path, and value-free problems (a table gone, a count that failed).
    """
    tables = tables or {}
    contexts = contexts or {}
    into: dict[tuple[str, ...], list[TableLink]] = {}
    for link in links:
        if link.accepted and len(link.from_columns) == 1 and link.from_path != link.to_path \
                and not is_tenant(link.from_columns[0]):
            # A tenant column (school_id) says which school a row belongs to, never whose row it is.
            into.setdefault(link.to_path, []).append(link)
    changed: dict[tuple[str, ...], AssetResult] = {}
    problems: list[str] = []
    root_paths = {r.path for r in roots}
    for root in sorted(roots, key=lambda r: (-SEVERITY[r.status], r.path)):
        seen = {root.path}
        queue: deque[tuple[tuple[str, ...], tuple[TableLink, ...]]] = deque([(root.path, ())])
        while queue:
            at, chain = queue.popleft()
            if len(chain) >= MAX_DEPTH:
                continue
            for link in sorted(into.get(at, ()), key=lambda x: (-x.confidence, x.from_path)):
                here = link.from_path
                if here in seen or here in root_paths or here not in results:
                    continue
                ctx = contexts.get(here)
                adults = (ctx is not None and ctx.role_of_rows in _ADULT_ROLES) or _adults_named(here[-1])
                if adults and (not _column_names_child(link) or _own_names(results[here])):
                    # A guardian's or staff member's record is theirs, whatever it points at; a bare relation
                    # row naming the child it is for (``guardian_id``, ``child_id``) is the child's relation,
                    # but a guardian's own row (their name, phone) pointing at their ward stays the guardian's.
                    continue
                if root.mixed and not chain and not names_subject(link):
                    continue  # another column of the table may still name the subject
                path = (link, *chain)
                current = changed.get(here, results[here])
                if _empty(current, tables.get(here)) and _staff_function(here[-1]) \
                        and not names_subject(link, strict=True):
                    # An empty payslip, purchase order or task table is the staff's however it is reached,
                    # unless its own reference names the pupil.
                    continue
                if _empty(current, tables.get(here)) and root.mixed and not names_subject(path[-1]):
                    # An empty table has no rows to count: its verdict comes from the schema, and a reference
                    # into a table of everyone through an adult's column (``guardian_id``) is the adult's.
                    continue
                marked = _mark(current, path, root, tables.get(here), count, problems)
                if marked is None:
                    continue  # no row reaches a child this way (another link of the table may)
                seen.add(here)
                changed[here] = marked
                queue.append((here, path))
    return changed, problems


#: Evidence of a link named for a role (``created_by_user_id``, ``teacher_personID``).
_ROLE_NAMED = ("name:role+key", "name:key+role", "name:role+entity", "name:audit")
#: Column words naming the child as the row's subject.
_SUBJECT_WORDS = frozenset({"student", "stu", "pupil", "child", "kid", "learner", "xs", "baby", "infant", "ward",
                            "patient", "pat", "yr", "youer", "xuesheng", "children", "students"})
#: Column words naming an adult's part in a row (``guardian_id``, ``receiver_id``, ``approver_id``).
_ADULT_WORDS = frozenset({
    "guardian", "parent", "teacher", "staff", "employee", "author", "creator", "approver", "assignee", "receiver",
    "sender", "manager", "owner", "reviewer", "operator", "modifier", "head", "jz", "js", "jzg", "admin",
    "recipient", "grader", "marker", "requester", "importer", "updater", "editor", "accountant", "doctor", "nurse",
})
_SUBJECT_CJK = ("学生", "幼儿", "儿童", "学员", "宝宝")


#: Table-name words of adults' tables (``xrk_schooladmins``, ``tbl_teacher``).
_ADULT_NAME_WORDS = ("admin", "staff", "teacher", "employee", "guardian", "parent", "doctor", "nurse")


#: Table words of a school's staff functions: payroll, purchasing, stores, tasks, privileges.
_STAFF_FUNCTIONS = frozenset({
    "payslip", "payslips", "payroll", "salary", "salaries", "purchase", "purchases", "indent", "indents",
    "inventory", "inventories", "stock", "stocks", "supplier", "suppliers", "vendor", "vendors", "grn", "grns",
    "task", "tasks", "privilege", "privileges", "permission", "permissions", "donation", "donations", "asset",
    "assets", "procurement", "expense", "expenses", "invoice", "invoices",
})


def _staff_function(table: str) -> bool:
    return bool(set(tokenize_table(table)) & _STAFF_FUNCTIONS)


def _adults_named(table: str) -> bool:
    words = [w for w in tokenize_table(table) if w.isascii()]
    return bool(words) and any(words[-1].startswith(a) or words[-1].endswith((a, a + "s")) for a in _ADULT_NAME_WORDS)


def _own_names(result: AssetResult) -> bool:
    """Whether a table carries people's own names (its rows are people, not relations between them)."""
    return any("PERSON_NAME" in f.entity_types[:1] for f in result.columns)


def _column_names_child(link: TableLink) -> bool:
    column = link.from_columns[0]
    return bool(set(tokenize(column)) & _SUBJECT_WORDS) or any(w in column for w in _SUBJECT_CJK)


def names_subject(link: TableLink, *, strict: bool = False) -> bool:
    """Whether a link into a mixed person table is the row's subject, not a creator, teacher or approver.

    A plainly named key (``user_id``, ``gibbonPersonID``) or one naming a child
    (``gibbonPersonIDStudent``, ``student_user_id``) is the subject; a role-named one (``created_by``,
    ``teacher_id``, ``usermodified``) is not. With ``strict``, only a column or table naming a child
    counts.
    """
    if _column_names_child(link):
        return True
    col_tokens = set(tokenize(link.from_columns[0]))
    tokens = col_tokens | set(tokenize_table(link.from_path[-1]))
    if col_tokens & _ADULT_WORDS:
        return False  # ``guardian_id`` in a pupil's table still names the guardian
    if tokens & _SUBJECT_WORDS or any(w in link.from_path[-1] for w in _SUBJECT_CJK):
        return True
    return not strict and not any(e in _ROLE_NAMED for e in link.evidence)


def _mark(
    result: AssetResult,
    path: tuple[TableLink, ...],
    root: Root,
    table: TableSchema | None,
    count: CountFn | None,
    problems: list[str],
) -> AssetResult | None:
    confidence = 1.0
    for link in path:
        confidence *= link.confidence
    via = LinkedVia(tuple(link.label for link in path), round(confidence, 3))
    if result.linked_via is not None and result.linked_via.confidence >= via.confidence:
        via = result.linked_via
    if _empty(result, table):
        status = _stronger(result.child_status, ChildStatus.LIKELY_CHILD)
        return _with(result, status, via, LINKED_EMPTY_NOTE, None)
    if count is None:
        return _with(result, _stronger(result.child_status, ChildStatus.LIKELY_CHILD), via, LINKED_NOTE, None)
    try:
        n = count(path, root.rows)
    except Exception as exc:  # a store error on one table must not lose the map
        problems.append(f"{'.'.join(result.asset.path)}: linked rows not counted ({type(exc).__name__})")
        return _with(result, _stronger(result.child_status, ChildStatus.LIKELY_CHILD), via, UNVERIFIED_NOTE, None)
    if n == 0:
        return None
    status = root.status if root.exact and root.status is ChildStatus.CHILD else ChildStatus.LIKELY_CHILD
    return _with(result, _stronger(result.child_status, status), via, LINKED_NOTE, n)


def _with(result: AssetResult, status: ChildStatus, via: LinkedVia, note: str, child_rows: int | None) -> AssetResult:
    ages = result.ages
    if child_rows is not None and child_rows > ages.child:
        moved = min(ages.unknown, child_rows - ages.child)
        ages = dataclasses.replace(ages, child=child_rows, unknown=ages.unknown - moved)
    notes = tuple(dict.fromkeys((*result.notes, note)))
    return dataclasses.replace(result, child_status=status, linked_via=via, notes=notes, ages=ages)


def find_roots(
    results: Mapping[tuple[str, ...], AssetResult],
    tables: Mapping[tuple[str, ...], TableSchema],
    contexts: Mapping[tuple[str, ...], TableContext],
    codes: Mapping[tuple[str, ...], RoleCodes],
    as_of: dt.date,
) -> list[Root]:
    """The tables holding children's records on their own evidence (guardian and staff tables excluded)."""
    out = []
    for path, result in results.items():
        if result.child_status not in _CHILDISH:
            continue
        ctx = contexts.get(path)
        if table_kind(path[-1], tables[path].comment if path in tables else ""):
            continue  # the school's own profile or a class list is nobody's record to point at
        if ctx is not None and ctx.role_of_rows in (*_ADULT_ROLES, "linked"):
            continue  # adults' tables are no roots; a table of links to children is reached through them
        if _names_a_thing(path[-1]) and not (result.ages.child or result.ages.likely_child) \
                and path not in codes:
            # A school's sessions, terms, courses or exams called children's for its purpose alone: every
            # table of the school points at them, and none of those rows is a child's for that reason.
            continue
        rows, exact = root_rows(tables.get(path), result, codes.get(path), as_of)
        # Every row of a students' own table is a student's.
        exact = exact or (ctx is not None and ctx.role_of_rows == "student")
        if not exact and not {"child_purposed", EMPTY_PERSON_NOTE} & set(result.notes) \
                and result.child_status is not ChildStatus.CHILD:
            # Some rows are children's but nothing says which (an app's accounts with a minor flag):
            # counting every row that points at the table would call adults' records children's.
            continue
        mixed = (ctx is not None and ctx.role_of_rows == "mixed") or result.ages.adult > 0
        out.append(Root(path, result.child_status, rows, exact, mixed))
    return out


#: Head nouns of a school's own things: its calendar, structure, curriculum, rules and notices.
_THING_HEADS = frozenset({
    "session", "sessions", "semester", "semesters", "term", "terms", "period", "periods", "year", "years",
    "class", "classes", "section", "sections", "course", "courses", "subject", "subjects", "exam", "exams",
    "room", "rooms", "event", "events", "notice", "notices", "syllabus", "syllabi", "routine", "routines",
    "rule", "rules", "system", "systems", "setting", "settings", "config", "configs", "school", "schools",
    "department", "departments", "menu", "menus", "role", "roles", "permission", "permissions", "template",
    "templates", "category", "categories", "type", "types", "campus", "campuses", "building", "buildings",
})


def _names_a_thing(table: str) -> bool:
    """Whether a table's head noun names one of a school's things rather than people or their records."""
    words = [w for w in tokenize_table(table) if w.isascii() and not w.isdigit()]
    return bool(words) and words[-1] in _THING_HEADS


#: Table words of adults: an empty table so named holds no child's record of its own.
_ADULT_TABLE_WORDS = frozenset({
    "staff", "employee", "employees", "teacher", "teachers", "guardian", "guardians", "parent", "parents", "admin",
    "admins", "user", "users", "member", "members", "account", "accounts", "contact", "contacts", "doctor", "nurse",
    "jzg", "js", "jz", "jzxx", "jg", "archived", "history", "log", "logs", "bak", "backup", "copy", "his",
})


def empty_person_tables(
    results: Mapping[tuple[str, ...], AssetResult],
    tables: Mapping[tuple[str, ...], TableSchema],
    contexts: Mapping[tuple[str, ...], TableContext],
) -> dict[tuple[str, ...], AssetResult]:
    """Empty tables of people in a children's system, marked ``likely_child`` from their schema alone.

    A fresh school install's ``applicants`` or ``registrations`` table (names and a birth-date column, no
    rows) will hold the children who apply: the inventory says so before the first row lands. A children's
    system is one where some table holds children's records by its purpose; a table of staff, guardians or
    users, or an archive or log copy, is left alone.
    """
    if not any(ctx.child_purposed for ctx in contexts.values()):
        return {}
    out: dict[tuple[str, ...], AssetResult] = {}
    for path, result in results.items():
        if not _empty(result, tables.get(path)) or result.child_status in (*_CHILDISH, ChildStatus.ADULT):
            continue
        ctx = contexts.get(path)
        if ctx is not None and ctx.role_of_rows in (*_ADULT_ROLES, "mixed"):
            continue
        if set(tokenize_table(path[-1])) & _ADULT_TABLE_WORDS:
            continue
        born = [f for f in result.columns if "DATE_OF_BIRTH" in f.entity_types and f.subject_role != "guardian"]
        named = [f for f in result.columns if "PERSON_NAME" in f.entity_types and f.subject_role != "guardian"]
        if born and named:
            notes = tuple(dict.fromkeys((*result.notes, EMPTY_PERSON_NOTE)))
            out[path] = dataclasses.replace(result, child_status=ChildStatus.LIKELY_CHILD, notes=notes)
    return out
