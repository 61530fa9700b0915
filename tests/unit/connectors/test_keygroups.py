"""Key-pattern grouping."""

from __future__ import annotations

from pi_scanner.connectors.globs import glob_match
from pi_scanner.connectors.keygroups import group_keys, spread


def test_date_partitions_group_into_one_pattern() -> None:
    keys = [f"logs/2024-01-0{d}/part-{p:04d}.json" for d in range(1, 10) for p in range(1, 1200, 7)]
    keys += ["exports/students.csv", "exports/2023.csv", "exports/2024.csv", "logs/2024-01-01/_SUCCESS"]
    groups = {g.pattern: g.keys for g in group_keys(keys)}
    assert set(groups) == {"logs/2024-01-0*/part-*.json", "exports/students.csv", "exports/202*.csv",
                           "logs/2024-01-01/_SUCCESS"}
    for pattern, members in groups.items():
        assert all(glob_match(k, pattern) for k in members)
    assert sum(len(m) for m in groups.values()) == len(keys)


def test_different_names_or_extensions_do_not_group() -> None:
    groups = group_keys(["a/1.csv", "a/2.json", "b/1.csv", "a/x1.csv"])
    assert len(groups) == 4


def test_glob_characters_in_keys_are_escaped() -> None:
    (g,) = group_keys(["weird[1]*.csv"])
    assert g.pattern == "weird[[]1][*].csv" and glob_match("weird[1]*.csv", g.pattern)
    assert not glob_match("weird[1]x.csv", g.pattern)


def test_spread() -> None:
    items = [str(i) for i in range(10)]
    assert spread(items, 3) == ["0", "4", "9"] or spread(items, 3) == ["0", "5", "9"]
    assert spread(items, 1) == ["0"] and spread(items[:2], 5) == ["0", "1"]
