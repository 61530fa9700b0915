"""The reference date (``--as-of``) every command takes: explicit, or today in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from pi_scanner.errors import UsageError

#: Ages are computed on the calendar of Asia/Shanghai (the Provisions' jurisdiction).
SHANGHAI = ZoneInfo("Asia/Shanghai")


def today_shanghai() -> dt.date:
    """Today's calendar date in Asia/Shanghai (the default reference date)."""
    return dt.datetime.now(SHANGHAI).date()


def parse_as_of(value: str | None) -> dt.date:
    """Parse ``--as-of YYYY-MM-DD``; None means today in Asia/Shanghai.

    Raises:
        UsageError: The value is not an ISO date (exit code 2).
    """
    if value is None:
        return today_shanghai()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of must be YYYY-MM-DD, got {value!r}") from None
