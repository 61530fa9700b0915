"""QQ numbers: 5 to 11 digits, reported only where ``QQ`` is said."""

from __future__ import annotations

from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

_NO_FACTS = Facts()


class QqNumberRecognizer(Recognizer):
    """``QQ_NUMBER``: a number of 5-11 digits not starting with 0, with ``QQ`` in the column name or nearby.

    The mailbox ``12345@qq.com`` is an e-mail address, not a bare QQ number: a digit run followed by ``@``
    or ``.`` is left to the e-mail recognizer.
    """

    ENTITY: ClassVar[str] = "QQ_NUMBER"
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef("qq", r"(?<![0-9A-Za-z@.])[1-9][0-9]{4,10}(?![0-9A-Za-z@.])", 0.6),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = ("qq", "扣扣", "qqh")
    REQUIRES_CONTEXT: ClassVar[bool] = True

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Reject one repeated digit (``11111``)."""
        return None if len(set(text)) == 1 else _NO_FACTS
