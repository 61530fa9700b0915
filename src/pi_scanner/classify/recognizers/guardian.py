"""Guardian relations (entity ``GUARDIAN_RELATION``): ``监护人``, ``家长``, ``父亲``, ``妈妈``, ``guardian``.

A record that names a guardian is probably about a minor (tier C). Holidays (``父亲节``, ``Mother's Day``)
and compounds that are not a relation to a person (``父母官``, ``家长制``) are kept out by the pattern.
Adults without full civil capacity have a 监护人 too, so this is never more than a moderate signal.
"""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_CN_WORDS = (
    "紧急联系人", "与学生关系", "亲属关系", "监护人", "祖父母", "外祖父", "外祖母", "家长", "父亲", "母亲",
    "爸爸", "妈妈", "父母", "爷爷", "奶奶", "外公", "外婆", "姥姥", "姥爷",
)  # fmt: skip
_EN_WORDS = (
    "Guardian", "guardian", "Parent", "parent", "Mother", "mother", "Father", "father", "Mom", "mom", "Dad", "dad",
)  # fmt: skip


class GuardianRecognizer(Recognizer):
    """Words naming a guardian or parent of the record's subject."""

    ENTITY: ClassVar[str] = "GUARDIAN_RELATION"
    #: Literals of which every match contains at least one (on NFKC text). An engine may skip this
    #: recognizer for a text holding none of them: ``str.__contains__`` is far cheaper than a regex scan.
    #: The relation words themselves.
    ANCHORS: ClassVar[tuple[str, ...]] = tuple(_CN_WORDS) + tuple(_EN_WORDS)
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("cn_relation", rf"(?:{'|'.join(_CN_WORDS)})(?![节官制会长])", 0.4),
        PatternDef(
            "en_relation",
            rf"(?<![A-Za-z])(?:{'|'.join(_EN_WORDS)})s?(?!['’]s [Dd]ay)(?![A-Za-z])",
            0.3,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("监护人", "家长", "jhr", "jz", "guardian", "parent", "关系", "gx")

    #: Strength of a guardian mention in the noisy-OR (tier C).
    WEIGHT: ClassVar[float] = 0.6

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Every match is a relation word; it says "minor likely" with a moderate weight."""
        return Facts(tier="C", weight=self.WEIGHT, kind="guardian")
