"""BirthDateRecognizer: written dates of birth in free text; timestamps and codes are not births."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from recognizer_harness import find

from pi_scanner.classify.recognizers.birth_date import BirthDateRecognizer

VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))
AS_OF = dt.date.fromisoformat(VECTORS["reference_date"])
REC = BirthDateRecognizer(AS_OF)
D = dt.date


#: Vector formats that are bare numbers: dates only in a date column (parse_birth_date), never in text.
BARE_NUMBERS = {"20150304", "1425398400", "1425398400000", "42067"}


@pytest.mark.parametrize(
    "entry", [e for e in VECTORS["birth_date_formats"] if e["input"] not in BARE_NUMBERS], ids=lambda e: e["input"]
)
def test_every_written_vector_format_is_found(entry: dict[str, str]) -> None:
    text = entry["input"]
    if text == "2015-03-04T00:00:00+08:00":
        # A timestamp in free text is an event, even at midnight; parse_birth_date takes it in date columns.
        assert find(REC, text) == []
        return
    found = find(REC, "备注：" + text + "。")
    assert len(found) == 1, found
    _matched, facts = found[0]
    assert facts.tier == "A"
    expect = entry["expect"]
    if expect == "ambiguous":
        assert facts.birth_interval == (D(2015, 3, 4), D(2015, 4, 3))
        assert facts.kind.endswith("ambiguous")
    elif "month" in expect:
        assert facts.birth_interval == (D(2015, 3, 1), D(2015, 3, 31))
    elif "year" in expect:
        assert facts.birth_interval == (D(2015, 1, 1), D(2015, 12, 31))
    else:
        assert facts.birth_date == D(2015, 3, 4)


@pytest.mark.parametrize(
    ("text", "matched", "cued"),
    [
        ("出生日期：2015-03-04", "出生日期:2015-03-04", True),
        ("生日 2015/3/4", "生日 2015/3/4", True),
        ("DOB: 4 March 2015", "DOB: 4 March 2015", True),
        ("born on March 4, 2015", "born on March 4, 2015", True),
        ("2015年3月4日出生", "2015年3月4日出生", True),
        ("2015年生", "2015年生", True),
        ("入园日期 2015-03-04", "2015-03-04", False),
        ("２０１５－０３－０４", "2015-03-04", False),
    ],
)
def test_cued_dates_score_high_bare_dates_low(text: str, matched: str, cued: bool) -> None:
    found = find(REC, text)
    assert [m for m, _ in found] == [matched]
    facts = found[0][1]
    assert (facts.score == REC.CUED_SCORE) is cued
    assert facts.kind == ("cued" if cued else "bare")


@pytest.mark.parametrize(
    "text",
    [
        "INV20150304001",
        "订单号20150304001",
        "20150304",
        "1425398400",
        "1710489600000",
        "20240315123045",
        "2015-03-04 10:23:45",
        "2015-03-04T10:23:45+08:00",
        "下单时间 2024-03-15 12:30",
        "2030-01-01",  # after the reference date
        "2026年5月",  # month after the reference date
        "1780-01-01",
        "2015-02-30",
        "2015年2月29日",
        "2015年生产",
        "2015年",
        "10.138.0.138",
        "v2015.3.4",
        "12/31/20150",
        "大年初一",
        "3栋2单元501室",
    ],
)
def test_no_birth_date(text: str) -> None:
    assert find(REC, text) == []


def test_several_dates_in_joined_cells() -> None:
    found = find(REC, "2015-03-04\n2016年2月29日\n订单20240315\n二〇一四年八月八日")
    assert [f.birth_date for _, f in found] == [D(2015, 3, 4), D(2016, 2, 29), D(2014, 8, 8)]
