"""Birth-date parsing and the legal age rules (spec A1, test-vectors.json birth_date_formats)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pi_scanner.classify.dates import (
    DateParse,
    age_years,
    anniversary,
    interval_is_child,
    is_child,
    parse_birth_date,
    resolve_dayfirst,
)

VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))
AS_OF = dt.date.fromisoformat(VECTORS["reference_date"])
D = dt.date


def _expected(entry: dict[str, str]) -> DateParse | None:
    expect = entry["expect"]
    if expect == "ambiguous":
        return DateParse(D(2015, 3, 4), D(2015, 4, 3), "day", ambiguous=True)
    if "month precision" in expect:
        return DateParse(D(2015, 3, 1), D(2015, 3, 31), "month")
    if "year precision" in expect:
        return DateParse(D(2015, 1, 1), D(2015, 12, 31), "year")
    day = D.fromisoformat(expect)
    return DateParse(day, day, "day")


@pytest.mark.parametrize("entry", VECTORS["birth_date_formats"], ids=lambda e: e["input"])
def test_every_vector_format_in_a_date_column(entry: dict[str, str]) -> None:
    assert parse_birth_date(entry["input"], date_column=True) == _expected(entry)


#: Bare numbers are dates only in a birth-named or date-typed column.
COLUMN_ONLY = {"20150304", "1425398400", "1425398400000", "42067"}


@pytest.mark.parametrize("entry", VECTORS["birth_date_formats"], ids=lambda e: e["input"])
def test_free_text_accepts_written_dates_and_refuses_bare_numbers(entry: dict[str, str]) -> None:
    got = parse_birth_date(entry["input"], date_column=False)
    if entry["input"] in COLUMN_ONLY:
        assert got is None
    else:
        assert got == _expected(entry)


@pytest.mark.parametrize(
    ("text", "kwargs", "expected"),
    [
        ("04/03/2015", {"dayfirst": True}, D(2015, 3, 4)),
        ("04/03/2015", {"dayfirst": False}, D(2015, 4, 3)),
        ("13/03/2015", {}, D(2015, 3, 13)),
        ("03/13/2015", {}, D(2015, 3, 13)),
        ("04.03.2015", {"dayfirst": True}, D(2015, 3, 4)),
        ("2015-03-03T16:00:00Z", {}, D(2015, 3, 4)),
        ("2015-03-04 00:00:00", {}, D(2015, 3, 4)),
        ("２０１５年３月４日", {}, D(2015, 3, 4)),
        ("二〇一五年十二月三十一日", {}, D(2015, 12, 31)),
        ("二〇二〇年二月二十九日", {}, D(2020, 2, 29)),
        ("农历2015年1月14日", {}, D(2015, 3, 4)),
        ("农历二〇一七年闰六月初一", {}, D(2017, 7, 23)),
        ("March 4, 2015", {}, D(2015, 3, 4)),
        ("4 Mar 2015", {}, D(2015, 3, 4)),
        ("  2015/03/04 出生 ", {}, D(2015, 3, 4)),
    ],
)
def test_more_exact_forms(text: str, kwargs: dict[str, bool], expected: dt.date) -> None:
    got = parse_birth_date(text, date_column=False, **kwargs)
    assert got is not None and got.exact == expected


@pytest.mark.parametrize(
    ("text", "date_column", "excel"),
    [
        ("2015-02-30", True, False),  # not a calendar date
        ("2015-13-01", True, False),
        ("2015年2月29日", False, False),  # 2015 is not a leap year
        ("1780-01-01", True, False),  # implausible year
        ("2015-03-04 10:23:45", False, False),  # a time of day is an event, not a birth
        ("2015-03-04T10:23:45+08:00", False, False),
        ("INV20150304001", True, False),
        ("20240315123045", True, False),  # yyyyMMddHHmmss timestamp
        ("1710489600", False, False),  # epoch seconds outside a date column
        ("42067", False, False),  # Excel serial outside a spreadsheet date column
        ("2015-03", False, False),  # year-month digits only in a date column
        ("2015", False, False),
        ("农历2015年闰六月初一", False, False),  # 2015 has no leap sixth month
        ("农历2015年正月三十一", False, False),
        ("hello", True, False),
        ("", True, False),
        ("10.138.0.138", True, False),
    ],
)
def test_no_date(text: str, date_column: bool, excel: bool) -> None:
    assert parse_birth_date(text, date_column=date_column, excel=excel) is None


def test_date_column_tolerates_a_time_of_day_in_shanghai() -> None:
    got = parse_birth_date("2015-03-03T18:30:00Z", date_column=True)
    assert got is not None and got.exact == D(2015, 3, 4)


def test_epoch_is_converted_in_shanghai_not_utc() -> None:
    # Local midnight 2015-03-04 is 2015-03-03 16:00 UTC: naive UTC conversion would be a day early.
    got = parse_birth_date("1425398400", date_column=True)
    assert got is not None and got.exact == D(2015, 3, 4)
    assert parse_birth_date("-315648000", date_column=True) == DateParse(D(1960, 1, 1), D(1960, 1, 1), "day")


def test_excel_serial_only_when_asked_and_year_in_date_column() -> None:
    assert parse_birth_date("42067", date_column=False, excel=True) == DateParse(D(2015, 3, 4), D(2015, 3, 4), "day")
    assert parse_birth_date("2015", date_column=True) == DateParse(D(2015, 1, 1), D(2015, 12, 31), "year")
    assert parse_birth_date("2015-3", date_column=True) == DateParse(D(2015, 3, 1), D(2015, 3, 31), "month")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["13/01/2015", "04/03/2015", "25/12/2014"], True),
        (["01/13/2015", "04/03/2015", "12/25/2014"], False),
        (["04/03/2015", "05/06/2015"], None),
        (["13/01/2015", "01/13/2015"], None),
        (["2015-03-04", None, 42], None),
    ],
)
def test_resolve_dayfirst(values: list[object], expected: bool | None) -> None:
    assert resolve_dayfirst(values) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dob", "legal", "calendar"),
    [
        (D(2012, 3, 15), True, False),  # the 14th birthday is the reference date
        (D(2012, 3, 14), False, False),
        (D(2012, 3, 16), True, True),
        (D(2015, 3, 4), True, True),
        (D(2011, 9, 9), False, False),
        (D(2026, 3, 15), True, True),  # born today
        (D(2026, 3, 16), False, False),  # not born yet
    ],
)
def test_is_child_boundaries(dob: dt.date, legal: bool, calendar: bool) -> None:
    assert is_child(dob, AS_OF) is legal
    assert is_child(dob, AS_OF, mode="legal") is legal
    assert is_child(dob, AS_OF, mode="calendar") is calendar


@pytest.mark.parametrize("entry", VECTORS["resident_id_valid"], ids=lambda e: e["value"])
def test_is_child_matches_every_resident_id_vector(entry: dict[str, object]) -> None:
    dob = D.fromisoformat(str(entry["birth_date"]))
    assert is_child(dob, AS_OF, "legal") is entry["is_child_legal"]
    assert is_child(dob, AS_OF, "calendar") is entry["is_child_calendar"]
    assert age_years(dob, AS_OF) == entry["age_on_reference"]


def test_feb_29_births() -> None:
    dob = D(2012, 2, 29)
    assert anniversary(dob, 14) == D(2026, 2, 28)
    assert anniversary(dob, 4) == D(2016, 2, 29)
    assert is_child(dob, D(2026, 2, 28), "legal") is True
    assert is_child(dob, D(2026, 2, 28), "calendar") is False
    assert is_child(dob, D(2026, 3, 1), "legal") is False
    assert is_child(D(2016, 2, 29), AS_OF) is True
    assert age_years(dob, D(2026, 2, 28)) == 13  # the calendar count turns on Mar 1 in a common year
    assert age_years(dob, D(2026, 3, 1)) == 14


@pytest.mark.parametrize(
    ("earliest", "latest", "expected"),
    [
        (D(2013, 1, 1), D(2013, 12, 31), True),  # year 2013: R.year - Y = 13
        (D(2012, 1, 1), D(2012, 12, 31), None),  # year 2012: boundary
        (D(2011, 1, 1), D(2011, 12, 31), False),
        (D(2012, 3, 1), D(2012, 3, 31), None),  # month of the 14th birthday
        (D(2012, 4, 1), D(2012, 4, 30), True),
        (D(2012, 2, 1), D(2012, 2, 29), False),
        (D(2015, 3, 4), D(2015, 4, 3), True),  # ambiguous day/month, both children
    ],
)
def test_interval_is_child(earliest: dt.date, latest: dt.date, expected: bool | None) -> None:
    assert interval_is_child(earliest, latest, AS_OF) is expected
