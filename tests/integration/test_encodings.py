"""Encodings told by content (issue 18, case 7): UTF-16/32 without a BOM, GB18030 kept.

Fifty children's rows in a CSV, written in each encoding without a byte-order mark, are read and found;
binary data with NUL bytes is still refused as binary.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pi_scanner.cli import app
from pi_scanner.connectors.formats.sniff import decode_text, looks_binary, wide_encoding
from tests.canaries import make_canaries

ENCODINGS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "gb18030")


def _csv(kids: list) -> str:
    return "姓名,身份证号,手机\n" + "".join(f"{k.name},{k.resident_id},{k.phone}\n" for k in kids)


def test_folder_of_csvs_in_every_encoding_without_bom(tmp_path: Path) -> None:
    kids = make_canaries(50)
    folder = tmp_path / "exports"
    folder.mkdir()
    for enc in ENCODINGS:
        (folder / f"{enc}.csv").write_bytes(_csv(kids).encode(enc))  # no BOM: the -le/-be codecs write none
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 64)
    config = tmp_path / "scan.yaml"
    config.write_text(yaml.safe_dump({"connectors": {"files": {"type": "fs", "path": str(folder)}},
                                      "executor": {"type": "local"}}), encoding="utf-8")
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["scan", "-c", str(config), "--catalog", f"sqlite:///{tmp_path / 'c.db'}",
                                   "--as-of", "2026-03-15", "-f", "json", "-o", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assets = {a["path"][-1]: a for a in report["assets"]}
    for enc in ENCODINGS:
        a = assets[f"{enc}.csv"]
        assert (a["child_status"], a["rows_scanned"], a["errors"]) == ("child", 50, []), (enc, a)
        assert {c["name"] for c in a["columns"]} >= {"身份证号", "手机"}, enc
    assert assets["blob.bin"]["coverage"]["not_read"] == "format"
    assert res.exit_code == 1, res.output
    text = out.read_text(encoding="utf-8") + res.output
    assert not [v for k in kids for v in k.values() if v in text]


@pytest.mark.parametrize("enc", ENCODINGS[:4])
def test_wide_encoding_is_told_by_content(enc: str) -> None:
    data = _csv(make_canaries(5)).encode(enc)
    assert wide_encoding(data) == enc and not looks_binary(data)
    errors: list[str] = []
    text, used = decode_text(data[:-3], errors)  # a cut head, mid code unit
    assert used == enc and text.startswith("姓名,身份证号")


def test_gb18030_and_binary_are_not_mistaken_for_wide_text() -> None:
    data = _csv(make_canaries(5)).encode("gb18030")
    assert wide_encoding(data) is None
    assert decode_text(data, [])[1] == "gb18030"
    noise = os.urandom(4096) + b"\x00" * 64
    assert wide_encoding(noise) is None and looks_binary(noise)
