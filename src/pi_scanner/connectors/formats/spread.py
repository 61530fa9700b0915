"""Samples of big line-based files that reach past the head: first rows and strided ranges.

A file larger than the read cap used to be sampled by its head only, so its first ten thousand rows stood
for all of it. For line-based text (CSV/TSV, JSON Lines, plain text) in an ASCII-compatible encoding, half
of the row budget now goes to the first rows and the rest to whole lines read from ranges spread evenly
over the remainder of the file (seeks, so an object store serves them as ranged GETs). Rows of a range are
parsed under the file's own header and kept only where their columns match it.
"""

from __future__ import annotations

import dataclasses
from typing import BinaryIO

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.connectors.formats.reader import open_records

#: Ranges read past the head.
RANGES = 8
_LINE_FORMATS = frozenset({"csv", "tsv", "jsonl", "text"})
#: Encodings where byte 0x0A is always a line break (never inside a multi-byte character).
_ASCII_SAFE = frozenset({"utf-8", "utf-8-sig", "gb18030", None})


def spread_rows(parsed: ParsedFile, source: BinaryIO, start: int, size: int, name: str,
                limits: ReadLimits) -> ParsedFile:
    """Add rows from strided ranges past the head to ``parsed`` (the head of ``source``), when it pays.

    Args:
        parsed: The head as :func:`~pi_scanner.connectors.formats.open_records` read it.
        source: The same file, seekable.
        start: Offset of the file's first byte in ``source``.
        size: The file's size in bytes.
        name: File name (hints and messages).
        limits: The limits the head was read with; the ranges read ``max_bytes / 2`` more in all.

    Returns:
        ``parsed`` itself when the file was read whole or is not line-based text; otherwise a copy whose
        rows are the first half of the row budget from the head and the rest from the ranges.
    """
    head_end = parsed.bytes_read
    if (parsed.format not in _LINE_FORMATS or parsed.compression or parsed.encoding not in _ASCII_SAFE
            or head_end <= 0 or size - head_end < 2 * RANGES):
        return parsed
    try:
        return _spread(parsed, source, start, size, name, limits)
    except (FormatError, OSError):
        return parsed  # a read budget or the store refused more: the head stands alone, as before


def _header(source: BinaryIO, start: int, head_end: int, cap: int) -> bytes | None:
    """The file's first line (small reads: each may be a ranged GET), or None when longer than ``cap``."""
    source.seek(start)
    got = b""
    while len(got) < min(cap, head_end):
        piece = source.read(min(4096, head_end - len(got)))
        if not piece:
            break
        got += piece
        cut = got.find(b"\n")
        if cut >= 0:
            return got[: cut + 1]
    return None


def _spread(parsed: ParsedFile, source: BinaryIO, start: int, size: int, name: str,
            limits: ReadLimits) -> ParsedFile:
    head_end = parsed.bytes_read
    names = [c.name for c in parsed.columns]
    header = b""
    if parsed.format in ("csv", "tsv") and names != [f"col_{i + 1}" for i in range(len(names))]:
        found = _header(source, start, head_end, min(limits.max_line_bytes, limits.max_bytes // 4))
        if found is None:
            return parsed  # no header line to parse the ranges under
        header = found
    keep = max(1, limits.max_rows // 2)
    rows = list(parsed.rows[:keep])
    room = limits.max_rows - len(rows)
    per_range = max(1, limits.max_bytes // (2 * RANGES))
    remaining = size - head_end
    fetched = 0
    for i in range(RANGES):
        if room <= 0:
            break
        offset = head_end + (2 * i + 1) * remaining // (2 * RANGES) - per_range // 2
        offset = max(head_end, min(offset, size - per_range))
        source.seek(start + offset)
        chunk = source.read(min(per_range, size - offset))
        fetched += len(chunk)
        begin, end = chunk.find(b"\n"), chunk.rfind(b"\n")
        if begin < 0 or end <= begin:
            continue  # no whole line in this range (a line longer than the range)
        lines = chunk[begin + 1 : end + 1]
        try:
            share = -(-room // (RANGES - i))  # what is left, over the ranges left (none is lost to rounding)
            part = open_records(header + lines, name, dataclasses.replace(limits, max_rows=share))
        except FormatError:
            continue
        index = {c.name: j for j, c in enumerate(part.columns)}
        if part.format != parsed.format or (header and list(index) != names):
            continue  # the range did not parse as the file's head did
        taken = [tuple(r[index[n]] if n in index else None for n in names) for r in part.rows[:room]]
        rows.extend(taken)
        room -= len(taken)
    out = dataclasses.replace(parsed, rows=rows, bytes_read=parsed.bytes_read + fetched,
                              limits=dict(parsed.limits), errors=list(parsed.errors))
    out.errors.append(f"sampled the first rows and {RANGES} ranges spread over the file")
    return out

