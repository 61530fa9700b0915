"""The fast detection path: recognizers' patterns run per column, validators only on candidates.

This first version is the plain reference loop (cell by cell, pattern by pattern). It defines the
contract that the optimised engine keeps: same inputs, same detections.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from pi_scanner.classify.recognizers.base import Detection, Recognizer

#: Characters removed before matching: zero-width spaces and joiners hide digits from regexes.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def normalize_cell(value: object, max_chars: int = 100_000) -> str:
    """Text form of a cell for matching: NFKC, invisible characters removed, length bounded."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        text = bytes(value)[: max_chars * 4].decode("utf-8", errors="replace")
    else:
        text = str(value)
    text = text[:max_chars]
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


class FastEngine:
    """Runs a fixed set of recognizers over columns of values.

    Args:
        recognizers: The recognizers, already constructed with their ``as_of`` date.
        max_cell_chars: Characters of a cell examined at most.
    """

    def __init__(self, recognizers: Sequence[Recognizer], max_cell_chars: int = 100_000) -> None:
        self.recognizers = list(recognizers)
        self.max_cell_chars = max_cell_chars
        self._compiled = [
            (rec, [(p, re.compile(p.regex)) for p in rec.PATTERNS]) for rec in self.recognizers
        ]

    def detect_cell(self, text: str) -> list[Detection]:
        """Detections in one already-normalised cell, sorted by position."""
        found: list[Detection] = []
        for rec, patterns in self._compiled:
            for pattern, rx in patterns:
                for m in rx.finditer(text):
                    facts = rec.validate(m.group(), pattern)
                    if facts is None:
                        continue
                    score = pattern.score if facts.score is None else facts.score
                    found.append(
                        Detection(rec.ENTITY, m.start(), m.end(), score, facts, rec.normalize(m.group()))
                    )
        return _dedupe(found)

    def detect_column(self, values: Sequence[object]) -> list[list[Detection]]:
        """Detections for each value of a column, in order (one list per value)."""
        return [self.detect_cell(normalize_cell(v, self.max_cell_chars)) for v in values]


def _dedupe(found: list[Detection]) -> list[Detection]:
    """Keep one detection per (entity, span): the highest score."""
    best: dict[tuple[str, int, int], Detection] = {}
    for d in found:
        key = (d.entity, d.start, d.end)
        if key not in best or d.score > best[key].score:
            best[key] = d
    return sorted(best.values(), key=lambda d: (d.start, d.end, d.entity))
