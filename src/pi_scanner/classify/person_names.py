"""Shape rules for personal names: surname lists, stop words and whole-value tests.

The surname list (``names/surnames_zh.txt``, ~480 single and 40 compound surnames in frequency order) covers
about 97 % of the population (spec A6). The stop list holds surname-initial words that are not names
(``王府井``, ``高新区``, ``平安``). Both files are read once, lazily, from beside this module, so that importing
the :mod:`pi_scanner.classify.names` package (which re-exports these functions) never goes round in a circle.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "names"

#: Last characters that make a surname-initial value a place or an organisation (``王家村``, ``张江镇``).
_PLACE_ENDINGS = frozenset("路街道巷弄区市省县镇乡村号室店司院校园班级局部厅馆站场厂所处科组队行社会州湾桥")
#: Characters that never occur inside a given name but often follow a surname-like word in prose.
_FUNCTION_CHARS = frozenset("的了是在和与们等个这那些也都就吗呢吧啊")
#: Titles that follow a surname (``王老师``): a form of address, not a full name.
_TITLES = ("老师", "先生", "女士", "同学", "同志", "师傅", "阿姨", "叔叔", "经理", "总", "医生", "校长", "主任")
#: Separators of transliterated (Uyghur, Tibetan) names: ``买买提·艾力``.
_DOT_NAME = re.compile(r"[\u4e00-\u9fff]{1,10}(?:[·•・‧][\u4e00-\u9fff]{1,10}){1,3}")
_LATIN_WORD = r"[A-Z](?:[a-z]{1,20}|['’][A-Z][a-z]{1,20})(?:[-'’][A-Z]?[a-z]{1,20})?"
_LATIN_NAME = re.compile(rf"(?:{_LATIN_WORD}|[A-Z]{{2,20}}) {_LATIN_WORD}(?: {_LATIN_WORD}){{0,2}}")
#: Capitalised words that make a two-word value a place, school or company rather than a person.
_LATIN_STOP = frozenset(
    (
        "New", "San", "Santa", "Los", "Las", "Saint", "St", "Mount", "Fort", "Port", "Lake", "North", "South",
        "East", "West", "Upper", "Lower", "Great", "Little", "Street", "Road", "Avenue", "Lane", "Drive", "Park",
        "City", "County", "District", "Province", "State", "Island", "Valley", "Hill", "Bay", "Beach", "School",
        "College", "University", "Academy", "Primary", "Secondary", "Kindergarten", "Nursery", "Hospital",
        "Clinic", "Centre", "Center", "Company", "Group", "Limited", "Ltd", "Inc", "Corp", "Bank", "Hotel",
        "Restaurant", "Store", "Shop", "Market", "Mall", "Station", "Airport", "The", "Of", "And", "For", "Hong",
        "Kong", "Macau", "Macao", "United", "Kingdom", "Republic", "People", "Total", "Unknown", "None", "Null",
        "True", "False", "Test", "Demo", "Male", "Female", "Yes", "No", "Mr", "Mrs", "Ms", "Dr", "Prof", "Class",
        "Grade", "Year", "Room", "Floor", "Building", "Block", "Unit", "Day", "Monday", "Tuesday", "Wednesday",
        "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December", "Customer", "Service", "Sales", "Support",
        "Admin", "Manager", "Team", "Department", "Office", "Home", "Work",
    )
)


@cache
def surnames() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The surname list, split into (compound, single) surnames, each in frequency order."""
    words = _read(_DATA / "surnames_zh.txt")
    return tuple(w for w in words if len(w) > 1), tuple(w for w in words if len(w) == 1)


@cache
def stop_words() -> tuple[str, ...]:
    """Surname-initial words that are not names, longest first."""
    return tuple(sorted(_read(_DATA / "name_stoplist_zh.txt"), key=len, reverse=True))


def surname_regex() -> str:
    """A regular expression (for ``re`` and ``regex``) matching one surname, compound surnames first."""
    compound, single = surnames()
    return "(?:" + "|".join(compound) + "|[" + "".join(single) + "])"


def _read(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [s for line in lines if (s := line.strip()) and not s.startswith("#")]


def split_surname(name: str) -> tuple[str, str] | None:
    """Split a Chinese name into (surname, given name); compound surnames take precedence.

    Returns:
        The split, or None when the name does not start with a listed surname.
    """
    compound, single = surnames()
    for sur in compound:
        if name.startswith(sur) and len(name) > len(sur):
            return sur, name[len(sur) :]
    if len(name) > 1 and name[0] in single:
        return name[0], name[1:]
    return None


def is_plausible_chinese_name(name: str) -> bool:
    """Whether a CJK string (no cue, no punctuation) can be a full name: surname + 1–3 given characters.

    Rejects stop-listed words, place and organisation endings, function characters and titles.
    """
    if not 2 <= len(name) <= 5 or not all("\u4e00" <= ch <= "\u9fff" for ch in name):
        return False
    parts = split_surname(name)
    if parts is None or not 1 <= len(parts[1]) <= 3:
        return False
    if name.startswith(stop_words()) or name[-1] in _PLACE_ENDINGS:
        return False
    if any(ch in _FUNCTION_CHARS for ch in parts[1]):
        return False
    return not any(title in parts[1] for title in _TITLES)


def looks_like_chinese_name(value: str) -> bool:
    """Whole-value test for a Chinese personal name, used for column-level decisions.

    Accepts a listed surname followed by 1–3 CJK characters (``王小明``, ``欧阳娜娜``), or a transliterated
    name joined by ``·`` (``买买提·艾力``).

    Args:
        value: A cell value.

    Returns:
        True when the value has the shape of a Chinese name.
    """
    text = unicodedata.normalize("NFKC", value).strip().replace(" ", "")
    if _DOT_NAME.fullmatch(text):
        return True
    return is_plausible_chinese_name(text)


def looks_like_latin_name(value: str) -> bool:
    """Whole-value test for ``First Last`` (or ``LAST First``) names in Latin letters, case-sensitive."""
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    if not _LATIN_NAME.fullmatch(text):
        return False
    words = [w.strip("'’-").capitalize() for w in text.split(" ")]
    return not any(w in _LATIN_STOP for w in words)


def looks_like_person_name(value: str) -> bool:
    """Whole-value test for a personal name in Chinese or Latin script.

    Args:
        value: A cell value.

    Returns:
        True for ``王小明``, ``买买提·艾力``, ``Emily Chen``, ``CHEN Emily``; False for ``王府井大街``,
        ``New York`` or ``hello world``.
    """
    return looks_like_chinese_name(value) or looks_like_latin_name(value)


_LATIN_PART = re.compile(_LATIN_WORD)


def looks_like_name_part(value: str) -> bool:
    """Whole-value test for one part of a name: ``Emily``, ``O'Brien``, ``Chen``, or a Chinese name.

    Only meaningful in a column whose name says it holds a name part (``first_name``, ``lastName``,
    ``surname``): on its own a capitalised word is anything.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    if looks_like_chinese_name(text):
        return True
    return bool(_LATIN_PART.fullmatch(text)) and text not in _LATIN_STOP

