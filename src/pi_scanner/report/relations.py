"""How a report names what kind of relation an asset is (table, view of ..., foreign table)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def kind_label(asset: Mapping[str, Any]) -> str:
    """The Kind cell of a report row: ``table``, or ``view of public.students`` for views that say so."""
    kind = str(asset.get("relation") or asset["kind"]).replace("_", " ")
    bases = asset.get("base_tables") or []
    return f"{kind} of {', '.join(bases)}" if bases else kind
