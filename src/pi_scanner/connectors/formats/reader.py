"""The one entry point of the format readers: :func:`open_records`.

Order of decisions: compression magic, then container magic (Parquet, PDF, xlsx, docx, zip), then the text itself
(JSON, JSON Lines, delimited, plain), and only then the file name. At most ``max_bytes`` of input are
read, from the head; a seekable Parquet file is read by seeking instead (its footer is at the end).
"""

from __future__ import annotations

from typing import BinaryIO

from pi_scanner.connectors.formats import compression as comp
from pi_scanner.connectors.formats.base import FormatError, ParsedFile, ReadLimits
from pi_scanner.connectors.formats.csv_reader import read_delimited
from pi_scanner.connectors.formats.docx_reader import read_docx
from pi_scanner.connectors.formats.json_reader import read_json, read_jsonl
from pi_scanner.connectors.formats.parquet_reader import PARQUET_MAGIC, read_parquet
from pi_scanner.connectors.formats.pdf_reader import read_pdf
from pi_scanner.connectors.formats.sniff import decode_text, is_pdf, looks_binary, office_kind, sniff_text_format
from pi_scanner.connectors.formats.text_reader import read_text
from pi_scanner.connectors.formats.xlsx_reader import read_xlsx

_COMPRESSION_SUFFIXES = (".gz", ".gzip", ".bz2", ".zst", ".zstd")


def _read_head(data: BinaryIO | bytes, limits: ReadLimits) -> tuple[bytes, bool]:
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data[: limits.max_bytes])
        return raw, len(data) > limits.max_bytes
    chunk = data.read(limits.max_bytes + 1)
    if len(chunk) > limits.max_bytes:
        return chunk[: limits.max_bytes], True
    return chunk, False


def strip_compression_suffix(name: str) -> str:
    """``name`` without a compression suffix (``students.csv.gz`` → ``students.csv``)."""
    lower = name.lower()
    for suffix in _COMPRESSION_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _parse_plain(raw: bytes, name: str, limits: ReadLimits, capped: bool) -> ParsedFile:
    """Parse uncompressed bytes (``capped``: more of the file exists than ``raw``)."""
    if raw.startswith(PARQUET_MAGIC):
        if capped:
            raise FormatError(f"{name}: Parquet file larger than the read cap; its footer was not read")
        return read_parquet(raw, name, limits)
    if is_pdf(raw):
        if capped:
            raise FormatError(f"{name}: PDF larger than the read cap; its cross-reference table was not read")
        return read_pdf(raw, name, limits)
    if raw.startswith(comp.ZIP_MAGIC):
        if capped:
            raise FormatError(f"{name}: archive larger than the read cap; its directory was not read")
        kind = office_kind(raw)
        if kind == "xlsx":
            return read_xlsx(raw, name, limits)
        if kind == "docx":
            return read_docx(raw, name, limits)
        raise FormatError(f"{name}: nested archive not read")
    if comp.detect_compression(raw[:8]) is not None:
        raise FormatError(f"{name}: nested compressed stream not read")
    if looks_binary(raw):
        raise FormatError(f"{name}: binary content of an unsupported format")
    if capped:
        # The last line of a cut head is incomplete and would yield a bogus value.
        cut = raw.rfind(b"\n")
        raw = raw[: cut + 1] if cut >= 0 else raw
    errors: list[str] = []
    text, encoding = decode_text(raw, errors)
    fmt = sniff_text_format(text, name)
    if fmt == "json":
        parsed = read_json(text, name, limits, capped)
    elif fmt == "jsonl":
        parsed = read_jsonl(text, name, limits, capped)
    elif fmt in ("csv", "tsv"):
        parsed = read_delimited(text, name, limits, fmt)
        parsed.truncated = parsed.truncated or capped
    else:
        parsed = read_text(text, name, limits, capped)
    parsed.encoding = encoding
    parsed.errors[:0] = errors
    return parsed


def _merge(parts: list[tuple[str, ParsedFile]], limits: ReadLimits) -> ParsedFile:
    """Merge archive entries: entries with the first entry's columns are appended, others skipped."""
    first = parts[0][1]
    skipped = 0
    for _, part in parts[1:]:
        if [c.name for c in part.columns] != [c.name for c in first.columns]:
            skipped += 1
            continue
        room = limits.max_rows - len(first.rows)
        if room <= 0:
            first.truncated = True
            break
        first.rows.extend(part.rows[:room])
        first.truncated = first.truncated or part.truncated or len(part.rows) > room
        first.errors.extend(part.errors)
        for limit, count in part.limits.items():
            first.hit(limit, count)
    if skipped:
        first.errors.append(f"{skipped} zip entr(ies) with other columns not read")
        first.truncated = True
    return first


def open_records(data: BinaryIO | bytes, name: str, limits: ReadLimits | None = None) -> ParsedFile:
    """Read the head of a file as records, whatever its format.

    Args:
        data: The file's bytes, or a binary file object positioned at its start. Only ``max_bytes`` are
            read from it, except that a seekable Parquet file is read through seeks.
        name: The file's name or key (extension hints; messages).
        limits: Caps; defaults to :class:`ReadLimits` defaults.

    Returns:
        The parsed head: format, columns and at most ``max_rows`` rows, with recoverable problems in
        ``errors``.

    Raises:
        FormatError: Nothing could be read (damaged, unsupported, a bomb, nested too deep).
    """
    limits = limits or ReadLimits()
    if not isinstance(data, bytes | bytearray | memoryview) and data.seekable():
        start = data.tell()
        magic = data.read(4)
        data.seek(start)
        if magic == PARQUET_MAGIC:
            parsed = read_parquet(data, name, limits)
            parsed.bytes_read = data.tell() - start
            return parsed
    raw, capped = _read_head(data, limits)
    if not raw:
        return ParsedFile("empty", [], [], False, [])
    codec = comp.detect_compression(raw[:8])
    if codec is None:
        parsed = _parse_plain(raw, name, limits, capped)
    elif codec == "zip":
        if capped:
            raise FormatError(f"{name}: archive larger than the read cap; its directory was not read")
        kind = office_kind(raw)
        if kind == "xlsx":
            parsed = read_xlsx(raw, name, limits)
        elif kind == "docx":
            parsed = read_docx(raw, name, limits)
        else:
            parts: list[tuple[str, ParsedFile]] = []
            errors: list[str] = []
            damaged = 0
            for entry in comp.unzip(raw, name, limits):
                errors.extend(entry.errors)
                damaged += entry.damaged
                if not entry.data:
                    continue
                entry_name = entry.entry_name or name
                try:
                    part = _parse_plain(entry.data, entry_name, limits, entry.truncated)
                except FormatError:
                    errors.append("zip entry in an unsupported or damaged format skipped")
                    damaged += 1
                    continue
                parts.append((entry_name, part))
            if not parts:
                raise FormatError(f"{name}: no readable entry in zip archive")
            parsed = _merge(parts, limits)
            parsed.errors[:0] = errors
            parsed.hit("damaged", damaged)
        parsed.compression = "zip"
    else:
        inflated = comp.decompress_stream(raw, codec, name, limits, input_capped=capped)
        parsed = _parse_plain(inflated.data, strip_compression_suffix(name), limits, inflated.truncated)
        parsed.errors[:0] = inflated.errors
        parsed.hit("damaged", int(inflated.damaged))
        parsed.compression = codec
    parsed.bytes_read = len(raw)
    parsed.truncated = parsed.truncated or capped
    if capped:
        parsed.hit("object_size")  # the coverage turns this into the bytes left unread, where the size is known
    return parsed
