"""The 56 ethnic groups of China (GB/T 3304) written with 族: ethnicity, "specific identity" PI."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()

#: The 56 names without 族, longest first (``土家`` before ``土``).
_NAMES_TEXT = (
    "柯尔克孜 乌孜别克 维吾尔 哈萨克 达斡尔 塔吉克 俄罗斯 鄂温克 塔塔尔 鄂伦春 蒙古 布依 朝鲜 土家 哈尼 傈僳 "
    "高山 拉祜 东乡 纳西 景颇 仫佬 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 德昂 保安 裕固 "
    "独龙 赫哲 门巴 珞巴 基诺 汉 回 藏 苗 彝 壮 满 侗 瑶 白 傣 "
    "黎 佤 畲 水 土 羌 怒 京"
)
ETHNIC_GROUPS: tuple[str, ...] = tuple(_NAMES_TEXT.split())


class EthnicityRecognizer(Recognizer):
    """``ETHNICITY``: ``汉族``, ``维吾尔族`` … (the 族 is required: ``汉`` alone is also a dynasty, a surname).

    ``水族馆`` (an aquarium) and ``水族箱`` are not the Shui people.
    """

    ENTITY: ClassVar[str] = "ETHNICITY"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("zu", r"(?<![0-9A-Za-z])(?:" + "|".join(ETHNIC_GROUPS) + r")族(?![馆箱群])", 0.7),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("民族", "ethnicity", "mz", "minzu")

    def normalize(self, text: str) -> str:
        """The name as written."""
        return text
