"""Name + birth-date keys: canonical names and dates, the columns that make the key, and deletion order."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pi_scanner.models import TableLink
from pi_scanner.subjects.normalize import IdentifierError
from pi_scanner.subjects.person import (
    NameDobSpec,
    birth_date_of,
    canonical_birth_date,
    canonical_name,
    find_spec,
    request_fingerprint,
)
from pi_scanner.subjects.traverse import Reached, Walk, deletion_order

KEY = b"k" * 32
VECTORS = Path(__file__).parents[2] / "fixtures" / "test-vectors.json"


@pytest.mark.parametrize(("a", "b"), [
    ("王小明", "王 小明"),
    ("王小明", "王\u3000小明"),  # full-width space
    ("阿依古丽·买买提", "阿依古丽•买买提"),
    ("阿依古丽·买买提", "阿依古丽・买买提"),
    ("阿依古丽·买买提", "阿依古丽.买买提"),
    ("阿依古丽·买买提", "阿依古丽买买提"),
    ("John Smith", "SMITH, john"),
    ("John Smith", "Ｊｏｈｎ　Ｓｍｉｔｈ"),  # full-width letters
    ("José Núñez", "jose nunez"),
    ("Mary-Jane O'Neil", "mary jane oneil"),
])
def test_same_name(a: str, b: str) -> None:
    assert canonical_name(a) == canonical_name(b)


@pytest.mark.parametrize(("a", "b"), [("王小明", "王晓明"), ("王小明", "小明王"), ("John Smith", "John Smyth")])
def test_different_names(a: str, b: str) -> None:
    assert canonical_name(a) != canonical_name(b)


def test_every_one_day_spec_date_format_is_one_iso_date() -> None:
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))["birth_date_formats"]
    days = [v for v in vectors if len(v["expect"]) == 10 and v["expect"][4] == "-"]
    assert len(days) >= 12
    for v in days:
        assert canonical_birth_date(v["input"]) == v["expect"], v["input"]
    for v in vectors:
        if v not in days:  # ambiguous, month or year only: not one day
            with pytest.raises(IdentifierError):
                canonical_birth_date(v["input"])


def test_stored_dates() -> None:
    assert birth_date_of(dt.date(2015, 3, 4)) == "2015-03-04"
    assert birth_date_of(dt.datetime(2015, 3, 3, 16, 0, tzinfo=dt.UTC)) == "2015-03-04"  # Shanghai midnight
    assert birth_date_of("04/03/2015") is None  # ambiguous without the column's other rows
    assert birth_date_of("04/03/2015", dayfirst=True) == "2015-03-04"
    assert birth_date_of(None) is None and birth_date_of("") is None


def test_request_errors_never_hold_the_value() -> None:
    with pytest.raises(IdentifierError) as exc:
        request_fingerprint(KEY, "王小明", "1987年3月")
    assert "1987" not in str(exc.value)
    with pytest.raises(IdentifierError):
        request_fingerprint(KEY, " · ", "2015-03-04")


def test_split_names_make_one_key_and_match_the_request() -> None:
    spec = find_spec(["first_name", "lastName", "middle_name"], ["birthdate"])
    assert spec is not None and (spec.given, spec.family, spec.middle) == ("first_name", "lastName", "middle_name")
    record = {"first_name": "John", "lastName": "Smith", "middle_name": "Paul", "birthdate": "2015-03-04"}
    prints = spec.fingerprints(KEY, record)
    assert request_fingerprint(KEY, "Smith John", "2015年3月4日") in prints
    assert request_fingerprint(KEY, "John Paul Smith", "2015-03-04") in prints
    assert request_fingerprint(KEY, "John Smith", "2015-03-05") not in prints
    assert NameDobSpec.from_text(spec.to_text()) == spec
    assert NameDobSpec.from_text("xm") is None  # an identifier entry's column
    assert find_spec(["xm"], []) is None  # no birth date, no key


def test_day_first_decided_by_the_column() -> None:
    spec = find_spec(["xm"], ["csrq"], [{"csrq": "25/12/2015"}, {"csrq": "04/03/2015"}])
    assert spec is not None and spec.dayfirst is True
    assert spec.fingerprints(KEY, {"xm": "李四", "csrq": "04/03/2015"}) == {
        request_fingerprint(KEY, "李四", "2015-03-04")}


def _reached(table: str, depth: int) -> Reached:
    return Reached(f"db:s/{table}", ("s", table), ["id"], [[1]], depth=depth)


def _link(src: str, dst: str) -> TableLink:
    return TableLink("db", ("s", src), ("x",), ("s", dst), ("id",), 1.0, True, True)


def test_deletion_order_follows_the_links_whatever_the_depth() -> None:
    # Two start rows at depth 0 (a name matched in both tables): the referencing one must go first.
    walk = Walk("r", "name+birth-date", [_reached("students", 0), _reached("applications", 0),
                                          _reached("grades", 1), _reached("grade_notes", 2)])
    links = [_link("applications", "students"), _link("grades", "students"), _link("grade_notes", "grades")]
    order = [r.path[-1] for r in deletion_order(walk, links)]
    assert order.index("applications") < order.index("students")
    assert order.index("grade_notes") < order.index("grades") < order.index("students")


def test_deletion_order_breaks_a_cycle_deepest_first() -> None:
    walk = Walk("r", "x", [_reached("a", 0), _reached("b", 1)])
    order = [r.path[-1] for r in deletion_order(walk, [_link("a", "b"), _link("b", "a")])]
    assert order == ["b", "a"]
