"""Whose row is it: the role column of a mixed person table (students, parents and staff in one table).

Student information systems often keep every person in one table and say in a column who each is
(``PersonType``, ``role``, ``category``, ``身份``, ``人员类别`` with values such as ``Student``/``Parent``/
``Staff`` or ``学生``/``家长``/``教师``). Rows are then counted per role: a guardian's or a staff member's
row is never a child's, whatever else it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pi_scanner.classify.column_names import tokenize
from pi_scanner.classify.fast import normalize_cell
from pi_scanner.models import ColumnInfo

RowRole = Literal["student", "adult"]

#: Column-name tokens of a role column.
_ROLE_COLUMN_TOKENS = frozenset({"role", "type", "category", "kind", "persontype", "usertype", "identity"})
_ROLE_COLUMN_CJK = ("身份", "人员类别", "人员类型", "用户类型", "角色", "类别")
#: Values naming a student (a child in a school or kindergarten system).
_STUDENT_VALUES = frozenset({
    "student", "students", "pupil", "child", "children", "kid", "learner", "学生", "幼儿", "儿童", "学员",
})
#: Values naming adults: guardians and staff.
_ADULT_VALUES = frozenset({
    "parent", "parents", "guardian", "mother", "father", "staff", "teacher", "employee", "admin",
    "administrator", "support staff", "faculty", "家长", "监护人", "教师", "老师", "教职工", "职工", "员工",
    "管理员", "父亲", "母亲",
})
#: Share of a role column's non-empty values that must be role words for it to count.
_MIN_ROLE_SHARE = 0.8


def _is_role_column(column: ColumnInfo) -> bool:
    tokens = tokenize(column.name)
    latin = [t for t in tokens if t.isascii()]
    cjk = "".join(t for t in tokens if not t.isascii())
    return bool(latin and latin[-1] in _ROLE_COLUMN_TOKENS) or any(w in cjk for w in _ROLE_COLUMN_CJK)


def role_of_value(value: object) -> RowRole | None:
    """``student`` for ``Student``/``学生``, ``adult`` for ``Parent``/``Staff``/``教师``, else None."""
    text = normalize_cell(value, 40).strip().lower()
    if text in _STUDENT_VALUES:
        return "student"
    if text in _ADULT_VALUES:
        return "adult"
    return None


def row_roles(columns: Sequence[ColumnInfo], raw: Sequence[Sequence[object]]) -> list[RowRole | None] | None:
    """The role of every row, from the table's role column, or None when it has none.

    A column counts when its name says role/type/category and at least 80 % of its non-empty values are
    role words (``Student``, ``Parent``, ``学生``, ``家长``), with at least one student and one adult value:
    a ``type`` column of ``Full``/``Part`` is no role column.

    Args:
        columns: Column metadata.
        raw: Raw values per column (never stored or logged here).

    Returns:
        One role (or None: unknown) per row, or None.
    """
    for column, values in zip(columns, raw, strict=True):
        if not _is_role_column(column):
            continue
        roles = [role_of_value(v) for v in values]
        filled = [v for v in values if v is not None and normalize_cell(v, 40).strip()]
        known = [r for r in roles if r is not None]
        if not filled or len(known) < _MIN_ROLE_SHARE * len(filled):
            continue
        if "student" in known and "adult" in known:
            return roles
    return None


def coded_roles(
    columns: Sequence[ColumnInfo], raw: Sequence[Sequence[object]], column: str, codes: Mapping[str, RowRole]
) -> list[RowRole | None] | None:
    """The role of every row from a role *code* column resolved through a lookup table.

    Args:
        columns: Column metadata.
        raw: Raw values per column.
        column: The code column (``gibbonRoleIDPrimary``).
        codes: Code as stripped text to role (read from the lookup table by the data map).

    Returns:
        One role (or None) per row, or None when the column is not in the sample.
    """
    for info, values in zip(columns, raw, strict=True):
        if info.name == column:
            return [codes.get(normalize_cell(v, 40).strip()) if v is not None else None for v in values]
    return None
