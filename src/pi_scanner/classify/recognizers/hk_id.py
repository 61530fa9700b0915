"""Hong Kong identity card numbers with their check character."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.checksums import hkid_check
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

#: Facts of a match that says nothing beyond its type (shared: Facts is frozen, building one costs).
_NO_FACTS = Facts()


class HkIdRecognizer(Recognizer):
    """``HK_ID``: ``A123456(3)``, ``CA182361(1)``; the bare form ``A1234563`` scores lower."""

    ENTITY: ClassVar[str] = "HK_ID"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("paren", r"(?<![0-9A-Za-z])[A-Z]{1,2}[0-9]{6}\([0-9A]\)", 0.8),
        PatternDef("bare", r"(?<![0-9A-Za-z])[A-Z]{1,2}[0-9]{6}[0-9A](?![0-9A-Za-z])", 0.4),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("香港身份证", "香港身份證", "hkid", "hkic", "身份证", "身份證")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """The check character must match."""
        compact = text.replace("(", "").replace(")", "")
        prefix = compact[:-7]
        return _NO_FACTS if hkid_check(prefix, compact[-7:-1]) == compact[-1] else None
