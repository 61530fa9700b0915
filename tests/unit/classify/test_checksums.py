import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from pi_scanner.classify.checksums import (
    hkid_check,
    luhn_valid,
    mod11_2_check,
    mod11_2_valid,
    parse_ymd,
    province_valid,
    taiwan_id_valid,
    upgrade_legacy15,
)

AS_OF = dt.date(2026, 3, 15)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_mod11_2_matches_stdnum(body):
    # stdnum's calc_check_digit takes the full 18 characters and ignores the last one.
    assert mod11_2_check(body) == ric.calc_check_digit(body + "0")


@given(st.text(alphabet="0123456789", min_size=1, max_size=25))
def test_luhn_matches_stdnum(digits):
    assert luhn_valid(digits) == luhn.is_valid(digits)


@pytest.mark.parametrize("bad", ["", "1234", "1101051949123100", "110105194912310０2", "1101051949123100a"])
def test_mod11_2_check_rejects_malformed(bad):
    assert mod11_2_check(bad) is None


@pytest.mark.parametrize(
    "bad", ["", "11010519491231002", "11010519491231002a", "110105194912310０2X", "110105194912310020"]
)
def test_mod11_2_valid_rejects(bad):
    assert not mod11_2_valid(bad)


def test_published_examples():
    assert mod11_2_valid("11010519491231002X") and mod11_2_valid("11010519491231002x")
    assert mod11_2_valid("440524188001010014")
    assert upgrade_legacy15("110105491231002") == "11010519491231002X"
    assert upgrade_legacy15("11010549123100") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20150304", dt.date(2015, 3, 4)),
        ("20160229", dt.date(2016, 2, 29)),
        ("20150229", None),
        ("20151301", None),
        ("20150001", None),
        ("20300101", None),
        ("17800101", None),
        ("2015034", None),
        ("２0150304", None),
    ],
)
def test_parse_ymd(text, expected):
    assert parse_ymd(text, AS_OF) == expected


def test_province_set():
    assert all(province_valid(c) for c in ["11", "15", "46", "54", "65", "71", "81", "82", "83"])
    assert not any(province_valid(c) for c in ["00", "10", "16", "20", "24", "47", "55", "66", "84", "99"])


def test_hkid_and_taiwan():
    assert hkid_check("A", "123456") == "3"
    assert hkid_check("CA", "182361") == "1"
    assert hkid_check("G", "123456") == "A"
    assert hkid_check("K", "034178") == "9"
    assert hkid_check("ABC", "123456") is None
    assert taiwan_id_valid("A123456789") and taiwan_id_valid("A800000014")
    assert not taiwan_id_valid("A123456788") and not taiwan_id_valid("A323456789")
