"""The recognizer model shared by the fast path and the Presidio path.

A recognizer is one small class (Presidio's ``us_ssn_recognizer.py`` style): class-level ``PATTERNS``
(regular expressions written for Python's ``re`` *and* the ``regex`` module Presidio uses), ``CONTEXT``
words, and :meth:`Recognizer.validate`, which rejects what the regex lets through and extracts facts
(a birth date, an age interval, sex) from what it accepts.

The same class serves two engines:

* :mod:`pi_scanner.classify.fast` runs the patterns itself, batched per column, and calls ``validate``;
* :mod:`pi_scanner.classify.presidio_engine` wraps it as a Presidio ``PatternRecognizer`` whose
  ``validate_result`` calls the same ``validate``.

Both must report identical detections; a test proves it on the synthetic corpus.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC
from dataclasses import dataclass, field
from typing import ClassVar

#: Words that make an ID-shaped number look like a transaction reference rather than a person's.
#: (Here, below :mod:`pi_scanner.classify.context`, which reads them too: recognizers never import context.)
NEGATIVE_WORDS: tuple[str, ...] = ("订单号", "订单", "order", "流水号", "交易", "trade", "txn", "单号", "waybill")


@dataclass(frozen=True, slots=True)
class PatternDef:
    """One regular expression of a recognizer.

    Attributes:
        name: Short name, unique within the recognizer.
        regex: The expression; must compile identically with ``re`` and ``regex``.
        score: Base confidence of a validated match before context.
    """

    name: str
    regex: str
    score: float


@dataclass(frozen=True, slots=True)
class Facts:
    """What a validated match says about its subject. Never contains the raw value.

    Attributes:
        birth_date: Exact date of birth (tier A), if the value encodes one.
        birth_interval: Earliest and latest possible birth date, for partial dates.
        age_interval: Age in whole years ``(min, max)`` stated by the value (tier B/C).
        tier: Evidence tier ``A``..``D`` for age combination; None when the value says nothing of age.
        weight: Strength of a non-exact age signal (0..1), used by the noisy-OR.
        sex: ``M`` or ``F`` when encoded.
        kind: Sub-type (``residence_permit``, ``pr_card``, ``legacy15``, ``masked``, ``corrupted``).
        score: Overrides the pattern's score when set (e.g. Luhn-failing card in card context).
        child_signal: The value alone marks a child (birth certificate, kindergarten class).
    """

    birth_date: dt.date | None = None
    birth_interval: tuple[dt.date, dt.date] | None = None
    age_interval: tuple[int, int] | None = None
    tier: str | None = None
    weight: float = 0.0
    sex: str | None = None
    kind: str = ""
    score: float | None = None
    child_signal: bool = False


@dataclass(frozen=True, slots=True)
class Detection:
    """One validated match inside one cell.

    Attributes:
        entity: Entity type, e.g. ``CN_RESIDENT_ID``.
        start: Start offset in the (normalised) cell text.
        end: End offset (exclusive).
        score: Confidence 0..1 before context enhancement.
        facts: Extracted facts.
        normalized: Canonical form of the value, for fingerprints only (excluded from ``repr``).
    """

    entity: str
    start: int
    end: int
    score: float
    facts: Facts = field(default_factory=Facts)
    normalized: str = field(default="", repr=False, compare=False)


class Recognizer(ABC):  # noqa: B024 - abstract by convention: subclasses fill class attributes
    """Base class of every recognizer.

    Subclasses set the class attributes and override :meth:`validate`.

    Attributes:
        ENTITY: The entity type reported.
        PATTERNS: Candidate expressions; each must carry its own digit/letter boundaries
            (``(?<![0-9A-Za-z])...(?![0-9A-Za-z])``) because candidates are searched in joined text.
        CONTEXT: Words that raise confidence when found near the match or in the column name.
        NEGATIVE_CONTEXT: Words that lower confidence (``订单号`` near an ID-shaped number).
        REQUIRES_CONTEXT: The entity is reported only with context (birth-certificate numbers).
        LANGUAGES: Languages the recognizer is registered for in Presidio.
    """

    ENTITY: ClassVar[str] = ""
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = ()
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    NEGATIVE_CONTEXT: ClassVar[tuple[str, ...]] = ()
    REQUIRES_CONTEXT: ClassVar[bool] = False
    LANGUAGES: ClassVar[tuple[str, ...]] = ("zh", "en")

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Accept or reject one regex match.

        Args:
            text: The matched text, already NFKC-normalised by the engine.
            pattern: The pattern that matched.

        Returns:
            Facts about a valid match, or None to reject it.
        """
        return Facts()

    def normalize(self, text: str) -> str:
        """Canonical form used for fingerprints (strip separators, upper-case)."""
        return "".join(ch for ch in text if ch.isalnum()).upper()

    def mask(self, text: str) -> str:
        """Masked display form: keep a short head and tail, star the rest."""
        return mask_value(text)


def mask_value(text: str, keep_head: int = 6, keep_tail: int = 4) -> str:
    """Mask a value for display, e.g. ``110105********1239`` or ``138****8000``.

    Short values keep less so that at least half of the characters are hidden.
    """
    n = len(text)
    if n <= 4:
        return "*" * n
    head = min(keep_head, n // 3)
    tail = min(keep_tail, max(1, n // 4))
    return text[:head] + "*" * (n - head - tail) + text[n - tail :]
