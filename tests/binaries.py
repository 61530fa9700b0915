"""Command-line programs the tests drive (chromium, promtool, prometheus): found, or a clear skip or failure.

Under ``PI_SCANNER_REQUIRE_SERVICES=1`` (CI) a missing program fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_binary(*names: str, install: str) -> str:
    """The path of the first of ``names`` on PATH.

    Args:
        names: Program names to look for, in order of preference.
        install: How to install it, for the message.
    """
    for name in names:
        found = shutil.which(name)
        if found is not None:
            return found
    message = f"{names[0]} is required: {install}"
    if os.environ.get("PI_SCANNER_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} (PI_SCANNER_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def chromium() -> str:
    """Debian's headless Chromium (renders the HTML reports in tests)."""
    return require_binary("chromium", "chromium-browser", install="apt-get install -y chromium")
