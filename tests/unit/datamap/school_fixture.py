"""A small school system with no declared foreign keys, rows of three pupils, two staff and one parent.

Shared by the data-map tests (SQLite here; PostgreSQL and MariaDB in the integration tests). Pupils are
born 2015–2017 (children on 2026-03-15), staff and parents in the 1980s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

AS_OF = dt.date(2026, 3, 15)


def build(metadata: sa.MetaData, *, declared: bool = False, schema: str | None = None) -> dict[str, sa.Table]:
    """The tables (declared=True adds the foreign keys a careful install would have)."""

    def fk(target: str) -> list[Any]:
        if not declared:
            return []
        return [sa.ForeignKey(f"{schema}.{target}" if schema else target)]

    t: dict[str, sa.Table] = {}
    t["roles"] = sa.Table("roles", metadata, sa.Column("role_id", sa.Integer, primary_key=True),
                          sa.Column("category", sa.String(20)), schema=schema)
    t["people"] = sa.Table(
        "people", metadata,
        sa.Column("person_id", sa.Integer, primary_key=True),
        sa.Column("surname", sa.String(60)), sa.Column("first_name", sa.String(60)),
        sa.Column("dob", sa.Date), sa.Column("role_id", sa.Integer, *fk("roles.role_id")), schema=schema,
    )
    t["students"] = sa.Table(
        "students", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, *fk("people.person_id")),
        sa.Column("student_no", sa.String(20), unique=True), schema=schema,
    )
    t["attendance"] = sa.Table(
        "attendance", metadata,
        sa.Column("attendance_id", sa.Integer, primary_key=True),
        sa.Column("student_id", sa.Integer, *fk("students.id")),
        sa.Column("day", sa.Date), sa.Column("status", sa.String(10)), schema=schema,
    )
    t["grades"] = sa.Table(
        "grades", metadata,
        sa.Column("grade_id", sa.Integer, primary_key=True),
        sa.Column("student_id", sa.String(20)),  # varchar against the integer key: a real-world drift
        sa.Column("score", sa.Integer), schema=schema,
    )
    t["library_loans"] = sa.Table(  # keyed by the student number, typed by hand: case and space drift
        "library_loans", metadata,
        sa.Column("loan_id", sa.Integer, primary_key=True),
        sa.Column("student_no", sa.String(20)), sa.Column("book", sa.String(40)), schema=schema,
    )
    t["medical_visits"] = sa.Table(  # empty: a fresh install's table
        "medical_visits", metadata,
        sa.Column("visit_id", sa.Integer, primary_key=True),
        sa.Column("student_id", sa.Integer, *fk("students.id")),
        sa.Column("complaint", sa.Text), schema=schema,
    )
    t["staff"] = sa.Table(
        "staff", metadata,
        sa.Column("staff_id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.Integer, *fk("people.person_id")),
        sa.Column("job_title", sa.String(40)), schema=schema,
    )
    t["staff_leave"] = sa.Table(
        "staff_leave", metadata,
        sa.Column("leave_id", sa.Integer, primary_key=True),
        sa.Column("staff_id", sa.Integer, *fk("staff.staff_id")),
        sa.Column("days", sa.Integer), schema=schema,
    )
    t["categories"] = sa.Table(  # a self-reference
        "categories", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, *fk("categories.id")),
        sa.Column("label", sa.String(20)), schema=schema,
    )
    return t


def fill(conn: sa.Connection, t: dict[str, sa.Table]) -> None:
    """Rows: pupils 1–3 (people 1–3), a parent (4), two staff (5, 6)."""
    conn.execute(t["roles"].insert(), [
        {"role_id": 1, "category": "Student"}, {"role_id": 2, "category": "Parent"},
        {"role_id": 3, "category": "Staff"},
    ])
    conn.execute(t["people"].insert(), [
        {"person_id": 1, "surname": "Wang", "first_name": "Zixuan", "dob": dt.date(2015, 3, 4), "role_id": 1},
        {"person_id": 2, "surname": "Li", "first_name": "Yinuo", "dob": dt.date(2016, 5, 6), "role_id": 1},
        {"person_id": 3, "surname": "Zhang", "first_name": "Xinyi", "dob": dt.date(2017, 7, 8), "role_id": 1},
        {"person_id": 4, "surname": "Wang", "first_name": "Jianhua", "dob": dt.date(1984, 1, 2), "role_id": 2},
        {"person_id": 5, "surname": "Chen", "first_name": "Lijuan", "dob": dt.date(1980, 2, 3), "role_id": 3},
        {"person_id": 6, "surname": "Liu", "first_name": "Haiyan", "dob": dt.date(1975, 3, 4), "role_id": 3},
    ])
    conn.execute(t["students"].insert(), [
        {"id": 10 + i, "person_id": i, "student_no": f"S{i:04d}"} for i in (1, 2, 3)
    ])
    conn.execute(t["attendance"].insert(), [
        {"attendance_id": n, "student_id": 10 + (n % 3) + 1, "day": dt.date(2026, 3, 1 + n), "status": "present"}
        for n in range(9)
    ])
    conn.execute(t["grades"].insert(), [
        {"grade_id": n, "student_id": f" {10 + (n % 3) + 1}", "score": 70 + n} for n in range(6)
    ])
    conn.execute(t["library_loans"].insert(), [
        {"loan_id": n, "student_no": f"s{(n % 3) + 1:04d} ", "book": "Atlas"} for n in range(4)
    ])
    conn.execute(t["staff"].insert(), [
        {"staff_id": 100, "person_id": 5, "job_title": "Teacher"},
        {"staff_id": 101, "person_id": 6, "job_title": "Nurse"},
    ])
    conn.execute(t["staff_leave"].insert(), [{"leave_id": 1, "staff_id": 100, "days": 2}])
    conn.execute(t["categories"].insert(), [
        {"id": 1, "parent_id": None, "label": "root"}, {"id": 2, "parent_id": 1, "label": "leaf"},
    ])
