"""Key-pattern grouping: many objects of one shape become one asset.

Data lakes write ``logs/2024-01-05/part-0001.json`` and thousands of siblings. Scanning each would cost
thousands of requests for the same columns, and report thousands of identical findings. Keys that
differ only in their digit runs share a *shape*; a group's pattern keeps each digit run's common prefix
and stars the varying rest: ``logs/2024-01-0*/part-00*.json``. The pattern is a glob that matches every
member (and uses only ``*`` within a segment, because digit runs never contain ``/``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_DIGITS = re.compile(r"\d+")
_GLOB_SPECIAL = re.compile(r"([*?\[])")


@dataclass
class KeyGroup:
    """Objects sharing one key shape.

    Attributes:
        pattern: Glob matching every member; the member key itself for a group of one.
        keys: Member keys in listing order.
    """

    pattern: str
    keys: list[str] = field(default_factory=list)


def _escape(literal: str) -> str:
    return _GLOB_SPECIAL.sub(r"[\1]", literal)


def shape_of(key: str) -> str:
    """The key with each digit run replaced by one placeholder."""
    return _DIGITS.sub("\0", key)


def _common_prefix(values: set[str]) -> str:
    lo, hi = min(values), max(values)
    n = 0
    while n < min(len(lo), len(hi)) and lo[n] == hi[n]:
        n += 1
    return lo[:n]


def _pattern(shape: str, members: list[str]) -> str:
    if len(members) == 1:
        return _escape(members[0])
    literals = shape.split("\0")
    runs = [_DIGITS.findall(k) for k in members]
    out = [_escape(literals[0])]
    for j, literal in enumerate(literals[1:]):
        values = {r[j] for r in runs}
        if len(values) == 1:
            out.append(values.pop())
        else:
            out.append(_common_prefix(values) + "*")
        out.append(_escape(literal))
    return "".join(out)


def group_keys(keys: Iterable[str]) -> list[KeyGroup]:
    """Group keys by shape, in order of each shape's first key.

    Examples:
        >>> [g.pattern for g in group_keys(["a/1.csv", "a/2.csv", "b.json"])]
        ['a/*.csv', 'b.json']
    """
    by_shape: dict[str, list[str]] = {}
    for key in keys:
        by_shape.setdefault(shape_of(key), []).append(key)
    return [KeyGroup(_pattern(shape, members), members) for shape, members in by_shape.items()]


def single_group(key: str) -> KeyGroup:
    """A group of one key, its pattern the escaped key."""
    return KeyGroup(_escape(key), [key])


def spread(items: list[str], k: int) -> list[str]:
    """Pick ``k`` items evenly spread over ``items`` (first and last included)."""
    if len(items) <= k:
        return list(items)
    if k == 1:
        return [items[0]]
    return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]
