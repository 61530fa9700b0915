"""Classifier.classify with a schema context: empty person tables, family-member tables, mixed roles."""

import datetime as dt

import pytest

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.table_context import TableContext
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AssetKind, AssetRef, ChildStatus, ColumnInfo, Sample

AS_OF = dt.date(2026, 3, 15)


def _sample(table: str, columns: list[str], rows: list[list[object]]) -> Sample:
    return Sample(
        asset=AssetRef("db", AssetKind.TABLE, ("public", table)),
        columns=[ColumnInfo(c, "varchar(60)") for c in columns],
        rows=rows,
    )


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(ClassifierConfig(), AS_OF)


def test_empty_person_table_pointed_at_by_enrolments_is_child(clf: Classifier) -> None:
    sample = _sample("gibbonPerson", ["surname", "firstName", "dob", "email"], [])
    assert clf.classify(sample).child_status is ChildStatus.UNKNOWN  # the name says nothing
    ctx = TableContext(child_purposed=True, role_of_rows="mixed", referenced_by=("gibbonStudentEnrolment",))
    result = clf.classify(sample, ctx)
    assert result.child_status is ChildStatus.CHILD
    assert "child_purposed" in result.notes


def test_family_members_of_students_are_not_child_purposed(clf: Classifier) -> None:
    sample = _sample("XS_JTCY", ["CYXM", "CYLXDH"], [])
    assert clf.classify(sample).child_status is ChildStatus.CHILD  # "xs" (student) in the name
    ctx = TableContext(child_purposed=False, role_of_rows="guardian")
    assert clf.classify(sample, ctx).child_status is ChildStatus.UNKNOWN


def test_adult_rows_outweigh_the_context(clf: Classifier) -> None:
    rows = [["Wang", f"1980-01-0{i + 1}"] for i in range(8)]
    sample = _sample("person", ["surname", "dob"], rows)
    ctx = TableContext(child_purposed=True, role_of_rows="mixed")
    assert clf.classify(sample, ctx).child_status is ChildStatus.ADULT


def test_context_without_identifying_pi_is_none(clf: Classifier) -> None:
    sample = _sample("gibbonStudentEnrolment", ["rollOrder"], [])
    ctx = TableContext(child_purposed=True, role_of_rows="student")
    assert clf.classify(sample, ctx).child_status is ChildStatus.NONE


def _mixed(role_column: str, roles: list[str], dobs: list[str]) -> Sample:
    names = ["王子轩", "李欣怡", "张宇轩", "刘雨桐", "陈建华", "杨国强", "黄丽娟", "赵海燕", "吴志明", "周晓东"]
    rows = [[names[i], r, d] for i, (r, d) in enumerate(zip(roles, dobs, strict=True))]
    return _sample("person", ["name", role_column, "dob"], rows)


@pytest.mark.parametrize(
    ("column", "student", "parent", "staff"),
    [
        ("PersonType", "Student", "Parent", "Staff"),
        ("身份", "学生", "家长", "教师"),
        ("role", "student", "guardian", "teacher"),
    ],
)
def test_mixed_table_counts_rows_by_role(
    clf: Classifier, column: str, student: str, parent: str, staff: str
) -> None:
    roles = [student] * 4 + [parent] * 3 + [staff] * 3
    # Two students with a child's birth date, two with none; a parent row with a bogus child's date.
    dobs = ["2016-05-01", "2017-06-02", "", "", "2015-01-01", "", "", "", "", ""]
    result = clf.classify(_mixed(column, roles, dobs), TableContext(child_purposed=True, role_of_rows="mixed"))
    assert result.ages.child == 2
    assert result.ages.likely_child == 2  # students with no age signal, in a school system
    assert result.ages.adult == 6  # parents and staff are never children, whatever else the row says
    assert result.child_status is ChildStatus.CHILD


def test_mixed_table_outside_a_school_keeps_unknown_students(clf: Classifier) -> None:
    roles = ["Student", "Student", "Parent", "Staff"]
    result = clf.classify(_mixed("role", roles, ["", "", "", ""]))
    assert result.ages.likely_child == 0 and result.ages.adult == 2


def test_type_column_without_role_words_is_ignored(clf: Classifier) -> None:
    sample = _mixed("type", ["Full", "Part", "Full", "Part"], ["", "", "", ""])
    result = clf.classify(sample, TableContext(child_purposed=True, role_of_rows="mixed"))
    assert result.ages.adult == 0 and result.ages.likely_child == 0


@pytest.mark.parametrize("table", ["gibbonSetting", "gibbonPersonField", "batches", "custom_fields"])
def test_bare_name_of_a_thing_is_no_person_name(clf: Classifier, table: str) -> None:
    assert clf.classify(_sample(table, ["name"], [])).columns == ()


@pytest.mark.parametrize("table", ["gibbonPerson", "students", "people", "batch_students"])
def test_bare_name_of_a_person_table_stays(clf: Classifier, table: str) -> None:
    cols = clf.classify(_sample(table, ["name"], [])).columns
    assert cols and cols[0].entity_types[0] == "PERSON_NAME"
