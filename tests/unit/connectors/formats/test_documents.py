"""DOCX and PDF readers: sniffed by content, bounded, and a folder scan marks a child's document."""

from __future__ import annotations

import builtins
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from pi_scanner.catalog.store import Catalog
from pi_scanner.config import parse_settings
from pi_scanner.connectors.formats import FormatError, ReadLimits, open_records
from pi_scanner.connectors.formats.stream import iter_record_batches
from pi_scanner.models import ChildStatus
from pi_scanner.scanner import run_scan

CHILD_ID = "110105201503041239"
ADULT_ID = "360426199101010071"  # born 1991 (test vectors)


def make_docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(pages: list[list[str]]) -> bytes:
    """A hand-written PDF: one page per entry, text in a Type0 font whose codes are Unicode code points."""
    highs = sorted({ord(ch) >> 8 for page in pages for line in page for ch in line})
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CMapName /Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(highs)} beginbfrange\n"
            + "".join(f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>\n" for h in highs)
            + "endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end")
    n = len(pages)
    font, desc, tounicode = 3, 4, 5
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + " ".join(f"{6 + 2 * i} 0 R" for i in range(n)) + f"] /Count {n} >>",
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        f"/DescendantFonts [{desc} 0 R] /ToUnicode {tounicode} 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        f"<< /Length {len(cmap.encode())} >>\nstream\n{cmap}\nendstream",
    ]
    for i, lines in enumerate(pages):
        content = "BT /F1 12 Tf 72 720 Td 14 TL\n" + "".join(
            "<" + "".join(f"{ord(ch):04X}" for ch in line) + "> Tj T*\n" for line in lines) + "ET"
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                    f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {7 + 2 * i} 0 R >>")
        objs.append(f"<< /Length {len(content.encode())} >>\nstream\n{content}\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_docx_paragraphs_and_table_cells_are_rows_whatever_the_name() -> None:
    data = make_docx(["学生档案", "", "我今年8岁"], table=[["身份证号", CHILD_ID]])
    parsed = open_records(data, "upload.bin")
    assert parsed.format == "docx" and [c.name for c in parsed.columns] == ["text"]
    # Short paragraphs share one row: the age and the ID of one form stay one record.
    assert [r[0] for r in parsed.rows] == ["\n".join(["学生档案", "我今年8岁", "身份证号", CHILD_ID])]
    assert not parsed.truncated and parsed.errors == []


def test_plain_zip_and_xlsx_are_not_taken_for_docx() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/other.xml", "<x/>")
        zf.writestr("notes.txt", "hello\n")
    parsed = open_records(buf.getvalue(), "a.docx")
    assert parsed.format == "text" and parsed.compression == "zip"


def test_pdf_pages_are_rows_whatever_the_name() -> None:
    data = make_pdf([["我今年8岁"], ["身份证号 " + CHILD_ID]])
    parsed = open_records(data, "scan.dat")
    assert parsed.format == "pdf" and [c.name for c in parsed.columns] == ["text"]
    assert [r[0] for r in parsed.rows] == ["我今年8岁\n身份证号 " + CHILD_ID]


def test_caps_rows_pages_chunks_and_time() -> None:
    many = make_docx([f"第{i:02d}段" for i in range(50)])
    p = open_records(many, "a.docx", ReadLimits(max_rows=3, max_line_bytes=10))
    assert [r[0] for r in p.rows] == ["第00段\n第01段", "第02段\n第03段", "第04段\n第05段"] and p.truncated
    pdf = make_pdf([[f"page {i}"] for i in range(5)])
    p = open_records(pdf, "a.pdf", ReadLimits(max_pages=2))
    assert [r[0] for r in p.rows] == ["page 0\npage 1"] and p.truncated
    assert any("2-page cap" in e for e in p.errors)
    p = open_records(make_docx(["x" * 25, "y"]), "a.docx", ReadLimits(max_line_bytes=10))
    assert [r[0] for r in p.rows] == ["x" * 10, "x" * 10, "x" * 5, "y"] and any("split" in e for e in p.errors)
    p = open_records(many, "a.docx", ReadLimits(max_seconds=1e-9))
    assert p.truncated and p.rows == [] and any("time budget" in e for e in p.errors)
    with pytest.raises(FormatError, match="read cap"):
        open_records(pdf, "a.pdf", ReadLimits(max_bytes=100))


@pytest.mark.parametrize("damage", ["cut", "garbage_body", "no_document_xml_content"])
def test_malformed_docx_is_a_format_error(damage: str) -> None:
    data = make_docx(["我今年8岁"])
    if damage == "cut":
        bad = data[: len(data) // 2]
    elif damage == "garbage_body":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<w:document><unclosed>")
        bad = buf.getvalue()
    else:
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, b"" if info.filename == "word/document.xml" else src.read(info))
        bad = buf.getvalue()
    with pytest.raises(FormatError) as err:
        open_records(bad, "bad.docx")
    assert CHILD_ID not in str(err.value) and "8岁" not in str(err.value)


@pytest.mark.parametrize("bad", [
    b"%PDF-1.4\n",
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"%PDF-" + bytes(range(256)) * 40,
])
def test_malformed_pdf_is_a_format_error(bad: bytes) -> None:
    with pytest.raises(FormatError, match="PDF"):
        open_records(bad, "bad.pdf")


def test_encrypted_pdf_is_refused_clearly() -> None:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf([["我今年8岁"]]))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(FormatError, match="encrypted"):
        open_records(out.getvalue(), "locked.pdf")


@pytest.mark.parametrize(("module", "make"), [("docx", lambda: make_docx(["x"])), ("pypdf", lambda: make_pdf([["x"]]))])
def test_missing_library_names_the_extra(module: str, make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    data = make()
    real_import = builtins.__import__

    def no_lib(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == module or name.startswith(module + "."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.setattr(builtins, "__import__", no_lib)
    with pytest.raises(FormatError, match=r"install `pi-scanner\[documents\]`"):
        open_records(data, "doc")


def test_full_pass_streams_documents() -> None:
    data = make_docx(["我今年8岁", CHILD_ID, "z" * 5000])
    batches = list(iter_record_batches(io.BytesIO(data), "a.docx", ["text"], batch_size=1))
    assert batches == [[("我今年8岁\n" + CHILD_ID,)], [("z" * 4000,)], [("z" * 1000,)]]


def test_folder_scan_flags_documents_about_under_14s(tmp_path: Path) -> None:
    # Neutral file and folder names: the verdict must come from the text, not from a name like child.docx.
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "form_a.docx").write_bytes(make_docx(["情况登记表", "我今年8岁", f"身份证号：{CHILD_ID}"]))
    (folder / "form_b.pdf").write_bytes(make_pdf([["情况登记表", "我今年8岁", f"身份证号：{CHILD_ID}"]]))
    (folder / "form_c.docx").write_bytes(make_docx(["员工情况登记表", "我今年35岁", f"身份证号：{ADULT_ID}"]))
    (folder / "memo.pdf").write_bytes(make_pdf([["Quarterly budget review", "No personal data"]]))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    settings = parse_settings({"connectors": {"docs": {"type": "fs", "path": str(folder)}}})
    catalog = Catalog(f"sqlite:///{tmp_path / 'cat.db'}")
    catalog.migrate()
    run = run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog).run
    results = {r.asset.path[-1]: r for r in run.results}
    for name in ("form_a.docx", "form_b.pdf"):
        assert results[name].child_status == ChildStatus.CHILD
        assert set(results[name].columns[0].entity_types) >= {"CN_RESIDENT_ID", "AGE_TEXT"}
        assert results[name].ages.child == 1
    assert results["form_c.docx"].child_status == ChildStatus.ADULT
    assert results["memo.pdf"].child_status == ChildStatus.NONE
    # The damaged file is listed as not read (format), with why; the scan went on.
    broken = results["broken.pdf"]
    assert broken.child_status == ChildStatus.UNKNOWN and broken.coverage is not None
    assert broken.coverage.not_read == "format" and "PDF" in broken.coverage.detail
    assert run.errors == []
    assert CHILD_ID not in broken.coverage.detail
