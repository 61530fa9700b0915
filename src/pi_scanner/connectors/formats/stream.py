"""Full passes over a file (the census pass): every record, in bounded batches, in bounded memory.

Line-based formats (CSV/TSV, JSON Lines, text), plain or gzip/bz2/zstd compressed, are streamed line by
line; Parquet is streamed batch by batch. Whole-document formats (JSON, xlsx, zip) are read only when
they fit under ``max_bytes``; a bigger one raises :class:`FormatError` instead of filling memory.
A compressed stream is checked against ``max_ratio`` as it inflates.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import zlib
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.connectors.formats.compression import zstd_frames_complete
from pi_scanner.connectors.formats.json_reader import _Flattener
from pi_scanner.connectors.formats.parquet_reader import iter_parquet_batches
from pi_scanner.connectors.formats.reader import open_records
from pi_scanner.errors import MissingDependencyError

_SNIFF_BYTES = 1024 * 1024
_RATIO_GRACE = 16 * 1024 * 1024


class _Counting(io.RawIOBase):
    """Counts the bytes read from the underlying (compressed) file."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self.inner.read(len(b))
        b[: len(data)] = data
        self.count += len(data)
        return len(data)


class _RatioGuard(io.RawIOBase):
    """Refuses a decompressed stream that outgrows ``max_ratio`` times its compressed input."""

    def __init__(self, inner: Any, counter: _Counting, name: str, limits: ReadLimits) -> None:
        self.inner, self.counter, self.name, self.limits = inner, counter, name, limits
        self.out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self.inner.read(len(b))
        n = len(data)
        b[:n] = data
        self.out += n
        if self.out > _RATIO_GRACE and self.out > self.limits.max_ratio * max(self.counter.count, 1):
            raise FormatError(f"{self.name}: stream expands more than {self.limits.max_ratio:g}x; refused",
                              limit="decompression_ratio")
        return n


def _open_decompressed(fh: BinaryIO, codec: str | None, name: str, limits: ReadLimits) -> BinaryIO:
    counter = _Counting(fh)
    if codec is None:
        return io.BufferedReader(counter)
    inner: Any
    if codec == "gzip":
        inner = gzip.GzipFile(fileobj=io.BufferedReader(counter), mode="rb")
    elif codec == "bz2":
        inner = bz2.BZ2File(io.BufferedReader(counter), mode="rb")
    else:
        try:
            import zstandard  # optional dependency
        except ImportError:
            raise MissingDependencyError("zstd", "formats") from None
        start = fh.tell()
        whole = zstd_frames_complete(fh)  # the reader below would end quietly where a cut file ends
        fh.seek(start)
        inner = zstandard.ZstdDecompressor().stream_reader(io.BufferedReader(counter), read_across_frames=True)
        if not whole:
            inner = _CutShort(inner)
    return io.BufferedReader(_RatioGuard(inner, counter, name, limits))


class _CutShort(io.RawIOBase):
    """Raises EOFError where ``inner`` ends: the stream it reads was found cut short before reading."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self.inner.read(len(b))
        if not data:
            raise EOFError("zstd frame cut short")
        b[: len(data)] = data
        return len(data)


def _has_header(head: ParsedFile) -> bool:
    return not all(c.name == f"col_{i + 1}" for i, c in enumerate(head.columns))


def _line_rows(head: ParsedFile, text: Iterator[str], columns: Sequence[str],
               limits: ReadLimits) -> Iterator[tuple[Any, ...]]:
    names = [c.name for c in head.columns]
    if head.format in ("csv", "tsv"):
        if csv.field_size_limit() < limits.max_line_bytes + 1:
            csv.field_size_limit(limits.max_line_bytes + 1)
        index = [names.index(c) if c in names else None for c in columns]
        reader = csv.reader((ln[: limits.max_line_bytes] for ln in text),
                            delimiter=head.delimiter or ",")
        skip_header = _has_header(head)
        for row in reader:
            if not row or not any(cell.strip() for cell in row):
                continue
            if skip_header:
                skip_header = False
                continue
            yield tuple(row[i] if i is not None and i < len(row) else None for i in index)
    elif head.format == "jsonl":
        flat = _Flattener(limits)
        for line in text:
            if not line.strip() or len(line) > limits.max_line_bytes:
                continue
            try:
                value = json.loads(line)
            except (ValueError, RecursionError):
                continue
            flat.add(value if isinstance(value, dict) else {"value": value})
            rec = flat.records.pop()
            yield tuple(rec.get(c) for c in columns)
    else:
        step = limits.max_line_bytes
        want = [c == "text" for c in columns]
        for line in text:
            line = line.rstrip("\r\n")
            for i in range(0, len(line), step):
                chunk = line[i : i + step]
                if chunk.strip():
                    yield tuple(chunk if w else None for w in want)


def _batched(rows: Iterator[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def iter_record_batches(
    fh: BinaryIO, name: str, columns: Sequence[str], batch_size: int = 10_000,
    limits: ReadLimits | None = None,
) -> Iterator[list[tuple[Any, ...]]]:
    """Yield every record of a seekable file as tuples of ``columns`` (None where a record lacks one).

    Args:
        fh: A seekable binary file at its start.
        name: The file's name (hints and messages).
        columns: Column names as :func:`open_records` reports them.
        batch_size: Records per yielded list.
        limits: ``max_bytes`` caps whole-document formats; line and depth caps apply per record.

    Raises:
        FormatError: The file cannot be streamed or parsed.
    """
    limits = limits or ReadLimits()
    start = fh.tell()
    head = open_records(fh, name, ReadLimits(max_rows=200, max_bytes=min(limits.max_bytes, _SNIFF_BYTES),
                                              max_line_bytes=limits.max_line_bytes))
    fh.seek(start)
    if head.format == "parquet":
        yield from iter_parquet_batches(fh, name, list(columns), batch_size)
        return
    if head.format in ("csv", "tsv", "jsonl", "text") and head.compression != "zip":
        raw = _open_decompressed(fh, head.compression, name, limits)
        text = io.TextIOWrapper(raw, encoding=head.encoding or "utf-8", errors="replace", newline="")
        try:
            yield from _batched(_line_rows(head, iter(text), columns, limits), batch_size)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            # A stream cut short or corrupt past its head: this file's pass fails, never the whole scan.
            raise FormatError(f"{name}: {head.compression} stream cut short or corrupt ({type(exc).__name__}); "
                              "the full pass stopped", limit="damaged") from None
        return
    whole = open_records(fh, name, ReadLimits(max_rows=10**9, max_bytes=limits.max_bytes,
                                              max_depth=limits.max_depth, max_columns=limits.max_columns))
    if whole.truncated:
        raise FormatError(f"{name}: {whole.format} larger than the byte cap cannot be streamed")
    names = [c.name for c in whole.columns]
    index = [names.index(c) if c in names else None for c in columns]
    rows = (tuple(r[i] if i is not None else None for i in index) for r in whole.rows)
    yield from _batched(rows, batch_size)

