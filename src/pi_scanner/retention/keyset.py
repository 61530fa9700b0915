"""The keys of a retention plan, compact and streamed: integer keys as ranges, other keys as JSON lines.

A plan (format 2) keeps its keys out of ``plan.json``, in a side file ``<plan>.keys`` next to it: one
zlib stream per item, appended one after the other while the planner streams the expired rows (so
planning holds one batch of rows and the ranges, never the whole key list). Each item records where its
stream is (``offset``, ``length``), how many keys it holds and the SHA-256 of the stream; the item is part
of the plan's digest, so editing the side file is detected as surely as editing the plan.

* ``int-ranges``: a single integer key column, keys ascending (the planner reads in key order). The
  stream holds pairs of LEB128 varints: the gap since the previous range's end (zigzag-signed, so the
  first range may start below zero), and the range's length minus one. Dense keys (the usual
  auto-increment ids) cost a few bytes per *range*.
* ``json-lines``: any other key (text, composite, or keyed hashes of PI keys), one JSON array per line.

Apply verifies every stream's hash before it changes anything, then streams the keys in batches.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from pi_scanner.errors import PlanError

INT_RANGES = "int-ranges"
JSON_LINES = "json-lines"
#: Bytes read from the side file at a time when streaming.
_CHUNK = 1 << 16


def json_key(values: tuple[Any, ...]) -> list[Any]:
    """A primary key as JSON values (ints and strings as-is; other types by their text form)."""
    out: list[Any] = []
    for v in values:
        if v is None or isinstance(v, bool | int | str):
            out.append(v)
        elif isinstance(v, float | Decimal):
            out.append(int(v) if v == int(v) else str(v))
        elif isinstance(v, bytes | bytearray | memoryview):
            out.append(bytes(v).hex())
        else:
            out.append(str(v))
    return out


def _varint(n: int, out: bytearray) -> None:
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


class KeySpool:
    """Where a plan's key streams are written while it is built, then saved next to ``plan.json``.

    Args:
        path: An existing side file to read (a saved plan); default a new temporary file to write.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._file: IO[bytes] = open(path, "rb") if path is not None else tempfile.TemporaryFile()  # noqa: SIM115

    def writer(self, encoding: str) -> KeyWriter:
        """A writer appending one item's stream at the end of the spool."""
        self._file.seek(0, 2)
        return KeyWriter(self._file, encoding)

    def save(self, target: Path) -> None:
        """Copy the spool to ``target`` (the side file of a plan being written)."""
        self._file.flush()
        self._file.seek(0)
        with open(target, "wb") as out:
            shutil.copyfileobj(self._file, out)

    def _chunks(self, ref: dict[str, Any]) -> Iterator[bytes]:
        self._file.seek(int(ref["offset"]))
        left = int(ref["length"])
        while left > 0:
            chunk = self._file.read(min(_CHUNK, left))
            if not chunk:
                raise PlanError("the plan's key file is shorter than the plan says: it was truncated; plan again")
            left -= len(chunk)
            yield chunk

    def verify(self, ref: dict[str, Any]) -> None:
        """Check one item's stream against the hash the (digest-checked) plan recorded.

        Raises:
            PlanError: The stream differs (the key file was edited, truncated or belongs to another plan).
        """
        digest = hashlib.sha256()
        for chunk in self._chunks(ref):
            digest.update(chunk)
        if digest.hexdigest() != ref.get("sha256"):
            raise PlanError("the plan's key file does not match the plan's digest: it was edited or belongs to "
                            "another plan; plan again")

    def _plain(self, ref: dict[str, Any]) -> Iterator[bytes]:
        inflate = zlib.decompressobj()
        for chunk in self._chunks(ref):
            yield inflate.decompress(chunk)
        yield inflate.flush()

    def ranges(self, ref: dict[str, Any]) -> Iterator[tuple[int, int]]:
        """The inclusive ``(first, last)`` key ranges of an ``int-ranges`` item, in order."""
        prev = 0
        value = shift = 0
        pending: int | None = None
        for data in self._plain(ref):
            for byte in data:
                value |= (byte & 0x7F) << shift
                if byte & 0x80:
                    shift += 7
                    continue
                if pending is None:
                    pending = (value >> 1) ^ -(value & 1)  # zigzag
                else:
                    first = prev + pending
                    last = first + value
                    yield first, last
                    prev = last
                    pending = None
                value = shift = 0

    def keys(self, ref: dict[str, Any]) -> Iterator[list[Any]]:
        """Every key of an item, one list of column values each (keyed-hash strings for hashed keys)."""
        if ref["encoding"] == INT_RANGES:
            for first, last in self.ranges(ref):
                for k in range(first, last + 1):
                    yield [k]
            return
        rest = b""
        for data in self._plain(ref):
            lines = (rest + data).split(b"\n")
            rest = lines.pop()
            for line in lines:
                if line:
                    yield json.loads(line)
        if rest:
            yield json.loads(rest)

    def close(self) -> None:
        """Close the file (a temporary spool is deleted)."""
        self._file.close()


class KeyWriter:
    """Appends one item's keys, compressed, to a spool; :meth:`finish` returns the item's reference."""

    def __init__(self, file: IO[bytes], encoding: str) -> None:
        self._file = file
        self.encoding = encoding
        self.offset = file.tell()
        self.count = 0
        self._deflate = zlib.compressobj(9)
        self._digest = hashlib.sha256()
        self._length = 0
        self._buf = bytearray()
        self._first: int | None = None
        self._last = 0
        self._prev_end = 0

    def _emit(self, data: bytes) -> None:
        if data:
            self._file.write(data)
            self._digest.update(data)
            self._length += len(data)

    def _drain(self, force: bool = False) -> None:
        if force or len(self._buf) >= _CHUNK:
            self._emit(self._deflate.compress(bytes(self._buf)))
            self._buf.clear()

    def add(self, key: list[Any]) -> None:
        """Add one key (ascending for ``int-ranges``)."""
        self.count += 1
        if self.encoding == JSON_LINES:
            self._buf += json.dumps(key, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"
            self._drain()
            return
        k = int(key[0])
        if self._first is not None and k == self._last + 1:
            self._last = k
            return
        if self._first is not None and k <= self._last:
            raise PlanError("integer keys must come in ascending order to be planned as ranges")
        self._close_range()
        self._first = self._last = k

    def _close_range(self) -> None:
        if self._first is None:
            return
        gap = self._first - self._prev_end
        _varint(gap * 2 if gap >= 0 else -2 * gap - 1, self._buf)  # zigzag: only the first gap can be < 0
        _varint(self._last - self._first, self._buf)
        self._prev_end = self._last
        self._drain()

    def finish(self) -> dict[str, Any]:
        """Flush the stream; the reference the plan item records (``encoding``, ``count``, where, hash)."""
        if self.encoding == INT_RANGES:
            self._close_range()
        self._drain(force=True)
        self._emit(self._deflate.flush())
        return {"encoding": self.encoding, "count": self.count, "offset": self.offset, "length": self._length,
                "sha256": self._digest.hexdigest()}


def side_file(plan_path: Path) -> Path:
    """The key file of the plan written at ``plan_path`` (``plan.json`` -> ``plan.json.keys``)."""
    return plan_path.with_name(plan_path.name + ".keys")
