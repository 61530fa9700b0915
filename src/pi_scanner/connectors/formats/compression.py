"""Decompression with bomb limits: gzip, bz2, zstd and zip.

Every stream is inflated in chunks with a hard cap on output (``max_decompressed_bytes``); a stream whose
output grows faster than ``max_ratio`` times its input is refused as a bomb. A damaged or truncated stream
gives back what inflated cleanly plus a recorded error, so a cut-off export still gets scanned.
Archives are not recursed into: an archive inside an archive is skipped and recorded.
"""

from __future__ import annotations

import bz2
import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from pi_scanner.connectors.formats.base import FormatError, ReadLimits
from pi_scanner.errors import MissingDependencyError

_CHUNK = 64 * 1024
#: Output below this size is never called a bomb: tiny, highly repetitive files are normal.
_RATIO_GRACE_BYTES = 1024 * 1024

GZIP_MAGIC = b"\x1f\x8b"
BZ2_MAGIC = b"BZh"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY_MAGIC = b"PK\x05\x06"


@dataclass
class Decompressed:
    """One inflated stream (or one zip entry).

    Attributes:
        data: The inflated bytes (at most ``max_decompressed_bytes``).
        compression: The codec that was undone.
        truncated: More output existed than the cap allowed, or the input was cut short.
        errors: Value-free notes about recoverable problems.
        entry_name: Name of the zip entry, for archives.
        damaged: The stream (or entry) was cut short or corrupt and its rest never read: a coverage limit,
            not only a note, so a damaged file is never reported ``none``.
    """

    data: bytes = field(repr=False)
    compression: str
    truncated: bool = False
    errors: list[str] = field(default_factory=list)
    entry_name: str | None = None
    damaged: bool = False


def detect_compression(head: bytes) -> str | None:
    """Name the codec whose magic number starts ``head``, or None."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(BZ2_MAGIC) and len(head) >= 4 and head[3:4].isdigit():
        return "bz2"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    if head.startswith((ZIP_MAGIC, ZIP_EMPTY_MAGIC)):
        return "zip"
    return None


class _Budget:
    """Tracks output against the size cap and the ratio cap."""

    def __init__(self, name: str, codec: str, limits: ReadLimits) -> None:
        self.name, self.codec, self.limits = name, codec, limits
        self.parts: list[bytes] = []
        self.total = 0

    @property
    def remaining(self) -> int:
        return self.limits.max_decompressed_bytes - self.total

    def add(self, piece: bytes, consumed: int) -> None:
        self.parts.append(piece)
        self.total += len(piece)
        if self.total > _RATIO_GRACE_BYTES and self.total > self.limits.max_ratio * max(consumed, 1):
            raise FormatError(
                f"{self.name}: {self.codec} expands more than {self.limits.max_ratio:g}x "
                "(decompression bomb refused)",
                limit="decompression_ratio",
            )

    def result(self, truncated: bool, errors: list[str]) -> Decompressed:
        return Decompressed(b"".join(self.parts), self.codec, truncated, errors)


def _damaged(name: str, codec: str, budget: _Budget, errors: list[str], what: str) -> Decompressed:
    if budget.total == 0:
        raise FormatError(f"{name}: {codec} stream is {what}; nothing could be read", limit="damaged")
    errors.append(f"{codec} stream {what}; partial read")
    out = budget.result(True, errors)
    out.damaged = True
    return out


def _gunzip(data: bytes, name: str, limits: ReadLimits, input_capped: bool) -> Decompressed:
    budget = _Budget(name, "gzip", limits)
    errors: list[str] = []
    d = zlib.decompressobj(wbits=31)
    pos = 0
    pending = b""
    while True:
        if d.unconsumed_tail:
            pending = d.unconsumed_tail
        elif d.eof and d.unused_data.lstrip(b"\0"):
            # Concatenated gzip members (``cat a.gz b.gz``) are one valid stream.
            pending = d.unused_data
            d = zlib.decompressobj(wbits=31)
        elif pos < len(data):
            pending = data[pos : pos + _CHUNK]
            pos += len(pending)
        else:
            break
        if budget.remaining <= 0:
            return budget.result(True, errors)
        try:
            piece = d.decompress(pending, budget.remaining)
        except zlib.error:
            return _damaged(name, "gzip", budget, errors, "corrupt")
        budget.add(piece, pos - len(d.unconsumed_tail))
    if not d.eof:
        if input_capped:
            return budget.result(True, errors)
        return _damaged(name, "gzip", budget, errors, "truncated")
    return budget.result(False, errors)


def _bunzip(data: bytes, name: str, limits: ReadLimits, input_capped: bool) -> Decompressed:
    budget = _Budget(name, "bz2", limits)
    errors: list[str] = []
    d = bz2.BZ2Decompressor()
    pos = 0
    while True:
        if budget.remaining <= 0:
            return budget.result(True, errors)
        if d.eof:
            rest = d.unused_data
            if not rest:
                break
            d = bz2.BZ2Decompressor()
            chunk = rest
        elif d.needs_input:
            if pos >= len(data):
                break
            chunk = data[pos : pos + _CHUNK]
            pos += len(chunk)
        else:
            chunk = b""
        try:
            piece = d.decompress(chunk, budget.remaining)
        except (OSError, ValueError, EOFError):
            return _damaged(name, "bz2", budget, errors, "corrupt")
        budget.add(piece, pos)
    if not d.eof:
        if input_capped:
            return budget.result(True, errors)
        return _damaged(name, "bz2", budget, errors, "truncated")
    return budget.result(False, errors)


def _unzstd(data: bytes, name: str, limits: ReadLimits, input_capped: bool) -> Decompressed:
    try:
        import zstandard  # optional dependency, only needed for .zst files
    except ImportError:
        raise MissingDependencyError("zstd", "formats") from None
    budget = _Budget(name, "zstd", limits)
    errors: list[str] = []
    source = io.BytesIO(data)
    reader = zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True)
    try:
        while budget.remaining > 0:
            piece = reader.read(min(_CHUNK, budget.remaining))
            if not piece:
                if input_capped or zstd_frames_complete(io.BytesIO(data)):
                    return budget.result(input_capped, errors)
                # The reader ends quietly where the input ends: only the frames say the file was cut.
                return _damaged(name, "zstd", budget, errors, "truncated")
            budget.add(piece, source.tell())
    except zstandard.ZstdError:
        if input_capped:
            return budget.result(True, errors)
        return _damaged(name, "zstd", budget, errors, "truncated or corrupt")
    return budget.result(True, errors)


def zstd_frames_complete(source: BinaryIO) -> bool:
    """Whether every zstd frame from ``source``'s position on reaches its last block (and checksum).

    zstandard's stream reader returns end-of-data where a cut file ends, without an error; the frames'
    block headers say whether the rest was lost. Only headers are read (seeks over block contents), so
    the check costs no memory and no decompression; ``source`` is left at its end.
    """
    import zstandard

    start = source.tell()
    end = source.seek(0, io.SEEK_END)
    pos = source.seek(start)
    while pos < end:
        head = source.read(_ZSTD_MAX_HEADER)
        magic = int.from_bytes(head[:4], "little") if len(head) >= 4 else -1
        if _ZSTD_SKIPPABLE <= magic <= _ZSTD_SKIPPABLE + 15 and len(head) >= 8:
            pos = source.seek(pos + 8 + int.from_bytes(head[4:8], "little"))
            continue
        if magic != _ZSTD_MAGIC:
            return False
        try:
            pos = source.seek(pos + zstandard.frame_header_size(head))
            checksum = zstandard.get_frame_parameters(head).has_checksum
        except zstandard.ZstdError:
            return False
        last = False
        while not last:
            block = source.read(3)
            if len(block) < 3:
                return False
            value = int.from_bytes(block, "little")
            last, kind, size = bool(value & 1), (value >> 1) & 3, value >> 3
            if kind == 3:  # reserved: not a zstd block
                return False
            pos = source.seek(pos + 3 + (1 if kind == 1 else size))  # an RLE block holds one byte
        pos = source.seek(pos + 4 * checksum)
    return pos == end


_ZSTD_MAGIC = 0xFD2FB528
_ZSTD_SKIPPABLE = 0x184D2A50
_ZSTD_MAX_HEADER = 18


_STREAM_CODECS: dict[str, Callable[[bytes, str, ReadLimits, bool], Decompressed]] = {
    "gzip": _gunzip,
    "bz2": _bunzip,
    "zstd": _unzstd,
}


def decompress_stream(
    data: bytes, codec: str, name: str, limits: ReadLimits, input_capped: bool = False
) -> Decompressed:
    """Inflate one gzip, bz2 or zstd stream under ``limits``.

    Args:
        data: The compressed bytes (the head of the file, at most ``max_bytes``).
        codec: ``gzip``, ``bz2`` or ``zstd``.
        name: File name, for messages.
        limits: The caps.
        input_capped: ``data`` is only the head of a longer file, so an unfinished stream is expected.

    Raises:
        FormatError: The stream is a bomb or nothing of it could be inflated.
    """
    return _STREAM_CODECS[codec](data, name, limits, input_capped)


def check_zip(zf: zipfile.ZipFile, name: str, limits: ReadLimits) -> list[zipfile.ZipInfo]:
    """Check a zip archive's directory against the entry-count, size and ratio caps.

    Returns:
        The file entries (directories left out).

    Raises:
        FormatError: Too many entries, or an entry that declares a bomb-like ratio.
    """
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > limits.max_entries:
        raise FormatError(f"{name}: zip has {len(infos)} entries, more than {limits.max_entries} allowed")
    for info in infos:
        if info.file_size > _RATIO_GRACE_BYTES and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise FormatError(
                f"{name}: zip entry #{infos.index(info) + 1} declares a ratio above "
                f"{limits.max_ratio:g}x (decompression bomb refused)"
            )
    return infos


def unzip(data: bytes, name: str, limits: ReadLimits) -> list[Decompressed]:
    """Inflate the entries of a zip archive under one shared output budget.

    Declared sizes are checked first and the real output is checked again while inflating, because a
    hostile archive can lie in its directory. Entries that are archives themselves are skipped.

    Raises:
        FormatError: The archive is unreadable or a bomb.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FormatError(f"{name}: not a readable zip archive (damaged or cut short)", limit="damaged") from None
    entries: list[Decompressed] = []
    spent = 0
    with zf:
        for info in check_zip(zf, name, limits):
            left = limits.max_decompressed_bytes - spent
            if left <= 0:
                if entries:
                    entries[-1].errors.append("zip output cap reached; later entries not read")
                    entries[-1].truncated = True
                break
            budget = _Budget(f"{name}!{info.filename}", "zip", limits)
            errors: list[str] = []
            truncated = damaged = False
            try:
                with zf.open(info) as member:
                    while True:
                        piece = member.read(min(_CHUNK, left - budget.total + 1))
                        if not piece:
                            break
                        budget.add(piece, max(info.compress_size, 1))
                        if budget.total > left:
                            truncated = True
                            break
            except FormatError:
                raise
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
                # RuntimeError: encrypted entries; NotImplementedError: unsupported compression method.
                if budget.total == 0:
                    errors.append("zip entry unreadable (damaged, encrypted or unsupported); skipped")
                    entries.append(Decompressed(b"", "zip", True, errors, info.filename, damaged=True))
                    continue
                errors.append("zip entry damaged; partial read")
                truncated = damaged = True
            out = budget.result(truncated, errors)
            out.damaged = damaged
            out.data = out.data[:left]
            out.entry_name = info.filename
            spent += len(out.data)
            if detect_compression(out.data[:8]) is not None:
                out = Decompressed(b"", "zip", True, ["nested archive inside zip skipped"], info.filename)
            entries.append(out)
    return entries
