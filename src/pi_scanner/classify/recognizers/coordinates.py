"""Precise coordinates of a person: latitude/longitude pairs and WKT points."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()
_NUM = r"-?[0-9]{1,3}\.[0-9]{4,10}"


class CoordinatesRecognizer(Recognizer):
    """``GEO_COORDINATES``: ``39.9042,116.4074`` (either order) or ``POINT(116.4074 39.9042)``.

    Four or more decimals (about 10 m) make a position precise; both numbers must be in range.
    """

    ENTITY: ClassVar[str] = "GEO_COORDINATES"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("pair", r"(?<![0-9A-Za-z.,\-])" + _NUM + r" ?[,，] ?" + _NUM + r"(?![0-9A-Za-z.])", 0.7),
        PatternDef("wkt", r"(?<![0-9A-Za-z])POINT ?\(" + _NUM + " " + _NUM + r"\)", 0.8),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("坐标", "经纬度", "位置", "定位", "location", "gps", "lat", "lng")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """One number must be a latitude (|x| ≤ 90) and the other a longitude (|x| ≤ 180), not both zero."""
        body = text[text.index("(") + 1 : -1] if pattern.name == "wkt" else text
        parts = body.replace("，", ",").replace(",", " ").split()
        a, b = (float(p) for p in parts)
        if a == 0 and b == 0:
            return None
        ok = (abs(a) <= 90 and abs(b) <= 180) or (abs(b) <= 90 and abs(a) <= 180)
        return _NO_FACTS if ok else None

    def normalize(self, text: str) -> str:
        """The pair as written."""
        return text
