"""Fuzz the file-format readers: whatever the bytes, ``open_records`` returns or raises FormatError, quickly.

Three families of input, all bounded (examples and per-call time) so the file runs in well under a
minute on a small CI machine:

* random bytes, alone or behind a real magic number (gzip, bz2, zstd, zip, Parquet), under every name;
* structured text: CSV with random delimiters and quotes, JSON with random nesting and types, in UTF-8
  or GBK, plus hand-built hostile shapes (nesting 100,000 deep, one 2 MB line, NUL bytes);
* real Parquet, XLSX, gzip, bz2, zstd and zip files, then truncated or bit-flipped.

A canary value planted in the cells must never appear in an error message (messages name the file and
the problem, never a value), and decompression bombs must be refused or cut with a recorded error.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import os
import time
import zipfile
from collections.abc import Callable
from functools import cache
from typing import Literal

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pi_scanner.connectors.formats import FormatError, ParsedFile, ReadLimits, open_records
from pi_scanner.errors import PiScannerError

#: Small caps keep each call cheap; they are the real caps' code paths, only smaller.
LIMITS = ReadLimits(max_rows=500, max_bytes=1 << 20, max_decompressed_bytes=4 << 20, max_ratio=200.0,
                    max_entries=50, max_columns=200, max_line_bytes=64 << 10, max_depth=32)
#: Seconds one call may take at most (generous: two shared cores; a hang or a quadratic blow-up is far above).
BOUND_S = 5.0
#: A value planted in every generated cell: it must never show up in an exception message.
CANARY = "110105201503071239"

NAMES = ["data.csv", "data.tsv", "data.json", "data.jsonl", "data.parquet", "data.xlsx", "data.txt",
         "data.csv.gz", "data.json.bz2", "data.jsonl.zst", "data.zip", "data.log", "data"]
MAGICS = [b"\x1f\x8b\x08\x00", b"BZh9", b"\x28\xb5\x2f\xfd", b"PK\x03\x04", b"PK\x05\x06", b"PAR1", b"\xef\xbb\xbf",
          b"\xff\xfe", b"[", b"{", b""]
#: CI runs a fixed, derandomised set; ``PI_SCANNER_FUZZ_EXAMPLES=5000`` explores fresh random inputs locally.
_EXAMPLES = int(os.environ.get("PI_SCANNER_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=_EXAMPLES or 150, deadline=None, derandomize=not _EXAMPLES,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def read(data: bytes, name: str, limits: ReadLimits = LIMITS) -> ParsedFile | FormatError | PiScannerError:
    """Call ``open_records``; return what it returned or the refusal, failing on anything else or a hang."""
    start = time.perf_counter()
    try:
        out: ParsedFile | FormatError | PiScannerError = open_records(data, name, limits)
    except FormatError as exc:
        out = exc
    except PiScannerError as exc:
        out = exc
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND_S, f"{name}: {len(data)} bytes took {elapsed:.1f}s"
    if isinstance(out, PiScannerError):
        assert CANARY not in str(out) and CANARY[:-1] not in str(out), "an error message quotes a cell value"
        assert str(out), "a refusal must say why"
    else:
        _check_parsed(out, limits)
    return out


def _check_parsed(parsed: ParsedFile, limits: ReadLimits) -> None:
    assert len(parsed.rows) <= limits.max_rows
    assert len(parsed.columns) <= limits.max_columns
    for err in parsed.errors:
        assert CANARY not in err, "a recorded error quotes a cell value"


# -- random bytes -------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(NAMES))
def test_random_bytes(data: bytes, name: str) -> None:
    read(data, name)


@FUZZ
@given(magic=st.sampled_from(MAGICS), tail=st.binary(max_size=4096), name=st.sampled_from(NAMES))
def test_random_bytes_behind_a_magic_number(magic: bytes, tail: bytes, name: str) -> None:
    read(magic + tail, name)


# -- structured text ----------------------------------------------------------------------------------

_CELL = st.one_of(
    st.just(CANARY),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    st.text(alphabet='",;\t|\'\\\r\n ', max_size=10),
)


@FUZZ
@given(
    rows=st.lists(st.lists(_CELL, min_size=1, max_size=8), min_size=1, max_size=40),
    delimiter=st.sampled_from([",", ";", "\t", "|", ":", " ", "\x00"]),
    quotechar=st.sampled_from(['"', "'", "`"]),
    quoting=st.sampled_from(["minimal", "all", "none"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16"]),
    cut=st.integers(min_value=0, max_value=50),
    name=st.sampled_from(["x.csv", "x.tsv", "x.txt", "x"]),
)
def test_csv_with_random_dialects(rows: list[list[str]], delimiter: str, quotechar: str, quoting: str,
                                  encoding: str, cut: int, name: str) -> None:
    buf = io.StringIO()
    how: dict[str, Literal[0, 1, 2, 3]] = {"minimal": csv.QUOTE_MINIMAL, "all": csv.QUOTE_ALL, "none": csv.QUOTE_NONE}
    try:
        csv.writer(buf, delimiter=delimiter, quotechar=quotechar, quoting=how[quoting], escapechar="\\",
                   lineterminator="\n").writerows(rows)
    except csv.Error:
        assume(False)
    raw = buf.getvalue().encode(encoding, "replace")
    if cut:
        raw = raw[:-cut] + b'"' * (cut % 3)  # a cut last record, sometimes with an unbalanced quote
    read(raw, name)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _CELL,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(_CELL, children, max_size=5),
    max_leaves=60,
)


@FUZZ
@given(docs=st.lists(_JSON, min_size=1, max_size=20), lines=st.booleans(), cut=st.integers(0, 20),
       name=st.sampled_from(["x.json", "x.jsonl", "x.ndjson", "x.txt", "x"]))
def test_json_with_random_nesting(docs: list[object], lines: bool, cut: int, name: str) -> None:
    one = [json.dumps(d, ensure_ascii=False) for d in docs]
    text = "\n".join(one) if lines else "[" + ",".join(one) + "]"
    raw = text.encode("utf-8")
    read(raw[: len(raw) - cut] if cut else raw, name)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000),
        ("deep.jsonl", b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        ("deep-open.json", b"[" * 200_000),
        ("long-line.csv", b"a,b\n" + b"1" * (2 << 20) + b"," + CANARY.encode() + b"\n"),
        ("many-columns.csv", b",".join(b"c%d" % i for i in range(20_000)) + b"\n" + b"1," * 20_000 + b"\n"),
        ("quotes.csv", b'"' * (1 << 20)),
        ("nul.csv", b"a,b\n" + b"\x00" * (1 << 20)),
        ("separators.csv", b"," * (1 << 20) + b"\n" + b";" * (1 << 20)),
        ("crlf.txt", b"\r" * (1 << 20)),
        ("bom-only.csv", b"\xef\xbb\xbf"),
        ("gbk.csv", "姓名,身份证号\n张三,".encode("gbk") + CANARY.encode() + b"\n\x81\x30\x81"),
        ("invalid-utf8.jsonl", b'{"name": "\xff\xfe\xc3\x28"}\n' * 1000),
        ("huge-number.json", b'[{"n": ' + b"9" * 100_000 + b"}]"),
        ("surrogate.json", b'[{"n": "\\ud800\\udc00\\ud800"}]'),
    ],
)
def test_hostile_text_shapes(name: str, data: bytes) -> None:
    read(data, name)


# -- real files, truncated or bit-flipped --------------------------------------------------------------

def _rows(n: int = 200) -> list[dict[str, object]]:
    return [{"id": i, "xm": "张小明", "sfzh": CANARY, "csrq": "2015-03-07", "score": i * 0.5} for i in range(n)]


def _csv_bytes() -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(_rows(1)[0]))
    w.writeheader()
    w.writerows(_rows())
    return buf.getvalue().encode("utf-8")


def _parquet() -> bytes:
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(_rows()), buf, row_group_size=50)
    return buf.getvalue()


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(_rows(1)[0]))
    for r in _rows():
        ws.append(list(r.values()))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.csv", _csv_bytes())
        zf.writestr("b.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in _rows(50)))
    return buf.getvalue()


REAL: dict[str, Callable[[], bytes]] = {
    "s.parquet": _parquet,
    "s.xlsx": _xlsx,
    "s.csv.gz": lambda: gzip.compress(_csv_bytes()),
    "s.csv.bz2": lambda: bz2.compress(_csv_bytes()),
    "s.csv.zst": lambda: zstandard.ZstdCompressor().compress(_csv_bytes()),
    "s.zip": _zip,
    "s.jsonl": lambda: "\n".join(json.dumps(r, ensure_ascii=False) for r in _rows()).encode(),
}


@cache
def real_file(name: str) -> bytes:
    return REAL[name]()


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_files_read_whole(name: str) -> None:
    """The untouched originals parse: the fuzz below starts from files the readers do understand."""
    out = read(real_file(name), name)
    assert isinstance(out, ParsedFile), out
    assert len(out.rows) >= 50 and "sfzh" in " ".join(c.name for c in out.columns)


@FUZZ
@given(name=st.sampled_from(sorted(REAL)), keep=st.floats(min_value=0.0, max_value=0.999))
def test_truncated_real_files(name: str, keep: float) -> None:
    data = real_file(name)
    read(data[: int(len(data) * keep)], name)


@FUZZ
@given(name=st.sampled_from(sorted(REAL)),
       flips=st.lists(st.tuples(st.floats(0.0, 0.9999), st.integers(0, 7)), min_size=1, max_size=8))
def test_bit_flipped_real_files(name: str, flips: list[tuple[float, int]]) -> None:
    data = bytearray(real_file(name))
    for where, bit in flips:
        data[int(len(data) * where)] ^= 1 << bit
    read(bytes(data), name)


@FUZZ
@given(name=st.sampled_from(sorted(REAL)), where=st.floats(0.0, 0.9999), junk=st.binary(min_size=1, max_size=64))
def test_overwritten_real_files(name: str, where: float, junk: bytes) -> None:
    data = bytearray(real_file(name))
    at = int(len(data) * where)
    data[at:at + len(junk)] = junk
    read(bytes(data), name)


# -- decompression bombs ------------------------------------------------------------------------------

BOMB_BYTES = 64 << 20  # 64 MB of zeros: well past max_decompressed_bytes (4 MB) and max_ratio (200)


@cache
def _bomb(codec: str) -> bytes:
    if codec == "gzip":
        return gzip.compress(b"0" * BOMB_BYTES, compresslevel=9)
    if codec == "bz2":
        return bz2.compress(b"0" * BOMB_BYTES, 9)
    if codec == "zstd":
        return zstandard.ZstdCompressor(level=19).compress(b"0" * BOMB_BYTES)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.csv", b"a,b\n" + b"0" * BOMB_BYTES)
    return buf.getvalue()


@pytest.mark.parametrize(("codec", "name"), [("gzip", "b.csv.gz"), ("bz2", "b.csv.bz2"), ("zstd", "b.csv.zst"),
                                             ("zip", "b.zip")])
def test_decompression_bombs_are_refused_with_a_recorded_error(codec: str, name: str) -> None:
    out = read(_bomb(codec), name)
    if isinstance(out, ParsedFile):
        # Read only up to the cap, and say so.
        assert out.truncated and out.errors, (codec, out.errors)
        assert sum(len(str(v)) for r in out.rows for v in r) <= LIMITS.max_decompressed_bytes
    else:
        assert isinstance(out, FormatError)
