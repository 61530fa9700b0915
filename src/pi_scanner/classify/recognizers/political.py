"""Political affiliation (政治面貌, zzmm): sensitive PI; pupils are 少先队员 or 共青团员."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()

#: The values of GB/T 4762 (政治面貌代码), longest first.
AFFILIATIONS: tuple[str, ...] = (
    "中国共产主义青年团团员", "中国共产党预备党员", "中国共产党党员", "中共预备党员", "无党派民主人士", "九三学社社员",
    "中国少年先锋队队员", "中共党员", "共青团员", "少先队员", "无党派人士", "民革党员", "民盟盟员", "民建会员",
    "民进会员", "农工党党员", "致公党党员", "台盟盟员", "预备党员", "群众",
)


class PoliticalAffiliationRecognizer(Recognizer):
    """``POLITICAL_AFFILIATION``: a 政治面貌 value. ``人民群众`` (the people) in prose is not one."""

    ENTITY: ClassVar[str] = "POLITICAL_AFFILIATION"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("zzmm", "(?<!人民)(?<!广大)(?:" + "|".join(AFFILIATIONS) + ")", 0.7),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("政治面貌", "zzmm", "political")

    def normalize(self, text: str) -> str:
        """The value as written."""
        return text
