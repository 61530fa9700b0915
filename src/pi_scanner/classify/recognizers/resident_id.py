"""Resident Identity Card numbers (GB 11643-1999) and the numbers that share their format.

Three recognizers share one validator: mainland resident IDs (``CN_RESIDENT_ID``, including the
15-digit legacy form, masked IDs that still show the birth date and Excel-corrupted IDs), residence
permits of Hong Kong, Macau and Taiwan residents (address codes 810000/820000/830000,
``CN_RESIDENCE_PERMIT``) and the 2023 foreign permanent-resident card (leading 9, ``CN_PR_CARD``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import ClassVar

from stdnum.cn import uscc

from pi_scanner.classify.checksums import mod11_2_check, parse_ymd, province_valid, upgrade_legacy15
from pi_scanner.classify.recognizers.base import NEGATIVE_WORDS, Facts, PatternDef, Recognizer

_B = r"(?<![0-9A-Za-z])"
_E = r"(?![0-9A-Za-z])"
_SEP = r"[ \-]?"

ID_CONTEXT: tuple[str, ...] = (
    "身份证", "身份證", "证件号", "证件号码", "公民身份", "社保", "社会保障号", "居住证", "永久居留",
    "sfz", "sfzh", "sfzjh", "zjhm", "idcard", "id_card", "id_no", "idno", "idnumber", "identity",
    "resident", "citizen",
)  # fmt: skip


def _sex(seq_digit: str) -> str:
    """Sex from the parity of the sequence code's last digit: odd male, even female."""
    return "M" if (ord(seq_digit) - 48) % 2 else "F"


def _compact(text: str) -> str:
    """Drop the optional spaces/hyphens between the 6-8-4 groups; upper-case ``x``."""
    if len(text) == 18 and text[-1] != "x":
        return text  # the common compact form: nothing to strip (the pattern allows no other letter)
    return text.replace(" ", "").replace("-", "").upper()


@lru_cache(maxsize=65536)
def _facts(born: dt.date | None, sex: str | None, kind: str = "") -> Facts:
    """Shared, immutable facts: building a frozen dataclass costs more than the checksum."""
    return Facts(birth_date=born, sex=sex, tier="A" if born is not None else None, kind=kind)


def validate_ric18(value: str, as_of: dt.date) -> Facts | None:
    """Validate an 18-character ID-format number (province, date, check); accept ``x``.

    Args:
        value: 18 characters, separators already removed.
        as_of: Reference date; later birth dates are rejected.

    Returns:
        Facts with the birth date and sex, or None.
    """
    if len(value) != 18 or not province_valid(value[:2]):
        return None
    check = mod11_2_check(value[:17])
    if check is None or check != value[17]:
        return None
    return _dob_facts(value[6:14], value[16], as_of)


@lru_cache(maxsize=65536)
def _dob_facts(yyyymmdd: str, seq_digit: str, as_of: dt.date) -> Facts | None:
    """Facts for a birth date and sequence digit, or None for an impossible date (one cache lookup)."""
    born = parse_ymd(yyyymmdd, as_of)
    return None if born is None else _facts(born, _sex(seq_digit))


class ResidentIdRecognizer(Recognizer):
    """Mainland resident identity card numbers (18-digit, 15-digit legacy, masked, corrupted)."""

    ENTITY: ClassVar[str] = "CN_RESIDENT_ID"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("ric18", _B + r"[1-7][0-9]{5}" + _SEP + r"[0-9]{8}" + _SEP + r"[0-9]{3}[0-9Xx]" + _E, 0.85),
        PatternDef("ric15", _B + r"[1-7][0-9]{14}" + _E, 0.4),
        PatternDef("masked_dob", _B + r"[1-7][0-9]{13}\*{4}(?![0-9A-Za-z*])", 0.6),
        PatternDef("masked_mid", _B + r"[1-7][0-9]{5}\*{8}[0-9]{3}[0-9Xx]" + _E, 0.5),
        PatternDef("excel_float", _B + r"[1-7]\.[0-9]{1,16}[Ee]\+17" + _E, 0.4),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ID_CONTEXT
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = NEGATIVE_WORDS

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Apply GB 11643 rules; see the module docstring for the accepted forms."""
        name = pattern.name
        if name == "ric18":
            value = _compact(text)
            if value[:2] in ("81", "82", "83"):
                return None  # residence permits are their own entity
            facts = validate_ric18(value, self.as_of)
            if facts is not None:
                return facts
            return self._corrupted(value)
        if name == "ric15":
            return self._legacy15(text)
        if name == "masked_dob":
            if not province_valid(text[:2]) or text[:2] in ("81", "82", "83"):
                return None
            born = parse_ymd(text[6:14], self.as_of)
            return None if born is None else Facts(birth_date=born, tier="A", kind="masked")
        if name == "masked_mid":
            ok = province_valid(text[:2]) and text[:2] not in ("81", "82", "83")
            return Facts(kind="masked") if ok else None
        if name == "excel_float":
            # 1.10105E+17: Excel kept 15 significant digits at most; still a (damaged) ID.
            mantissa = text.split("e")[0].split("E")[0].replace(".", "")
            return Facts(kind="corrupted") if province_valid(mantissa[:2]) else None
        return None

    def _legacy15(self, text: str) -> Facts | None:
        """15-digit GB 11643-1989 number: century 19 implied, no check character."""
        if not province_valid(text[:2]) or text[:2] in ("81", "82", "83"):
            return None
        born = parse_ymd("19" + text[6:12], self.as_of)
        if born is None:
            return None
        return Facts(birth_date=born, sex=_sex(text[14]), tier="A", kind="legacy15")

    def _corrupted(self, value: str) -> Facts | None:
        """An ID whose last digits Excel zeroed (``…000``, failing check): damaged but still PI."""
        if not value.endswith("000") or not province_valid(value[:2]):
            return None
        if parse_ymd(value[6:14], self.as_of) is None:
            return None
        if uscc.is_valid(value):
            return None  # an all-numeric credit code, not a person
        return Facts(kind="corrupted", score=0.4)

    def normalize(self, text: str) -> str:
        """Canonical 18-character form; a legacy 15-digit number is upgraded."""
        value = _compact(text)
        if len(value) == 15 and value.isdigit():
            return upgrade_legacy15(value) or value
        return value


class ResidencePermitRecognizer(Recognizer):
    """Residence permits of Hong Kong, Macau and Taiwan residents (810000/820000/830000)."""

    ENTITY: ClassVar[str] = "CN_RESIDENCE_PERMIT"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("permit", _B + r"8[123]0000" + _SEP + r"[0-9]{8}" + _SEP + r"[0-9]{3}[0-9Xx]" + _E, 0.85),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (*ID_CONTEXT, "港澳台居民", "居住证", "permit")
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = NEGATIVE_WORDS

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Same rules as a resident ID; the address code selects the permit."""
        facts = validate_ric18(_compact(text), self.as_of)
        if facts is None:
            return None
        return _facts(facts.birth_date, facts.sex, "residence_permit")

    def normalize(self, text: str) -> str:
        """Separators removed, ``x`` upper-cased."""
        return _compact(text)


class PrCardRecognizer(Recognizer):
    """Foreign permanent-resident ID card (2023 format): 18 digits, leading 9, MOD 11-2 check.

    The field layout after the first digit is not published, so only the check and the embedded
    birth date (positions 7-14, as for resident IDs) are verified. Unified Social Credit Codes of
    enterprises start with ``9`` too; a number that is a valid credit code is rejected.
    """

    ENTITY: ClassVar[str] = "CN_PR_CARD"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("pr_card", _B + r"9[0-9]{16}[0-9Xx]" + _E, 0.6),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (*ID_CONTEXT, "永久居留身份证", "外国人", "permanent")
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = (*NEGATIVE_WORDS, "信用代码", "uscc", "统一社会信用")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """MOD 11-2 check, a real birth date, and not a valid credit code."""
        value = text.upper()
        born = parse_ymd(value[6:14], self.as_of)
        if born is None or mod11_2_check(value[:17]) != value[17]:
            return None
        if uscc.is_valid(value):
            return None
        return Facts(birth_date=born, sex=_sex(value[16]), tier="A", kind="pr_card")
