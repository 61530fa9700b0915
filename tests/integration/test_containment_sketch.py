"""Value containment on real servers: the exact semi-join and the hashed bottom-k sketch (issue 15, item 1).

The referencing table's uncontained values sit in its first rows, so a sample of the first rows would
see none of the contained ones; the sketch samples distinct values by hash in the database and must land
within its stated margin of the exact answer, and widen its threshold on a column of few distinct values.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap.links import Candidate, choose_parents
from pi_scanner.datamap.probe import SqlProbe

ROWS = 20_000
KEYS = 8_000


def _seed(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE students (student_id INT PRIMARY KEY, code VARCHAR(20) UNIQUE)"))
        conn.execute(sa.text("INSERT INTO students VALUES (:i, :c)"),
                     [{"i": i, "c": f"S{i:06d}"} for i in range(1, KEYS + 1)])
        conn.execute(sa.text("CREATE TABLE visits (id INT PRIMARY KEY, student_id INT, student_code VARCHAR(20),"
                             " class_id INT)"))
        rows = []
        for g in range(ROWS):
            # 6,000 distinct values: 3,000 beyond the keys (the first half of the rows), 3,000 keys.
            sid = KEYS + 1 + g % 3000 if g < ROWS // 2 else 1 + g % 3000
            # Codes typed by hand: lower case, a space; they match only once trimmed and case-folded.
            code = f" s{sid:06d}" if sid <= KEYS else f"X{sid:06d}"
            rows.append({"i": g, "s": sid, "c": code, "k": 1 + g % 40})
        conn.execute(sa.text("INSERT INTO visits VALUES (:i, :s, :c, :k)"), rows)
    engine.dispose()


def _check(url: str) -> None:
    _seed(url)
    conn = SqlConnector("db", SqlConnectorConfig(type="sql", url=url))
    ids = Candidate(("x", "visits"), "student_id", ("x", "students"), "student_id", 0.9, ("name:key",))
    codes = Candidate(("x", "visits"), "student_code", ("x", "students"), "code", 0.8, ("name:entity",))
    few = Candidate(("x", "visits"), "class_id", ("x", "students"), "student_id", 0.7, ("name:role+key",))
    schema = sa.inspect(conn.engine).default_schema_name
    cands = [Candidate((schema, c.from_path[1]), c.column, (schema, c.to_path[1]), c.key, c.score, c.evidence)
             for c in (ids, codes, few)]
    try:
        exact = SqlProbe(conn).containment_many(cands)  # no row estimate: one candidate at a time
        batched = SqlProbe(conn)
        batched.rows = {(schema, "visits"): ROWS}  # known small: many candidates per statement
        assert batched.containment_many(cands) == exact
        # A second candidate of the same column: its distinct values are counted once, the answer its own.
        self_ref = Candidate((schema, "visits"), "student_id", (schema, "visits"), "id", 0.5, ())
        again = batched.containment_many([self_ref, *cands])
        assert again[self_ref].share == 1.0 and all(again[c] == exact[c] for c in cands)
        # Weighed lazily, the also-ran (name score 0.5 at best 0.58) is not checked once ``ids`` weighs 0.81.
        lazy = batched.weigh([self_ref, *cands])
        assert self_ref not in lazy and all(lazy[c] == exact[c] for c in cands)
        probe = SqlProbe(conn, exact_rows=1_000, k=512)
        probe.rows = {(schema, "visits"): ROWS}
        sketched = probe.containment_many(cands)
    finally:
        conn.close()
    ids_c, codes_c, few_c = cands
    assert exact[ids_c].share == 0.5 and exact[ids_c].method == "exact"
    assert exact[codes_c].share == 0.5 and exact[codes_c].drift
    assert exact[few_c].share == 1.0
    got = sketched[ids_c]
    assert got.error is None and got.method == "sketch" and got.margin is not None and got.share is not None
    assert abs(got.share - 0.5) <= 1.5 * got.margin  # the interval, not the first rows' answer (0.0)
    drifted = sketched[codes_c]
    assert drifted.drift and drifted.share is not None and abs(drifted.share - 0.5) <= 1.5 * (drifted.margin or 0)
    # 40 distinct values in 20,000 rows: the threshold widens until it has them all, and says so.
    assert sketched[few_c].share == 1.0 and sketched[few_c].exact and sketched[few_c].method == "exact"
    (link,) = choose_parents("db", [ids_c], {ids_c: got})
    assert "sketch" in link.evidence and any(e.startswith("margin:") for e in link.evidence)


@pytest.mark.postgres
def test_sketch_and_exact_containment_on_postgres(pg_url: str) -> None:
    _check(pg_url)


@pytest.mark.mysql
def test_sketch_and_exact_containment_on_mariadb(mysql_url: str) -> None:
    _check(mysql_url)
