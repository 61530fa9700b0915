"""Mainland mobile numbers, validated against libphonenumber's CN mobile ranges."""

from __future__ import annotations

import re
from typing import ClassVar

import phonenumbers

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer, mask_value

#: Facts of a match that says nothing beyond its type (shared: Facts is frozen, building one costs).
_NO_FACTS = Facts()


def _cn_pattern(kind: str) -> re.Pattern[str]:
    """The national-number pattern of libphonenumber for CN ``mobile`` or ``fixed_line``, as ``re``.

    Taken from the installed ``phonenumbers`` metadata so the prefix table follows the library
    (refresh it by upgrading ``phonenumbers``); ASCII-only digit classes replace the generic digit
    escape so Unicode digits never pass.
    """
    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    desc = getattr(meta, kind)
    return re.compile(desc.national_number_pattern.replace(r"\d", "[0-9]"))


MOBILE_RANGES = _cn_pattern("mobile")
_NON_DIGIT = re.compile("[^0-9]")

# Country-code forms: +86, 0086, 86- / 86 (separator required, else it is a longer digit run), (+86).
_CC = r"(?:(?:\+|00)86[ \-]?|86[ \-]|\(\+?86\)[ \-]?)?"
_HEAD = r"(?<![0-9A-Za-z+])"


class MobileRecognizer(Recognizer):
    """``CN_MOBILE``: 11-digit mobile numbers in every common spelling, and masked ``138****8000``."""

    ENTITY: ClassVar[str] = "CN_MOBILE"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "mobile",
            _HEAD + _CC + r"1[3-9][0-9](?:[0-9]{8}|[ \-][0-9]{4}[ \-][0-9]{4}|[0-9]{4}[ \-][0-9]{4})(?![0-9A-Za-z])",
            0.75,
        ),
        PatternDef("masked", _HEAD + r"1[3-9][0-9]\*{4}[0-9]{4}(?![0-9A-Za-z*])", 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "手机", "电话", "联系方式", "联系电话", "手机号", "sjh", "lxdh", "mobile", "phone", "tel", "cell",
    )  # fmt: skip

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """The 11 national digits must fall in an allocated mobile range."""
        if pattern.name == "masked":
            # Only the prefix is visible: test it with a neutral body.
            probe = text[:3] + "0000" + text[-4:]
            return Facts(kind="masked") if MOBILE_RANGES.fullmatch(probe) else None
        national = self.normalize(text)
        return _NO_FACTS if MOBILE_RANGES.fullmatch(national) else None

    def normalize(self, text: str) -> str:
        """The 11 national digits (country code dropped); a masked number keeps its stars."""
        if "*" in text:
            return text
        if len(text) == 11 and text.isdigit():
            return text  # the common bare form
        return _NON_DIGIT.sub("", text)[-11:]

    def mask(self, text: str) -> str:
        """``138****8000``."""
        return mask_value(self.normalize(text), keep_head=3, keep_tail=4)
