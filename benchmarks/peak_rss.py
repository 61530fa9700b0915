"""Peak resident memory of this process, as the memory benchmarks report it."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_kb() -> int:
    """This process's peak RSS in kB: ``VmHWM`` from ``/proc/self/status``.

    ``VmHWM`` starts anew at ``exec``. ``getrusage(RUSAGE_SELF).ru_maxrss`` does not: Linux keeps the peak of
    the process a benchmark child was forked from (a parent that had loaded 400 MB of rows made a child that
    used 8.8 MB report 410 MB). ``ru_maxrss`` is the fallback where ``/proc`` is missing, and is an upper bound.
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def peak_rss_mb() -> float:
    """``peak_rss_kb`` in MB."""
    return peak_rss_kb() / 1024
