"""Collection-time age: age-out dates (birthdays, Feb 29, legal/calendar), collected-while-child per record,
the collection column found by name and type, and the counts a sample gives."""

from __future__ import annotations

import datetime as dt

import pytest

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.collection_time import (
    CollectionTally,
    collection_candidates,
    collection_date,
    merge,
)
from pi_scanner.classify.corpus import ric
from pi_scanner.classify.dates import SHANGHAI, adult_date, age_out_date, last_child_day, next_age_out
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample

AS_OF = dt.date(2026, 3, 15)
D = dt.date


# -- the date rules ----------------------------------------------------------------------------------


def test_age_out_is_the_day_after_the_14th_birthday_in_legal_mode() -> None:
    dob = D(2012, 6, 1)
    assert last_child_day(dob, "legal") == D(2026, 6, 1)
    assert age_out_date(dob, "legal") == D(2026, 6, 2)
    assert last_child_day(dob, "calendar") == D(2026, 5, 31)
    assert age_out_date(dob, "calendar") == D(2026, 6, 1)


def test_feb_29_birthdays_age_out_on_march_1_in_common_years() -> None:
    dob = D(2012, 2, 29)
    assert last_child_day(dob, "legal") == D(2026, 2, 28)  # 2026 is common: the anniversary is Feb 28
    assert age_out_date(dob, "legal") == D(2026, 3, 1)
    assert age_out_date(dob, "calendar") == D(2026, 2, 28)
    assert adult_date(dob) == D(2030, 2, 28)
    leap = D(2016, 2, 29)
    assert age_out_date(leap, "legal") == D(2030, 3, 1)
    assert age_out_date(D(2014, 2, 29 - 1), "legal") == D(2028, 2, 29)  # born Feb 28, 14 in a leap year


def test_next_age_out_is_14_for_children_18_for_minors_none_for_adults() -> None:
    assert next_age_out(D(2012, 6, 1), AS_OF) == (D(2026, 6, 2), 14)
    assert next_age_out(D(2012, 3, 15), AS_OF) == (D(2026, 3, 16), 14)  # the 14th birthday is still a child's
    assert next_age_out(D(2012, 3, 14), AS_OF) == (D(2030, 3, 14), 18)  # aged out yesterday: 18 is next
    assert next_age_out(D(2008, 3, 16), AS_OF) == (D(2026, 3, 16), 18)
    assert next_age_out(D(2008, 3, 15), AS_OF) is None  # 18 today


# -- per record -------------------------------------------------------------------------------------


def _one(dob: dt.date | tuple[dt.date, dt.date], collected: dt.date | None, mode: str = "legal") -> CollectionTally:
    t = CollectionTally(AS_OF, mode)  # type: ignore[arg-type]
    t.add(dob if isinstance(dob, tuple) else (dob, dob), collected)
    return t


@pytest.mark.parametrize(
    ("collected", "mode", "while_child"),
    [
        (D(2024, 6, 1), "legal", True),  # the 14th birthday: still a child (legal)
        (D(2024, 6, 1), "calendar", False),
        (D(2024, 5, 31), "calendar", True),
        (D(2024, 6, 2), "legal", False),
        (D(2010, 6, 1), "legal", True),  # the day of birth
    ],
)
def test_collected_while_child_at_the_boundary(collected: dt.date, mode: str, while_child: bool) -> None:
    t = _one(D(2010, 6, 1), collected, mode)
    assert (t.while_child, t.not_child) == ((1, 0) if while_child else (0, 1))
    assert t.child_now == 0 and t.aged_out == (1 if while_child else 0)


def test_feb_29_subject_collected_on_feb_28_of_a_common_14th_year() -> None:
    assert _one(D(2008, 2, 29), D(2022, 2, 28)).while_child == 1
    assert _one(D(2008, 2, 29), D(2022, 3, 1)).not_child == 1


def test_missing_collection_date_is_unknown_not_a_guess() -> None:
    t = _one(D(2015, 1, 1), None)
    assert (t.records, t.unknown, t.while_child, t.not_child, t.conflicts) == (1, 1, 0, 0, 0)
    assert t.child_now == 1  # the age now is still known


def test_collection_before_birth_is_a_conflict() -> None:
    t = _one(D(2015, 1, 1), D(2014, 12, 31))
    assert (t.conflicts, t.unknown, t.while_child) == (1, 0, 0)


def test_partial_birth_dates() -> None:
    year_2010 = (D(2010, 1, 1), D(2010, 12, 31))
    assert _one(year_2010, D(2016, 9, 1)).while_child == 1  # 5 or 6 years old: certainly a child
    assert _one(year_2010, D(2030, 9, 1)).not_child == 1
    assert _one(year_2010, D(2024, 6, 1)).unknown == 1  # 13 or 14: the boundary
    assert _one(year_2010, D(2010, 6, 1)).unknown == 1  # perhaps not born yet: not a conflict either
    assert _one(year_2010, D(2009, 12, 31)).conflicts == 1


def test_not_yet_born_subjects_are_not_counted() -> None:
    assert _one(D(2026, 3, 16), D(2026, 3, 20)).records == 0


def test_age_out_days_are_kept_within_the_horizon_and_summed() -> None:
    t = CollectionTally(AS_OF, "legal", horizon_days=30)
    t.add((D(2012, 3, 20), D(2012, 3, 20)), None, n=3)  # ages out 2026-03-21
    t.add((D(2012, 4, 13), D(2012, 4, 13)), None)  # 2026-04-14 = as_of + 30: kept
    t.add((D(2012, 4, 14), D(2012, 4, 14)), None)  # 2026-04-15: beyond the horizon
    t.add((D(2008, 4, 1), D(2008, 4, 1)), None)  # a minor turning 18 on 2026-04-01
    r = t.result(exact=True)
    assert r.age_outs == (("2026-03-21", 3), ("2026-04-14", 1))
    assert r.adults == (("2026-04-01", 1),)
    assert r.next_age_out == "2026-03-21"
    assert r.age_outs_within(7) == 3 and r.age_outs_within(30) == 4
    assert r.age_outs_within(10, D(2026, 4, 5)) == 1
    assert r.covers(30) and not r.covers(31) and not r.covers(5, D(2026, 3, 1))
    both = merge([r, r], source="column", column="rxrq", exact=True)
    assert both.age_outs == (("2026-03-21", 6), ("2026-04-14", 2)) and both.records == 2 * r.records


# -- the collection column ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["create_time", "cjsj", "CJSJ", "rxrq", "xs_rxrq", "入学日期", "enrol_date", "enrolmentDate", "created_at",
     "createdAt", "addtime", "reg_date", "gmt_create", "dateCreated", "t_zcsj"],
)
def test_collection_columns_are_found_by_name(name: str) -> None:
    assert collection_candidates([ColumnInfo("id", "integer"), ColumnInfo(name, "datetime")]) == [name]


@pytest.mark.parametrize("name", ["update_time", "birth_date", "csrq", "last_login_time", "timestamp", "status"])
def test_other_columns_are_not_collection_dates(name: str) -> None:
    assert collection_candidates([ColumnInfo(name, "datetime")]) == []


def test_enrolment_outranks_creation_and_types_must_hold_a_date() -> None:
    cols = [ColumnInfo("create_time", "timestamp"), ColumnInfo("rxrq", "varchar(10)"), ColumnInfo("addtime", "int")]
    assert collection_candidates(cols) == ["rxrq", "create_time", "addtime"]
    assert collection_candidates([ColumnInfo("create_time", "boolean"), ColumnInfo("cjsj", "json")]) == []
    # A comment counts only when the name says nothing, and below any name.
    cols = [ColumnInfo("c1", "date", comment="入学日期"), ColumnInfo("addtime", "date")]
    assert collection_candidates(cols) == ["addtime", "c1"]


def test_collection_values_become_shanghai_dates() -> None:
    assert collection_date(dt.datetime(2019, 8, 31, 17, 0, tzinfo=dt.UTC)) == D(2019, 9, 1)  # 01:00 in Shanghai
    assert collection_date(dt.datetime(2019, 8, 31, 23, 0)) == D(2019, 8, 31)  # naive: Shanghai local
    assert collection_date(D(2019, 9, 1)) == D(2019, 9, 1)
    midnight = int(dt.datetime(2019, 9, 1, tzinfo=SHANGHAI).timestamp())
    assert collection_date(midnight) == D(2019, 9, 1)
    assert collection_date(midnight * 1000) == D(2019, 9, 1)
    assert collection_date("20190901") == D(2019, 9, 1)
    assert collection_date("2019-09-01 08:30:00") == D(2019, 9, 1)
    assert collection_date("2019年9月1日") == D(2019, 9, 1)
    assert collection_date("2019-08-31 17:00:00+00") == D(2019, 9, 1)  # PostgreSQL's timestamptz text
    assert collection_date("2019-09-01 00:30:00.25+08") == D(2019, 9, 1)
    for bad in (None, "", "0000-00-00 00:00:00", "n/a", True, "2019-09"):
        assert collection_date(bad) is None


# -- a classified sample ----------------------------------------------------------------------------


def _sample(columns: list[ColumnInfo], rows: list[list[object]], complete: bool = True) -> Sample:
    return Sample(AssetRef("db", AssetKind.TABLE, ("public", "xs_jbxx")), columns, rows, complete=complete)


def test_an_old_install_pupils_are_children_data_collected_while_children() -> None:
    clf = Classifier(ClassifierConfig(), AS_OF)
    cols = [ColumnInfo("sfzh", "varchar(18)"), ColumnInfo("rxrq", "date"), ColumnInfo("create_time", "timestamp")]
    rows: list[list[object]] = []
    for i in range(20):  # enrolled in 2010 aged 6; adults now
        born = D(2004, 1, 1) + dt.timedelta(days=i * 7)
        rows.append([ric("110105", born, i), D(2010, 9, 1), dt.datetime(2023, 1, 1)])
    for i in range(5):  # turn 14 between 2026-03-20 and 2026-03-24: age out 03-21..03-25
        rows.append([ric("310104", D(2012, 3, 20 + i), 100 + i), D(2018, 9, 1), dt.datetime(2023, 1, 1)])
    rows.append([ric("310104", D(2019, 5, 5), 200), None, None])  # no enrolment date
    result = clf.classify(_sample(cols, rows))
    c = result.collection
    assert c is not None
    assert (c.source, c.column, c.exact) == ("column", "rxrq", True)
    assert (c.records, c.collected_while_child, c.aged_out_since_collection, c.child_now) == (26, 25, 20, 6)
    assert c.collection_unknown == 1 and c.collection_conflicts == 0
    assert c.age_outs_within(30) == 5 and c.next_age_out == "2026-03-21"
    assert result.ages.adult == 20  # adults now: the collection counts say they were children then


def test_retention_anchor_is_the_fallback_and_none_says_unknown() -> None:
    clf = Classifier(ClassifierConfig(), AS_OF)
    cols = [ColumnInfo("sfzh", "varchar(18)"), ColumnInfo("kept_from", "date")]
    rows: list[list[object]] = [[ric("110105", D(2004, 1, 1), i), D(2010, 9, 1)] for i in range(10)]
    plain = clf.classify(_sample(cols, rows, complete=False)).collection
    assert plain is not None and plain.source == "none" and plain.column is None and not plain.exact
    assert plain.collection_unknown == 10 and plain.collected_while_child == 0
    clf.collection_anchor = lambda ref: "kept_from" if ref.path[-1] == "xs_jbxx" else None
    anchored = clf.classify(_sample(cols, rows)).collection
    assert anchored is not None and (anchored.source, anchored.column) == ("retention_anchor", "kept_from")
    assert anchored.collected_while_child == 10 and anchored.aged_out_since_collection == 10


def test_a_date_column_that_holds_no_dates_is_not_used() -> None:
    clf = Classifier(ClassifierConfig(), AS_OF)
    cols = [ColumnInfo("sfzh", "varchar(18)"), ColumnInfo("create_time", "varchar(20)")]
    rows: list[list[object]] = [[ric("110105", D(2015, 1, 1), i), "system"] for i in range(10)]
    c = clf.classify(_sample(cols, rows)).collection
    assert c is not None and c.source == "none" and c.collection_unknown == 10


def test_tables_without_a_birth_date_have_no_collection_ages() -> None:
    clf = Classifier(ClassifierConfig(), AS_OF)
    cols = [ColumnInfo("order_no", "varchar(20)"), ColumnInfo("create_time", "timestamp")]
    rows: list[list[object]] = [[f"A{i:06d}", dt.datetime(2023, 1, 1)] for i in range(10)]
    assert clf.classify(_sample(cols, rows)).collection is None
