"""Exit codes say which: 0 none found, 1 found, 2 usage, 3 an error anywhere (outranks 1); a crash is never 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pi_scanner import cli
from pi_scanner.cli.options import EXIT_FOUND, EXIT_OK, EXIT_RUNTIME
from pi_scanner.cli.scan import FailOn, _exit_code_for


def _report(statuses: list[str], *, asset_errors: int = 0, store_errors: int = 0,
            failed: list[str] | None = None) -> dict[str, Any]:
    return {
        "summary": {"assets_with_errors": asset_errors, "failed_connectors": failed or [],
                    "store_errors": [{"stage": "discover", "type": "X", "message": "m"}] * store_errors},
        "assets": [{"child_status": s, "columns": []} for s in statuses],
    }


@pytest.mark.parametrize(("report", "code"), [
    (_report(["none", "adult"]), EXIT_OK),
    (_report(["child", "none"]), EXIT_FOUND),
    (_report(["child"], asset_errors=1), EXIT_RUNTIME),
    (_report(["none"], asset_errors=1), EXIT_RUNTIME),
    (_report(["child"], store_errors=1), EXIT_RUNTIME),
    (_report(["child"], failed=["db"]), EXIT_RUNTIME),
    # A limit that was hit makes an asset unknown (coverage), which is neither found nor an error.
    (_report(["unknown"]), EXIT_OK),
])
def test_exit_code_for(report: dict[str, Any], code: int) -> None:
    assert _exit_code_for(report, FailOn.child) == code


def test_fail_on_never_still_reports_errors() -> None:
    assert _exit_code_for(_report(["child"]), FailOn.never) == EXIT_OK
    assert _exit_code_for(_report(["child"], asset_errors=1), FailOn.never) == EXIT_RUNTIME


def test_a_crash_is_exit_3_not_1(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    secret = "110105201501011234"

    def boom() -> None:
        raise RuntimeError(f"value {secret} in a message")

    monkeypatch.setattr(cli, "app", boom)
    with pytest.raises(SystemExit) as info:
        cli.main()
    assert info.value.code == EXIT_RUNTIME
    err = capsys.readouterr().err
    assert "RuntimeError" in err and secret not in err


def test_a_crash_in_a_real_process_exits_3(tmp_path: Path) -> None:
    """The console entry point, in its own interpreter: an unexpected exception is 3, never Python's 1."""
    script = tmp_path / "crash.py"
    script.write_text(
        "from pi_scanner import cli\n"
        "def boom():\n    raise KeyError('x')\n"
        "cli.app = boom\ncli.main()\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == EXIT_RUNTIME, proc.stderr
