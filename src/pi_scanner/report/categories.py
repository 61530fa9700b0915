"""Report columns grouped by PI category (spec §A9), shared by the Markdown and HTML renderers."""

from __future__ import annotations

from typing import Any

from pi_scanner.classify.entities import CATEGORIES, CATEGORY_TITLES, finding_category


def column_category(column: dict[str, Any]) -> str:
    """The category of a report column (reports written before categories existed: from its types)."""
    category = column.get("category")
    return category if isinstance(category, str) and category else finding_category(column["entity_types"])


def columns_by_category(report: dict[str, Any]) -> list[tuple[str, str, list[tuple[dict[str, Any], dict[str, Any]]]]]:
    """``(category, title, [(asset, column), ...])`` for every category that has columns, in §A9 order.

    Children's assets come first within a category, then by asset path and column name.
    """
    groups: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for asset in report["assets"]:
        for column in asset["columns"]:
            groups.setdefault(column_category(column), []).append((asset, column))
    order = [c for c in CATEGORIES if c in groups] + sorted(set(groups) - set(CATEGORIES))
    out = []
    for category in order:
        members = sorted(
            groups[category],
            key=lambda ac: (ac[0]["child_status"] not in ("child", "likely_child"), ac[0]["path"], ac[1]["name"]),
        )
        out.append((category, CATEGORY_TITLES.get(category, category), members))
    return out
