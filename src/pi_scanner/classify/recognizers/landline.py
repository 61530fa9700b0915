"""Mainland fixed-line numbers: trunk 0 + area code + 7/8-digit subscriber number."""

from __future__ import annotations

import re
from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer
from pi_scanner.classify.recognizers.mobile import _cn_pattern

#: Facts of a match that says nothing beyond its type (shared: Facts is frozen, building one costs).
_NO_FACTS = Facts()

FIXED_LINE = _cn_pattern("fixed_line")

_AREA = r"(?:10|2[0-9]|[3-9][0-9]{2})"
_SUB = r"[2-9][0-9]{2,3}[ \-]?[0-9]{4}"
_EXT = r"(?:[ ]?(?:转|分机|ext\.?|x)[ ]?[0-9]{1,6})?"


class LandlineRecognizer(Recognizer):
    """``CN_LANDLINE``: ``010-62345678``, ``(0755)86543210``, ``+86 10 6234 5678``, optional extension.

    400/800 service numbers and short codes (95588, 12306) are not personal: they do not start with
    the trunk 0, and a ``+86 400`` form fails libphonenumber's fixed-line ranges.
    """

    ENTITY: ClassVar[str] = "CN_LANDLINE"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "landline",
            r"(?<![0-9A-Za-z+])(?:(?:\+|00)86[ \-]?\(?0?" + _AREA + r"\)?|\(0" + _AREA + r"\)|0" + _AREA + r")"
            r"[ \-]?" + _SUB + _EXT + r"(?![0-9A-Za-z])",
            0.6,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("电话", "座机", "固话", "联系电话", "家庭电话", "lxdh", "phone", "tel")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Area code + subscriber number must be a libphonenumber fixed-line number."""
        national = self.normalize(text)
        return _NO_FACTS if FIXED_LINE.fullmatch(national) else None

    def normalize(self, text: str) -> str:
        """National significant number without trunk 0 or extension, e.g. ``1062345678``."""
        core = re.split(r"转|分机|ext|x", text, maxsplit=1)[0]
        digits = "".join(ch for ch in core if "0" <= ch <= "9")
        if digits.startswith("0086"):
            digits = digits[4:]
        elif core.lstrip().startswith("+86"):
            digits = digits[2:]
        return digits[1:] if digits.startswith("0") else digits
