"""Birth medical certificate numbers (出生医学证明): one letter + 9 digits, context required."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer


class BirthCertificateRecognizer(Recognizer):
    """``CN_BIRTH_CERTIFICATE``: ``X320101001``; its presence marks a newborn (tier-B child signal).

    A letter and nine digits collide with many codes, so the number counts only next to
    ``出生证``/``出生医学证明`` or in a column named for it.
    """

    ENTITY: ClassVar[str] = "CN_BIRTH_CERTIFICATE"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("birth_cert", r"(?<![0-9A-Za-z])[A-Z][0-9]{9}(?![0-9A-Za-z])", 0.4),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("出生证", "出生医学证明", "出生證", "csyxzm", "cszm", "birth_cert")
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Reject one-digit placeholders; mark the subject as a child."""
        if len(set(text[1:])) <= 1:
            return None
        return Facts(child_signal=True, tier="B", weight=0.9)
