"""Passports and travel permits of the PRC, Hong Kong and Macau (format only: no public check digit)."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_B = r"(?<![0-9A-Za-z])"
_E = r"(?![0-9A-Za-z])"


class PassportRecognizer(Recognizer):
    """``CN_PASSPORT``: ordinary (E/G), HKSAR (K), MSAR (MA) and official (DE/SE/PE, S/P/D) passports.

    Letter + digits collides with product and part codes, so the base score is modest and
    context (``护照``, ``passport``) carries the confidence.
    """

    ENTITY: ClassVar[str] = "CN_PASSPORT"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("ordinary", _B + r"(?:E[0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|G[0-9]{8})" + _E, 0.45),
        PatternDef("hk_mo", _B + r"(?:K[0-9]{8}|MA[0-9]{7})" + _E, 0.4),
        PatternDef("official", _B + r"(?:[DSP]E[0-9]{7}|[SPD]\.?[0-9]{7}|S[0-9]{8})" + _E, 0.3),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("护照", "護照", "passport", "hzh", "hzhm", "证件号")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Reject runs of one repeated digit (``E00000000`` placeholders)."""
        digits = "".join(ch for ch in text if ch.isdigit())
        return None if len(set(digits)) <= 1 else Facts(kind=pattern.name)


class TravelPermitRecognizer(Recognizer):
    """``CN_TRAVEL_PERMIT``: 回乡证 (H/M + 8 digits + optional 2-digit renewal count) and 往来港澳通行证 (C)."""

    ENTITY: ClassVar[str] = "CN_TRAVEL_PERMIT"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("home_return", _B + r"[HM][0-9]{8}(?:[0-9]{2})?" + _E, 0.45),
        PatternDef("exit_entry", _B + r"(?:C[0-9]{8}|C[A-HJ-NP-Z][0-9]{7})" + _E, 0.45),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "回乡证", "回鄉證", "通行证", "通行證", "港澳", "往来", "permit", "txz", "hxz",
    )  # fmt: skip

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Reject one-digit placeholders."""
        digits = "".join(ch for ch in text if ch.isdigit())
        return None if len(set(digits)) <= 1 else Facts(kind=pattern.name)


class TaiwanCompatriotPermitRecognizer(Recognizer):
    """台胞证 numbers: lifelong 8 digits or legacy 10 digits (+ optional ``(X)``) — context required.

    Bare 8- or 10-digit numbers are everywhere (dates, epoch seconds, order numbers), so this is
    reported only next to ``台胞证`` or in a column named for it.
    """

    ENTITY: ClassVar[str] = "CN_TRAVEL_PERMIT"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("tw_compatriot", _B + r"(?:[0-9]{8}|[0-9]{10}(?:\([A-Z0-9]\))?)(?![0-9A-Za-z(])", 0.4),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("台胞证", "台胞證", "台湾居民来往大陆通行证", "tbz", "mtp")
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Reject one-digit placeholders."""
        digits = "".join(ch for ch in text if ch.isdigit())
        return None if len(set(digits)) <= 1 else Facts(kind="tw_compatriot")
