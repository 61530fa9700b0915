"""gzip, bz2, zstd and zip: normal files, truncation and bombs."""

from __future__ import annotations

import bz2
import gzip
import io
import zipfile

import pytest
import zstandard

from pi_scanner.connectors.formats import FormatError, ReadLimits, open_records
from pi_scanner.connectors.formats.stream import iter_record_batches

CSV = ("id,phone\n" + "".join(f"{i},139{i:08d}\n" for i in range(2000))).encode()


@pytest.mark.parametrize(
    ("codec", "blob"),
    [
        ("gzip", gzip.compress(CSV)),
        ("bz2", bz2.compress(CSV)),
        ("zstd", zstandard.ZstdCompressor().compress(CSV)),
    ],
)
def test_stream_codecs_sniffed_by_magic(codec: str, blob: bytes) -> None:
    p = open_records(blob, "export.bin")
    assert p.compression == codec and p.format == "csv"
    assert len(p.rows) == 2000 and p.rows[5] == ("5", "13900000005")
    assert not p.truncated and p.errors == []


def test_truncated_gzip_gives_partial_read_and_error() -> None:
    blob = gzip.compress(CSV)
    p = open_records(blob[: len(blob) // 2], "export.csv.gz")
    assert p.compression == "gzip" and p.truncated
    assert 0 < len(p.rows) < 2000
    assert any("truncated" in e for e in p.errors)
    assert all(len(r[1]) == 11 for r in p.rows)
    # A coverage limit, not only a note: the rest of the stream was never read (never a clean "none").
    assert p.limits == {"damaged": 1}


def test_full_pass_over_a_gzip_cut_short_is_a_damaged_format_error() -> None:
    """The census and the file map stream the whole file: the cut ends that pass with a FormatError."""
    blob = gzip.compress(CSV)
    with pytest.raises(FormatError) as info:
        for _ in iter_record_batches(io.BytesIO(blob[: len(blob) // 2]), "export.csv.gz", ["id"], 100):
            pass
    assert info.value.limit == "damaged"


def test_zstd_cut_short_is_damaged_in_the_head_and_in_the_full_pass() -> None:
    """zstandard's reader ends quietly where a cut file ends: the frames' blocks must say it was cut."""
    big = ("id,phone\n" + "".join(f"{i},139{i:08d}\n" for i in range(20_000))).encode()  # several blocks
    whole = zstandard.ZstdCompressor(write_checksum=True).compress(big) + zstandard.ZstdCompressor().compress(
        b"20000,13900020000\n")
    assert open_records(whole, "export.csv.zst").limits == {}
    assert sum(len(b) for b in iter_record_batches(io.BytesIO(whole), "export.csv.zst", ["id"], 100)) == 20_001
    for cut in (whole[: len(whole) // 2], whole[:-2]):
        assert open_records(cut, "export.csv.zst").limits == {"damaged": 1}
        with pytest.raises(FormatError) as info:
            for _ in iter_record_batches(io.BytesIO(cut), "export.csv.zst", ["id"], 100):
                pass
        assert info.value.limit == "damaged"


def test_complete_gzip_hits_no_damaged_limit() -> None:
    assert open_records(gzip.compress(CSV), "export.csv.gz").limits == {}


def test_garbage_after_gzip_header_is_format_error() -> None:
    with pytest.raises(FormatError) as info:
        open_records(b"\x1f\x8b\x08\x00" + b"\xff" * 64, "bad.gz")
    assert info.value.limit == "damaged"  # a fault, told apart from a format with no reader


def test_concatenated_gzip_members() -> None:
    blob = gzip.compress(b"id,phone\n1,13912345678\n") + gzip.compress(b"2,13812345678\n")
    p = open_records(blob, "x.csv.gz")
    assert len(p.rows) == 2


def test_gzip_bomb_refused_by_ratio() -> None:
    bomb = gzip.compress(b"a" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 300_000
    with pytest.raises(FormatError, match="bomb"):
        open_records(bomb, "bomb.csv.gz", ReadLimits(max_ratio=100))


def test_decompressed_cap_bounds_output() -> None:
    blob = gzip.compress(CSV)
    p = open_records(blob, "x.csv.gz", ReadLimits(max_decompressed_bytes=1000))
    assert p.truncated and len(p.rows) < 100


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_entries_with_same_columns_merged() -> None:
    blob = _zip({"a.csv": b"id,phone\n1,13912345678\n", "b.csv": b"id,phone\n2,13812345678\n"})
    p = open_records(blob, "export.zip")
    assert p.compression == "zip" and len(p.rows) == 2


def test_zip_bomb_refused() -> None:
    blob = _zip({"bomb.txt": b"\0" * (100 * 1024 * 1024)})
    with pytest.raises(FormatError, match="bomb"):
        open_records(blob, "bomb.zip")


def test_zip_with_too_many_entries_refused() -> None:
    blob = _zip({f"f{i}.txt": b"x" for i in range(50)})
    with pytest.raises(FormatError, match="entries"):
        open_records(blob, "many.zip", ReadLimits(max_entries=10))


def test_nested_archive_not_recursed() -> None:
    inner = _zip({"a.csv": b"id\n1\n"})
    blob = _zip({"inner.zip": inner, "b.csv": b"id,phone\n2,13812345678\n"})
    p = open_records(blob, "outer.zip")
    assert len(p.rows) == 1 and any("nested archive" in e for e in p.errors)


def test_truncated_zip_is_format_error() -> None:
    blob = _zip({"a.csv": CSV})
    with pytest.raises(FormatError) as info:
        open_records(blob[: len(blob) - 30], "cut.zip")
    assert info.value.limit == "damaged"
