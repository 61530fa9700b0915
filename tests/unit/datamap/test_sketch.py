"""Bottom-k sketches: distinct counts, coordinated containment with its interval, and the SQLite stream path."""

from __future__ import annotations

import math
from pathlib import Path

import sqlalchemy as sa

from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap import sketch
from pi_scanner.datamap.links import Candidate, choose_parents
from pi_scanner.datamap.probe import SqlProbe


def test_hash_is_of_the_canonical_text() -> None:
    assert sketch.hash64(12) == sketch.hash64("12")
    assert sketch.hash64("12") != sketch.hash64("12 ")


def test_a_column_of_at_most_k_values_is_held_whole() -> None:
    s = sketch.BottomK(64)
    s.update([1, 2, 3, 2, 1, None])
    assert not s.saturated and s.distinct() == 3.0 and sorted(s.values()) == [1, 2, 3]
    t = sketch.BottomK(64)
    t.update(range(64))  # exactly k distinct: still whole
    assert not t.saturated and len(t) == 64


def test_distinct_estimate_within_its_error() -> None:
    s = sketch.BottomK(1024)
    s.update(f"v{i}" for i in range(100_000))
    assert s.saturated and len(s) == 1024
    # Relative standard error 1/sqrt(k-2) ~ 3.1 %; four of them is far beyond chance.
    assert abs(s.distinct() / 100_000 - 1) < 4 / math.sqrt(1022)


def test_kept_values_are_the_smallest_hashes() -> None:
    s = sketch.BottomK(16)
    values = [f"x{i}" for i in range(1000)]
    s.update(values)
    assert set(s.values()) == set(sorted(values, key=sketch.hash64)[:16])


def test_coordinated_containment_is_exact_when_neither_is_saturated() -> None:
    a, b = sketch.BottomK(100), sketch.BottomK(100)
    a.update(range(10))
    b.update(range(5, 50))
    est = sketch.coordinated_containment(a, b)
    assert est is not None and est.exact and est.share == 0.5 and est.margin == 0


def test_coordinated_containment_counts_distinct_values_not_rows() -> None:
    """Half of A's distinct values are in B, but those repeat 99 times: a row sample would say 0.99."""
    a, b = sketch.BottomK(2048), sketch.BottomK(2048)
    for i in range(20_000):
        a.update([f"in{i}"] * (99 if i % 2 == 0 else 1))
    for i in range(20_000):
        if i % 2 == 0:
            b.add(f"in{i}")
    b.update(f"other{i}" for i in range(50_000))
    est = sketch.coordinated_containment(a, b)
    assert est is not None and not est.exact
    assert est.low <= 0.5 <= est.high and est.margin < 0.05
    assert abs(est.share - 0.5) < 0.06


def test_coordinated_containment_of_disjoint_and_included_columns() -> None:
    a, b, c = sketch.BottomK(256), sketch.BottomK(256), sketch.BottomK(256)
    a.update(range(10_000))
    b.update(range(20_000))
    c.update(range(50_000, 60_000))
    inside, outside = sketch.coordinated_containment(a, b), sketch.coordinated_containment(a, c)
    assert inside is not None and inside.share == 1.0 and inside.high > 0.9999 and inside.low > 0.95
    assert outside is not None and outside.share == 0.0 and outside.low == 0.0 and outside.high < 0.03


def test_wilson_interval() -> None:
    assert sketch.wilson(0, 0) == (0.0, 1.0)
    low, high = sketch.wilson(50, 100)
    assert 0.40 < low < 0.41 and 0.59 < high < 0.60
    assert sketch.estimate(0, 0, exact=False) is None


def _store(tmp_path: Path, rows: int, distinct: int, share: float) -> SqlConnector:
    url = f"sqlite:///{tmp_path / 'big.db'}"
    engine = sa.create_engine(url)
    inside = int(distinct * share)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE students (student_id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(sa.text("INSERT INTO students VALUES (:i, 'x')"), [{"i": i} for i in range(1, distinct + 1)])
        conn.execute(sa.text("CREATE TABLE visits (id INTEGER PRIMARY KEY, student_id INTEGER)"))
        # The uncontained values come first: a sample of the first rows would see none of the others.
        conn.execute(sa.text("INSERT INTO visits VALUES (:i, :s)"), [
            {"i": g, "s": (distinct + 1 + g % (distinct - inside)) if g < rows // 2 and inside < distinct
             else 1 + g % inside}
            for g in range(rows)])
    engine.dispose()
    return SqlConnector("db", SqlConnectorConfig(type="sql", url=url))


def test_sqlite_large_table_is_streamed_through_the_sketch(tmp_path: Path) -> None:
    conn = _store(tmp_path, rows=6000, distinct=2000, share=0.5)
    cand = Candidate(("main", "visits"), "student_id", ("main", "students"), "student_id", 0.85, ("name:key",))
    try:
        sketched = SqlProbe(conn, exact_rows=1000, k=512).containment_many([cand])[cand]
        exact = SqlProbe(conn).containment_many([cand])[cand]
    finally:
        conn.close()
    assert exact.method == "exact" and exact.exact and exact.share == 0.5
    assert sketched.method == "sketch" and not sketched.exact and sketched.margin is not None
    assert sketched.share is not None and abs(sketched.share - 0.5) <= sketched.margin * 1.5
    (link,) = choose_parents("db", [cand], {cand: sketched})
    assert "sketch" in link.evidence and any(e.startswith("margin:") for e in link.evidence)


def test_weighing_only_candidates_that_can_win_chooses_the_same_parents(tmp_path: Path) -> None:
    """``SqlProbe.weigh`` skips also-rans; the parents chosen must be those of weighing every candidate."""
    from pi_scanner import datamap
    from tests.unit.datamap.test_probe_and_roles import _store

    conn, _ = _store(tmp_path)
    try:
        _, smap = datamap.discover_map("db", list(conn.discover()))
        probe = SqlProbe(conn)
        probe.rows = {p: t.rows for p, t in smap.tables.items()}
        every = probe.containment_many(smap.candidates)
        lazy = probe.weigh(smap.candidates)
    finally:
        conn.close()
    assert len(lazy) <= len(every)
    assert choose_parents("db", smap.candidates, lazy) == choose_parents("db", smap.candidates, every)
