"""Where ad-hoc runs keep their catalog and HMAC key: the user's state directory, not the working folder.

``pi-scanner scan sqlite:///school.db`` without ``--config`` used to leave ``pi-scanner-catalog.db`` and
its key in whatever folder it ran from. Ad-hoc runs now share one catalog under
``$XDG_STATE_HOME/pi-scanner`` (``~/.local/state/pi-scanner`` when unset), created with mode 0700 and
announced once on stderr; ``--catalog URL`` chooses another, and a ``--config`` file keeps its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pi_scanner.errors import ConfigError

#: The ad-hoc catalog's file name inside the state directory (its key sits beside it).
CATALOG_FILE = "catalog.db"


def state_dir() -> Path:
    """The pi-scanner state directory of this user (not created)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "pi-scanner"


def adhoc_catalog_url() -> str:
    """The SQLite URL of the ad-hoc catalog, creating its directory (0700) and saying where, once.

    Raises:
        ConfigError: The state directory cannot be created.
    """
    folder = state_dir()
    if not folder.is_dir():
        try:
            folder.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise ConfigError(
                f"cannot create the state directory {folder} ({exc.strerror}); pass --catalog URL"
            ) from None
        print(
            f"pi-scanner: keeping the ad-hoc catalog and its HMAC key in {folder} "
            "(--catalog URL or a --config file to choose another)",
            file=sys.stderr,
        )
    return f"sqlite:///{folder / CATALOG_FILE}"
