"""School grades and classes (entity ``GRADE_CLASS``): ``三年级二班``, ``3年2班``, ``初一（3）班``, ``幼儿园大班``.

A grade implies an age band: Chinese children enter grade 1 at 6 (Compulsory Education Law art. 11), and
the cut-off date varies by province, so grade ``g`` maps to ages ``g+4 .. g+7`` (typical ``g+5 .. g+6``,
one year either side). Kindergarten classes map 托/小/中/大 to 1–4, 2–5, 3–6 and 4–7.

Traps kept out by the patterns' own boundaries: calendar days (``大年初一``, ``正月初一``), textbook titles
(``三年级上册``), comparatives (``高一点``, ``提高一倍``) and address units (``3栋2单元501室``). ``小班`` and
the other kindergarten classes count only when a kindergarten word comes first in the same match.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import ClassVar

from pi_scanner.classify.dates import cn_small_number
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_CN = "一二三四五六七八九十"
_CLASS_NO = rf"(?:\d{{1,2}}|[{_CN}]{{1,3}})"
#: ``(3)班``, ``（3）班``, ``3班``, ``二班``.
_CLASS = rf"(?:[ \t]?[(（]?{_CLASS_NO}[)）]?[ \t]?班)"
#: What may follow a bare ``初一``/``高一`` for it to be a grade: not another CJK word (``初一十五``, ``高一点``).
_BARE_END = r"(?=[^\u4e00-\u9fff]|$|学生|的|了|在读|年级)"
_TEXTBOOK = r"(?:上册|下册|教材|课本|试卷|试题|教案|练习|同步|课件|真题)"

_KINDERGARTEN_AGES = {"托": (1, 4), "小": (2, 5), "中": (3, 6), "大": (4, 7)}
_GRADE_RX = re.compile(rf"([1-9]|[{_CN}])年级")
_LEVEL_RX = re.compile(r"([初高])([一二三])")
_YEAR_CLASS_RX = re.compile(rf"([1-9]|[{_CN}])[年(（]")
_KG_RX = re.compile(r"([托小中大])(?:[一二三四五六七八九十]|\d{1,2}|[(（]\d{1,2}[)）])?班$")
_EN_RX = re.compile(r"(Grade|Year|Primary|Secondary)[ \t]?(\d{1,2}|K)")
_PS_RX = re.compile(r"([PS])([1-6])[A-Z]?")


class GradeClassRecognizer(Recognizer):
    """Grades and classes from kindergarten to senior high, Chinese, English and Hong Kong forms."""

    ENTITY: ClassVar[str] = "GRADE_CLASS"
    #: Literals of which every match contains at least one (on NFKC text). An engine may skip this
    #: recognizer for a text holding none of them: ``str.__contains__`` is far cheaper than a regex scan.
    #: Each grade form holds one of these literals.
    ANCHORS: ClassVar[tuple[str, ...]] = ("年级", "班", "初", "高", "Grade", "Year", "Primary", "Secondary", "P", "S")
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "cn_grade",
            rf"(?<![0-9{_CN}])(?:[1-9]|[{_CN}])年级{_CLASS}?{_TEXTBOOK}?",
            0.5,
        ),
        PatternDef("cn_year_class", rf"(?<![0-9{_CN}初高])(?:[1-9]|[一二三四五六])年{_CLASS_NO}班", 0.6),
        PatternDef("cn_paren_class", rf"(?<![0-9{_CN}初高])[一二三四五六][(（]{_CLASS_NO}[)）]班", 0.7),
        PatternDef(
            "cn_junior",
            rf"(?<![年月正腊冬大初历])初[一二三](?:{_CLASS}|{_BARE_END})",
            0.4,
        ),
        PatternDef(
            "cn_senior",
            rf"(?<![提升最较更很太增偏崇登跳身拔加调抬清])高[一二三](?:{_CLASS}|{_BARE_END})",
            0.4,
        ),
        PatternDef(
            "kindergarten",
            r"(?:幼儿园|幼稚园|托儿所|托育园|托育中心)[^\n]{0,12}?[托小中大](?:[一二三四五六七八九十]|\d{1,2}|[(（]\d{1,2}[)）])?班",
            0.7,
        ),
        PatternDef("preschool", r"学前班", 0.6),
        PatternDef(
            "en_grade",
            r"(?<![0-9A-Za-z])(?:Grade|Year|Primary|Secondary)[ \t]?(?:\d{1,2}|K)(?![0-9A-Za-z])",
            0.4,
        ),
        PatternDef("hk_level", r"(?<![0-9A-Za-z-])[PS][1-6][A-Z]?(?![0-9A-Za-z-])", 0.3),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "年级", "班级", "班", "nj", "bj", "bh", "grade", "class", "form", "学校", "学生", "幼儿园",
    )  # fmt: skip

    #: Score of a grade that names a class too (``初一(3)班``): a record, not a curriculum word.
    CLASS_SCORE: ClassVar[float] = 0.7

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Map the grade or class to an age band; reject textbook titles and out-of-range grades."""
        facts = self._facts(text, pattern.name)
        if facts is not None and text.endswith("班") and pattern.score < self.CLASS_SCORE:
            return replace(facts, score=self.CLASS_SCORE)
        return facts

    def _facts(self, text: str, name: str) -> Facts | None:
        if name == "kindergarten":
            m = _KG_RX.search(text)
            return None if m is None else _kindergarten(*_KINDERGARTEN_AGES[m.group(1)])
        if name == "preschool":
            return _kindergarten(4, 7)
        if name in ("cn_junior", "cn_senior"):
            m = _LEVEL_RX.match(text)
            if m is None:
                return None
            offset = 6 if m.group(1) == "初" else 9
            return _grade(offset + _cn_or_int(m.group(2)))
        if name == "cn_grade":
            if re.search(rf"{_TEXTBOOK}$", text):
                return None
            m = _GRADE_RX.match(text)
            return None if m is None else _grade(_cn_or_int(m.group(1)))
        if name in ("cn_year_class", "cn_paren_class"):
            m = _YEAR_CLASS_RX.match(text)
            return None if m is None else _grade(_cn_or_int(m.group(1)))
        if name == "en_grade":
            return _english(text)
        if name == "hk_level":
            # Case matters here: ``p1``/``s2`` are priorities and sizes, not HK school levels.
            m = _PS_RX.fullmatch(text)
            if m is None:
                return None
            level = int(m.group(2))
            return _grade(level if m.group(1) == "P" else 6 + level)
        return None


def _cn_or_int(text: str) -> int:
    value = int(text) if text.isdigit() else cn_small_number(text)
    return -1 if value is None else value


def _kindergarten(low: int, high: int) -> Facts:
    return Facts(age_interval=(low, high), tier="B", weight=0.9, kind="kindergarten", child_signal=True)


def _grade(grade: int, low: int | None = None) -> Facts | None:
    """Facts for a grade on the Chinese 1..12 scale (7..9 junior middle, 10..12 senior high)."""
    if not 0 <= grade <= 12:
        return None
    lo = grade + 4 if low is None else low
    interval = (lo, lo + 3)
    if grade <= 6:
        return Facts(age_interval=interval, tier="B", weight=0.9, kind="primary", child_signal=True)
    if grade <= 8:
        return Facts(age_interval=interval, tier="C", weight=0.7, kind="junior")
    if grade == 9:
        # Mostly 14-15 years old: too weak to call a child without a date of birth.
        return Facts(age_interval=interval, tier="D", weight=0.3, kind="junior")
    # Senior high: a minor (14-17) signal, never a child signal.
    return Facts(age_interval=interval, tier="C", weight=0.7, kind="senior")


def _english(text: str) -> Facts | None:
    m = _EN_RX.fullmatch(text)
    if m is None:
        return None
    word, number = m.group(1), m.group(2)
    if number == "K":
        return _kindergarten(4, 7) if word == "Grade" else None
    n = int(number)
    if word == "Year":
        # England and Wales: Year n is ages n+4..n+5, one grade ahead of the Chinese count.
        return _grade(n - 1, low=n + 3) if 1 <= n <= 13 else None
    if word == "Secondary":
        return _grade(6 + n) if 1 <= n <= 6 else None
    if word == "Primary":
        return _grade(n) if 1 <= n <= 6 else None
    return _grade(n)
