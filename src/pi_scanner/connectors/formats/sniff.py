"""Content sniffing: what a file is (by its bytes first, its name second) and how its text is encoded.

Names lie (``export.csv`` that is really JSON, ``.txt`` logs that are TSV); magic numbers and the first
lines of text do not, so the name only breaks ties.
"""

from __future__ import annotations

import codecs
import io
import json
import zipfile
from pathlib import PurePosixPath

_UTF8_DAMAGE_SHARE = 0.02
#: Bytes examined to tell UTF-16/32 without a BOM, and the shares of NUL bytes that decide it.
_WIDE_SNIFF = 8192
_WIDE_NUL_SHARE = 0.3
_WIDE_STRAY_SHARE = 0.02
_PRINTABLE_SHARE = 0.95
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_TEXT_EXTENSIONS = {".log", ".txt", ".md", ".out", ".err"}


def extension(name: str) -> str:
    """Lower-case extension of ``name`` without compression suffixes (``a.csv.gz`` → ``.csv``)."""
    suffixes = [s.lower() for s in PurePosixPath(name).suffixes]
    while suffixes and suffixes[-1] in {".gz", ".gzip", ".bz2", ".zst", ".zstd"}:
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def office_kind(data: bytes) -> str | None:
    """Name the Office Open XML layout of a zip archive: ``xlsx``, ``docx`` or None (a plain zip).

    The archive's member names decide, not the file name: a workbook has ``xl/workbook.xml``, a Word
    document ``word/document.xml``.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "docx"
    return None


def is_xlsx(data: bytes) -> bool:
    """True when ``data`` is a zip archive laid out as an Office Open XML workbook."""
    return office_kind(data) == "xlsx"


def is_docx(data: bytes) -> bool:
    """True when ``data`` is a zip archive laid out as a Word document (``word/document.xml``)."""
    return office_kind(data) == "docx"


def is_pdf(head: bytes) -> bool:
    """True when ``head`` starts with the PDF header ``%PDF-``."""
    return head.startswith(b"%PDF-")


def _plausible_text(data: bytes, encoding: str) -> bool:
    """``data`` decodes strictly in ``encoding`` to mostly printable characters."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return False
    if not text:
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t")
    return printable >= _PRINTABLE_SHARE * len(text)


def wide_encoding(data: bytes) -> str | None:
    """Name UTF-32 or UTF-16 text without a BOM by where its NUL bytes sit, or return None.

    Text that is mostly in the ASCII range (digits, delimiters, line breaks: every CSV) has a NUL in
    the high byte(s) of nearly every code unit: in UTF-16LE at odd offsets, UTF-16BE at even offsets,
    UTF-32LE at offsets 2 and 3 of each 4-byte unit. Binary data has NULs too, but not in that pattern,
    and does not decode strictly to printable text; both are checked.
    """
    head = data[:_WIDE_SNIFF]
    n = len(head) - len(head) % 4
    if n < 8 or b"\x00" not in head[:n]:
        return None
    head = head[:n]
    for enc, zero_at in (("utf-32-le", (2, 3)), ("utf-32-be", (0, 1))):
        if all(head[i + j] == 0 for i in range(0, n, 4) for j in zero_at) and _plausible_text(head, enc):
            return enc
    halves = n // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for enc, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high >= _WIDE_NUL_SHARE * halves and low <= _WIDE_STRAY_SHARE * halves:
            # A cut head may end inside a surrogate pair: judge whole pairs only.
            body = head[: len(head) - 4]
            if _plausible_text(body, enc):
                return enc
    return None


def looks_binary(head: bytes) -> bool:
    """True when ``head`` holds NUL bytes outside a UTF-16/32 text (images, executables, databases)."""
    if head.startswith(tuple(bom for bom, _ in _BOMS)):
        return False
    return b"\x00" in head[:_WIDE_SNIFF] and wide_encoding(head) is None


def decode_text(data: bytes, errors: list[str]) -> tuple[str, str]:
    """Decode bytes of unknown encoding: BOMs, UTF-16/32 by content, UTF-8, then GB18030 (a superset of GBK).

    A UTF-8 file with a few damaged bytes stays UTF-8 (the bad bytes become U+FFFD and the damage is
    recorded) instead of turning the whole file into GB18030 mojibake.

    Args:
        data: The bytes; an incomplete character at the very end (a cut head) is dropped silently.
        errors: Recoverable problems are appended here (never values).

    Returns:
        The text and the name of the encoding used.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    for bom, enc in _BOMS:  # UTF-32LE's BOM starts with UTF-16LE's: the longer ones first
        if data.startswith(bom):
            body = data[len(bom):]
            width = 4 if "32" in enc else 2
            return body[: len(body) - len(body) % width].decode(enc, errors="replace"), enc
    wide = wide_encoding(data)
    if wide is not None:
        # Before UTF-8: UTF-16 text of ASCII characters is valid UTF-8 too (with a NUL after each).
        width = 4 if "32" in wide else 2
        return data[: len(data) - len(data) % width].decode(wide, errors="replace"), wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            # A head cut in the middle of a multi-byte character.
            try:
                return data[: exc.start].decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    non_ascii = sum(1 for ch in replaced if ord(ch) > 127)
    if bad <= max(1, int(non_ascii * _UTF8_DAMAGE_SHARE)):
        errors.append(f"invalid UTF-8: {bad} damaged byte sequence(s) replaced")
        return replaced, "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    errors.append(f"undecodable text: {bad} invalid UTF-8 sequence(s) replaced")
    return replaced, "utf-8"


def sniff_text_format(text: str, name: str) -> str:
    """Classify decoded text as ``json``, ``jsonl``, ``csv``, ``tsv`` or ``text``.

    Args:
        text: The decoded head of the file.
        name: File name; its extension decides only between equally plausible readings.
    """
    ext = extension(name)
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        first, _, rest = stripped.partition("\n")
        if ext in {".jsonl", ".ndjson"}:
            return "jsonl"
        if rest.strip() and first.strip().startswith("{"):
            try:
                json.loads(first)
            except ValueError:
                return "json"
            return "jsonl"
        return "json"
    if ext in {".jsonl", ".ndjson", ".json"} and not stripped:
        return "jsonl" if ext != ".json" else "json"
    # Imported here to keep the dependency one-way (csv_reader uses decode_text from this module).
    from pi_scanner.connectors.formats.csv_reader import sniff_delimiter

    delimiter = sniff_delimiter(text[: 64 * 1024])
    if delimiter is None:
        if ext in {".csv", ".tsv"} and stripped:
            return "tsv" if ext == ".tsv" else "csv"
        return "text"
    if ext in _TEXT_EXTENSIONS and delimiter != "\t":
        return "text"
    return "tsv" if delimiter == "\t" else "csv"
