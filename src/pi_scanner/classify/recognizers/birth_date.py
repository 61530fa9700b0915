"""Dates of birth written in free text (entity ``DATE_OF_BIRTH``).

Any calendar date is a candidate, but only a date that could be a birth (not in the future, not before
1850, no time of day) is reported. A date preceded by a birth cue (``出生日期：``, ``生日``, ``DOB``, ``born``)
or followed by ``出生``/``生`` scores high; a bare date scores low and is left to the column verdict (a bare
date in a ``csrq`` column is a birth date, in ``created_at`` it is not). Bare digit runs (``20150304``,
epoch numbers, Excel serials) are never dates in free text: ``INV20150304001`` is an invoice number.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pi_scanner.classify.dates import DateParse, parse_birth_date
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

#: Birth cues that may precede a date inside the match (kept in the match so ``validate`` sees them).
_CUE = (
    r"(?:(?:出生日期|出生年月日|出生年月|出生于|出生|生日|生于|DOB|D\.O\.B\.|[Dd]ate of [Bb]irth|[Bb]irth ?[Dd]ate"
    r"|[Bb]irthday|[Bb]orn(?: on| in)?)[ \t]?[:：]?[ \t]?)?"
)
_BIRTH_TAIL = r"(?:出生|生(?![产活意效态长成存命物源病气])|生人)?"
_TIME_TAIL = r"(?:(?:T|[ \t])\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_CN_NUM = "〇○零一二两三四五六七八九十廿卅"
_MONTH_EN = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July"
    r"|August|September|October|November|December)"
)
_CUE_RX = re.compile(_CUE)
_TIME_RX = re.compile(r"(?:T|[ \t])\d{1,2}:\d{2}")


class BirthDateRecognizer(Recognizer):
    """Dates of birth in free text: ISO, slashed, dotted, Chinese, Chinese numerals, lunar, English."""

    ENTITY: ClassVar[str] = "DATE_OF_BIRTH"
    #: Literals of which every match contains at least one (on NFKC text). An engine may skip this
    #: recognizer for a text holding none of them: ``str.__contains__`` is far cheaper than a regex scan.
    #: Dates need a separator, 年, or an English month (every month name contains one of these pairs).
    ANCHORS: ClassVar[tuple[str, ...]] = (
        "-", "/", ".", "年", "an", "eb", "ar", "pr", "ay", "un", "ul", "ug", "ep", "ct", "ov", "ec",
    )  # fmt: skip
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "ymd",
            rf"(?<![0-9A-Za-z]){_CUE}(?:1[89]|2[01])\d{{2}}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"
            rf"{_TIME_TAIL}{_BIRTH_TAIL}(?![0-9A-Za-z])",
            0.3,
        ),
        PatternDef(
            "dmy",
            rf"(?<![0-9A-Za-z./-]){_CUE}(?:0?[1-9]|[12]\d|3[01])[/.](?:0?[1-9]|[12]\d|3[01])[/.](?:1[89]|2[01])\d{{2}}"
            rf"{_BIRTH_TAIL}(?![0-9A-Za-z./])",
            0.25,
        ),
        PatternDef(
            "cn_ymd",
            rf"{_CUE}(?<![0-9])(?:1[89]|2[01])\d{{2}}年(?:0?[1-9]|1[0-2])月(?:0?[1-9]|[12]\d|3[01])[日号]{_BIRTH_TAIL}",
            0.4,
        ),
        PatternDef(
            "cn_ym",
            rf"{_CUE}(?<![0-9])(?:1[89]|2[01])\d{{2}}年(?:0?[1-9]|1[0-2])月(?:份)?(?![0-9]){_BIRTH_TAIL}",
            0.25,
        ),
        PatternDef(
            "cn_year_born",
            r"(?<![0-9])(?:1[89]|2[01])\d{2}年(?:出生|生(?![产活意效态长成存命物源病气日])|生人)",
            0.5,
        ),
        PatternDef(
            "cn_numeral",
            rf"{_CUE}(?<![{_CN_NUM}])[〇○零一二三四五六七八九]{{4}}年[{_CN_NUM}]{{1,2}}月[{_CN_NUM}]{{1,3}}[日号]{_BIRTH_TAIL}",
            0.5,
        ),
        PatternDef(
            "lunar",
            rf"(?:农历|阴历)(?:[0-9]{{4}}|[〇○零一二三四五六七八九]{{4}})年闰?(?:[0-9]{{1,2}}|[{_CN_NUM}正冬腊]{{1,2}})月"
            rf"(?:初[{_CN_NUM}]{{1,2}}|[0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})[日号]?{_BIRTH_TAIL}",
            0.5,
        ),
        PatternDef(
            "en_dmy",
            rf"(?<![0-9A-Za-z]){_CUE}(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?[ \t]{_MONTH_EN}\.?,?[ \t]"
            r"(?:1[89]|2[01])\d{2}"
            r"(?![0-9A-Za-z])",
            0.3,
        ),
        PatternDef(
            "en_mdy",
            rf"(?<![0-9A-Za-z]){_CUE}{_MONTH_EN}\.?[ \t](?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?[ \t]"
            r"(?:1[89]|2[01])\d{2}"
            r"(?![0-9A-Za-z])",
            0.3,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "出生", "出生日期", "生日", "出生年月", "csrq", "birth", "birthday", "dob", "born",
    )  # fmt: skip
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ("创建", "更新", "下单", "时间", "created", "updated", "time")

    #: Score of a date carrying its own birth cue.
    CUED_SCORE: ClassVar[float] = 0.85

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Parse the date; reject timestamps, impossible dates and dates after the reference date."""
        cue = _CUE_RX.match(text)
        cue_len = cue.end() if cue else 0
        body = text[cue_len:]
        if _TIME_RX.search(body):
            # A time of day records an event (an order, a login), not a birth, even at 00:00.
            return None
        parsed = parse_birth_date(body, date_column=False)
        if parsed is None or parsed.earliest > self.as_of:
            return None
        cued = cue_len > 0 or body.endswith(("生", "生人")) or pattern.name == "cn_year_born"
        return _facts(parsed, cued, self.CUED_SCORE)


def _facts(parsed: DateParse, cued: bool, cued_score: float) -> Facts:
    exact = parsed.exact
    kind = ("cued" if cued else "bare") + ("_ambiguous" if parsed.ambiguous else "")
    score = cued_score if cued else None
    if exact is not None:
        return Facts(birth_date=exact, tier="A", kind=kind, score=score)
    return Facts(birth_interval=(parsed.earliest, parsed.latest), tier="A", kind=kind, score=score)
