"""SchoolRecognizer: school names and the kind of school; sentences that mention a school are not names."""

from __future__ import annotations

import datetime as dt

import pytest
from recognizer_harness import find

from pi_scanner.classify.recognizers.school import SchoolRecognizer

REC = SchoolRecognizer(dt.date(2026, 3, 15))


@pytest.mark.parametrize(
    ("text", "name", "kind", "child"),
    [
        ("北京市海淀区中关村第一小学", "北京市海淀区中关村第一小学", "primary", True),
        ("阳光幼儿园大班", "阳光幼儿园", "kindergarten", True),
        ("红星托儿所", "红星托儿所", "kindergarten", True),
        ("我家孩子在北京市第101中学读书", "北京市第101中学", "secondary", False),
        ("清华大学附属小学", "清华大学附属小学", "primary", True),
        ("上海市实验学校", "上海市实验学校", "school", False),
        ("杭州市十三中初级中学", "杭州市十三中初级中学", "junior", False),
        ("Sunshine Primary School", "Sunshine Primary School", "primary", True),
        ("St. Mary Kindergarten", "St. Mary Kindergarten", "kindergarten", True),
        ("Green Valley High School", "Green Valley High School", "senior", False),
    ],
)
def test_schools(text: str, name: str, kind: str, child: bool) -> None:
    found = find(REC, text)
    assert [m for m, _ in found] == [name]
    assert (found[0][1].kind, found[0][1].child_signal) == (kind, child)


@pytest.mark.parametrize(
    "text",
    ["我去学校", "小学", "学校", "Kindergarten", "the Primary School", "Primary School", "六一儿童节活动", "在小学"],
)
def test_no_school(text: str) -> None:
    assert find(REC, text) == []
