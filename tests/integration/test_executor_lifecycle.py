"""No process outlives ``pi-scanner scan``: the pool ends on a normal exit and on Ctrl-C (SIGINT).

Every process the CLI starts (the fork server, the pool's workers) inherits a unique environment
variable; after the CLI has exited, no process on the machine may still carry it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
TOKEN_VAR = "PI_SCANNER_TEST_LIFECYCLE_TOKEN"


def _school(path: Path, tables: int, rows: int) -> str:
    conn = sqlite3.connect(path)
    for t in range(tables):
        conn.execute(f"CREATE TABLE students_{t} (id INTEGER PRIMARY KEY, xm TEXT, sfzh TEXT, jhr_dh TEXT)")
        conn.executemany(f"INSERT INTO students_{t} VALUES (?, ?, ?, ?)",
                         [(i, "张小明", "110105201503071239", f"1391234{i % 10_000:04d}") for i in range(rows)])
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


def _carrying(token: str) -> list[int]:
    """Pids of live processes whose environment holds the token (zombies have none)."""
    found = []
    needle = f"{TOKEN_VAR}={token}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def _start(tmp_path: Path, url: str, token: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pi_scanner", "scan", url, "--executor", "process", "--fail-on", "never",
         "--catalog", f"sqlite:///{tmp_path / 'cat.db'}", "--format", "json", "--output", str(tmp_path / "r.json")],
        env={**os.environ, TOKEN_VAR: token}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _none_left(token: str, within_s: float = 5) -> list[int]:
    deadline = time.monotonic() + within_s
    while (left := _carrying(token)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_no_process_outlives_a_scan_on_the_pool(tmp_path: Path) -> None:
    token = uuid.uuid4().hex
    proc = _start(tmp_path, _school(tmp_path / "s.db", 6, 50), token)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert _none_left(token) == []


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_ctrl_c_mid_scan_stops_the_pool_and_leaves_no_process(tmp_path: Path) -> None:
    token = uuid.uuid4().hex
    proc = _start(tmp_path, _school(tmp_path / "s.db", 300, 2_000), token)
    try:
        deadline = time.monotonic() + 120
        # The CLI, the fork server and two workers: the pool is running.
        while len(_carrying(token)) < 4 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the scan ended before it could be interrupted"
        time.sleep(0.5)
        # As a terminal's Ctrl-C would: every process of the foreground group gets SIGINT.
        for pid in _carrying(token):
            os.kill(pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    assert _none_left(token) == []
