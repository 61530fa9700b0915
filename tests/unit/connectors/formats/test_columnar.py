"""Parquet and xlsx: normal files, struct flattening, malformed files."""

from __future__ import annotations

import io

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pi_scanner.connectors.formats import FormatError, ReadLimits, open_records


def _parquet(n: int = 100, row_group_size: int = 1000) -> bytes:
    table = pa.table(
        {
            "student_id": list(range(n)),
            "id_card": [f"11010520150307{i:04d}" for i in range(n)],
            "guardian": [{"phone": f"139{i:08d}", "name": "王"} for i in range(n)],
        }
    )
    buf = io.BytesIO()
    pq.write_table(table, buf, row_group_size=row_group_size)
    return buf.getvalue()


def test_parquet_with_struct_flattened() -> None:
    p = open_records(_parquet(), "students.bin")
    assert p.format == "parquet"
    assert [c.name for c in p.columns] == ["student_id", "id_card", "guardian.phone", "guardian.name"]
    assert p.columns[0].type_name == "int64"
    assert p.rows[3] == (3, "110105201503070003", "13900000003", "王")
    assert not p.truncated


def test_parquet_row_cap_from_seekable_file() -> None:
    f = io.BytesIO(_parquet(50_000, row_group_size=5_000))
    p = open_records(f, "big.parquet", ReadLimits(max_rows=100))
    assert len(p.rows) == 100 and p.truncated


def test_malformed_parquet() -> None:
    data = _parquet()
    with pytest.raises(FormatError, match="Parquet"):
        open_records(data[: len(data) // 2], "cut.parquet")
    with pytest.raises(FormatError):
        open_records(b"PAR1" + b"\x00garbage" * 20 + b"PAR1", "bad.parquet")


def test_parquet_beyond_read_cap_from_bytes() -> None:
    with pytest.raises(FormatError, match="read cap"):
        open_records(_parquet(5000), "p.parquet", ReadLimits(max_bytes=1000))


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_with_header() -> None:
    data = _xlsx([["姓名", "身份证号", "出生日期"], ["张三", "110105201503071239", "2015-03-07"]])
    p = open_records(data, "roster.xlsx")
    assert p.format == "xlsx"
    assert [c.name for c in p.columns] == ["姓名", "身份证号", "出生日期"]
    assert p.rows == [("张三", "110105201503071239", "2015-03-07")]


def test_xlsx_sheets_after_the_one_read_are_a_limit() -> None:
    """A cover sheet first, the pupils second: the workbook is only partly read, and says so."""
    wb = openpyxl.Workbook()
    wb.active.append(["说明：本表为学生花名册"])
    wb.create_sheet("花名册").append(["姓名", "身份证号"])
    buf = io.BytesIO()
    wb.save(buf)
    p = open_records(buf.getvalue(), "roster.xlsx")
    assert p.limits == {"sheets": 1} and any("other sheet" in e for e in p.errors)
    assert open_records(_xlsx([["id"], [1]]), "one.xlsx").limits == {}


def test_xlsx_row_cap() -> None:
    data = _xlsx([["id", "phone"]] + [[i, f"139{i:08d}"] for i in range(300)])
    p = open_records(data, "x.xlsx", ReadLimits(max_rows=20))
    assert len(p.rows) == 20 and p.truncated


def test_malformed_xlsx() -> None:
    data = bytearray(_xlsx([["a"], ["b"]]))
    # Corrupt the middle (entry data) but keep the central directory: openpyxl must fail cleanly.
    mid = len(data) // 3
    data[mid : mid + 200] = b"\xff" * 200
    with pytest.raises(FormatError):
        open_records(bytes(data), "bad.xlsx")
    with pytest.raises(FormatError):
        open_records(bytes(data[:-40]), "cut.xlsx")
