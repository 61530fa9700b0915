"""Household-registration type (户口性质): agricultural or not, urban or rural."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()


class HukouTypeRecognizer(Recognizer):
    """``HUKOU_TYPE``: ``农业户口``, ``非农业户口``, ``城镇户口``, ``居民户口``… and the bare ``非农业``.

    A bare ``农业`` is also an industry or a subject, so it counts only written as a registration type.
    """

    ENTITY: ClassVar[str] = "HUKOU_TYPE"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("hukou", r"(?:非农业|农业|城镇|农村|居民|家庭|集体)(?:户口|户籍)|非农业(?![户0-9A-Za-z])", 0.7),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("户口", "户籍", "hklx", "hkxz")

    def normalize(self, text: str) -> str:
        """The value as written."""
        return text
