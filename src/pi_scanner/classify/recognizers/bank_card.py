"""UnionPay bank card numbers (IIN 62 and 81, 16-19 digits)."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.checksums import luhn_valid
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

#: Facts of a match that says nothing beyond its type (shared: Facts is frozen, building one costs).
_NO_FACTS = Facts()

_PATTERNS = (
    PatternDef("card", r"(?<![0-9A-Za-z])(?:62|81)[0-9]{14,17}(?![0-9A-Za-z])", 0.8),
    PatternDef(
        "card_grouped",
        r"(?<![0-9A-Za-z])(?:62|81)[0-9]{2}(?:[ \-][0-9]{4}){3}(?:[ \-]?[0-9]{1,3})?(?![0-9A-Za-z])",
        0.8,
    ),
)
_CONTEXT = ("银行卡", "卡号", "银行账号", "账号", "储蓄卡", "借记卡", "信用卡", "yhkh", "card", "bank", "account")


def _digits(text: str) -> str:
    return text.replace(" ", "").replace("-", "")


class BankCardRecognizer(Recognizer):
    """``CN_BANK_CARD`` passing Luhn: high confidence.

    IMEIs (15 digits) and ICCIDs (``8986…``) are Luhn-valid too; the 62/81 prefix and the 16-19
    length keep them out.
    """

    ENTITY: ClassVar[str] = "CN_BANK_CARD"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = _PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = _CONTEXT

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Length 16-19 and Luhn."""
        digits = _digits(text)
        return _NO_FACTS if 16 <= len(digits) <= 19 and luhn_valid(digits) else None

    def normalize(self, text: str) -> str:
        """Digits only."""
        return _digits(text)


class BankCardNoLuhnRecognizer(Recognizer):
    """``CN_BANK_CARD`` failing Luhn: some UnionPay cards do; medium confidence, card context required."""

    ENTITY: ClassVar[str] = "CN_BANK_CARD"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = _PATTERNS
    CONTEXT: ClassVar[tuple[str, ...]] = _CONTEXT
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Length 16-19, Luhn failing, not a one-digit placeholder."""
        digits = _digits(text)
        if not 16 <= len(digits) <= 19 or luhn_valid(digits) or len(set(digits[2:])) <= 1:
            return None
        return Facts(kind="luhn_fail", score=0.2)

    def normalize(self, text: str) -> str:
        """Digits only."""
        return _digits(text)
