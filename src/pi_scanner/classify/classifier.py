"""Sample in, verdict out: the one entry point the scanner calls."""

from __future__ import annotations

import datetime as dt

from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AgeCounts, AssetResult, ChildStatus, Sample


class Classifier:
    """Classifies samples of assets into column findings and per-record age verdicts.

    Args:
        config: Classifier settings.
        as_of: Reference date for ages (Asia/Shanghai calendar date).
        show_examples: Keep masked examples in findings.
    """

    def __init__(self, config: ClassifierConfig, as_of: dt.date, show_examples: bool = False) -> None:
        self.config = config
        self.as_of = as_of
        self.show_examples = show_examples

    def classify(self, sample: Sample) -> AssetResult:
        """Classify one sample (placeholder until the classifier lands: finds nothing)."""
        return AssetResult(sample.asset, (), ChildStatus.NONE, len(sample.rows), AgeCounts())
