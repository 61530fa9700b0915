"""The data map in the HTML report, rendered by headless Chromium: a 200-table school schema stays readable.

A SQLite school with one pupils' table (children's rows) and 199 tables keyed by ``student_id`` (a few
filled, most empty as after a fresh install) is scanned through the CLI into an HTML report. Chromium
renders it: the page's DOM holds the map's SVG with a node per linked table and runs no script, and the
screenshot shows the children's table in red and the linked tables in orange.
"""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import zlib
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from pi_scanner.cli import app
from tests.binaries import chromium as find_chromium

TABLES = 199
RED = (0xB3, 0x26, 0x1E)
#: The fill of a linked table whose own rows are not yet there (likely_child): used by the map only.
MAP_ORANGE = (0xF0, 0xA3, 0x5E)


def _chromium_args(chromium: str, profile: Path) -> list[str]:
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}"]


def _pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of an 8-bit RGB(A), non-interlaced PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind, body = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            data += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(data), width * channels, [], bytearray(width * channels)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line[j] for j in range(stride) if j % channels < 3))
        prev = line
    return width, height, rows


def _count(rows: list[bytes], color: tuple[int, int, int]) -> int:
    needle = bytes(color)
    return sum(row[i:i + 3] == needle for row in rows for i in range(0, len(row), 3))


def test_map_of_a_200_table_school_renders_in_chromium(tmp_path: Path) -> None:
    chromium = find_chromium()
    db = tmp_path / "school.db"
    engine = sa.create_engine(f"sqlite:///{db}", poolclass=sa.pool.NullPool)
    md = sa.MetaData()
    students = sa.Table("students", md, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("xm", sa.String(20)), sa.Column("csrq", sa.Date))
    linked = [sa.Table(f"record_{i:03d}", md, sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("student_id", sa.Integer), sa.Column("note", sa.String(20)))
              for i in range(TABLES)]
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(students.insert(), [{"id": i, "xm": f"王小{'明红刚'[i % 3]}", "csrq": dt.date(2016, 1, 1 + i)}
                                         for i in range(1, 21)])
        for table in linked[:10]:  # a few filled, the rest empty as after a fresh install
            conn.execute(table.insert(), [{"id": n, "student_id": 1 + n % 20, "note": "x"} for n in range(30)])
    engine.dispose()
    page = tmp_path / "report.html"
    res = CliRunner().invoke(app, ["scan", f"sqlite:///{db}", "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                                   "--as-of", "2026-03-15", "-f", "html", "-o", str(page)])
    assert res.exit_code == 1, res.output  # children's PI found
    html = page.read_text(encoding="utf-8")
    assert "id='data-map'" in html

    dom = subprocess.run([*_chromium_args(chromium, tmp_path / "p1"), "--dump-dom", page.as_uri()],
                         check=True, capture_output=True, text=True, timeout=180).stdout
    start = dom.index('id="data-map"')
    svg = dom[dom.index("<svg", start):dom.index("</svg>", start)]
    assert svg.count("<rect") == TABLES + 1  # every linked table and the pupils' table, one node each
    assert "<script" not in dom

    shot = tmp_path / "map.png"
    subprocess.run([*_chromium_args(chromium, tmp_path / "p2"), "--hide-scrollbars", "--window-size=1400,2400",
                    f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=180)
    width, height, rows = _pixels(shot.read_bytes())
    assert (width, height) == (1400, 2400)
    assert _count(rows, RED) > 500  # the children's table (and the report's red badges)
    assert _count(rows, MAP_ORANGE) > 20 * 3000  # at least 20 of the empty linked tables' nodes are on screen
