"""IMEI and MEID: a phone's hardware identity, reported only where the column or text speaks of devices."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.checksums import luhn_valid
from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()
#: Reporting-body identifiers (first two digits of an IMEI's type allocation code) in use.
_REPORTING_BODIES = frozenset({"01", "10", "30", "33", "35", "44", "45", "49", "50", "51", "52", "53", "54", "86",
                               "91", "98", "99"})


class ImeiRecognizer(Recognizer):
    """``IMEI``: 15 digits with a valid Luhn digit and a known reporting body, or a 14-hex MEID (``A0``-``FF``).

    Fifteen digits are too common (order numbers, 15-digit IDs) to be a device without context: the
    recognizer needs a device word in the column name or near the value.
    """

    ENTITY: ClassVar[str] = "IMEI"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("imei", r"(?<![0-9A-Za-z])[0-9]{15}(?![0-9A-Za-z])", 0.6),
        PatternDef("meid", r"(?<![0-9A-Za-z])[A-Fa-f][0-9A-Fa-f]{13}(?![0-9A-Za-z])", 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("imei", "meid", "串号", "设备", "device", "终端", "handset")
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """IMEI: Luhn and reporting body, not one repeated digit; MEID: its first byte is ``A0`` or more."""
        if pattern.name == "meid":
            return _NO_FACTS if int(text[:2], 16) >= 0xA0 and any(c.isdigit() for c in text) else None
        if len(set(text)) == 1 or text[:2] not in _REPORTING_BODIES:
            return None
        return _NO_FACTS if luhn_valid(text) else None
