"""Sketches for value containment on columns too large to compare whole.

The data map asks what share of a referencing column's **distinct** values occur in a key. On a small table
the database answers exactly; on a large one a **bottom-k (KMV) sketch** answers from a uniform sample of
the distinct values:

* every value is hashed to 64 bits; the sketch keeps the ``k`` smallest distinct hashes (and their values).
  Which values are kept depends only on the hash, never on row order or on how often a value occurs, so the
  kept values are a uniform sample of the column's distinct values;
* two sketches built with the same hash are **coordinated**: below ``τ = min(kth(A), kth(B))`` each holds
  every hash of its column, so ``|A_τ ∩ B_τ| / |A_τ|`` is the containment of A in B measured on a uniform
  sample of A's distinct values (:func:`coordinated_containment`); a SQL key is asked about A's sampled values
  directly instead (:mod:`pi_scanner.datamap.probe`);
* the estimate is a binomial proportion over ``n`` sampled values: its 95 % Wilson interval is the
  confidence it implies (``k = 4096`` gives at most ±0.016 at a containment of 0.5, less towards 0 and 1);
* the sketch also estimates the distinct count, ``(k - 1) / kth``, relative standard error ``1/sqrt(k - 2)``.

Values are canonicalised before hashing (``str(v)``), so ``12`` and ``'12'`` hash alike. The hash is
unkeyed: a sketch lives in memory for one comparison and is never stored or logged (it holds raw values).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Sketch size: distinct values kept per column.
DEFAULT_K = 4096
_SPACE = float(1 << 64)


def hash64(value: Any) -> int:
    """A 64-bit hash of the value's canonical text (``12`` and ``'12'`` alike)."""
    text = value if isinstance(value, str) else str(value)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def wilson(found: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``found / n`` (95 % by default); ``(0, 1)`` when ``n == 0``."""
    if n <= 0:
        return 0.0, 1.0
    p = found / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


class BottomK:
    """A bottom-k (KMV) sketch: the ``k`` smallest distinct 64-bit hashes of a column, with one value each.

    Memory is bounded by ``k`` whatever the column's size; :meth:`add` is O(log k).

    Args:
        k: Distinct values kept.
    """

    def __init__(self, k: int = DEFAULT_K) -> None:
        if k < 2:
            raise ValueError("k must be at least 2")
        self.k = k
        self._heap: list[int] = []  # negated hashes: a max-heap of the kept ones
        self._values: dict[int, Any] = {}
        self.seen = 0
        #: A distinct value was left out (the sketch is a sample, not the whole column).
        self.overflowed = False

    def add(self, value: Any, h: int | None = None) -> None:
        """Offer one value (None is no value); ``h`` is its hash when already computed."""
        if value is None:
            return
        self.seen += 1
        if h is None:
            h = hash64(value)
        if h in self._values:
            return
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, -h)
            self._values[h] = value
        else:
            self.overflowed = True
            if h < -self._heap[0]:
                dropped = -heapq.heapreplace(self._heap, -h)
                del self._values[dropped]
                self._values[h] = value

    def update(self, values: Iterable[Any]) -> None:
        """Offer many values."""
        for v in values:
            self.add(v)

    @property
    def saturated(self) -> bool:
        """Whether the column held more than ``k`` distinct values (the sketch is then a sample)."""
        return self.overflowed

    def __len__(self) -> int:
        return len(self._values)

    @property
    def tau(self) -> float:
        """The largest kept hash as a fraction of the hash space (1.0 while not saturated)."""
        if not self.overflowed:
            return 1.0
        return -self._heap[0] / _SPACE

    @property
    def bound(self) -> int:
        """The largest kept hash when saturated (every hash up to it is kept), else ``2**64``."""
        return -self._heap[0] if self.overflowed else 1 << 64

    def hashes(self) -> set[int]:
        """The kept hashes."""
        return set(self._values)

    def values(self) -> list[Any]:
        """The kept values, by increasing hash (a uniform sample of the distinct values when saturated)."""
        return [self._values[h] for h in sorted(self._values)]

    def distinct(self) -> float:
        """Estimated distinct values: exact while not saturated, else ``(k - 1) / tau``."""
        if not self.overflowed:
            return float(len(self._heap))
        return (self.k - 1) / max(self.tau, 1.0 / _SPACE)


@dataclass(frozen=True)
class ContainmentEstimate:
    """A containment share with the confidence its sample implies.

    Attributes:
        share: Share of the sampled distinct values found on the other side.
        sampled: Distinct values compared.
        low: Lower bound of the 95 % interval (equal to ``share`` when exact).
        high: Upper bound of the 95 % interval.
        exact: Every distinct value was compared.
    """

    share: float
    sampled: int
    low: float
    high: float
    exact: bool

    @property
    def margin(self) -> float:
        """Half the width of the interval (0 when exact)."""
        return round((self.high - self.low) / 2, 4)


def estimate(found: int, sampled: int, exact: bool) -> ContainmentEstimate | None:
    """The estimate of ``found`` of ``sampled`` distinct values contained (None when nothing was sampled)."""
    if sampled <= 0:
        return None
    share = found / sampled
    if exact:
        return ContainmentEstimate(share, sampled, share, share, True)
    low, high = wilson(found, sampled)
    return ContainmentEstimate(share, sampled, low, high, False)


def coordinated_containment(a: BottomK, b: BottomK) -> ContainmentEstimate | None:
    """Containment of A's distinct values in B's, from two sketches built with the same hash.

    Below ``τ = min(τ_A, τ_B)`` each sketch holds every hash its column has, so the comparison there is
    exact on a uniform sample of A. Exact outright when neither sketch is saturated.
    """
    limit = min(a.bound, b.bound)
    mine = [h for h in a.hashes() if h <= limit]
    theirs = b.hashes()
    found = sum(1 for h in mine if h in theirs)
    return estimate(found, len(mine), exact=not (a.overflowed or b.overflowed))
