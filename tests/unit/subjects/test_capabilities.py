"""Subject requests ask the connector for delete and subject_lookup: without them they say why, never a silent gap."""

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


def test_a_lookup_on_a_connector_without_subject_lookup_says_so_in_the_unreachable_list(tmp_path: Path) -> None:
    pytest.importorskip("pi_scanner_example", reason="install it with: pip install -e connectors/example")
    from pi_scanner.models import AssetKind, AssetRef
    from pi_scanner.subjects.index import IndexedAsset, IndexEntry
    from pi_scanner.subjects.requests import _Request

    (tmp_path / "tables.json").write_text('{"pupils": []}', encoding="utf-8")
    request: Any = _Request.__new__(_Request)  # only the live lookup is exercised
    request.settings = parse_settings(
        {"connectors": {"fixtures": {"type": "example", "path": str(tmp_path / "tables.json")}}}
    )
    request.connectors = {}
    asset = IndexedAsset("k", AssetRef("fixtures", AssetKind.FILE, ("tables.json", "pupils")), ("sfzh",), ())
    entry = IndexEntry("fp", "resident_id", asset, '["pupils", 0]', "h1", "sfzh", "subject", "child")
    found, down = request.live({"h1": [entry]}, matcher=None)
    assert found == {}  # an answer it could not compute is not reported as "gone"
    assert down == [
        "fixtures:tables.json/pupils: connector 'fixtures' (type example): cannot look up a subject's records"
    ]
