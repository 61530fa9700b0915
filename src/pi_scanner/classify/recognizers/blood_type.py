"""Blood types: ``A型``, ``AB型血``, ``O Rh+``, ``Rh阴性``; bare ``A``/``O+`` only in a blood-type column."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()


class BloodTypeRecognizer(Recognizer):
    """``BLOOD_TYPE``: an ABO group written with 型 or Rh, or an Rh factor in words.

    ``A+`` and ``B-`` are marks in a gradebook far more often than blood types: without 型/Rh they need
    the column's context (:class:`BloodGroupLetterRecognizer`).
    """

    ENTITY: ClassVar[str] = "BLOOD_TYPE"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "typed",
            r"(?<![0-9A-Za-z])(?:AB|A|B|O) ?(?:型血|型|Rh ?[+\-]|RH ?[+\-]|Rh阳性|Rh阴性|RH阳性|RH阴性)(?![0-9A-Za-z])",
            0.8,
        ),
        PatternDef("rh", r"(?<![0-9A-Za-z])R[Hh](?:阴性|阳性)", 0.7),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("血型", "blood", "xuexing")

    def normalize(self, text: str) -> str:
        """The type as written."""
        return text


class BloodGroupLetterRecognizer(Recognizer):
    """``BLOOD_TYPE``: ``A``, ``AB``, ``O+``, ``B-`` where the column or text names blood."""

    ENTITY: ClassVar[str] = "BLOOD_TYPE"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("letters", r"(?<![0-9A-Za-z])(?:AB|A|B|O)[+\-]?(?![0-9A-Za-z+\-])", 0.6),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("血型", "blood", "xuexing")
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def normalize(self, text: str) -> str:
        """The group as written."""
        return text
