"""Plain text and logs: one column ``text``, one row per non-empty line (long lines in chunks)."""

from __future__ import annotations

import io
from typing import Any

from pi_scanner.connectors.formats.base import ParsedFile, ReadLimits
from pi_scanner.models import ColumnInfo


def read_text(text: str, name: str, limits: ReadLimits, capped: bool) -> ParsedFile:
    """Split text into rows of at most ``max_line_bytes`` characters.

    A single 50 MB line becomes chunks rather than one 50 MB cell, so a value is never more than one
    chunk away from its context and the classifier's per-cell cost stays bounded.

    Args:
        text: The decoded head of the file.
        name: File name (unused; kept for a uniform reader signature).
        limits: Row and line caps.
        capped: ``text`` is only the head of a longer file.
    """
    del name
    rows: list[tuple[Any, ...]] = []
    step = limits.max_line_bytes
    chunked = 0
    truncated = capped
    for line in io.StringIO(text):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        if len(line) > step:
            chunked += 1
        for i in range(0, len(line), step):
            if len(rows) >= limits.max_rows:
                truncated = True
                break
            rows.append((line[i : i + step],))
        if truncated and len(rows) >= limits.max_rows:
            break
    errors = [f"{chunked} line(s) longer than {step} characters split into chunks"] if chunked else []
    return ParsedFile("text", [ColumnInfo(name="text")], rows, truncated, errors)
