"""IP addresses (IPv4 and IPv6): an online identifier of a person's connection (GB/T 35273 App. A)."""

from __future__ import annotations

import ipaddress
from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()


class IpAddressRecognizer(Recognizer):
    """``IP_ADDRESS``: dotted-quad IPv4 and colon-hex IPv6 that :mod:`ipaddress` accepts.

    Version strings look like addresses (``1.2.3.4``, ``10.0.19041.1``): four single-digit parts, a part
    above 255 or a fifth part reject the match, and ``version``/``版本`` nearby make it at most possible.
    Loopback, unspecified and link-local addresses identify no one.
    """

    ENTITY: ClassVar[str] = "IP_ADDRESS"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("v4", r"(?<![0-9A-Za-z.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9A-Za-z]|\.[0-9])", 0.6),
        PatternDef("v6", r"(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{1,4}(?![0-9A-Za-z:.])", 0.6),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("ip", "IP地址", "登录地址", "address")
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ("version", "版本", "ver")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Parse with :mod:`ipaddress`; reject version-like, non-canonical and non-personal addresses."""
        if pattern.name == "v4":
            parts = text.split(".")
            if any(len(p) > 1 and p[0] == "0" for p in parts) or parts[0] == "0":
                return None
            if all(len(p) == 1 for p in parts):
                return None  # 1.2.3.4: a version, not an address
        try:
            addr = ipaddress.ip_address(text)
        except ValueError:
            return None
        if addr.is_loopback or addr.is_unspecified or addr.is_link_local or addr.is_multicast:
            return None
        if addr.version == 6 and text.count(":") < 3 and "::" not in text:
            return None
        return _NO_FACTS

    def normalize(self, text: str) -> str:
        """The compressed canonical form."""
        return str(ipaddress.ip_address(text))
