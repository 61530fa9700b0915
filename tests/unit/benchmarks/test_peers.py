"""The peer classifiers scored beside pi-scanner behave as their published rules say, failures included."""

from __future__ import annotations

import pytest
from benchmarks.corpus.synth import Rows
from benchmarks.peers import PEERS, peer_report, piicatcher_names


@pytest.mark.parametrize(("column", "category"), [
    ("first_name", "basic_profile"),
    ("ethnicity", "basic_profile"),  # contains "city": piicatcher's substring rule misfires, as documented
    ("gibbonPersonID", None),
    ("username", "basic_profile"),  # "name" is tested first
    ("user_id", "online_identity"),
    ("bypass_flag", "credential"),  # "pass" anywhere
    ("XM", None),  # pinyin initials: invisible to it
    ("身份证号", None),
])
def test_piicatcher_names(column: str, category: str | None) -> None:
    assert piicatcher_names(column, []) == category


def _report(peer: str, columns: list[str], values: list[dict[str, object]]) -> dict[str, str]:
    rows = Rows()
    for row in values:
        rows.add("t", row)
    report = peer_report(peer, [{"name": "t", "columns": [{"name": c} for c in columns]}], rows)
    (asset,) = report["assets"]
    assert asset["child_status"] == "unknown" and "links" not in report
    return {c["name"]: c["category"] for c in asset["columns"]}


def test_pdscan_exact_names_and_values() -> None:
    found = _report("pdscan", ["last_name", "phone1", "lat", "lng", "contact", "note"],
                    [{"contact": "kid@example.com", "note": "ok", "phone1": "13912345678"}])
    # exact names only: "phone1" is missed by name, and a bare Chinese mobile matches no value rule
    assert found == {"last_name": "basic_profile", "lat": "location", "lng": "location", "contact": "basic_profile"}


def test_every_peer_is_scored() -> None:
    assert set(PEERS) == {"piicatcher_names", "pdscan"}
