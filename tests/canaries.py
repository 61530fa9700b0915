"""Unique, valid-looking personal identifiers generated per test run (canaries).

Every value is syntactically valid (resident ID checksum, a real mobile prefix, a common surname) so the
classifier treats it as PI, and carries a random part so that finding it anywhere in pi-scanner's own output
proves a leak rather than a coincidence.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_REGIONS = ("110105", "310104", "440305", "510107", "330106", "320102")
_SURNAMES = "王李张刘陈杨黄赵周吴"
_GIVEN = "子涵浩然欣怡梓萱宇轩一诺思远雨桐俊杰可馨佳琪"


def resident_id(birth: dt.date, rng: random.Random) -> str:
    """A resident ID with a valid MOD 11-2 check character."""
    body = f"{rng.choice(_REGIONS)}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    check = _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]
    return body + check


@dataclass(frozen=True)
class Canary:
    """One child's identifiers; every field is unique to this run."""

    resident_id: str
    phone: str
    name: str
    email: str
    birth: dt.date

    def values(self) -> tuple[str, ...]:
        """Strings that must never appear in anything pi-scanner writes (plus distinctive pieces of them)."""
        rid = self.resident_id
        # The middle of the ID (region+birth date+sequence without the masked edges) and the bare phone
        # number are what a partial leak would show.
        return (rid, rid[:-1], self.phone, self.phone[3:], self.name, self.email, self.email.split("@")[0])


def make_canaries(n: int, as_of: dt.date = dt.date(2026, 3, 15), seed: int | None = None) -> list[Canary]:
    """``n`` children aged 6–12 on ``as_of`` with unique identifiers."""
    rng = random.Random(seed if seed is not None else secrets.randbits(64))
    out: list[Canary] = []
    seen: set[str] = set()
    while len(out) < n:
        birth = as_of - dt.timedelta(days=rng.randrange(6 * 366, 12 * 365))
        rid = resident_id(birth, rng)
        phone = f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}"
        name = rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, 2))
        tag = secrets.token_hex(4)
        email = f"kid{tag}@example.cn"
        if rid in seen or phone in seen:
            continue
        seen.update((rid, phone))
        out.append(Canary(rid, phone, name, email, birth))
    return out
