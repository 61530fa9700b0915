"""Per-record age verdicts, with hand-made detections standing in for the recognizers."""

import datetime as dt

import pytest

from pi_scanner.classify.age import age_verdicts, minor_flag_facts, row_verdict
from pi_scanner.classify.column import ColumnVerdict
from pi_scanner.classify.recognizers.base import Detection, Facts
from pi_scanner.models import ChildStatus

AS_OF = dt.date(2026, 3, 15)


def rid(dob: str, entity: str = "CN_RESIDENT_ID") -> Detection:
    return Detection(entity, 0, 18, 0.9, Facts(birth_date=dt.date.fromisoformat(dob), tier="A"), "x")


def dob_field(dob: str) -> Detection:
    return Detection("DATE_OF_BIRTH", 0, 10, 0.85, Facts(birth_date=dt.date.fromisoformat(dob), tier="A"), "")


def age_text(lo: int, hi: int, weight: float = 0.9, tier: str = "B") -> Detection:
    return Detection("AGE_TEXT", 0, 3, 0.6, Facts(age_interval=(lo, hi), tier=tier, weight=weight), "")


PHONE = Detection("CN_MOBILE", 0, 11, 0.9, Facts(), "13800138000")
NAME = Detection("PERSON_NAME", 0, 3, 0.7, Facts(), "")


@pytest.mark.parametrize(
    ("dob", "legal", "calendar"),
    [
        ("2012-03-15", ChildStatus.CHILD, ChildStatus.MINOR_14_17),  # 14th birthday == as_of
        ("2012-03-14", ChildStatus.MINOR_14_17, ChildStatus.MINOR_14_17),
        ("2012-03-16", ChildStatus.CHILD, ChildStatus.CHILD),
        ("2016-02-29", ChildStatus.CHILD, ChildStatus.CHILD),
        ("2009-04-20", ChildStatus.MINOR_14_17, ChildStatus.MINOR_14_17),
        ("1949-12-31", ChildStatus.ADULT, ChildStatus.ADULT),
    ],
)
def test_exact_dates_and_modes(dob: str, legal: ChildStatus, calendar: ChildStatus) -> None:
    assert row_verdict([(rid(dob), "subject")], AS_OF, "legal").status == legal
    assert row_verdict([(rid(dob), "unknown")], AS_OF, "calendar").status == calendar


def test_feb29_child_ages_out_on_mar_1() -> None:
    ev = [(rid("2012-02-29"), "subject")]
    assert row_verdict(ev, dt.date(2026, 2, 28)).status == ChildStatus.CHILD
    assert row_verdict(ev, dt.date(2026, 3, 1)).status == ChildStatus.MINOR_14_17


def test_guardian_id_is_not_the_subjects() -> None:
    adult = rid("1985-06-01")
    # The parent's adult ID neither makes the row adult nor a child.
    v = row_verdict([(adult, "guardian"), (NAME, "subject")], AS_OF)
    assert v.status not in (ChildStatus.ADULT, ChildStatus.CHILD)
    assert v.birth_date is None
    # With the child's own ID on the same row, the row is the child's.
    v2 = row_verdict([(adult, "guardian"), (rid("2015-03-04"), "subject")], AS_OF)
    assert v2.status == ChildStatus.CHILD and not v2.conflict


def test_id_preferred_over_dob_field_and_conflict_counted() -> None:
    v = row_verdict([(rid("2015-03-04"), "unknown"), (dob_field("1990-01-01"), "unknown")], AS_OF)
    assert v.status == ChildStatus.CHILD and v.conflict
    same = row_verdict([(rid("2015-03-04"), "unknown"), (dob_field("2015-03-04"), "unknown")], AS_OF)
    assert not same.conflict


def test_student_number_and_dob_field_are_tier_a() -> None:
    assert row_verdict([(rid("2015-09-09", "CN_STUDENT_NUMBER"), "unknown")], AS_OF).status == ChildStatus.CHILD
    assert row_verdict([(dob_field("2000-01-01"), "unknown")], AS_OF).status == ChildStatus.ADULT


def test_partial_dates() -> None:
    year = Detection("DATE_OF_BIRTH", 0, 5, 0.6,
                     Facts(birth_interval=(dt.date(2015, 1, 1), dt.date(2015, 12, 31)), tier="A"), "")
    assert row_verdict([(year, "unknown")], AS_OF).status == ChildStatus.CHILD
    boundary = Detection("DATE_OF_BIRTH", 0, 5, 0.6,
                         Facts(birth_interval=(dt.date(2012, 1, 1), dt.date(2012, 12, 31)), tier="A"), "")
    assert row_verdict([(boundary, "unknown")], AS_OF).status == ChildStatus.LIKELY_CHILD


def test_noisy_or_of_intervals() -> None:
    # Stated age 8 (0.9) with a name: child.
    assert row_verdict([(age_text(8, 8), "unknown"), (NAME, "unknown")], AS_OF).status == ChildStatus.CHILD
    # The same text with nothing identifying anybody is not personal information at all.
    assert row_verdict([(age_text(8, 8), "unknown")], AS_OF).status == ChildStatus.NONE
    # A guardian's phone beside a stated age identifies the child's household: a child's record.
    phone = Detection("CN_MOBILE", 0, 11, 0.9)
    assert row_verdict([(age_text(8, 8), "unknown"), (phone, "guardian")], AS_OF).status == ChildStatus.CHILD
    # 初一 (11-14, 0.7): likely child; 初三 (13-16): not flagged.
    assert row_verdict([(age_text(11, 14, 0.7, "C"), "unknown"), (NAME, "unknown")], AS_OF).status == (
        ChildStatus.LIKELY_CHILD
    )
    assert row_verdict([(age_text(13, 16, 0.7, "C"), "unknown"), (NAME, "unknown")], AS_OF).status == (
        ChildStatus.UNKNOWN
    )
    # 初一 and "12岁" intersect to 12: child.
    both = [(age_text(11, 14, 0.7, "C"), "unknown"), (age_text(12, 12), "unknown"), (NAME, "unknown")]
    assert row_verdict(both, AS_OF).status == ChildStatus.CHILD
    # 高一 (14-17): a minor, not a child.
    assert row_verdict([(age_text(14, 17), "unknown"), (NAME, "unknown")], AS_OF).status == (
        ChildStatus.MINOR_14_17
    )
    assert row_verdict([(age_text(35, 35), "unknown"), (NAME, "unknown")], AS_OF).status == ChildStatus.ADULT


def test_guardian_fields_are_weak_evidence() -> None:
    v = row_verdict([(PHONE, "guardian"), (NAME, "subject")], AS_OF)
    assert v.status == ChildStatus.LIKELY_CHILD
    assert row_verdict([(NAME, "subject")], AS_OF).status == ChildStatus.UNKNOWN
    assert row_verdict([], AS_OF).status == ChildStatus.NONE
    # Tier D never decides.
    assert row_verdict([(age_text(5, 10, 0.3, "D"), "unknown"), (NAME, "unknown")], AS_OF).status == (
        ChildStatus.UNKNOWN
    )


@pytest.mark.parametrize(
    ("value", "interval"),
    [("1", (0, 17)), ("true", (0, 17)), ("是", (0, 17)), ("8-12", (8, 11)), ("under 13", (0, 12)),
     ("0", None), ("false", None), ("", None), (None, None), ("18-60", (18, 59))],
)
def test_minor_flags(value: object, interval: tuple[int, int] | None) -> None:
    f = minor_flag_facts(value)
    assert (f.age_interval if f else None) == interval


def _col(role: str, cells: list[list[Detection]], minor: bool = False) -> ColumnVerdict:
    accepted = frozenset(d.entity for c in cells for d in c)
    return ColumnVerdict(None, accepted, role, cells, minor_flag=minor)  # type: ignore[arg-type]


def test_age_verdicts_counts_and_guardian_columns() -> None:
    students = _col("subject", [[rid("2015-03-04")], [rid("1990-01-01")], [rid("2010-01-01")], []])
    parents = _col("guardian", [[rid("1985-01-01")]] * 4)
    verdicts, counts = age_verdicts([students, parents], [[None] * 4, [None] * 4], 4, AS_OF)
    assert [v.status for v in verdicts] == [
        ChildStatus.CHILD, ChildStatus.ADULT, ChildStatus.MINOR_14_17, ChildStatus.UNKNOWN,
    ]
    assert (counts.child, counts.adult, counts.minor_14_17, counts.unknown, counts.total) == (1, 1, 1, 1, 4)
    # Guardian columns alone never make adult rows (jhr_sfzh is the parent's, not the record's).
    only = _col("guardian", [[rid("1985-01-01")], [rid("1986-01-01")]])
    verdicts, counts = age_verdicts([only], [[None, None]], 2, AS_OF)
    assert counts.adult == 0 and counts.child == 0 and counts.unknown == 2


def test_minor_flag_column_with_age_bracket() -> None:
    flag = _col("unknown", [[], []], minor=True)
    name = _col("unknown", [[NAME], [NAME]])
    verdicts, _ = age_verdicts([flag, name], [["0-8", "0"], [None, None]], 2, AS_OF)
    assert verdicts[0].status == ChildStatus.CHILD
    assert verdicts[1].status == ChildStatus.UNKNOWN
