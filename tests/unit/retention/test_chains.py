"""The SQL naming a linked table's rows follows every chain of links to the root, cycles included (SQLite)."""

from __future__ import annotations

import sqlalchemy as sa

from pi_scanner.retention.linked import MAX_DEPTH, Chains, Incoming, chain_count

ROOT = ("main", "students")


def _db() -> tuple[sa.Engine, sa.MetaData]:
    engine = sa.create_engine("sqlite://")
    md = sa.MetaData()
    sa.Table("students", md, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("enrolments", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("student_id", sa.Integer),
             sa.Column("last_grade_id", sa.Integer))
    sa.Table("grades", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("student_id", sa.Integer),
             sa.Column("enrolment_id", sa.Integer))
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(md.tables["students"].insert(), [{"id": 1}, {"id": 2}])
        conn.execute(md.tables["enrolments"].insert(), [
            {"id": 10, "student_id": 1, "last_grade_id": None},
            {"id": 11, "student_id": None, "last_grade_id": 100},  # the pupil's only through a grade
            {"id": 20, "student_id": 2, "last_grade_id": None}])
        conn.execute(md.tables["grades"].insert(), [
            {"id": 100, "student_id": 1, "enrolment_id": 10},
            {"id": 101, "student_id": None, "enrolment_id": 11},  # grade → enrolment → grade → pupil
            {"id": 200, "student_id": 2, "enrolment_id": 20}])
    return engine, md


# grades ⇄ enrolments form a cycle; both also point at the pupil directly.
INCOMING = {
    ("main", "grades"): [Incoming(ROOT, "student_id", "id", "g.s", False),
                         Incoming(("main", "enrolments"), "enrolment_id", "id", "g.e", False)],
    ("main", "enrolments"): [Incoming(ROOT, "student_id", "id", "e.s", False),
                             Incoming(("main", "grades"), "last_grade_id", "id", "e.g", False)],
}


def test_rows_reached_only_by_a_longer_chain_through_a_cycle_are_named_once() -> None:
    engine, md = _db()
    chains = Chains(lambda p: md.tables[p[1]], ROOT, lambda t: t.c.id == 1, INCOMING)
    with engine.connect() as conn:
        for name, expected in (("grades", {100, 101}), ("enrolments", {10, 11})):
            table = md.tables[name]
            rows = [r[0] for r in conn.execute(sa.select(table.c.id).where(chains.where(("main", name), table)))]
            assert sorted(rows) == sorted(expected), name  # each row once, pupil 2's never


def test_the_cycle_is_bounded() -> None:
    # Two chains of each length: bounded by the depth, not endless.
    assert 0 < chain_count(INCOMING, ROOT, ("main", "grades"), 10_000) <= 2 ** MAX_DEPTH
    assert chain_count(INCOMING, ROOT, ("main", "grades"), 3) > 3  # counting stops past the cap
