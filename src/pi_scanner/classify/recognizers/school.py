"""School names (entity ``SCHOOL_NAME``): ``北京市海淀区中关村第一小学``, ``阳光幼儿园``, ``Sunshine Primary School``.

The kind of school says who its pupils are: 幼儿园/托儿所 and 小学 teach children only, so their names mark a
child context (``child_signal``); 中学 includes 高中 (ages 15-18) and stays ambiguous; a bare 学校 says nothing.
A school name alone is an organisation, not a person: it is context for the record around it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

#: Characters a Chinese school name is built from; the lazy bounded run keeps the match short and linear.
#: Function words (``在``, ``的``, ``我``) end a name: ``我家孩子在XX小学`` yields ``XX小学``.
_NAME_CHARS = r"(?:(?![在是去到的了我你他她读就从念])[\u4e00-\u9fff0-9])"
#: A name starts with a CJK character: starting on digits made the lazy scan slow on long digit runs.
_NAME_START = r"(?:(?![在是去到的了我你他她读就从念])[\u4e00-\u9fff])"
_CN_SUFFIX = (
    r"(?:幼儿园|幼稚园|托儿所|托育园|附属小学|附小|小学|初级中学|高级中学|中学|附中|实验学校|九年一贯制学校"
    r"|外国语学校|学校)"
)
_EN_SUFFIX = (
    r"(?:Primary School|Elementary School|Kindergarten|Nursery School|Preschool|Pre-School|Infant School"
    r"|Junior School|Middle School|High School|Secondary School|School)"
)
_KINDS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (
        re.compile(r"(?:幼儿园|幼稚园|托儿所|托育园|Kindergarten|Nursery School|Preschool|Pre-School)$"),
        "kindergarten",
        True,
    ),
    (
        re.compile(r"(?:附属小学|附小|小学|Primary School|Elementary School|Infant School|Junior School)$"),
        "primary",
        True,
    ),
    (re.compile(r"(?:初级中学|Middle School)$"), "junior", False),
    (re.compile(r"(?:高级中学|High School)$"), "senior", False),
    (re.compile(r"(?:中学|附中|Secondary School)$"), "secondary", False),
)
#: Words that make the text before a suffix a sentence, not a name (``我去学校``, ``在小学``).
_NOT_NAME = re.compile(
    r"(?:^|[在去到回从上读念进入离开的了和与及是])(?:学校|小学|中学|幼儿园)$|^(?:本|该|此|全|各|一所|这所|那所)"
)


_GENERIC_EN = re.compile(r"(?:Primary|Elementary|Junior|Middle|High|Secondary|Infant|Nursery|Public|Private) School")


class SchoolRecognizer(Recognizer):
    """Chinese and English school names, classified kindergarten / primary / secondary."""

    ENTITY: ClassVar[str] = "SCHOOL_NAME"
    #: Literals of which every match contains at least one (on NFKC text). An engine may skip this
    #: recognizer for a text holding none of them: ``str.__contains__`` is far cheaper than a regex scan.
    #: A school name ends in one of its suffixes.
    ANCHORS: ClassVar[tuple[str, ...]] = (
        "幼儿园", "幼稚园", "托儿所", "托育园", "小学", "附小", "中学", "附中", "学校",
        "School", "Kindergarten", "Preschool", "Pre-School",
    )  # fmt: skip
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("cn_school", rf"{_NAME_START}{_NAME_CHARS}{{1,19}}?{_CN_SUFFIX}", 0.5),
        PatternDef("en_school", rf"(?<![A-Za-z])[A-Z][A-Za-z'. -]{{1,60}}?(?<![ ]) {_EN_SUFFIX}(?![A-Za-z])", 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("学校", "就读", "xxmc", "school", "学校名称", "在读")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Classify the school; reject sentences that merely mention a school."""
        if _NOT_NAME.search(text):
            return None
        if pattern.name == "en_school" and (
            text.split(" ", 1)[0] in {"The", "A", "An", "My", "Our", "His", "Her"} or _GENERIC_EN.fullmatch(text)
        ):
            return None
        for rx, kind, child in _KINDS:
            if rx.search(text):
                return Facts(kind=kind, child_signal=child)
        return Facts(kind="school")
