"""A generated, varied corpus of cells for engine-equivalence tests (identifiers, dates, notes, negatives)."""

from __future__ import annotations

import json
import random
from pathlib import Path

VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))

_GLUE = ["", " ", "，", "-", "(", ")", "：", "\n", "x", "订单号", "身份证", "手机", "卡号", "出生证", "台胞证", "@"]
_EXTRA = [
    "订单号110105201503041239",
    "身份证:110105201503041239，手机13800138000",
    "A123456(3)B123456(7)",
    "A123456(3)CA182361(1)",
    "x@y.com,a@b.cn",
    "出生证 X320101001",
    "台胞证 12345678",
    "卡号 6212340000000002",
    "138****8000 and 11010520150304****",
    "+86 138 0013 8000 / 010-62345678 转 8001",
    "学生王小明，2015年3月4日出生，三年级二班，家长电话13912345678",
    "１１０１０５２０１５０３０４１２３９",
    "1101052015\u200b03041239",
    "G110105201503041239 L440305201509097342",
    "6212 3400 0000 0001",
    "E12345678 H1234567801 CA1234567 MA1234567",
    "澳门身份证 1234567(8)",
    "",
    "   ",
]


def vector_values() -> list[str]:
    """Every value/input string of the test-vector file."""
    out = []
    for lst in VECTORS.values():
        if isinstance(lst, list):
            for item in lst:
                out.append(item.get("value") or item.get("input"))
    return out


def corpus(n: int = 1500, seed: int = 7) -> list[str]:
    """Vectors, hand-picked traps, and random concatenations of both (deterministic)."""
    base = vector_values() + _EXTRA
    rnd = random.Random(seed)
    out = list(base)
    for _ in range(n):
        parts = rnd.sample(base, rnd.choice((2, 3)))
        out.append(rnd.choice(_GLUE).join(parts))
    return out
