"""Rows of a text document (DOCX paragraphs, PDF pages) under the row, chunk and time caps.

Document readers extract text piece by piece (a paragraph, a table cell, a page); this collector packs
consecutive pieces into chunks of at most :data:`CHUNK_CHARS` characters, one row of the single ``text``
column each. Packing matters for the classifier: it judges a column by the share of its values that hold
PI and treats prose specially, so a short form whose "我今年8岁" and resident ID sit in neighbouring
paragraphs must reach it as one record of prose, not as ten one-line values of which one is an ID.
"""

from __future__ import annotations

import time
from typing import Any

from pi_scanner.connectors.formats.base import ParsedFile, ReadLimits
from pi_scanner.models import ColumnInfo

#: Characters of one row at most (about a printed page of Chinese text); ``max_line_bytes`` lowers it.
CHUNK_CHARS = 4000


class DocumentRows:
    """Collects text pieces into bounded rows until a cap is reached.

    Args:
        fmt: The format name of the result (``docx``, ``pdf``).
        limits: ``max_rows`` caps rows, ``max_line_bytes`` the characters of one row (at most
            :data:`CHUNK_CHARS`), ``max_seconds`` the time spent since construction.
    """

    def __init__(self, fmt: str, limits: ReadLimits) -> None:
        self.fmt = fmt
        self.limits = limits
        self.rows: list[tuple[Any, ...]] = []
        self.errors: list[str] = []
        self.truncated = False
        self._deadline = time.monotonic() + limits.max_seconds
        self._step = min(CHUNK_CHARS, limits.max_line_bytes)
        self._pending: list[str] = []
        self._pending_len = 0
        self._split = 0

    @property
    def full(self) -> bool:
        """True once no further piece will be taken (row cap or time budget reached)."""
        if self.truncated:
            return True
        if time.monotonic() > self._deadline:
            self.truncated = True
            self.errors.append(f"time budget of {self.limits.max_seconds:g}s reached; rest of the document not read")
            return True
        return False

    def _emit(self, chunk: str) -> None:
        if len(self.rows) >= self.limits.max_rows:
            self.truncated = True
            return
        self.rows.append((chunk,))

    def _flush(self) -> None:
        if self._pending:
            self._emit("\n".join(self._pending))
            self._pending, self._pending_len = [], 0

    def add(self, piece: str) -> None:
        """Add one paragraph, cell or page; blank pieces are skipped, over-long ones split."""
        piece = piece.strip()
        if not piece or self.truncated:
            return
        if len(piece) > self._step:
            self._flush()
            self._split += 1
            for i in range(0, len(piece), self._step):
                self._emit(piece[i : i + self._step])
            return
        if self._pending and self._pending_len + 1 + len(piece) > self._step:
            self._flush()
        self._pending.append(piece)
        self._pending_len += len(piece) + (1 if self._pending_len else 0)

    def result(self) -> ParsedFile:
        """The collected rows as a one-column ``text`` file."""
        self._flush()
        errors = list(self.errors)
        if self._split:
            errors.append(f"{self._split} piece(s) longer than {self._step} characters split")
        columns = [ColumnInfo(name="text")] if self.rows else []
        return ParsedFile(self.fmt, columns, self.rows, self.truncated, errors)
