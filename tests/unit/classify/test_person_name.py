"""Person names: cue-based free-text recognizer and whole-value shape tests."""

from __future__ import annotations

import datetime as dt

import pytest
from recognizer_harness import find

from pi_scanner.classify.names import looks_like_chinese_name, looks_like_person_name
from pi_scanner.classify.person_names import split_surname, stop_words, surnames
from pi_scanner.classify.recognizers.person_name import PersonNameRecognizer

REC = PersonNameRecognizer(dt.date(2026, 3, 15))


def test_surname_list() -> None:
    compound, single = surnames()
    assert single[:10] == ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周")
    assert 400 <= len(single) + len(compound) <= 600
    assert len(set(single)) == len(single)
    famous = ("欧阳", "上官", "皇甫", "令狐", "诸葛", "司徒", "司马")
    rare = ("申屠", "夏侯", "贺兰", "完颜", "慕容", "尉迟", "长孙")
    assert set(famous + rare) <= set(compound)
    for word in ("王府井", "高新区", "黄金周", "马上", "张贴", "方向", "万科", "平安"):
        assert word in stop_words()


@pytest.mark.parametrize(
    ("name", "split"),
    [("王小明", ("王", "小明")), ("欧阳娜娜", ("欧阳", "娜娜")), ("司马光", ("司马", "光")), ("Emily", None)],
)
def test_split_surname(name: str, split: tuple[str, str] | None) -> None:
    assert split_surname(name) == split


@pytest.mark.parametrize(
    ("text", "matched", "name"),
    [
        ("姓名：王小明", "姓名:王小明", "王小明"),
        ("学生王小明同学", "学生王小明", "王小明"),
        ("孩子李华今年8岁", "孩子李华", "李华"),
        ("联系人：欧阳娜娜，电话138", "联系人:欧阳娜娜", "欧阳娜娜"),
        ("家长：张伟", "家长:张伟", "张伟"),
        ("小朋友王小明的作业", "小朋友王小明", "王小明"),
        ("监护人 陈静怡\n", "监护人 陈静怡", "陈静怡"),
        ("王芳（母亲）", "王芳(母亲)", "王芳"),
        ("Name: Emily Chen", "Name: Emily Chen", "Emily Chen"),
        ("Student: Wang Xiaoming", "Student: Wang Xiaoming", "Wang Xiaoming"),
    ],
)
def test_cued_names(text: str, matched: str, name: str) -> None:
    found = find(REC, text)
    assert [m for m, _ in found] == [matched]
    assert REC.normalize(matched) == name


@pytest.mark.parametrize(
    "text",
    [
        "王府井大街",
        "王小明",  # no cue: left to column-level shape tests
        "学生宿舍",
        "学生管理",
        "学生张贴通知",
        "学生成绩",
        "孩子安全",
        "同学们",
        "学生向老师问好",
        "学生高兴地跑",
        "我和王芳(妈妈)",
        "Name: New York",
        "name: hello world",
        "高新区",
        "黄金周",
        "平安",
    ],
)
def test_no_name(text: str) -> None:
    assert find(REC, text) == []


@pytest.mark.parametrize(
    ("value", "chinese", "person"),
    [
        ("王小明", True, True),
        ("欧阳娜娜", True, True),
        ("李杨子涵", True, True),
        ("买买提·艾力", True, True),
        (" 张 伟 ", True, True),
        ("Emily Chen", False, True),
        ("CHEN Emily", False, True),
        ("Mary-Jane O'Neil", False, True),
        ("王府井大街", False, False),
        ("王府井", False, False),
        ("高新区", False, False),
        ("平安", False, False),
        ("马上", False, False),
        ("王家村", False, False),
        ("张老师", False, False),
        ("王", False, False),
        ("北京市", False, False),
        ("New York", False, False),
        ("Sunshine Primary School", False, False),
        ("hello world", False, False),
        ("emily chen", False, False),
        ("138 0013 8000", False, False),
    ],
)
def test_value_shape(value: str, chinese: bool, person: bool) -> None:
    assert looks_like_chinese_name(value) is chinese
    assert looks_like_person_name(value) is person
