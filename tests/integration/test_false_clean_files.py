"""Broken files must never read as a clean answer (silent gaps): a real folder, scanned by a real process.

The folder holds what real shares hold: a gzip export cut short in transfer whose readable part holds no
PI, a gzip whose stream is garbage, a pupils file the scanning user may not read (``chmod 000``; the scan
runs as ``nobody`` when the tests run as root, as root reads everything), a workbook whose first sheet is
instructions and whose second holds the pupils. None of them may come out ``none``: each is ``unknown`` with
the reason in its coverage, the report's coverage counts them as faults, the catalog's run is ``partial``
and ``scan`` exits 3. The clean file beside them is still read and reported ``none``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from pi_scanner.catalog.store import Catalog
from pi_scanner.cli import app
from pi_scanner.config import parse_settings
from pi_scanner.coverage import summary_line
from pi_scanner.metrics import Metrics
from pi_scanner.models import AgeCounts, AssetKind, AssetRef, AssetResult, ChildStatus
from pi_scanner.scanner import run_scan
from tests.canaries import make_canaries

AS_OF = "2026-03-15"
NOBODY = 65534


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can enter (pytest's own tmp folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="pis-share-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _scan_as_other_user(base: Path, folder: Path) -> tuple[int, dict, str]:
    """``python -m pi_scanner scan`` over ``folder`` in a child process (as ``nobody`` when we are root)."""
    out = base / "out"
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    config = base / "scan.yaml"
    config.write_text(yaml.safe_dump({"connectors": {"files": {"type": "fs", "path": str(folder)}},
                                      "executor": {"type": "local"}}), encoding="utf-8")
    config.chmod(0o644)
    cmd = [sys.executable, "-m", "pi_scanner", "scan", "-c", str(config), "--catalog", f"sqlite:///{out}/c.db",
           "--as-of", AS_OF, "-f", "json", "-o", str(out / "report.json")]
    if os.geteuid() == 0:
        cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]
    env = {**os.environ, "HOME": str(out), "PI_SCANNER_STATE_DIR": str(out)}
    res = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=240, check=False)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return res.returncode, report, res.stdout + res.stderr


def _workbook(rows: list[tuple[str, ...]]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "说明"
    first.append(["本表为学生花名册，请勿外传"])
    second = wb.create_sheet("花名册")
    for r in rows:
        second.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_damaged_unreadable_and_half_read_files_are_never_none(shared_dir: Path) -> None:
    kids = make_canaries(300)
    folder = shared_dir / "share"
    folder.mkdir()
    folder.chmod(0o755)
    pupils = "xm,sfzh,phone\n" + "".join(f"{k.name},{k.resident_id},{k.phone}\n" for k in kids)
    # The export's head is a product list; the pupils came after it, in the part lost in transfer.
    export = gzip.compress(("item,qty\n" + "".join(f"pencil-{i},{i % 7}\n" for i in range(4000))
                            + pupils).encode())
    (folder / "export.csv.gz").write_bytes(export[: len(export) // 4])
    (folder / "garbage.csv.gz").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 2)
    (folder / "pupils.csv").write_text(pupils, encoding="utf-8")
    (folder / "pupils.csv").chmod(0)
    roster = [("姓名", "身份证号"), *((k.name, k.resident_id) for k in kids[:40])]
    (folder / "roster.xlsx").write_bytes(_workbook(roster))
    (folder / "stock.csv").write_text("item,qty\npencil,3\neraser,5\n", encoding="utf-8")
    for f in folder.iterdir():
        if f.name != "pupils.csv":
            f.chmod(0o644)

    code, report, output = _scan_as_other_user(shared_dir, folder)

    assets = {a["path"][-1]: a for a in report["assets"]}
    assert assets["stock.csv"]["child_status"] == "none"  # the clean file is still read and clean
    expected = {
        "export.csv.gz": ("damaged", None),
        "garbage.csv.gz": (None, "damaged"),
        "pupils.csv": (None, "permission"),
        "roster.xlsx": ("sheets", None),
    }
    for name, (limit, reason) in expected.items():
        asset = assets[name]
        assert asset["child_status"] == "unknown", (name, asset)
        if limit:
            assert limit in asset["coverage"]["limits"] and f"limit:{limit}" in asset["notes"], (name, asset)
        if reason:
            assert asset["coverage"]["not_read"] == reason, (name, asset)
    cov = report["coverage"]
    assert cov["assets_faulty"] == 3  # the damaged streams and the unreadable file; a sheet not read is a limit
    assert cov["limits"] == {"damaged": 1, "sheets": 1}
    assert cov["not_read"] == {"damaged": 1, "permission": 1}
    assert code == 3, output  # incomplete: never 0 ("no children's PI found")
    assert "cut short by a store or file fault: the answer is incomplete" in summary_line(cov)
    catalog_url = f"sqlite:///{shared_dir / 'out' / 'c.db'}"
    with Catalog(catalog_url) as catalog:
        (run,) = catalog.list_runs(5)
        assert run.status == "partial" and run.coverage == cov  # the run's coverage is kept with it

    # Rendered later from the catalog, the report still says what was not read, asset by asset.
    again = shared_dir / "again.json"
    res = CliRunner().invoke(app, ["report", "--catalog", catalog_url, "-f", "json", "-o", str(again)])
    assert res.exit_code == 0, res.output
    stored = json.loads(again.read_text(encoding="utf-8"))
    assert stored["coverage"] == cov and stored["summary"]["run_status"] == "partial"
    assert {a["path"][-1]: a["coverage"] for a in stored["assets"]} == {
        a["path"][-1]: a["coverage"] for a in report["assets"]}
    text = json.dumps(report, ensure_ascii=False) + output + json.dumps(stored, ensure_ascii=False)
    assert not [v for k in kids for v in k.values() if v in text]


def test_report_of_a_run_that_never_finished_is_not_a_clean_answer(tmp_path: Path) -> None:
    """A scan killed mid-way leaves a ``running`` run with the assets it reached: the report says so, exits 3."""
    catalog_url = f"sqlite:///{tmp_path / 'c.db'}"
    with Catalog(catalog_url) as catalog:
        catalog.migrate()
        run_id = catalog.start_run(dt.date(2026, 3, 15), ["files"], "cli")
        catalog.record_result(run_id, AssetResult(AssetRef("files", AssetKind.FILE, ("/srv", "stock.csv")), (),
                                                  ChildStatus.NONE, 3, AgeCounts()))
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["report", "--catalog", catalog_url, "-f", "json", "-o", str(out)])
    assert res.exit_code == 3, res.output
    assert "is running" in res.output and "not scanned, not clean" in res.output
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["run_status"] == "running"


def test_incremental_scan_reads_a_damaged_file_again_instead_of_reusing_its_verdict(tmp_path: Path) -> None:
    """Unchanged since the last run, but never read whole: an incremental scan reads it again."""
    folder = tmp_path / "share"
    folder.mkdir()
    blob = gzip.compress(("item,qty\n" + "".join(f"pencil-{i},{i % 7}\n" for i in range(4000))).encode())
    (folder / "export.csv.gz").write_bytes(blob[: len(blob) // 3])
    (folder / "stock.csv").write_text("item,qty\npencil,3\n", encoding="utf-8")
    settings = parse_settings({"connectors": {"files": {"type": "fs", "path": str(folder)}},
                               "executor": {"type": "local"}})
    with Catalog(f"sqlite:///{tmp_path / 'c.db'}") as catalog:
        catalog.migrate()
        run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog)
        again = run_scan(settings, as_of=dt.date(2026, 3, 15), catalog=catalog, incremental=True)
        status = catalog.run_status(again.run.run_id)
    assert list(again.skipped) == [f"files:{folder}/stock.csv"]  # the clean, whole file is reused
    (export,) = [r for r in again.run.results if r.asset.path[-1] == "export.csv.gz"]
    assert export.coverage is not None and export.coverage.limits == (("damaged", 1),)
    assert export.child_status.value == "unknown" and status == "partial"
    metrics = Metrics()  # the damage is a bounded metric label, like every coverage limit
    metrics.observe_scan(again.run, "on-demand")
    assert metrics.value("pi_scanner_coverage_limit_assets_total", {"connector": "files", "limit": "damaged"}) == 1
