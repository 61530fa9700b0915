"""Chinese-aware context: keywords near a match or in the column name adjust its confidence.

Presidio's own enhancer compares lemmas of surrounding tokens. A blank ``zh`` pipeline tokenises per
character and leaves lemmas empty, so ``身份证号`` next to a number is invisible to it. Here context is
a plain substring test over a character window around the match, plus a token test over column
names and headers. Both engines (fast path and Presidio) call :func:`apply_context`, so they agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from pi_scanner.classify.recognizers.base import Facts, Recognizer

#: Added to the score of a match with positive context (Presidio's default similarity factor).
CONTEXT_FACTOR = 0.35
#: Ceiling of a match with negative context: reported as a low-confidence "possible ID".
POSSIBLE_SCORE = 0.2

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


@lru_cache(maxsize=256)
def _split_words(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split context words into (non-ASCII words, lower-cased ASCII words)."""
    cjk = tuple(w for w in words if not w.isascii())
    asc = tuple(w.lower() for w in words if w.isascii())
    return cjk, asc


def context_boost(text: str, start: int, end: int, words: Sequence[str], window: int = 30) -> bool:
    """True when one of ``words`` occurs within ``window`` characters before or after a match.

    The match itself is excluded so that a number never supplies its own context.

    Args:
        text: The whole (normalised) cell.
        start: Start of the match.
        end: End of the match.
        words: Context words; Chinese words match as substrings, ASCII ones case-insensitively.
        window: Characters looked at on each side.
    """
    if not words:
        return False
    left = text[max(0, start - window) : start]
    right = text[end : end + window]
    if not left and not right:
        return False
    cjk, asc = _split_words(tuple(words))
    for w in cjk:
        if w in left or w in right:
            return True
    if asc:
        around = (left + "\n" + right).lower()
        return any(w in around for w in asc)
    return False


def words_anywhere(words: Sequence[str], text: str, lowered: str) -> bool:
    """True when some word occurs anywhere in ``text`` (``lowered`` = ``text.lower()`` for ASCII words).

    A cheap necessary condition for :func:`context_boost` on any window of ``text``: lets an
    engine skip a context-requiring recognizer for a whole column.
    """
    cjk, asc = _split_words(tuple(words))
    return any(w in text for w in cjk) or any(w in lowered for w in asc)


@lru_cache(maxsize=4096)
def _name_tokens(name: str) -> tuple[str, ...]:
    """Tokens of a column name: camelCase and snake_case split, lower-cased; CJK runs kept whole."""
    spaced = _CAMEL.sub(" ", name).lower()
    return tuple(t for t in _SPLIT.split(spaced) if t)


def column_context(names: Iterable[str], words: Sequence[str]) -> bool:
    """True when a column name or header carries one of ``words``.

    ASCII words must start a token (``phone`` hits ``parent2_phone1`` but ``order`` does not hit
    ``border``); Chinese words match anywhere in the name.
    """
    if not words:
        return False
    return _column_hit(tuple(names), tuple(words))


@lru_cache(maxsize=4096)
def _column_hit(names: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Cached body of :func:`column_context`: a column's names are tested once per word list."""
    cjk, asc = _split_words(words)
    for name in names:
        if not name:
            continue
        if any(w in name for w in cjk):
            return True
        if asc:
            lowered = name.lower()
            # Multi-word ASCII hints (``birth_cert``) match the lower-cased name as a whole.
            if any(not w.isalnum() and w in lowered for w in asc):
                return True
            for tok in _name_tokens(name):
                if any(tok.startswith(w) for w in asc):
                    return True
    return False


@lru_cache(maxsize=1024)
def _column_flags(rec_type: type[Recognizer], names: tuple[str, ...]) -> tuple[bool, bool]:
    """(negative, positive) context of a recognizer class in a column's names, computed once."""
    neg = rec_type.NEGATIVE_CONTEXT
    pos = rec_type.CONTEXT
    return (bool(neg) and column_context(names, neg), bool(pos) and column_context(names, pos))


def column_flags(rec: Recognizer, names: Sequence[str]) -> tuple[bool, bool]:
    """(negative, positive) context of ``rec`` found in column names (cached per class and names)."""
    return _column_flags(type(rec), tuple(names))


def apply_context(
    rec: Recognizer,
    text: str,
    start: int,
    end: int,
    score: float,
    facts: Facts,
    names: Sequence[str] = (),
) -> tuple[float, Facts] | None:
    """Adjust one validated match by its context.

    Args:
        rec: The recognizer that produced the match.
        text: The whole cell.
        start: Start of the match.
        end: End of the match.
        score: Score after validation.
        facts: Facts after validation.
        names: Column names / headers / JSON keys of the cell.

    Returns:
        ``(score, facts)``, or None when the recognizer requires context and there is none.
        Negative context caps the score at :data:`POSSIBLE_SCORE` and strips the age tier:
        an ID-shaped order number is a "possible ID", never proof of a child.
    """
    col_neg, col_pos = _column_flags(type(rec), tuple(names))
    alone = start == 0 and end == len(text)  # the match is the whole cell: no in-cell context
    neg = rec.NEGATIVE_CONTEXT
    if col_neg or (neg and not alone and context_boost(text, start, end, neg)):
        if rec.REQUIRES_CONTEXT:
            return None
        return min(score, POSSIBLE_SCORE), replace(facts, tier=None, weight=0.0, child_signal=False, kind="possible")
    pos = rec.CONTEXT
    has_pos = col_pos or (bool(pos) and not alone and context_boost(text, start, end, pos))
    if rec.REQUIRES_CONTEXT and not has_pos:
        return None
    if has_pos:
        score = min(1.0, round(score + CONTEXT_FACTOR, 6))
    return score, facts
