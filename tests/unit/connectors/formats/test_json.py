"""JSON and JSON Lines: flattening, arrays of records, depth limits, damaged input."""

from __future__ import annotations

import json

import pytest

from pi_scanner.connectors.formats import FormatError, ReadLimits, open_records

RECORDS = [
    {"name": "张三", "guardian": {"phone": "13912345678", "relation": "母亲"}, "tags": ["a", "b"]},
    {"name": "李四", "guardian": {"phone": "13812345678"}, "dob": "2015-03-07"},
]


def test_array_of_records_flattened_to_paths() -> None:
    p = open_records(json.dumps(RECORDS, ensure_ascii=False).encode(), "students.json")
    assert p.format == "json"
    names = [c.name for c in p.columns]
    assert names[:3] == ["name", "guardian.phone", "guardian.relation"]
    assert "tags[0]" in names and "dob" in names
    rows = [dict(zip(names, r, strict=True)) for r in p.rows]
    assert rows[1]["guardian.phone"] == "13812345678"
    assert rows[1]["guardian.relation"] is None


def test_records_under_a_data_key() -> None:
    doc = {"total": 2, "data": RECORDS}
    p = open_records(json.dumps(doc).encode(), "api.json")
    assert len(p.rows) == 2 and "guardian.phone" in [c.name for c in p.columns]


def test_single_object_is_one_row() -> None:
    p = open_records(b'{"student": {"id_card": "110105201503071239"}}', "one.json")
    assert [c.name for c in p.columns] == ["student.id_card"] and len(p.rows) == 1


def test_jsonl_sniffed_and_bad_lines_counted() -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS] + ["{not json", json.dumps({"x": 1})]
    p = open_records("\n".join(lines).encode(), "events.log")
    assert p.format == "jsonl" and len(p.rows) == 3
    assert any("1 line(s) not valid JSON" in e for e in p.errors)


def test_nested_10000_deep_is_refused_not_recursion_error() -> None:
    deep = "[" * 10_000 + "]" * 10_000
    with pytest.raises(FormatError, match="nested too deeply"):
        open_records(deep.encode(), "deep.json")
    deep_obj = '{"a":' * 10_000 + "1" + "}" * 10_000
    with pytest.raises(FormatError):
        open_records(deep_obj.encode(), "deep.json")


def test_nested_10000_deep_jsonl_line_skipped() -> None:
    deep = '{"a":' * 10_000 + "1" + "}" * 10_000
    p = open_records((deep + "\n" + '{"ok": 1}\n').encode(), "x.jsonl")
    assert p.rows == [(1,)]


def test_depth_limit_drops_deep_keys() -> None:
    doc = {"a": {"b": {"c": {"d": 1}}}, "top": 2}
    p = open_records(json.dumps(doc).encode(), "x.json", ReadLimits(max_depth=2))
    assert [c.name for c in p.columns] == ["top"]
    assert any("deeper than 2" in e for e in p.errors)


def test_head_of_big_array_is_read_element_by_element() -> None:
    body = json.dumps([{"id": i, "phone": f"139{i:08d}"} for i in range(10_000)]).encode()
    p = open_records(body, "big.json", ReadLimits(max_bytes=2000))
    assert p.truncated and 10 < len(p.rows) < 100
    assert all(len(r[1]) == 11 for r in p.rows)


def test_truncated_json_object_is_format_error_without_content() -> None:
    with pytest.raises(FormatError) as info:
        open_records(b'{"id_card": "110105201503071239", "x": ', "cut.json")
    assert "110105" not in str(info.value)


def test_scalars_array() -> None:
    p = open_records(b'["13912345678", "13812345678"]', "x.json")
    assert [c.name for c in p.columns] == ["value"] and len(p.rows) == 2
