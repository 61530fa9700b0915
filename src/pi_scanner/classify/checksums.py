"""Check-digit algorithms and field checks shared by the identifier recognizers.

All functions are pure, take already-normalised ASCII text and never raise on bad input: they
return False/None so a validator can reject a candidate without an exception (which could carry
the value into a log).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

#: GB/T 2260 province-level codes (first two digits of a resident ID), plus 81/82/83 used by the
#: residence permits of Hong Kong, Macau and Taiwan residents.
PROVINCES: frozenset[str] = frozenset(
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82", "83"]
)

_RIC_CHECK = "10X98765432"
_MIN_BIRTH_YEAR = 1850


def mod11_2_check(body17: str) -> str | None:
    """ISO 7064 MOD 11-2 check character of the first 17 digits of a resident ID.

    Args:
        body17: Exactly 17 ASCII digits.

    Returns:
        ``0``-``9`` or ``X``, or None when ``body17`` is not 17 ASCII digits.
    """
    if len(body17) != 17 or not (body17.isascii() and body17.isdigit()):
        return None
    # The weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 are W_i = 2^(18-i) mod 11, and 13 ≡ 2 (mod 11), so
    # Σ a_i·W_i ≡ 2·int(body, base 13) (mod 11): one C call instead of seventeen multiplications (digits
    # 0-9 mean the same in base 13).
    return _RIC_CHECK[2 * int(body17, 13) % 11]


def mod11_2_valid(id18: str) -> bool:
    """True when an 18-character ID's last character is its MOD 11-2 check (``x`` accepted)."""
    if len(id18) != 18:
        return False
    check = mod11_2_check(id18[:17])
    return check is not None and check == id18[17].upper()


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check over a string of ASCII digits; False for anything else."""
    if not digits or not (digits.isascii() and digits.isdigit()):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


@lru_cache(maxsize=65536)
def parse_ymd(yyyymmdd: str, as_of: dt.date, min_year: int = _MIN_BIRTH_YEAR) -> dt.date | None:
    """A birth date from ``YYYYMMDD`` that is real, not after ``as_of`` and not before ``min_year``.

    Args:
        yyyymmdd: Eight ASCII digits.
        as_of: The reference date; later dates are rejected (nobody is born in the future).
        min_year: Earliest plausible birth year.

    Returns:
        The date, or None.
    """
    if len(yyyymmdd) != 8 or not (yyyymmdd.isascii() and yyyymmdd.isdigit()):
        return None
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if year < min_year or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return None
    return born if born <= as_of else None


def province_valid(code2: str) -> bool:
    """True when the two leading digits are a province-level code (or 81/82/83)."""
    return code2 in PROVINCES


def upgrade_legacy15(id15: str) -> str | None:
    """Upgrade a 15-digit GB 11643-1989 ID to 18 characters (insert ``19``, append the check)."""
    if len(id15) != 15 or not (id15.isascii() and id15.isdigit()):
        return None
    body = id15[:6] + "19" + id15[6:]
    check = mod11_2_check(body)
    return None if check is None else body + check


_HK_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def hkid_check(prefix: str, digits6: str) -> str | None:
    """Check character of a Hong Kong identity card number.

    Args:
        prefix: One or two upper-case letters.
        digits6: Six ASCII digits.

    Returns:
        ``0``-``9`` or ``A``, or None for malformed input.
    """
    if not 1 <= len(prefix) <= 2 or not (prefix.isascii() and prefix.isalpha() and prefix.isupper()):
        return None
    if len(digits6) != 6 or not (digits6.isascii() and digits6.isdigit()):
        return None
    # A single letter is padded with a space, which counts 36.
    values = [36] if len(prefix) == 1 else []
    values += [ord(c) - 55 for c in prefix]
    values += [ord(c) - 48 for c in digits6]
    r = sum(v * w for v, w in zip(values, _HK_WEIGHTS, strict=True)) % 11
    if r == 0:
        return "0"
    if r == 1:
        return "A"
    return str(11 - r)


_TW_LETTERS = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
    "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
    "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}  # fmt: skip
_TW_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)


def taiwan_id_valid(value: str) -> bool:
    """True for a Taiwan national ID / resident certificate number with a correct check digit."""
    if len(value) != 10 or value[0] not in _TW_LETTERS or value[1] not in "1289":
        return False
    rest = value[1:]
    if not (rest.isascii() and rest.isdigit()):
        return False
    lv = _TW_LETTERS[value[0]]
    digits = [lv // 10, lv % 10] + [ord(c) - 48 for c in rest]
    return sum(d * w for d, w in zip(digits, _TW_WEIGHTS, strict=True)) % 10 == 0
