"""Advertising and device IDs (Android ID, IDFA, IDFV, OAID, push tokens) in a device-named column."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()
_H = "[0-9A-Fa-f]"


class DeviceIdRecognizer(Recognizer):
    """``DEVICE_ID``: a UUID (IDFA, IDFV, OAID), 16 hex digits (Android ID) or 64 (an APNs push token).

    These shapes are every other key of a database too (UUID keys, digests), so the recognizer needs a
    device word (``android_id``, ``idfa``, ``oaid``, ``设备``) in the column name or next to the value. The
    all-zero IDFA means "limit ad tracking": no identifier.
    """

    ENTITY: ClassVar[str] = "DEVICE_ID"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "uuid",
            rf"(?<![0-9A-Za-z\-]){_H}{{8}}-{_H}{{4}}-{_H}{{4}}-{_H}{{4}}-{_H}{{12}}(?![0-9A-Za-z\-])",
            0.6,
        ),
        PatternDef("hex16", rf"(?<![0-9A-Za-z]){_H}{{16}}(?![0-9A-Za-z])", 0.5),
        PatternDef("hex64", rf"(?<![0-9A-Za-z]){_H}{{64}}(?![0-9A-Za-z])", 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "android", "idfa", "idfv", "oaid", "udid", "device", "设备", "push_token", "pushtoken", "推送",
    )
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Reject the zeroed IDFA and hex runs of one kind of character only."""
        body = text.replace("-", "")
        if len(set(body)) <= 2:
            return None
        if pattern.name != "uuid" and (body.isdigit() or body.isalpha()):
            return None
        return _NO_FACTS

    def normalize(self, text: str) -> str:
        """Lower-case hex without hyphens."""
        return text.replace("-", "").lower()
