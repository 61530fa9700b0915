"""GuardianRecognizer: relation words (tier C); holidays and compounds are not guardians."""

from __future__ import annotations

import datetime as dt

import pytest
from recognizer_harness import find

from pi_scanner.classify.recognizers.guardian import GuardianRecognizer

REC = GuardianRecognizer(dt.date(2026, 3, 15))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("监护人：王芳", ["监护人"]),
        ("家长电话", ["家长"]),
        ("父亲：张伟，母亲：李娜", ["母亲", "父亲"]),
        ("爸爸妈妈", ["妈妈", "爸爸"]),
        ("与学生关系：外婆", ["与学生关系", "外婆"]),
        ("紧急联系人", ["紧急联系人"]),
        ("Guardian: Emily Chen", ["Guardian"]),
        ("parents", ["parents"]),
        ("Father's name", ["Father"]),
    ],
)
def test_guardian_words(text: str, words: list[str]) -> None:
    found = find(REC, text)
    assert [m for m, _ in found] == sorted(words)
    assert all(f.tier == "C" and f.weight == pytest.approx(0.6) for _, f in found)


@pytest.mark.parametrize(
    "text",
    ["父亲节快乐", "母亲节", "Father's Day", "Mother's Day sale", "家长会", "grandfather", "stepmother", "父母官"],
)
def test_no_guardian(text: str) -> None:
    assert find(REC, text) == []
