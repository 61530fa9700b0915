"""CSV, TSV, text and encoding handling of open_records, including hostile inputs."""

from __future__ import annotations

import io

import pytest

from pi_scanner.connectors.formats import FormatError, ReadLimits, open_records

CSV = "学生姓名,身份证号,guardian_phone\n张三,110105201503071239,13912345678\n李四,110105201602081234,13812345678\n"


def test_csv_utf8_with_header() -> None:
    p = open_records(CSV.encode("utf-8"), "students.csv")
    assert p.format == "csv"
    assert [c.name for c in p.columns] == ["学生姓名", "身份证号", "guardian_phone"]
    assert p.rows[0] == ("张三", "110105201503071239", "13912345678")
    assert len(p.rows) == 2 and not p.truncated and p.errors == []


def test_csv_with_bom_strips_bom_from_first_header() -> None:
    p = open_records(b"\xef\xbb\xbf" + CSV.encode("utf-8"), "x.csv")
    assert p.encoding == "utf-8-sig"
    assert p.columns[0].name == "学生姓名"


def test_gbk_csv_falls_back_to_gb18030() -> None:
    p = open_records(CSV.encode("gbk"), "export.csv")
    assert p.encoding == "gb18030"
    assert p.columns[0].name == "学生姓名"
    assert p.rows[1][0] == "李四"


def test_invalid_utf8_byte_is_recorded_not_mojibake() -> None:
    data = CSV.encode("utf-8").replace(b"13812345678", b"138\xff2345678")
    p = open_records(data, "x.csv")
    assert p.encoding == "utf-8"
    assert p.rows[0][0] == "张三"
    assert any("invalid UTF-8" in e for e in p.errors)
    # The error message names the damage, never the value around it.
    assert not any("138" in e for e in p.errors)


def test_tsv_and_semicolon_sniffed_by_content_not_name() -> None:
    tsv = open_records(CSV.replace(",", "\t").encode(), "data.txt")
    assert tsv.format == "tsv" and len(tsv.columns) == 3
    semi = open_records(CSV.replace(",", ";").encode(), "data.csv")
    assert semi.format == "csv" and semi.rows[0][1] == "110105201503071239"


def test_headerless_csv_gets_positional_names() -> None:
    p = open_records(b"110105201503071239,13912345678\n110105201602081234,13812345678\n", "x.csv")
    assert [c.name for c in p.columns] == ["col_1", "col_2"]
    assert len(p.rows) == 2


def test_max_rows_and_truncated_flag() -> None:
    body = "id,phone\n" + "".join(f"{i},139{i:08d}\n" for i in range(500))
    p = open_records(body.encode(), "x.csv", ReadLimits(max_rows=10))
    assert len(p.rows) == 10 and p.truncated


def test_head_cap_drops_partial_last_line() -> None:
    body = ("id,phone\n" + "".join(f"{i},139{i:08d}\n" for i in range(1000))).encode()
    p = open_records(io.BytesIO(body), "x.csv", ReadLimits(max_bytes=1000))
    assert p.truncated and p.bytes_read == 1000
    # Every row is complete: the cut line was dropped, not returned as a short phone number.
    assert all(len(r[1]) == 11 for r in p.rows)


def test_bounded_read_from_file_object() -> None:
    class Counting(io.BytesIO):
        def __init__(self, b: bytes) -> None:
            super().__init__(b)
            self.consumed = 0

        def read(self, n: int | None = -1) -> bytes:
            out = super().read(n)
            self.consumed += len(out)
            return out

        def seekable(self) -> bool:
            return False

    f = Counting(b"a,b\n" + b"1,2\n" * 100_000)
    open_records(f, "x.csv", ReadLimits(max_bytes=4096))
    assert f.consumed <= 4097


def test_100k_columns_csv_is_narrowed() -> None:
    header = ",".join(f"c{i}" for i in range(100_000))
    row = ",".join("1" for _ in range(100_000))
    p = open_records(f"{header}\n{row}\n".encode(), "wide.csv", ReadLimits(max_columns=500))
    assert len(p.columns) == 500
    assert p.truncated
    assert any("narrowed" in e for e in p.errors)


def test_50mb_single_line_text_is_chunked() -> None:
    line = b"x" * (50 * 1024 * 1024)
    p = open_records(line, "big.log", ReadLimits(max_line_bytes=1024 * 1024, max_rows=100))
    assert p.format == "text"
    assert all(len(r[0]) <= 1024 * 1024 for r in p.rows)
    assert len(p.rows) == 50
    assert any("split" in e for e in p.errors)


def test_50mb_single_line_csv_is_cut_not_crashing() -> None:
    line = b"a,b\n" + b"1," + b"9" * (50 * 1024 * 1024) + b"\n2,3\n"
    p = open_records(line, "big.csv", ReadLimits(max_line_bytes=1024 * 1024))
    assert p.format == "csv"
    assert [c.name for c in p.columns] == ["a", "b"]
    assert all(len(v) <= 1024 * 1024 + 1 for r in p.rows for v in r)
    assert any("cut" in e for e in p.errors)


def test_log_file_with_commas_stays_text() -> None:
    log = b"".join(b"2024-01-05 10:00:0%d INFO login ok, user=%d\n" % (i, i) for i in range(9))
    p = open_records(log, "app.log")
    assert p.format == "text" and [c.name for c in p.columns] == ["text"]
    assert len(p.rows) == 9


def test_binary_content_is_refused() -> None:
    with pytest.raises(FormatError, match="binary"):
        open_records(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "photo.csv")


def test_empty_file() -> None:
    p = open_records(b"", "empty.csv")
    assert p.rows == [] and p.columns == []


def test_utf16_tsv_from_excel() -> None:
    data = "\ufeff姓名\t电话\n张三\t13912345678\n".encode("utf-16-le")
    p = open_records(data, "unicode.txt")
    assert p.format == "tsv" and p.rows == [("张三", "13912345678")]
