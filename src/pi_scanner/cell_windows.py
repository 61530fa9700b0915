"""Cells longer than the classifier's cap, read in windows instead of cut at the cap.

The classifier examines at most ``classifier.max_cell_chars`` characters of a cell (bounded time per cell).
Cutting a 50 MB text value there reads only its head: an ID in the middle is never seen, and nothing says
so. A longer cell is replaced, before classification, by windows of it that fit the same budget: its head,
its tail and evenly strided chunks of the middle (the centre always among them), separated by line breaks
so no match can span two windows. The sample records how many cells were read this way
(``limits["cell_size"]``), so the asset's coverage says they were only partly read.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pi_scanner.models import Sample

#: Characters of each middle window; long enough to keep a value and its label together.
WINDOW_CHARS = 2_048
_SEPARATOR = "\n"


def windows(text: str, budget: int) -> str:
    """Head, strided middle and tail of ``text``, at most ``budget`` characters in all (separators included).

    Args:
        text: A value longer than ``budget``.
        budget: Characters the result may hold.
    """
    edge = budget // 4
    middle_budget = budget - 2 * edge
    step = WINDOW_CHARS + len(_SEPARATOR)
    count = max(1, (middle_budget - len(_SEPARATOR)) // step)
    if count % 2 == 0:
        count -= 1  # an odd count puts one window on the centre
    count = max(1, count)
    width = min(WINDOW_CHARS, max(1, (middle_budget - (count + 1) * len(_SEPARATOR)) // count))
    head, tail = text[:edge], text[len(text) - edge:] if edge else ""
    span_start, span_end = edge, len(text) - edge
    span = span_end - span_start
    parts = [head]
    for i in range(count):
        centre = span_start + (2 * i + 1) * span // (2 * count)
        start = max(span_start, min(centre - width // 2, span_end - width))
        parts.append(text[start : start + width])
    parts.append(tail)
    return _SEPARATOR.join(parts)[:budget]


def window_long_cells(sample: Sample, budget: int) -> Sample:
    """``sample`` with every text cell longer than ``budget`` replaced by :func:`windows` of it.

    Returns the same object when no cell is that long; otherwise a copy with ``limits["cell_size"]``
    counting the cells read in windows.
    """
    partly = 0
    rows: list[tuple[Any, ...]] | None = None
    for i, row in enumerate(sample.rows):
        if not any(type(v) is str and len(v) > budget for v in row):
            continue
        if rows is None:
            rows = [tuple(r) for r in sample.rows]
        cells = list(row)
        for j, value in enumerate(cells):
            if type(value) is str and len(value) > budget:
                cells[j] = windows(value, budget)
                partly += 1
        rows[i] = tuple(cells)
    if rows is None:
        return sample
    limits = dict(sample.limits)
    limits["cell_size"] = limits.get("cell_size", 0) + partly
    return dataclasses.replace(sample, rows=rows, limits=limits)
