"""FolderConnector against a real temporary folder."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pi_scanner.connectors.base import AssetInfo
from pi_scanner.connectors.formats import FormatError
from pi_scanner.connectors.fs import FolderConnector
from pi_scanner.connectors.globs import glob_match
from pi_scanner.errors import ConnectorError, NotReadError, PiScannerError, TerminalConnectorError
from pi_scanner.models import AssetKind


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "exports" / "2024").mkdir(parents=True)
    (tmp_path / "exports" / "students.csv").write_text(
        "name,id_card\n张三,110105201503071239\n李四,110105201602081234\n", encoding="utf-8"
    )
    (tmp_path / "exports" / "2024" / "guardians.jsonl.gz").write_bytes(
        gzip.compress(b"".join(json.dumps({"guardian": {"phone": f"139{i:08d}"}}).encode() + b"\n"
                               for i in range(2500)))
    )
    pq.write_table(pa.table({"dob": ["2015-03-07"] * 3}), tmp_path / "exports" / "2024" / "dob.parquet")
    (tmp_path / "tmp").mkdir()
    (tmp_path / "tmp" / "scratch.txt").write_text("nothing\n")
    (tmp_path / "exports" / "broken.json").write_text('{"a": ')
    return tmp_path


def _assets(conn: FolderConnector) -> dict[str, AssetInfo]:
    return {a.ref.path[1]: a for a in conn.discover()}


def test_discovery_globs_and_fingerprints(folder: Path) -> None:
    conn = FolderConnector.from_path("files", folder, exclude=["tmp/**"])
    assets = _assets(conn)
    assert sorted(assets) == [
        "exports/2024/dob.parquet", "exports/2024/guardians.jsonl.gz", "exports/broken.json",
        "exports/students.csv",
    ]
    a = assets["exports/students.csv"]
    assert a.ref.kind is AssetKind.FILE and a.ref.path[0] == str(folder)
    st = (folder / "exports/students.csv").stat()
    assert a.fingerprint == f"{st.st_size}:{st.st_mtime_ns}" and a.size_bytes == st.st_size
    only_csv = FolderConnector.from_path("files", folder, include=["*.csv"])
    assert list(_assets(only_csv)) == ["exports/students.csv"]


def test_fingerprint_changes_when_file_changes(folder: Path) -> None:
    conn = FolderConnector.from_path("files", folder)
    before = _assets(conn)["exports/students.csv"].fingerprint
    p = folder / "exports/students.csv"
    p.write_text(p.read_text() + "王五,110105201701011234\n")
    os.utime(p, ns=(1, 2_000_000_000_000_000_000))
    assert _assets(conn)["exports/students.csv"].fingerprint != before


def test_sample_each_format(folder: Path) -> None:
    conn = FolderConnector.from_path("files", folder)
    assets = _assets(conn)
    s = conn.sample(assets["exports/students.csv"], 100)
    assert [c.name for c in s.columns] == ["name", "id_card"] and len(s.rows) == 2 and s.complete
    j = conn.sample(assets["exports/2024/guardians.jsonl.gz"], 100)
    assert [c.name for c in j.columns] == ["guardian.phone"] and len(j.rows) == 100 and not j.complete
    assert assets["exports/2024/guardians.jsonl.gz"].meta["compression"] == "gzip"
    p = conn.sample(assets["exports/2024/dob.parquet"], 100)
    assert p.columns[0].name == "dob" and len(p.rows) == 3


def test_bad_file_raises_for_that_asset_only(folder: Path) -> None:
    conn = FolderConnector.from_path("files", folder)
    assets = _assets(conn)
    with pytest.raises(FormatError) as info:
        conn.sample(assets["exports/broken.json"], 10)
    assert isinstance(info.value, PiScannerError)
    # The others still read.
    assert conn.sample(assets["exports/students.csv"], 10).rows


def test_file_deleted_after_discovery(folder: Path) -> None:
    conn = FolderConnector.from_path("files", folder)
    asset = _assets(conn)["exports/students.csv"]
    (folder / "exports/students.csv").unlink()
    with pytest.raises(PiScannerError, match="disappeared") as caught:
        conn.sample(asset, 10)
    # Terminal by type (no retry), and the connector is a field, not only part of the message.
    assert isinstance(caught.value, TerminalConnectorError)
    assert (caught.value.connector, caught.value.connector_type) == ("files", "fs")


def test_symlinks_not_followed(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("a,b\n1,2\n")
    (folder / "link.csv").symlink_to(outside)
    conn = FolderConnector.from_path("files", folder)
    link = _assets(conn)["link.csv"]  # listed, so the report says it was not read, and why
    assert link.meta["not_read"] == "symlink" and link.size_bytes is None
    with pytest.raises(NotReadError, match="symbolic link to a regular file"):
        conn.sample(link, 10)


def test_missing_folder_is_connector_error(tmp_path: Path) -> None:
    conn = FolderConnector.from_path("files", tmp_path / "nope")
    with pytest.raises(ConnectorError):
        list(conn.discover())


def test_byte_cap_per_file(folder: Path) -> None:
    big = folder / "big.csv"
    big.write_text("id,phone\n" + "".join(f"{i},139{i:08d}\n" for i in range(100_000)))
    conn = FolderConnector.from_path("files", folder, max_bytes_per_file=10_000)
    s = conn.sample(_assets(conn)["big.csv"], 1_000_000)
    # The head (10,000 bytes) and ranges spread over the rest (half as much again).
    assert 10_000 < s.bytes_read <= 15_000 and not s.complete and 0 < len(s.rows) < 1000
    assert int(s.rows[-1][0]) > 50_000  # the last rows come from the end of the file


def test_iter_batches_full_pass_streams_everything(folder: Path) -> None:
    big = folder / "big.csv.gz"
    big.write_bytes(gzip.compress(("id;phone\n" + "".join(f"{i};139{i:08d}\n" for i in range(30_000))).encode()))
    conn = FolderConnector.from_path("files", folder, max_bytes_per_file=5_000)
    assets = _assets(conn)
    batches = list(conn.iter_batches(assets["big.csv.gz"], ["phone", "missing"], batch_size=7_000))
    assert [len(b) for b in batches] == [7_000, 7_000, 7_000, 7_000, 2_000]
    assert batches[0][0] == ("big.csv.gz", "13900000000", None)
    assert batches[-1][-1] == ("big.csv.gz", "13900029999", None)
    jl = [r for b in conn.iter_batches(assets["exports/2024/guardians.jsonl.gz"], ["guardian.phone"]) for r in b]
    assert len(jl) == 2500
    pqrows = [r for b in conn.iter_batches(assets["exports/2024/dob.parquet"], ["dob"]) for r in b]
    assert pqrows == [("exports/2024/dob.parquet", "2015-03-07")] * 3


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("a/b/c.csv", "**", True),
        ("a/b/c.csv", "*.csv", True),
        ("a/b/c.csv", "a/*.csv", False),
        ("a/b/c.csv", "a/**/*.csv", True),
        ("a/c.csv", "a/**/*.csv", True),
        ("a/c.json", "a/**/*.csv", False),
        ("tmp/x", "tmp/**", True),
        ("logs/2024-01-05/part-1.json", "logs/2024-01-0?/part-*.json", True),
    ],
)
def test_glob_match(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected
