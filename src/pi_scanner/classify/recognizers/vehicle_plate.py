"""Chinese vehicle licence plates (车牌): a province character, a letter and five or six characters."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"


class VehiclePlateRecognizer(Recognizer):
    """``VEHICLE_PLATE``: ``京A12345``, ``粤B·D12345`` (new-energy plates have six characters after the letter).

    Letters I and O are never issued; at least three digits occur in the serial.
    """

    ENTITY: ClassVar[str] = "VEHICLE_PLATE"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "plate", rf"(?<![0-9A-Za-z])[{_PROVINCES}][A-HJ-NP-Z][·•]?[A-HJ-NP-Z0-9]{{5,6}}(?![0-9A-Za-z])", 0.7
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("车牌", "plate", "车辆", "cph", "chepai")

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Three or more digits in the serial; a six-character serial is a new-energy one (D or F at an end)."""
        serial = text[2:].lstrip("·•")
        if sum(c.isdigit() for c in serial) < 3:
            return None
        if len(serial) == 6 and serial[0] not in "DF" and serial[-1] not in "DF":
            return None
        return _NO_FACTS

    def normalize(self, text: str) -> str:
        """Without the separator dot."""
        return text.replace("·", "").replace("•", "")
