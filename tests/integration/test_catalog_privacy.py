"""The catalog is sensitive too: owner-only files, and ``examples: none`` keeps no masked example anywhere."""

from __future__ import annotations

import csv
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pi_scanner.classify.recognizers.base import mask_value
from pi_scanner.cli import app
from tests.canaries import Canary, make_canaries

AS_OF = "2026-03-15"


@pytest.fixture
def umask_022() -> Iterator[None]:
    # The usual default umask: files must still come out 0600, not 0644.
    old = os.umask(0o022)
    yield
    os.umask(old)


def _estate(tmp_path: Path, kids: list[Canary]) -> tuple[Path, Path]:
    db = tmp_path / "school.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE students (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, jhr_dh TEXT)")
    con.executemany("INSERT INTO students VALUES (?, ?, ?, ?)",
                    [(i, k.name, k.resident_id, k.phone) for i, k in enumerate(kids, start=1)])
    con.commit()
    con.close()
    folder = tmp_path / "exports"
    folder.mkdir()
    with (folder / "roster.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["xm", "sfzh", "jhr_dh"])
        w.writerows([k.name, k.resident_id, k.phone] for k in kids)
    return db, folder


def _config(tmp_path: Path, db: Path, folder: Path, examples: str) -> Path:
    cfg = tmp_path / f"config-{examples}.yaml"
    cfg.write_text(f"""
connectors:
  school: {{type: sql, url: "sqlite:///{db}"}}
  exports: {{type: fs, path: "{folder}"}}
catalog:
  url: "sqlite:///{tmp_path / examples / 'catalog.db'}"
classifier:
  examples: {examples}
""", encoding="utf-8")
    return cfg


def _masks(kids: list[Canary]) -> set[str]:
    # The display masks of the recognizers (resident ID 6+4, mobile 3+4): unique per canary.
    return {m for k in kids for m in (mask_value(k.resident_id), mask_value(k.phone, keep_head=3, keep_tail=4))}


def _everything(tmp_path: Path, cfg: Path, examples: str) -> list[tuple[str, str]]:
    """Scan in every format with --show-examples, render the stored run; return every text written."""
    out = tmp_path / examples
    runner = CliRunner()
    blobs: list[tuple[str, str]] = []
    for fmt, name in (("json", "r.json"), ("markdown", "r.md"), ("html", "r.html"), ("table", "r.txt")):
        res = runner.invoke(app, ["scan", "-c", str(cfg), "--as-of", AS_OF, "--show-examples", "-f", fmt,
                                  "-o", str(out / name)])
        assert res.exit_code == 1, res.output  # children found
        blobs.append((f"scan {fmt} stdout", res.output))
    res = runner.invoke(app, ["scan", "-c", str(cfg), "--as-of", AS_OF, "--show-examples", "-f", "json"])
    blobs.append(("scan stdout", res.output))
    for fmt in ("json", "markdown", "html", "table"):
        res = runner.invoke(app, ["report", "-c", str(cfg), "-f", fmt])
        assert res.exit_code == 0, res.output
        blobs.append((f"report {fmt}", res.output))
    con = sqlite3.connect(out / "catalog.db")
    blobs.append(("catalog dump", "\n".join(con.iterdump())))
    con.close()
    for path in sorted(out.iterdir()):
        if path.suffix in (".json", ".md", ".html", ".txt"):
            blobs.append((path.name, path.read_text(encoding="utf-8")))
    return blobs


def test_examples_none_keeps_no_masked_example_even_with_show_examples(tmp_path: Path) -> None:
    kids = make_canaries(30)
    db, folder = _estate(tmp_path, kids)
    masks = _masks(kids)

    # Control: with the default (masked) the same commands do show masks, so the check below can fail.
    shown = _everything(tmp_path, _config(tmp_path, db, folder, "masked"), "masked")
    assert any(m in text for _, text in shown for m in masks)

    blobs = _everything(tmp_path, _config(tmp_path, db, folder, "none"), "none")
    leaks = sorted({where for where, text in blobs for m in masks if m in text})
    assert leaks == [], leaks
    con = sqlite3.connect(tmp_path / "none" / "catalog.db")
    stored = con.execute("SELECT masked_examples FROM findings").fetchall()
    con.close()
    assert stored and all(row[0] == "[]" for row in stored)


def test_sqlite_catalog_and_key_file_are_owner_only(tmp_path: Path, umask_022: None) -> None:
    kids = make_canaries(10)
    db, folder = _estate(tmp_path, kids)
    cfg = _config(tmp_path, db, folder, "masked")
    res = CliRunner().invoke(app, ["scan", "-c", str(cfg), "--as-of", AS_OF, "-f", "json",
                                   "-o", str(tmp_path / "r.json")])
    assert res.exit_code == 1, res.output
    catalog = tmp_path / "masked" / "catalog.db"
    written = [catalog, catalog.with_name("catalog.db.hmac-key")]
    written += [p for p in catalog.parent.iterdir() if p.name.startswith("catalog.db-")]  # WAL/journal if any
    for path in written:
        assert path.exists(), path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, (path.name, oct(path.stat().st_mode))
