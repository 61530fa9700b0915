"""MAC addresses: the hardware identifier of a person's phone, tablet or watch."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()
_HEX = "[0-9A-Fa-f]"


class MacAddressRecognizer(Recognizer):
    """``MAC_ADDRESS``: six hex pairs separated by ``:`` or ``-``, or Cisco's ``xxxx.xxxx.xxxx``.

    All-zero and broadcast addresses identify no device; a dotted form of digits only is a number.
    """

    ENTITY: ClassVar[str] = "MAC_ADDRESS"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("colon", rf"(?<![0-9A-Za-z:\-])(?:{_HEX}{{2}}:){{5}}{_HEX}{{2}}(?![0-9A-Za-z:\-])", 0.7),
        PatternDef("hyphen", rf"(?<![0-9A-Za-z:\-])(?:{_HEX}{{2}}-){{5}}{_HEX}{{2}}(?![0-9A-Za-z:\-])", 0.7),
        PatternDef("dotted", rf"(?<![0-9A-Za-z.]){_HEX}{{4}}\.{_HEX}{{4}}\.{_HEX}{{4}}(?![0-9A-Za-z.])", 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("mac", "MAC地址", "物理地址", "网卡", "wifi", "bluetooth", "蓝牙")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Reject the all-zero and broadcast addresses and digit-only dotted numbers."""
        body = self.normalize(text)
        if len(set(body)) == 1:
            return None
        if pattern.name == "dotted" and body.isdigit():
            return None
        return _NO_FACTS

    def normalize(self, text: str) -> str:
        """Twelve upper-case hex digits."""
        return "".join(ch for ch in text if ch.isalnum()).upper()
