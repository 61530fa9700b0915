"""Path globs shared by the file and object connectors.

``*`` and ``?`` stay within one path segment, ``**`` crosses segments (``**/`` also matches no folder at
all) and a pattern without ``/`` matches the last segment anywhere, like ``.gitignore``: ``*.csv``
selects ``a.csv`` and ``exports/2024/b.csv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\").replace("[", "\\[")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def glob_match(path: str, pattern: str) -> bool:
    """True when ``path`` (``/``-separated, relative) matches ``pattern``."""
    if "/" not in pattern and pattern != "**":
        return bool(_compile(pattern).match(path.rsplit("/", 1)[-1]))
    return bool(_compile(pattern).match(path))


def selected(path: str, include: Iterable[str], exclude: Iterable[str]) -> bool:
    """True when ``path`` matches some include glob and no exclude glob."""
    return any(glob_match(path, p) for p in include) and not any(glob_match(path, p) for p in exclude)
