"""The example plugin, installed as its own distribution, is found and scanned through the entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pi_scanner.registry import load_connector_class, plugin_statuses


def test_plugin_is_registered_through_the_entry_point() -> None:
    statuses = {s.type_name: s for s in plugin_statuses()}
    assert "example" in statuses, "install it with: pip install -e connectors/example"
    assert statuses["example"].error == ""
    assert load_connector_class("example").__name__ == "JsonTablesConnector"
    listed = subprocess.run([sys.executable, "-m", "pi_scanner", "plugins"], capture_output=True, text=True,
                            timeout=120)
    assert listed.returncode == 0, listed.stderr
    (line,) = [ln for ln in listed.stdout.splitlines() if ln.startswith("example ")]
    assert line.endswith("ok (census,sampling)")


def test_scan_through_the_plugin_finds_children(tmp_path: Path) -> None:
    doc = {
        "pupils": [
            {"student_name": "王小明", "sfzh": "110105201503041239", "guardian_mobile": "13800138000"},
            {"student_name": "李梓涵", "sfzh": "310115201602290484", "guardian_mobile": "13912345678"},
        ],
        "products": [{"sku": "A-100", "price": 12}],
    }
    (tmp_path / "tables.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text(
        f"connectors:\n  fixtures:\n    type: example\n    path: {tmp_path / 'tables.json'}\n"
        f"catalog:\n  url: sqlite:///{tmp_path / 'cat.db'}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pi_scanner", "scan", "--config", str(tmp_path / "cfg.yaml"),
         "--as-of", "2026-03-15", "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    status = {tuple(a["path"]): a["child_status"] for a in report["assets"]}
    assert status[("pupils",)] == "child"
    assert status[("products",)] == "none"
    assert "110105201503041239" not in proc.stdout + proc.stderr


def test_invalid_plugin_config_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "cfg.yaml").write_text("connectors:\n  f:\n    type: example\n    nope: 1\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "pi_scanner", "config", "check", str(tmp_path / "cfg.yaml")],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2
    assert "connectors.f" in proc.stderr


def test_the_core_runs_the_census_through_the_plugins_declared_capability(tmp_path: Path) -> None:
    from pi_scanner.connectors.base import Capability

    cls = load_connector_class("example")
    assert cls.supports(Capability.CENSUS) and not cls.supports(Capability.DELETE)
    pupils = [
        {"sfzh": "110105201503041239"},  # 11 on the reference date
        {"sfzh": "310115201602290484"},  # 10
        {"sfzh": "44030420170712001X"},  # 8
        {"sfzh": "110105199001010029"},  # an adult
    ]
    (tmp_path / "tables.json").write_text(json.dumps({"pupils": pupils}), encoding="utf-8")
    # One row sampled: only the census, run through the plugin's iter_batches, can count all four.
    (tmp_path / "cfg.yaml").write_text(
        f"connectors:\n  fixtures:\n    type: example\n    path: {tmp_path / 'tables.json'}\n    sample_rows: 1\n"
        f"catalog:\n  url: sqlite:///{tmp_path / 'cat.db'}\nscan:\n  census: true\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pi_scanner", "scan", "--config", str(tmp_path / "cfg.yaml"),
         "--as-of", "2026-03-15", "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    (asset,) = report["assets"]
    assert asset["errors"] == [] and report["summary"]["store_errors"] == []
    assert "census" in asset["notes"]
    assert (asset["rows_scanned"], asset["child_rows"]) == (4, 3)
    assert "110105201503041239" not in proc.stdout + proc.stderr
