"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.daemon_proc import DaemonProc


@pytest.fixture
def procs() -> Iterator[list[DaemonProc]]:
    """Daemon processes a test starts; each is killed at teardown, whatever happened."""
    started: list[DaemonProc] = []
    yield started
    for p in started:
        p.kill()
