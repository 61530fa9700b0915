"""Propagation from children's tables: empty tables get their verdict from the schema, through chains too."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pi_scanner.classify.table_context import TableContext
from pi_scanner.datamap.probe import RootRows
from pi_scanner.datamap.propagate import Root, empty_person_tables, find_roots, propagate
from pi_scanner.models import AgeCounts, AssetKind, AssetRef, AssetResult, ChildStatus, ColumnFinding, TableLink


def _result(name: str, rows: int, status: ChildStatus = ChildStatus.NONE) -> AssetResult:
    return AssetResult(AssetRef("db", AssetKind.TABLE, ("s", name)), (), status, rows, AgeCounts())


def _link(child: str, column: str, parent: str, evidence: tuple[str, ...] = ("declared",)) -> TableLink:
    return TableLink("db", ("s", child), (column,), ("s", parent), ("id",), 1.0, True, True, evidence)


def test_empty_tables_reached_through_a_chain_are_likely_childrens() -> None:
    # decision -> application -> person (mixed): a fresh install's decision table will hold children's rows.
    results = {("s", n): _result(n, rows) for n, rows in
               (("person", 10), ("application", 0), ("decision", 0), ("decision_note", 0), ("sfi_message", 0))}
    results[("s", "person")] = _result("person", 10, ChildStatus.CHILD)
    links = [_link("application", "child_id", "person"), _link("decision", "application_id", "application"),
             _link("decision_note", "decision_id", "decision"), _link("sfi_message", "guardian_id", "person")]
    root = Root(("s", "person"), ChildStatus.CHILD, RootRows(), exact=False, mixed=True)
    changed, problems = propagate(results, links, [root])
    assert problems == []
    for name in ("application", "decision", "decision_note"):
        assert changed[("s", name)].child_status is ChildStatus.LIKELY_CHILD
    assert len(changed[("s", "decision_note")].linked_via.path) == 3  # type: ignore[union-attr]
    # A guardian's message points at the person table through the guardian's own column: the adult's rows.
    assert ("s", "sfi_message") not in changed


def _suspected(*names_types: tuple[str, str]) -> tuple[ColumnFinding, ...]:
    return tuple(ColumnFinding(n, (t,), 0.5, 0, 0, suspected=True) for n, t in names_types)


def test_empty_person_tables_of_a_childrens_system_are_likely_childrens() -> None:
    person_cols = _suspected(("first_name", "PERSON_NAME"), ("dob", "DATE_OF_BIRTH"))
    results = {
        ("s", "applicants"): dataclasses.replace(_result("applicants", 0), columns=person_cols),
        ("s", "employees"): dataclasses.replace(_result("employees", 0), columns=person_cols),
        ("s", "courses"): dataclasses.replace(_result("courses", 0), columns=_suspected(("name", "PERSON_NAME"))),
    }
    school = {("s", "students"): TableContext(child_purposed=True, role_of_rows="student")}
    marked = empty_person_tables(results, {}, school)
    assert set(marked) == {("s", "applicants")}
    assert marked[("s", "applicants")].child_status is ChildStatus.LIKELY_CHILD
    assert empty_person_tables(results, {}, {}) == {}  # not a children's system: nothing from the schema


def test_staff_tables_and_guardians_own_rows_are_not_childrens() -> None:
    names = _suspected(("first_name", "PERSON_NAME"))
    results = {("s", n): _result(n, 0) for n in ("payslips", "tasks", "homework", "ward_links")}
    results[("s", "users")] = _result("users", 10, ChildStatus.CHILD)
    results[("s", "guardians")] = dataclasses.replace(_result("guardians", 5), columns=names)
    links = [_link("payslips", "user_id", "users"), _link("tasks", "user_id", "users"),
             _link("homework", "user_id", "users"), _link("guardians", "ward_id", "users"),
             _link("ward_links", "ward_id", "users")]
    root = Root(("s", "users"), ChildStatus.CHILD, RootRows(), exact=True)
    contexts = {("s", "guardians"): TableContext(role_of_rows="guardian"),
                ("s", "ward_links"): TableContext(role_of_rows="guardian")}
    changed, _ = propagate(results, links, [root], contexts=contexts, count=lambda chain, rows: 3)
    # homework of a user is a pupil's record; a relation row naming the ward is the child's relation
    assert set(changed) == {("s", "homework"), ("s", "ward_links")}


def test_a_schools_own_things_are_no_roots_for_its_purpose_alone() -> None:
    # ``school_sessions`` called children's for a school's purpose (no child's age in it): every table of the
    # school points at it, and none of them is a child's record for that reason. A pupils' table with
    # children's birth dates stays a root.
    results = {
        ("s", "school_sessions"): dataclasses.replace(_result("school_sessions", 3, ChildStatus.CHILD),
                                                      notes=("child_purposed",)),
        ("s", "pupils"): dataclasses.replace(_result("pupils", 9, ChildStatus.CHILD),
                                             ages=AgeCounts(child=9)),
    }
    roots = find_roots(results, {}, {}, {}, dt.date(2026, 3, 15))
    assert [r.path for r in roots] == [("s", "pupils")]
