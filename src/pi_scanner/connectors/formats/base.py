"""Shared types of the file-format readers: limits, the parsed result and the error they raise.

Every reader works on a bounded head of a file: at most :attr:`ReadLimits.max_bytes` of input, at most
:attr:`ReadLimits.max_decompressed_bytes` after decompression and at most :attr:`ReadLimits.max_rows`
records. Problems that still leave something readable (a truncated gzip stream, a few invalid bytes, an
over-long line) are recorded in :attr:`ParsedFile.errors` and the rest is returned; problems that leave
nothing readable raise :class:`FormatError`. Neither ever carries a cell value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pi_scanner.errors import PiScannerError
from pi_scanner.models import ColumnInfo


class FormatError(PiScannerError):
    """A file cannot be parsed at all (malformed, a decompression bomb, nesting too deep).

    Messages name the file and the problem, never a value from it.

    Args:
        message: What is wrong.
        limit: The configured limit that refused the file (``decompression_ratio``, ``nesting``), or
            ``damaged`` for a file cut short or corrupt (a fault: the scan's answer is incomplete); see
            :data:`pi_scanner.models.COVERAGE_LIMITS`. None for a format with no reader.
    """

    def __init__(self, message: str, *, limit: str | None = None) -> None:
        super().__init__(message)
        self.limit = limit


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what one file may cost to read.

    Attributes:
        max_rows: Records returned at most.
        max_bytes: Bytes of (compressed) input read from the head of the file at most.
        max_decompressed_bytes: Bytes produced by decompression at most; the rest is not inflated.
        max_ratio: Decompressed/compressed ratio above which a stream is treated as a bomb.
        max_entries: Entries of a zip archive accepted at most.
        max_columns: Columns kept at most (the rest are dropped and recorded).
        max_line_bytes: Bytes of one line kept at most (text is chunked, CSV lines cut).
        max_depth: Nesting depth of JSON flattened at most; deeper documents are refused.
        max_pages: Pages of a PDF read at most.
        max_seconds: Wall-clock seconds a document reader (DOCX, PDF) may spend extracting text; what was
            extracted by then is returned and the file is marked truncated.
    """

    max_rows: int = 10_000
    max_bytes: int = 64 * 1024 * 1024
    max_decompressed_bytes: int = 256 * 1024 * 1024
    max_ratio: float = 200.0
    max_entries: int = 1_000
    max_columns: int = 2_000
    max_line_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_pages: int = 500
    max_seconds: float = 30.0

    def __post_init__(self) -> None:
        for name in ("max_rows", "max_bytes", "max_decompressed_bytes", "max_entries", "max_columns",
                     "max_line_bytes", "max_depth", "max_pages"):
            if getattr(self, name) < 1:
                raise ValueError(f"ReadLimits.{name} must be at least 1")
        if self.max_ratio <= 1:
            raise ValueError("ReadLimits.max_ratio must be greater than 1")
        if self.max_seconds <= 0:
            raise ValueError("ReadLimits.max_seconds must be positive")


@dataclass
class ParsedFile:
    """Records read from the head of one file.

    Attributes:
        format: ``csv``, ``tsv``, ``json``, ``jsonl``, ``parquet``, ``xlsx``, ``docx``, ``pdf`` or ``text``.
        columns: Headers, JSON key paths (``guardian.phone``) or ``text``.
        rows: At most ``max_rows`` tuples, one value per column (raw values: never logged).
        truncated: True when the file holds more than was read (a byte, row or column cap was hit).
        errors: Short, value-free notes about recoverable problems (``gzip stream truncated``).
        compression: ``gzip``, ``bz2``, ``zstd``, ``zip`` or ``None``.
        encoding: The text encoding used, for text formats.
        bytes_read: Bytes of input consumed.
        delimiter: The field delimiter, for delimited text.
        limits: Limits hit, each with the count of what it left out (``{"line_length": 1}``).
    """

    format: str
    columns: list[ColumnInfo]
    rows: list[tuple[Any, ...]] = field(repr=False)
    truncated: bool = False
    errors: list[str] = field(default_factory=list)
    compression: str | None = None
    encoding: str | None = None
    bytes_read: int = 0
    delimiter: str | None = None
    limits: dict[str, int] = field(default_factory=dict)

    def hit(self, limit: str, count: int = 1) -> None:
        """Record that ``limit`` left ``count`` more things out."""
        if count > 0:
            self.limits[limit] = self.limits.get(limit, 0) + count
