"""AgeTextRecognizer: stated ages of persons; product labels, policy text and ranges are not ages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from recognizer_harness import find

from pi_scanner.classify.recognizers.age_text import AgeTextRecognizer

VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))
AS_OF = dt.date.fromisoformat(VECTORS["reference_date"])
REC = AgeTextRecognizer(AS_OF)


#: age_text vectors that are grades/classes: GradeClassRecognizer's (tested in test_grade_class.py).
GRADE_VECTORS = {"三年级二班", "3年2班", "初一(3)班", "初三", "幼儿园大班", "小班", "高一"}


@pytest.mark.parametrize(
    "entry", [e for e in VECTORS["age_text"] if e["input"] not in GRADE_VECTORS], ids=lambda e: e["input"]
)
def test_every_age_vector(entry: dict[str, object]) -> None:
    found = find(REC, str(entry["input"]))
    assert len(found) == 1, found
    facts = found[0][1]
    assert facts.age_interval == tuple(entry["age_years"])  # type: ignore[arg-type]
    assert facts.tier == "B"
    assert facts.weight == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("我今年8岁", (8, 8)),
        ("孩子十三岁了", (13, 13)),
        ("两岁半", (2, 2)),
        ("虚岁九岁", (7, 8)),
        ("虚岁9", (7, 8)),
        ("年龄：12", (12, 12)),
        ("宝宝三个月大", (0, 0)),
        ("an 8-year-old boy", (8, 8)),
        ("age 13", (13, 13)),
        ("患者，男，35岁", (35, 35)),
        ("１０岁", (10, 10)),
    ],
)
def test_more_ages(text: str, interval: tuple[int, int]) -> None:
    found = find(REC, text)
    assert [f.age_interval for _, f in found] == [interval]


@pytest.mark.parametrize(
    "text",
    [
        "适用年龄：3岁以上",
        "本产品不面向14周岁以下儿童",
        "3-6岁",
        "适合3~6岁儿童",
        "年龄段3-6岁",
        "未满14周岁",
        "年满18周岁",
        "8岁以下",
        "12岁+",
        "保修3个月",
        "3个月内",
        "18个月",
        "Ages 3+",
        "aged 3-6",
        "for 3 years old and up",
        "3-6 years old",
        "under age 13",
        "page 7",
        "128岁",
        "十八岁以上",
        "六一儿童节活动",
        "岁岁平安",
        "3个月大促",
    ],
)
def test_no_age(text: str) -> None:
    assert find(REC, text) == []


def test_ages_in_joined_cells_do_not_merge() -> None:
    found = find(REC, "8岁\n18岁\n适用年龄3岁以上\n7 years old")
    assert sorted(f.age_interval for _, f in found) == [(7, 7), (8, 8), (18, 18)]  # type: ignore[type-var]
