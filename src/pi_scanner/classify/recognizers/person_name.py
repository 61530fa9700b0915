"""Personal names in free text (entity ``PERSON_NAME``), found only next to a cue.

A surname list alone flags 王府井 and 马上; so a name is reported only after a cue (``姓名：``, ``学生``,
``家长``, ``监护人``, ``同学``, ``小朋友``, ``孩子``, ``联系人``) or before a guardian tag (``王芳（母亲）``), and
only when :func:`~pi_scanner.classify.person_names.is_plausible_chinese_name` accepts it. English names need
a labelled field (``Name: Emily Chen``, ``Student: ...``). Whole-cell name columns are judged by
:func:`~pi_scanner.classify.person_names.looks_like_person_name` at column level, not here.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pi_scanner.classify.person_names import is_plausible_chinese_name, looks_like_latin_name, surname_regex
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_CUES = (
    r"(?:学生姓名|幼儿姓名|儿童姓名|家长姓名|监护人姓名|姓名|学生|家长|监护人|同学|小朋友|孩子|联系人|幼儿|患儿|学员)"
)
#: What may follow a name: a non-CJK character, or a word that commonly comes next in a record.
_NAME_END = (
    r"(?=[^\u4e00-\u9fff]|$|同学|小朋友|的|是|在|和|与|今年|年龄|性别|男|女|出生|身份|家长|电话|手机|联系|就读|现年|，|。)"
)
_GUARDIAN_TAG = r"[(（](?:父亲|母亲|爸爸|妈妈|监护人|家长|父|母|爷爷|奶奶|外公|外婆)[)）]"
_EN_CUES = r"(?:Name|Full name|Student|Student name|Pupil|Child|Child name|Parent|Guardian|Mother|Father|Contact)"
_EN_WORD = r"[A-Z][a-z]{1,20}(?:[-'’][A-Z]?[a-z]{1,20})?"

_CUE_RX = re.compile(rf"^{_CUES}[ \t]?[:：]?[ \t]?")
_TAG_RX = re.compile(rf"[ \t]?{_GUARDIAN_TAG}$")
_EN_CUE_RX = re.compile(rf"^{_EN_CUES}[ \t]?:[ \t]?")


def _patterns() -> tuple[PatternDef, ...]:
    surname = surname_regex()
    return (
        PatternDef(
            "cue_zh",
            rf"{_CUES}[ \t]?[:：]?[ \t]?{surname}[\u4e00-\u9fff]{{1,3}}?{_NAME_END}",
            0.7,
        ),
        PatternDef("guardian_tag", rf"(?<![\u4e00-\u9fff]){surname}[\u4e00-\u9fff]{{1,3}}?[ \t]?{_GUARDIAN_TAG}", 0.7),
        PatternDef(
            "cue_en",
            rf"(?<![A-Za-z]){_EN_CUES}[ \t]?:[ \t]?{_EN_WORD} {_EN_WORD}(?: {_EN_WORD})?(?![A-Za-z])",
            0.6,
        ),
    )


class PersonNameRecognizer(Recognizer):
    """Chinese names after a cue or before a guardian tag, English names in labelled fields."""

    ENTITY: ClassVar[str] = "PERSON_NAME"
    #: Literals of which every match contains at least one (on NFKC text). An engine may skip this
    #: recognizer for a text holding none of them: ``str.__contains__`` is far cheaper than a regex scan.
    #: A cue word, a guardian tag or a labelled English field.
    ANCHORS: ClassVar[tuple[str, ...]] = (
        "姓名", "学生", "家长", "监护人", "同学", "小朋友", "孩子", "联系人", "幼儿", "患儿", "学员", "(", "（", ":",
    )  # fmt: skip
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = _patterns()
    CONTEXT: ClassVar[tuple[str, ...]] = ("姓名", "名字", "xm", "xsxm", "name", "student", "学生", "家长", "联系人")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Strip the cue or tag and check the remaining name's shape (stop list, endings, titles)."""
        if pattern.name == "cue_en":
            return Facts(kind="cue") if looks_like_latin_name(_EN_CUE_RX.sub("", text)) else None
        if pattern.name == "guardian_tag":
            return Facts(kind="guardian") if is_plausible_chinese_name(_TAG_RX.sub("", text)) else None
        name = _CUE_RX.sub("", text)
        return Facts(kind="cue") if is_plausible_chinese_name(name) else None

    def normalize(self, text: str) -> str:
        """The name without its cue or tag, so that fingerprints match the same person everywhere."""
        for rx in (_CUE_RX, _EN_CUE_RX, _TAG_RX):
            text = rx.sub("", text)
        return " ".join(text.split())
