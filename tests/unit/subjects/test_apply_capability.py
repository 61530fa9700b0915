"""A subject plan item on a connector that cannot delete fails with why, not as a store to retry forever."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pi_scanner.config import parse_settings
from pi_scanner.errors import CapabilityError
from pi_scanner.subjects.apply import _Applier


def test_an_object_item_on_a_connector_without_delete_is_refused_by_capability(tmp_path: Path) -> None:
    pytest.importorskip("pi_scanner_example", reason="install it with: pip install -e connectors/example")
    (tmp_path / "tables.json").write_text('{"pupils": []}', encoding="utf-8")
    applier: Any = _Applier.__new__(_Applier)  # only the connector plumbing is exercised
    applier.settings = parse_settings(
        {"connectors": {"fixtures": {"type": "example", "path": str(tmp_path / "tables.json")}}}
    )
    applier.connectors = {}
    item = {"connector": "fixtures", "path": ["tables.json", "pupils"], "kind": "file", "asset": "fixtures/pupils"}
    with pytest.raises(CapabilityError, match=r"connector 'fixtures' \(type example\): cannot delete what a plan"):
        applier.object_item(item, matcher=None)
    assert (tmp_path / "tables.json").read_text(encoding="utf-8") == '{"pupils": []}'  # nothing rewritten
