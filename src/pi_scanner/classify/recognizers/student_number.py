"""National student registration numbers (全国中小学生学籍号): G/J/L + 18 characters."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.checksums import parse_ymd, province_valid
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer
from pi_scanner.classify.recognizers.resident_id import validate_ric18


class StudentNumberRecognizer(Recognizer):
    """``G`` + resident ID, ``J`` + ID-rule self code (both with MOD 11-2), ``L`` + region + DOB + 4 digits.

    Every form embeds the date of birth, so each is a tier-A age signal.
    """

    ENTITY: ClassVar[str] = "CN_STUDENT_NUMBER"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("gj", r"(?<![0-9A-Za-z])[GJ][0-9]{17}[0-9Xx](?![0-9A-Za-z])", 0.9),
        PatternDef("l", r"(?<![0-9A-Za-z])L[0-9]{18}(?![0-9A-Za-z])", 0.7),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("学籍号", "学籍", "xjh", "xjfh", "student")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """G/J: the resident-ID rules on characters 2-19; L: province and birth date only."""
        body = text[1:].upper()
        if pattern.name == "gj":
            facts = validate_ric18(body, self.as_of)
            if facts is None:
                return None
            return Facts(birth_date=facts.birth_date, sex=facts.sex, tier="A", kind=text[0])
        if not province_valid(body[:2]):
            return None
        born = parse_ymd(body[6:14], self.as_of)
        return None if born is None else Facts(birth_date=born, tier="A", kind="L")
