"""Birth-date parsing and the legal age rules of the Provisions (spec section A1).

Every date format of ``test-vectors.json → birth_date_formats`` parses here: ISO and its slashed and dotted
cousins, Chinese forms with Arabic or Chinese numerals, lunar dates (``农历…``, via :mod:`zhdate`, imported
only in this module), epoch seconds and milliseconds (converted in Asia/Shanghai), Excel serials,
``YYYYMMDD``, ``DD/MM/YYYY`` (ambiguous unless the column says which), month and year precision.

Ages follow the Civil Code: "周岁" starts from the day after the birthday, so a person is a child
*through* the 14th birthday inclusive in ``legal`` mode; a Feb-29 birthday falls on Feb 28 in common years.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from zhdate import ZhDate

#: Ages and epoch conversions use the local calendar date in China.
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Excel's 1900 date system counts days from 1899-12-30 (its fictitious 1900-02-29 is absorbed by the base).
EXCEL_EPOCH = dt.date(1899, 12, 30)

#: Plausible birth years; anything outside is a code, not a date.
MIN_YEAR = 1850
MAX_YEAR = 2199

Precision = Literal["day", "month", "year"]
Mode = Literal["legal", "calendar"]


@dataclass(frozen=True)
class DateParse:
    """A parsed (possibly partial or ambiguous) birth date.

    Attributes:
        earliest: First possible date of birth.
        latest: Last possible date of birth (equal to ``earliest`` for an exact, unambiguous day).
        precision: ``day``, ``month`` or ``year``.
        ambiguous: True when two day/month readings exist (``04/03/2015``); the interval spans both.
    """

    earliest: dt.date
    latest: dt.date
    precision: Precision
    ambiguous: bool = False

    @property
    def exact(self) -> dt.date | None:
        """The date of birth when it is known to the day, else None."""
        if self.precision == "day" and not self.ambiguous and self.earliest == self.latest:
            return self.earliest
        return None


# --- Chinese numerals -------------------------------------------------------------------------------

_CN_DIGIT = {
    "〇": 0, "○": 0, "零": 0, "O": 0, "0": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_LUNAR_MONTH = {"正": 1, "冬": 11, "腊": 12}


def cn_small_number(text: str) -> int | None:
    """Value of a small Chinese or Arabic number (0..99): ``三``, ``十四``, ``二十``, ``廿一``, ``三十一``, ``12``.

    Returns:
        The value, or None when the text is not such a number.
    """
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    text = text.replace("廿", "二十").replace("卅", "三十")
    if "十" in text:
        head, _, tail = text.partition("十")
        if "十" in tail or len(head) > 1 or len(tail) > 1:
            return None
        tens = 1 if head == "" else _CN_DIGIT.get(head)
        ones = 0 if tail == "" else _CN_DIGIT.get(tail)
        if tens is None or ones is None or tens == 0:
            return None
        return tens * 10 + ones
    if len(text) == 1 and text in _CN_DIGIT:
        return _CN_DIGIT[text]
    return None


def _cn_year(text: str) -> int | None:
    """A year written digit by digit (``二〇一五``) or in Arabic digits."""
    if text.isascii() and text.isdigit():
        return int(text)
    digits = [_CN_DIGIT.get(ch) for ch in text]
    if len(digits) != 4 or any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


def _lunar_day(text: str) -> int | None:
    if text.startswith("初"):
        value = cn_small_number(text[1:])
        return value if value is not None and 1 <= value <= 10 else None
    return cn_small_number(text)


# --- Shapes -----------------------------------------------------------------------------------------

_CN_NUM = "〇○零一二两三四五六七八九十廿卅"
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_YM = re.compile(r"(\d{4})[-/.](\d{1,2})")
_TIME = re.compile(
    r"(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(Z|[+-]\d{2}:?\d{2})?"
)
_CN_YMD = re.compile(
    rf"([0-9]{{4}}|[{_CN_NUM}]{{4}})年([0-9]{{1,2}}|[{_CN_NUM}]{{1,2}})月([0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})[日号]"
)
_CN_YM = re.compile(rf"([0-9]{{4}}|[{_CN_NUM}]{{4}})年([0-9]{{1,2}}|[{_CN_NUM}]{{1,2}})月(?:份)?")
_CN_Y = re.compile(rf"([0-9]{{4}}|[{_CN_NUM}]{{4}})年?")
_LUNAR = re.compile(
    rf"(?:农历|阴历)([0-9]{{4}}|[{_CN_NUM}]{{4}})年(闰)?([0-9]{{1,2}}|[{_CN_NUM}正冬腊]{{1,2}})月"
    rf"(初[{_CN_NUM}]{{1,2}}|[0-9]{{1,2}}|[{_CN_NUM}]{{1,3}})[日号]?"
)
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            (), ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        )
    )
    for name in names
}  # fmt: skip
_EN_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_EN_MDY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_BIRTH_SUFFIX = re.compile(r"\s*(?:出生|生人|生)$")
_INT = re.compile(r"-?\d{1,13}")


def _real(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(d: dt.date | None) -> DateParse | None:
    return None if d is None else DateParse(d, d, "day")


def _month(year: int, month: int) -> DateParse | None:
    first = _real(year, month, 1)
    if first is None:
        return None
    last = first.replace(day=calendar.monthrange(year, month)[1])
    return DateParse(first, last, "month")


def _year(year: int) -> DateParse | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return DateParse(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _day_month(a: int, b: int, year: int, dayfirst: bool | None) -> DateParse | None:
    """Read ``a/b/year`` as day/month or month/day; keep both when nothing decides."""
    dm = _real(year, b, a)  # a = day, b = month
    md = _real(year, a, b)  # a = month, b = day
    if dayfirst is True:
        return _day(dm)
    if dayfirst is False:
        return _day(md)
    if dm and md and dm != md:
        lo, hi = sorted((dm, md))
        return DateParse(lo, hi, "day", ambiguous=True)
    return _day(dm or md)


def _with_time(date_text: str, rest: str, *, date_column: bool) -> DateParse | None:
    """A date followed by a time of day: convert to the Shanghai calendar date.

    Outside a date column only local midnight counts: a time of day means an event, not a birth.
    """
    m = _YMD.fullmatch(date_text)
    t = _TIME.fullmatch(rest)
    if m is None or t is None or m.group(2) != "-":
        return None
    base = _real(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    hour, minute, second = int(t.group(1)), int(t.group(2)), int(t.group(3) or 0)
    if base is None or hour > 23 or minute > 59 or second > 59:
        return None
    tz: dt.tzinfo = SHANGHAI
    if t.group(4):
        offset = t.group(4)
        if offset == "Z":
            tz = dt.UTC
        else:
            sign = -1 if offset[0] == "-" else 1
            hh, mm = int(offset[1:3]), int(offset[-2:])
            tz = dt.timezone(sign * dt.timedelta(hours=hh, minutes=mm))
    stamp = dt.datetime(base.year, base.month, base.day, hour, minute, second, tzinfo=tz)
    local = stamp.astimezone(SHANGHAI)
    if not date_column and local.time() != dt.time(0, 0):
        return None
    return _day(local.date())


def _from_epoch(number: int, millis: bool) -> DateParse | None:
    seconds = number / 1000 if millis else number
    try:
        local = dt.datetime.fromtimestamp(seconds, tz=SHANGHAI)
    except (OverflowError, OSError, ValueError):
        return None
    return _day(_real(local.year, local.month, local.day))


def _from_excel(number: int) -> DateParse | None:
    if not 1 <= number <= 2_958_465:  # Excel's last day is 9999-12-31
        return None
    d = EXCEL_EPOCH + dt.timedelta(days=number)
    return _day(_real(d.year, d.month, d.day))


def _numeric(text: str, *, date_column: bool, excel: bool) -> DateParse | None:
    """Bare integers: ``YYYYMMDD``, year, Excel serial, epoch seconds or milliseconds.

    None of them is a date in free text: 8-digit runs are order and invoice fragments, 10- and 13-digit runs
    are event timestamps. They are dates only where the column says so.
    """
    digits = text.lstrip("-")
    negative = text.startswith("-")
    if not (date_column or excel):
        return None
    if len(digits) == 8 and not negative:
        return _day(_real(int(digits[:4]), int(digits[4:6]), int(digits[6:])))
    if len(digits) == 4 and not negative and not excel:
        return _year(int(digits))
    if len(digits) <= 5 and not negative:
        return _from_excel(int(digits))
    if not date_column:
        return None
    if len(digits) in (9, 10):
        return _from_epoch(int(text), millis=False)
    if len(digits) in (12, 13):
        return _from_epoch(int(text), millis=True)
    return None


def _lunar(m: re.Match[str]) -> DateParse | None:
    year = _cn_year(m.group(1))
    month_text = m.group(3)
    month = _LUNAR_MONTH.get(month_text) if month_text in _LUNAR_MONTH else cn_small_number(month_text)
    day = _lunar_day(m.group(4))
    if year is None or month is None or day is None or not 1 <= month <= 12 or not 1 <= day <= 30:
        return None
    try:
        solar = ZhDate(year, month, day, leap_month=m.group(2) is not None).to_datetime().date()
    except (ValueError, TypeError, KeyError, IndexError, AssertionError):
        # zhdate raises assorted errors (often bare asserts) for days a lunar month does not have.
        return None
    return _day(_real(solar.year, solar.month, solar.day))


def _english(text: str) -> DateParse | None:
    m = _EN_DMY.fullmatch(text)
    if m:
        month = _MONTHS.get(m.group(2).lower())
        return None if month is None else _day(_real(int(m.group(3)), month, int(m.group(1))))
    m = _EN_MDY.fullmatch(text)
    if m:
        month = _MONTHS.get(m.group(1).lower())
        return None if month is None else _day(_real(int(m.group(3)), month, int(m.group(2))))
    return None


def parse_birth_date(
    text: str, *, date_column: bool, excel: bool = False, dayfirst: bool | None = None
) -> DateParse | None:
    """Parse one value as a date of birth.

    Args:
        text: The whole value (a cell, or a matched span); surrounding spaces and a trailing
            ``出生``/``生`` are ignored.
        date_column: The value comes from a birth-named or date-typed column. Only then are bare numbers
            (``20150304``, ``2015``, epoch seconds/milliseconds, Excel serials) and ``2015-03`` dates,
            and only then is a non-midnight time of day tolerated.
        excel: The value is a spreadsheet cell, so a small integer is an Excel serial day.
        dayfirst: How to read ``04/03/2015``: True = day first, False = month first, None = unknown
            (the result is then ``ambiguous`` and spans both readings).

    Returns:
        The parsed date, or None when the value is not a plausible date.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    if not text or len(text) > 40:
        return None
    text = _BIRTH_SUFFIX.sub("", text)

    if _INT.fullmatch(text):
        return _numeric(text, date_column=date_column, excel=excel)
    if m := _YMD.fullmatch(text):
        return _day(_real(int(m.group(1)), int(m.group(3)), int(m.group(4))))
    if m := _YMD.match(text):
        return _with_time(m.group(0), text[m.end() :], date_column=date_column)
    if m := _DMY.fullmatch(text):
        return _day_month(int(m.group(1)), int(m.group(3)), int(m.group(4)), dayfirst)
    if m := _CN_YMD.fullmatch(text):
        year, month, day = _cn_year(m.group(1)), cn_small_number(m.group(2)), cn_small_number(m.group(3))
        if year is None or month is None or day is None:
            return None
        return _day(_real(year, month, day))
    if m := _LUNAR.fullmatch(text):
        return _lunar(m)
    if m := _CN_YM.fullmatch(text):
        year, month = _cn_year(m.group(1)), cn_small_number(m.group(2))
        return None if year is None or month is None else _month(year, month)
    if "年" in text and (m := _CN_Y.fullmatch(text)):
        year = _cn_year(m.group(1))
        return None if year is None else _year(year)
    if date_column and (m := _YM.fullmatch(text)):
        return _month(int(m.group(1)), int(m.group(2)))
    return _english(text)


def resolve_dayfirst(values: Iterable[str]) -> bool | None:
    """Decide per column whether ``NN/NN/YYYY`` values put the day first.

    Only rows that can be read one way count: a first number above 12 votes day-first, a second number
    above 12 votes month-first. The majority wins.

    Args:
        values: The column's values (other shapes are ignored).

    Returns:
        True (day first), False (month first) or None (no deciding row, or a tie).
    """
    day_first = month_first = 0
    for value in values:
        m = _DMY.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
        if m is None:
            continue
        a, b = int(m.group(1)), int(m.group(3))
        if a > 12 >= b:
            day_first += 1
        elif b > 12 >= a:
            month_first += 1
    if day_first == month_first:
        return None
    return day_first > month_first


# --- Age rules (spec A1) --------------------------------------------------------------------------


def anniversary(dob: dt.date, n: int) -> dt.date:
    """The ``n``-th birthday; a Feb-29 birth has it on Feb 28 in common years (Civil Code art. 202)."""
    try:
        return dob.replace(year=dob.year + n)
    except ValueError:
        return dt.date(dob.year + n, 2, 28)


def age_years(dob: dt.date, as_of: dt.date) -> int:
    """Completed years of age on ``as_of`` (the calendar count; the legal one differs only on birthdays)."""
    return as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))


def is_child(dob: dt.date, as_of: dt.date, mode: Mode = "legal") -> bool:
    """Whether the person is under 14 on ``as_of``.

    Args:
        dob: Date of birth (Asia/Shanghai calendar date).
        as_of: Reference date.
        mode: ``legal`` (default): "不满十四周岁" holds through the 14th birthday inclusive, because 周岁
            count from the day after the birthday (法释〔2006〕1号 art. 2). ``calendar``: 14 on the birthday.

    Returns:
        True for a child. A date of birth after ``as_of`` is not a person yet and returns False.
    """
    if dob > as_of:
        return False
    a14 = anniversary(dob, 14)
    return as_of <= a14 if mode == "legal" else as_of < a14


def interval_is_child(earliest: dt.date, latest: dt.date, as_of: dt.date, mode: Mode = "legal") -> bool | None:
    """Child test for a partial date: it must hold for every possible birth date in the interval.

    Returns:
        True when every date in ``[earliest, latest]`` is a child, False when none is, None at the boundary.
    """
    oldest = is_child(earliest, as_of, mode)
    youngest = is_child(min(latest, as_of), as_of, mode)
    if oldest and youngest:
        return True
    if not oldest and not youngest:
        return False
    return None


def last_child_day(dob: dt.date, mode: Mode = "legal") -> dt.date:
    """The last day the person is under 14: the 14th birthday in ``legal`` mode, the day before in ``calendar``."""
    a14 = anniversary(dob, 14)
    return a14 if mode == "legal" else a14 - dt.timedelta(days=1)


def age_out_date(dob: dt.date, mode: Mode = "legal") -> dt.date:
    """The first day the person is no longer a child (spec §B4 step 4: the 14th anniversary + 1 day, legal mode).

    From that day PIPL art. 31 guardian consent no longer suffices: the minor's own consent applies.
    """
    return last_child_day(dob, mode) + dt.timedelta(days=1)


def adult_date(dob: dt.date) -> dt.date:
    """The first day the person is 18 (an adult: the record becomes adult data), Feb 29 → Feb 28."""
    return anniversary(dob, 18)


def next_age_out(dob: dt.date, as_of: dt.date, mode: Mode = "legal") -> tuple[dt.date, int] | None:
    """The next threshold a record crosses after ``as_of``: leaving the children's tier (14) or adulthood (18).

    Returns:
        ``(date, 14)`` for a child (or someone not yet born), ``(date, 18)`` for a minor aged 14-17,
        None for an adult.
    """
    out14 = age_out_date(dob, mode)
    if as_of < out14:
        return out14, 14
    out18 = adult_date(dob)
    if as_of < out18:
        return out18, 18
    return None
