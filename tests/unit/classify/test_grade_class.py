"""GradeClassRecognizer: grades and classes to age bands; calendar days, textbooks and rooms are not classes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from recognizer_harness import find

from pi_scanner.classify.recognizers.grade_class import GradeClassRecognizer

VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))
AS_OF = dt.date.fromisoformat(VECTORS["reference_date"])
REC = GradeClassRecognizer(AS_OF)


GRADE_VECTORS = {"三年级二班", "3年2班", "初一(3)班", "初三", "幼儿园大班", "小班", "高一"}


@pytest.mark.parametrize(
    "entry", [e for e in VECTORS["age_text"] if e["input"] in GRADE_VECTORS], ids=lambda e: e["input"]
)
def test_every_grade_vector(entry: dict[str, object]) -> None:
    text = str(entry["input"])
    if text == "小班":
        # Needs kindergarten context: alone it is nothing, after a kindergarten word it is a class.
        assert find(REC, text) == []
        text = "阳光幼儿园小班"
    found = find(REC, text)
    assert len(found) == 1, found
    assert found[0][1].age_interval == tuple(entry["age_years"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "interval", "tier", "weight"),
    [
        ("三年级二班", (7, 10), "B", 0.9),
        ("3年2班", (7, 10), "B", 0.9),
        ("三(2)班", (7, 10), "B", 0.9),
        ("初一（3）班", (11, 14), "C", 0.7),
        ("初二3班", (12, 15), "C", 0.7),
        ("七年级", (11, 14), "C", 0.7),
        ("初三", (13, 16), "D", 0.3),
        ("高一", (14, 17), "C", 0.7),
        ("幼儿园大班", (4, 7), "B", 0.9),
        ("阳光幼儿园中二班", (3, 6), "B", 0.9),
        ("托儿所托班", (1, 4), "B", 0.9),
        ("学前班", (4, 7), "B", 0.9),
        ("Grade 3", (7, 10), "B", 0.9),
        ("Year 2", (5, 8), "B", 0.9),
        ("P1", (5, 8), "B", 0.9),
        ("P6", (10, 13), "B", 0.9),
        ("S1", (11, 14), "C", 0.7),
        ("S3", (13, 16), "D", 0.3),
        ("他在读初二的时候", (12, 15), "C", 0.7),
    ],
)
def test_grades(text: str, interval: tuple[int, int], tier: str, weight: float) -> None:
    found = find(REC, text)
    assert len(found) == 1, found
    facts = found[0][1]
    assert (facts.age_interval, facts.tier, facts.weight) == (interval, tier, weight)
    assert facts.child_signal is (interval[1] <= 13 and tier == "B")


def test_class_forms_score_higher_than_bare_grades() -> None:
    (_, bare), = find(REC, "初一")
    (_, with_class), = find(REC, "初一(3)班")
    assert (bare.score or 0.0) < (with_class.score or 0.0)


@pytest.mark.parametrize(
    "text",
    [
        "大年初一",
        "正月初一",
        "大年初二",
        "农历初三",
        "初一十五",
        "三年级上册",
        "三年级下册语文教材",
        "3栋2单元501室",
        "小班",
        "大班",
        "中班长",
        "六一儿童节",
        "高一点",
        "提高一倍",
        "2015年3班",
        "p1",
        "P1-P3 priority",
        "P7",
        "Grade A",
        "Grade 13",
        "最高三层",
    ],
)
def test_no_grade(text: str) -> None:
    assert find(REC, text) == []
