"""Religious belief (宗教信仰): sensitive PI in GB/T 35273 App. B."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()


class ReligionRecognizer(Recognizer):
    """``RELIGION``: the religions of the national statistics in Chinese, and their English names."""

    ENTITY: ClassVar[str] = "RELIGION"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("zh", r"(?:无宗教信仰|伊斯兰教|佛教徒|基督徒|天主教|基督教|东正教|佛教|道教|新教|喇嘛教)", 0.7),
        PatternDef(
            "en",
            r"(?<![A-Za-z])(?:Buddhis[mt]|Christianity|Catholic(?:ism)?|Muslim|Islam(?:ic)?|Hindu(?:ism)?|Jewish"
            r"|Judaism|Taois[mt]|Protestant|Sikh(?:ism)?|Atheis[mt]|Agnostic)(?![A-Za-z])",
            0.6,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("宗教", "信仰", "religion", "faith", "zjxy")

    def normalize(self, text: str) -> str:
        """The name as written."""
        return text
