"""What the rest of a schema says about one table, as the classifier consumes it.

The classifier reads one table at a time; :mod:`pi_scanner.datamap` looks across the tables of a store and
hands each table a :class:`TableContext` (whose rows it holds, whether they are a children's system's
children, and role codes resolved through a lookup table). This module only defines the value, so the
classifier never imports the data map.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

RowRole = Literal["student", "guardian", "staff", "mixed", "linked", "unknown"]
#: Role of one person row resolved through a lookup table.
CodedRole = Literal["student", "adult"]


@dataclass(frozen=True)
class RoleCodes:
    """A role column whose codes point at a lookup table (``gibbonRoleIDPrimary`` → ``gibbonRole``).

    Attributes:
        column: The role column of the person table.
        codes: Code (as text, stripped) to ``student`` or ``adult``, read from the lookup table's labels.
    """

    column: str
    codes: tuple[tuple[str, CodedRole], ...]


@dataclass(frozen=True)
class TableContext:
    """What the schema around a table says about its rows.

    Attributes:
        child_purposed: The table holds the records of a children's system's children (students of a
            school, children of a kindergarten) or records about one child each (an enrolment, a pickup):
            its PI is children's PI even when the table is empty.
        role_of_rows: Whose rows these are: ``student``, ``guardian`` (adults linked to a child), ``staff``,
            ``mixed`` (one person table for students, guardians and staff), ``linked`` (each row is about
            a child it references), or ``unknown``.
        referenced_by: Names of the tables whose keys point at this table.
        role_codes: A role column resolved through its lookup table, or None.
        about_people: Whether the table's rows are people or link to people (the data map knows from its
            links); None lets the classifier decide from the table itself. Name-only hints and people-only
            types (free text, photos, fees...) count only in people's tables.
        people_tables: The person tables the rows are records about (``patient_data`` for a vitals form
            keyed by ``pid``), as the data map's links say; empty when unknown.
    """

    child_purposed: bool = False
    role_of_rows: RowRole = "unknown"
    referenced_by: tuple[str, ...] = ()
    role_codes: RoleCodes | None = None
    about_people: bool | None = None
    people_tables: tuple[str, ...] = ()
