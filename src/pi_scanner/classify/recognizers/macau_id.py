"""Macau resident identity card (BIR) numbers: format only, context required."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

#: Facts of a match that says nothing beyond its type (shared: Facts is frozen, building one costs).
_NO_FACTS = Facts()


class MacauIdRecognizer(Recognizer):
    """``MO_ID``: ``1234567(8)`` with first digit 1/5/7 (era of issue).

    The check algorithm is not public, and 8 digits collide with dates and counters, so the entity
    is reported only with context (``澳门身份证``, ``BIR``).
    """

    ENTITY: ClassVar[str] = "MO_ID"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("bir", r"(?<![0-9A-Za-z/])[157][0-9]{6}(?:\([0-9]\)|[0-9])(?![0-9A-Za-z])", 0.4),
        PatternDef("bir_old", r"(?<![0-9A-Za-z/])[157]/[0-9]{6}/[0-9](?![0-9A-Za-z/])", 0.4),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("澳门身份证", "澳門身份證", "澳门", "澳門", "bir", "macau", "macao")
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Format only (see the class docstring); reject one-digit placeholders."""
        digits = [ch for ch in text if ch.isdigit()]
        return None if len(set(digits[1:])) <= 1 else _NO_FACTS
