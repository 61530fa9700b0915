"""Chinese postal addresses (entity ``CN_ADDRESS``): province → city → district → street → 号 → 栋/单元/室.

An address is personal only with detail below the district: a house number (``88号``), a unit or a room
(``3栋2单元501室``), or a rural group (``李家村3组``). ``北京市朝阳区`` alone is a region, reported with a low
score and ``kind="region"``; a bare ``3栋2单元501室`` is an address *fragment* (never a school class).
Each pattern is anchored on a literal (路/街 + 号, 栋/单元 + 室, 省/市 + 区) so ordinary prose rarely matches.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pi_scanner.classify.recognizers.base import Facts, PatternDef, Recognizer

#: Characters of place names; function words end a name so ``我住在XX路1号`` yields ``XX路1号``.
_PLACE = r"(?:(?![在是去到的了我你他她住址为])[\u4e00-\u9fff0-9])"
#: A place name starts with a CJK character (starting on digits made the lazy scan slow on digit runs).
_START = r"(?:(?![在是去到的了我你他她住址为])[\u4e00-\u9fff])"
_ROAD = r"(?:大道|大街|胡同|路|街|巷|弄|道)"
_UNIT = r"(?:\d{1,4}(?:号楼|栋|幢|座)(?:\d{1,3}单元)?|\d{1,3}单元)"
_ESTATE = r"(?:小区|花园|公寓|家园|新村|苑|大厦|广场|社区|村|里)"

_ADMIN_RX = re.compile(r"(?:省|自治区|特别行政区|市|州|盟|地区|区|县|旗)")
_ROOM_RX = re.compile(r"\d{1,5}室")


class AddressRecognizer(Recognizer):
    """Street addresses with house numbers, estate units and rooms, rural groups, and bare regions."""

    ENTITY: ClassVar[str] = "CN_ADDRESS"
    #: Literals of which every match contains at least one (on NFKC text). An engine may skip this
    #: recognizer for a text holding none of them: ``str.__contains__`` is far cheaper than a regex scan.
    #: House number, room, rural group, or a province for bare regions.
    ANCHORS: ClassVar[tuple[str, ...]] = ("号", "室", "组", "省", "自治区")
    PATTERNS: ClassVar[tuple[PatternDef, ...]] = (
        PatternDef(
            "street",
            rf"{_START}{_PLACE}{{1,29}}?{_ROAD}(?<![0-9])\d{{1,5}}(?:-\d{{1,4}})?号(?:院|楼)?(?:{_UNIT})?(?:\d{{1,5}}室)?",
            0.7,
        ),
        PatternDef(
            "unit",
            rf"(?:{_START}{_PLACE}{{1,19}}?{_ESTATE})?(?<![0-9号院楼栋幢座]){_UNIT}\d{{1,5}}室",
            0.5,
        ),
        PatternDef("rural", rf"{_START}{_PLACE}{{1,19}}?村\d{{1,3}}组(?:\d{{1,4}}号)?", 0.6),
        PatternDef(
            "region",
            r"[\u4e00-\u9fff]{2,8}?(?:省|自治区)[\u4e00-\u9fff]{1,8}?(?:市|州|盟|地区)(?:[\u4e00-\u9fff]{1,8}?(?:区|县|旗|市))?"
            # A region followed by street, village or unit detail is part of the longer address.
            rf"(?!{_PLACE}{{0,30}}?\d)",
            0.2,
        ),
    )
    CONTEXT: ClassVar[tuple[str, ...]] = (
        "地址", "住址", "家庭住址", "现住址", "户籍", "jtzz", "xzz", "hkszd", "address", "addr",
    )  # fmt: skip

    #: Score of an address that goes down to the room.
    ROOM_SCORE: ClassVar[float] = 0.85

    def validate(self, text: str, pattern: PatternDef) -> Facts | None:
        """Classify the address by its finest level; rooms and house numbers make it personal."""
        if pattern.name == "region":
            return Facts(kind="region")
        if pattern.name == "unit" and not re.search(_ESTATE, text.split("栋")[0].split("单元")[0]):
            return Facts(kind="fragment")
        has_admin = _ADMIN_RX.search(text) is not None
        kind = "full" if has_admin else "street"
        if pattern.name == "unit":
            kind = "estate_unit"
        elif pattern.name == "rural":
            kind = "rural"
        return Facts(kind=kind, score=self.ROOM_SCORE if _ROOM_RX.search(text) else None)
