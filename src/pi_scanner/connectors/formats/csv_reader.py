"""Delimited text (CSV, TSV, semicolon and pipe separated): dialect and header sniffing.

The delimiter is the candidate that splits the first lines into the same number of fields (quotes
respected); the header is the first row when it looks like names rather than data. Lines longer than
``max_line_bytes`` are cut and rows wider than ``max_columns`` are narrowed, both recorded.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.models import ColumnInfo

_CANDIDATES = (",", "\t", ";", "|")
_SNIFF_LINES = 20
_DATA_LIKE = re.compile(r"^[\s\d.,:/+\-()%$¥€]*$")
_MAX_HEADER_CHARS = 128


def _lines(text: str, limit: int) -> list[str]:
    out = []
    for line in io.StringIO(text):
        if line.strip():
            out.append(line[:limit])
        if len(out) >= _SNIFF_LINES:
            break
    return out


def sniff_delimiter(text: str) -> str | None:
    """Return the delimiter that splits the first lines of ``text`` consistently, or None.

    A candidate qualifies when the most common field count over the sampled lines is at least 2 and holds
    for at least 80 % of them; among qualifiers the one giving the most fields wins.
    """
    lines = _lines(text, 1024 * 1024)
    if not lines:
        return None
    best: tuple[int, str] | None = None
    for delim in _CANDIDATES:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delim) if row]
        except csv.Error:
            continue
        if not counts:
            continue
        width, freq = Counter(counts).most_common(1)[0]
        if width >= 2 and freq >= max(1, int(0.8 * len(counts))) and (best is None or width > best[0]):
            best = (width, delim)
    return best[1] if best else None


def looks_like_header(first: Sequence[Any], second: Sequence[Any] | None) -> bool:
    """Guess whether ``first`` is a row of names rather than data.

    Names are non-empty, unique, short and not number- or date-like. When a second row exists, a header
    must differ from it in shape somewhere (a numeric value under a textual name), unless every name
    is identifier-like.
    """
    names = ["" if v is None else str(v).strip() for v in first]
    if not names or any(not n for n in names) or len(set(names)) != len(names):
        return False
    if any(len(n) > _MAX_HEADER_CHARS or _DATA_LIKE.match(n) for n in names):
        return False
    if second is None:
        return True
    others = ["" if v is None else str(v).strip() for v in second]
    if any(o and _DATA_LIKE.match(o) for o in others):
        return True
    return all(re.fullmatch(r"[\w.\- ]{1,64}", n) for n in names)


def _cut_lines(text: str, limits: ReadLimits, errors: list[str], cut: list[int]) -> Iterator[str]:
    """Lines of ``text``, each at most ``max_line_bytes`` characters; ``cut[0]`` counts the lines cut."""
    for line in io.StringIO(text):
        if len(line) > limits.max_line_bytes:
            cut[0] += 1
            if cut[0] == 1:
                errors.append(f"line longer than {limits.max_line_bytes} characters cut")
            line = line[: limits.max_line_bytes] + "\n"
        yield line


def read_delimited(text: str, name: str, limits: ReadLimits, fmt: str) -> ParsedFile:
    """Parse delimited text.

    Args:
        text: The decoded head of the file (the caller has dropped any cut-off last line).
        name: File name, for messages.
        limits: Row, column and line caps.
        fmt: ``csv`` or ``tsv`` as sniffed; the delimiter is sniffed again from the text.

    Raises:
        FormatError: The text holds no rows at all.
    """
    # The module default (128 KiB per field) is below our own line cap; raising it is harmless.
    if csv.field_size_limit() < limits.max_line_bytes + 1:
        csv.field_size_limit(limits.max_line_bytes + 1)
    delimiter = sniff_delimiter(text[: 64 * 1024]) or ("\t" if fmt == "tsv" else ",")
    errors: list[str] = []
    cut = [0]
    reader = csv.reader(_cut_lines(text, limits, errors, cut), delimiter=delimiter)
    raw_rows: list[list[str]] = []
    truncated = False
    narrowed = bad = widest = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            bad += 1
            if bad > 100:
                errors.append("too many malformed rows; reading stopped")
                truncated = True
                break
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) > limits.max_columns:
            narrowed += 1
            widest = max(widest, len(row))
            row = row[: limits.max_columns]
        if len(raw_rows) >= limits.max_rows + 1:
            truncated = True
            break
        raw_rows.append(row)
    if bad:
        errors.append(f"{bad} malformed row(s) skipped")
    if narrowed:
        errors.append(f"{narrowed} row(s) wider than {limits.max_columns} columns narrowed")
        truncated = True
    if not raw_rows:
        raise FormatError(f"{name}: no delimited rows found")
    header = raw_rows[0]
    if looks_like_header(header, raw_rows[1] if len(raw_rows) > 1 else None):
        names = header
        data = raw_rows[1:]
    else:
        width = max(len(r) for r in raw_rows)
        names = [f"col_{i + 1}" for i in range(width)]
        data = raw_rows
    if len(data) > limits.max_rows:
        data = data[: limits.max_rows]
        truncated = True
    width = len(names)
    ragged = 0
    rows: list[tuple[Any, ...]] = []
    for r in data:
        if len(r) != width:
            ragged += 1
            r = (r + [""] * width)[:width]
        rows.append(tuple(r))
    if ragged:
        errors.append(f"{ragged} row(s) with a different field count padded or cut")
    fmt_out = "tsv" if delimiter == "\t" else "csv"
    parsed = ParsedFile(
        format=fmt_out,
        columns=[ColumnInfo(name=n) for n in _unique(names)],
        rows=rows,
        truncated=truncated,
        errors=errors,
        delimiter=delimiter,
    )
    parsed.hit("line_length", cut[0])
    parsed.hit("columns", widest - limits.max_columns if narrowed else 0)
    return parsed


def _unique(names: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = n.strip() or "col"
        if n in seen:
            seen[n] += 1
            n = f"{n}_{seen[n]}"
        else:
            seen[n] = 1
        out.append(n)
    return out
