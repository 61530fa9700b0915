"""Gender values: 男/女, Male/Female, M/F; numeric codes (GB/T 2261.1: 1 男, 2 女, 0/9) only with a gender name."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()
_CJK_EDGE_L = r"(?<![0-9A-Za-z\u4e00-\u9fff])"
_CJK_EDGE_R = r"(?![0-9A-Za-z\u4e00-\u9fff])"


class GenderRecognizer(Recognizer):
    """``GENDER``: a gender word or letter standing alone.

    Single letters and *boy*/*girl* score below the prose threshold: a column of ``M``/``F`` is a gender
    column, an ``M`` in a sentence is not evidence.
    """

    ENTITY: ClassVar[str] = "GENDER"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("zh", _CJK_EDGE_L + r"(?:男性|女性|男生|女生|男|女)" + _CJK_EDGE_R, 0.6),
        PatternDef("en", r"(?<![0-9A-Za-z])(?:[Mm]ale|[Ff]emale|MALE|FEMALE)(?![0-9A-Za-z])", 0.6),
        PatternDef("weak", r"(?<![0-9A-Za-z])(?:[MF]|[Bb]oy|[Gg]irl)(?![0-9A-Za-z])", 0.4),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("性别", "gender", "sex", "xb", "xingbie")

    def normalize(self, text: str) -> str:
        """``M`` or ``F``."""
        return "F" if text[0] in "女FfGg" else "M"


class GenderCodeRecognizer(Recognizer):
    """``GENDER``: the codes ``0``/``1``/``2``/``9`` where the column or text names gender."""

    ENTITY: ClassVar[str] = "GENDER"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("code", r"(?<![0-9A-Za-z.\-])[0129](?![0-9A-Za-z.])", 0.5),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("性别", "gender", "sex", "xb", "xingbie")
    REQUIRES_CONTEXT: ClassVar[bool] = True
