"""Classifier.classify with a schema context: empty person tables, family-member tables, mixed roles."""

import datetime as dt

import pytest

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.schema_context import TableContext
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
