"""A stated age of a person (entity ``AGE_TEXT``): ``8岁``, ``八岁半``, ``虚岁9岁``, ``3个月大``, ``aged 7``.

Age words also label products and policies (``适用年龄：3岁以上``, ``不面向14周岁以下儿童``, ``3-6岁``,
``ages 3+``). The patterns therefore pull such qualifiers *into* the match — a leading ``适用``/``未满``/
``under``, a range, a trailing ``以上``/``以下``/``+`` — so that :meth:`AgeTextRecognizer.validate` sees them and
rejects the match, instead of a bare ``3岁`` being found inside the label.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pi_scanner.classify.dates import cn_small_number
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_CN = "一二两三四五六七八九十"
_NUM = rf"(?:\d{{1,3}}|[{_CN}]{{1,3}})"
#: Qualifiers that turn an age into a label (product, policy, eligibility) when attached to it.
_LABEL_PREFIX = r"(?:适用年龄|适合年龄|年龄段|适用于|适用|适合|未满|不满|年满|超过|低于|高于|大于|小于|虚岁)"
_RANGE = rf"(?:{_NUM}[ \t]?[-~～—–至到][ \t]?)"
_LABEL_SUFFIX = r"(?:及以上|及以下|以上|以下|以内|以后|之前|以前|之后|前|后|起|\+)"
_EN_LABEL_SUFFIX = r"(?:\+| and (?:over|under|up|above|older|younger)| or (?:over|under|older|younger|above|below))"

_REJECT_PREFIX = re.compile(r"^(?:适用年龄|适合年龄|年龄段|适用于|适用|适合|未满|不满|年满|超过|低于|高于|大于|小于)")
_REJECT_SUFFIX = re.compile(rf"{_LABEL_SUFFIX}$|{_EN_LABEL_SUFFIX}$")
_REJECT_EN_PREFIX = re.compile(r"^(?:[Uu]nder|[Oo]ver|[Aa]bove|[Bb]elow)\s")
_RANGE_RX = re.compile(rf"{_NUM}[ \t]?[-~～—–至到][ \t]?{_NUM}")
_NUMBER_RX = re.compile(rf"\d{{1,3}}|[{_CN}]{{1,3}}")
_MONTH_CUE = re.compile(r"^(?:宝宝|宝贝|婴儿|孩子|小孩|女儿|儿子|男婴|女婴|[Bb][Bb])")

#: Oldest age taken as a person's age; larger numbers are counts of something else.
MAX_AGE = 120


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_small_number(text)


class AgeTextRecognizer(Recognizer):
    """Ages in years or months, Chinese and English, with product/policy labels rejected."""

    ENTITY: ClassVar[str] = "AGE_TEXT"
    #: Literals of which every match contains at least one (on NFKC text). An engine may skip this
    #: recognizer for a text holding none of them: ``str.__contains__`` is far cheaper than a regex scan.
    #: Every age form ends in 岁/个月, says age/aged/old, or says a child "is"/"turned"/"was" an age.
    ANCHORS: ClassVar[tuple[str, ...]] = ("岁", "个月", "个多月", "年龄", "ge", "old", " is ", " turn", " was ")
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "cn_years",
            rf"(?:{_LABEL_PREFIX}[:：]?[ \t]?)?{_RANGE}?(?<![0-9{_CN}]){_NUM}[ \t]?(?:周岁|岁)半?{_LABEL_SUFFIX}?",
            0.6,
        ),
        PatternDef("cn_nominal", rf"虚岁[:：]?[ \t]?{_NUM}(?![0-9{_CN}岁周个])", 0.5),
        PatternDef("cn_label", r"年龄[ \t]?[:：]?[ \t]?(?<![0-9])\d{1,3}(?![0-9岁周个.\-~～])", 0.5),
        PatternDef(
            "cn_months",
            rf"(?:(?:宝宝|宝贝|婴儿|孩子|小孩|女儿|儿子|男婴|女婴|[Bb][Bb])[ \t]?)?(?<![0-9{_CN}]){_NUM}[ \t]?个多?月"
            r"(?:大(?![促卖减]))?",
            0.5,
        ),
        PatternDef(
            "en_aged",
            rf"(?<![A-Za-z])(?:(?:[Uu]nder|[Oo]ver|[Aa]bove|[Bb]elow) )?(?:[Aa]ged|[Aa]ge)[ \t]?[:：]?[ \t]?"
            rf"\d{{1,3}}(?:[ \t]?[-–~][ \t]?\d{{1,3}})?{_EN_LABEL_SUFFIX}?(?![0-9A-Za-z])",
            0.6,
        ),
        PatternDef(
            "en_years_old",
            rf"(?<![0-9A-Za-z])(?:an? )?\d{{1,3}}(?:[ \t]?[-–~][ \t]?\d{{1,3}})?[- ]years?[- ]olds?"
            rf"{_EN_LABEL_SUFFIX}?(?![A-Za-z])",
            0.6,
        ),
        # A child spoken of in the third person: "my son is 7", "our daughter turned 5".
        PatternDef(
            "en_child",
            r"(?<![A-Za-z])(?:[Mm]y|[Oo]ur|[Hh]is|[Hh]er|[Tt]heir) (?:son|daughter|child|kid|boy|girl|baby|grandson"
            r"|granddaughter) (?:is|turned|turns|was) (?:just |only |now )?[0-9]{1,2}(?![0-9A-Za-z%.])"
            r"(?! ?(?:feet|foot|ft|cm|kg|inch|inches|pounds|lbs|m |kilos|percent|out of|points|marks|th\b))",
            0.6,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("年龄", "岁", "nl", "age", "宝宝", "孩子", "小朋友", "今年")
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ("适用", "产品", "商品", "以上", "以下", "suitable", "ages")

    #: Strength of a stated age in the noisy-OR (tier B).
    WEIGHT: ClassVar[float] = 0.9

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Turn the match into an age interval; reject labels, ranges and implausible numbers."""
        stripped = text.strip()
        if (
            _REJECT_PREFIX.match(stripped)
            or _REJECT_EN_PREFIX.match(stripped)
            or _REJECT_SUFFIX.search(stripped)
            or _RANGE_RX.search(stripped)
        ):
            return None
        numbers = _NUMBER_RX.findall(stripped)
        if len(numbers) != 1:
            return None
        value = _number(numbers[0])
        if value is None:
            return None
        if pattern.name == "cn_months":
            if not (_MONTH_CUE.match(stripped) or stripped.endswith("大")) or value > 48:
                return None
            years = value // 12
            return self._facts(years, years)
        if value > MAX_AGE:
            return None
        if pattern.name == "cn_nominal" or stripped.startswith("虚岁"):
            # 虚岁 counts 1 at birth and adds 1 each lunar new year: 周岁 is 1 or 2 less.
            if value < 1:
                return None
            return self._facts(max(0, value - 2), value - 1)
        return self._facts(value, value)

    def _facts(self, low: int, high: int) -> Facts:
        return Facts(age_interval=(low, high), tier="B", weight=self.WEIGHT, kind="stated_age")
