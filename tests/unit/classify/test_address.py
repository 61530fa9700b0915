"""AddressRecognizer: personal detail below district level; regions and fragments marked as such."""

from __future__ import annotations

import datetime as dt

import pytest
from recognizer_harness import find

from pi_scanner.classify.recognizers.address import AddressRecognizer

REC = AddressRecognizer(dt.date(2026, 3, 15))


@pytest.mark.parametrize(
    ("text", "matched", "kind", "room"),
    [
        ("广东省深圳市南山区科技园路88号3栋2单元501室", "广东省深圳市南山区科技园路88号3栋2单元501室", "full", True),
        ("北京市朝阳区建国路1号", "北京市朝阳区建国路1号", "full", False),
        (
            "我住在北京市朝阳区建国路1号院2号楼3单元401室",
            "北京市朝阳区建国路1号院2号楼3单元401室",
            "full",
            True,
        ),
        ("中关村大街27号", "中关村大街27号", "street", False),
        ("阳光小区3栋2单元501室", "阳光小区3栋2单元501室", "estate_unit", True),
        ("3栋2单元501室", "3栋2单元501室", "fragment", False),
        ("湖南省长沙市岳麓区李家村3组12号", "湖南省长沙市岳麓区李家村3组12号", "rural", False),
        ("浙江省杭州市西湖区", "浙江省杭州市西湖区", "region", False),
    ],
)
def test_addresses(text: str, matched: str, kind: str, room: bool) -> None:
    found = find(REC, text)
    assert [m for m, _ in found] == [matched]
    facts = found[0][1]
    assert facts.kind == kind
    assert (facts.score == REC.ROOM_SCORE) is room


def test_fragment_and_region_score_below_personal_addresses() -> None:
    ((_, fragment),) = find(REC, "3栋2单元501室")
    ((_, region),) = find(REC, "浙江省杭州市西湖区")
    fragment_score = fragment.score or dict((p.name, p.score) for p in REC.PATTERNS)["unit"]
    region_score = region.score or dict((p.name, p.score) for p in REC.PATTERNS)["region"]
    assert region_score < fragment_score < REC.ROOM_SCORE


@pytest.mark.parametrize(
    "text", ["王府井大街", "地铁1号线", "三年级二班", "3年2班", "1号", "501室", "北京", "人民路", "10.138.0.138"]
)
def test_no_address(text: str) -> None:
    assert find(REC, text) == []
