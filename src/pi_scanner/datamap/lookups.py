"""Roles through lookup tables: a person table's role *code* resolved to student or adult.

A mixed person table often says who each person is with a code pointing at a lookup table
(``gibbonPerson.gibbonRoleIDPrimary`` → ``gibbonRole.category`` = Student/Parent/Staff;
``users.role_id`` → ``roles.name`` = 学生/家长/教师). The code alone (``3``) says nothing to the
classifier; the lookup's labels do. :func:`role_lookups` finds such links from metadata, and
:func:`resolve_codes` reads the lookup table (a few hundred rows at most, through the connector) and
maps each code to ``student`` or ``adult`` with the same role words the classifier uses for a plain role
column. The resolved codes travel to the classifier in the table's
:class:`~pi_scanner.classify.table_context.TableContext`, before rows are counted per role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pi_scanner.classify.column_names import tokenize, tokenize_table
from pi_scanner.classify.row_roles import role_of_value
from pi_scanner.classify.table_context import CodedRole, RoleCodes
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap.schema import TableSchema, type_family
from pi_scanner.errors import PiScannerError
from pi_scanner.models import AssetKind, AssetRef, TableLink

#: Lookup rows read at most.
MAX_LOOKUP_ROWS = 500
#: Label columns read at most per lookup table.
_MAX_LABELS = 4
_ROLE_WORDS = frozenset({"role", "roles", "type", "types", "category", "categories", "kind", "identity", "usertype",
                         "persontype", "group", "groups", "profile", "profiles", "usergroup", "status"})
_ROLE_CJK = ("角色", "身份", "类别", "类型", "人员类别", "用户组")


@dataclass(frozen=True)
class RoleLookup:
    """A role-code column and the lookup table that names its codes.

    Attributes:
        table: The person table.
        column: Its code column.
        lookup: The lookup table.
        key: The lookup's key column (the codes).
        labels: The lookup's text columns that may name the role.
    """

    table: tuple[str, ...]
    column: str
    lookup: tuple[str, ...]
    key: str
    labels: tuple[str, ...]


def _says_role(name: str, table: bool) -> bool:
    tokens = tokenize_table(name) if table else tokenize(name)
    latin = [t for t in tokens if t.isascii() and not t.isdigit()]
    cjk = "".join(t for t in tokens if not t.isascii())
    if table:
        return bool(latin and latin[-1] in _ROLE_WORDS) or any(w in cjk for w in _ROLE_CJK)
    return bool(set(latin) & _ROLE_WORDS) or any(w in cjk for w in _ROLE_CJK)


def role_lookups(tables: Sequence[TableSchema], links: Sequence[TableLink]) -> list[RoleLookup]:
    """Links from a code column to a lookup table of roles (names only, no query)."""
    by_path = {t.path: t for t in tables}
    out = []
    for link in links:
        if not link.accepted or len(link.from_columns) != 1 or link.from_path == link.to_path:
            continue
        lookup = by_path.get(link.to_path)
        if lookup is None or not _says_role(lookup.name, table=True):
            continue
        if not (_says_role(link.from_columns[0], table=False) or _says_role(lookup.name, table=True)):
            continue
        labels = tuple(
            c.name for c in lookup.columns
            if c.name != link.to_columns[0] and type_family(c.type_name) in ("text", "other")
        )[:_MAX_LABELS]
        if labels:
            out.append(RoleLookup(link.from_path, link.from_columns[0], lookup.path, link.to_columns[0], labels))
    return out


def resolve_codes(connector: SqlConnector, lookup: RoleLookup) -> RoleCodes | None:
    """Read the lookup table and map each code to ``student`` or ``adult`` (None when it names neither).

    The first label column that names at least one student code and one adult code decides
    (``category`` = Student/Parent/Staff before ``name`` = Teacher/Support Staff).

    Raises:
        PiScannerError: The lookup table cannot be read.
    """
    ref = AssetRef(connector.name, AssetKind.TABLE, lookup.lookup)
    rows = connector.read_where(ref, [lookup.key, *lookup.labels], limit=MAX_LOOKUP_ROWS)
    for i in range(len(lookup.labels)):
        codes: dict[str, CodedRole] = {}
        for row in rows:
            code, label = row[0], row[1 + i]
            role = role_of_value(label) if label is not None else None
            if code is not None and role is not None:
                codes[str(code).strip()] = role
        if "student" in codes.values() and "adult" in codes.values():
            return RoleCodes(lookup.column, tuple(sorted(codes.items())))
    return None


def resolve_all(connector: SqlConnector, lookups: Sequence[RoleLookup]) -> tuple[
    dict[tuple[str, ...], RoleCodes], list[str]
]:
    """Resolved codes per person table, and value-free problems (``lookup unreadable: <table>``)."""
    found: dict[tuple[str, ...], RoleCodes] = {}
    problems: list[str] = []
    for lookup in lookups:
        if lookup.table in found:
            continue
        try:
            codes = resolve_codes(connector, lookup)
        except PiScannerError as exc:
            problems.append(f"role lookup {'.'.join(lookup.lookup)} unreadable: {type(exc).__name__}")
            continue
        if codes is not None:
            found[lookup.table] = codes
    return found, problems
