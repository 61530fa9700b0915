"""Taiwan national ID and new-style resident certificate numbers, with check digit."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.checksums import taiwan_id_valid
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer


class TaiwanIdRecognizer(Recognizer):
    """``TW_ID``: a letter, ``1``/``2`` (sex) or ``8``/``9`` (resident certificate), 8 digits."""

    ENTITY: ClassVar[str] = "TW_ID"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("tw_id", r"(?<![0-9A-Za-z])[A-Z][1289][0-9]{8}(?![0-9A-Za-z])", 0.7),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("台湾身份证", "身分證", "統一證號", "居留证", "twid")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Weighted check sum mod 10 must be 0."""
        if not taiwan_id_valid(text):
            return None
        sex = {"1": "M", "2": "F"}.get(text[1])
        return Facts(sex=sex, kind="resident_certificate" if sex is None else "")
