"""A batch of key ranges names exactly its rows, as BETWEENs when few and as a key list when many."""

from __future__ import annotations

import sqlalchemy as sa

from pi_scanner.retention.enforcer import MAX_RANGES_PER_CLAUSE, Batch


def _table(engine: sa.Engine) -> sa.Table:
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True, autoincrement=False))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": i} for i in range(1, 2001)])
    return table


def test_few_and_many_ranges_name_the_same_rows() -> None:
    engine = sa.create_engine("sqlite://")
    table = _table(engine)
    for count in (3, MAX_RANGES_PER_CLAUSE, MAX_RANGES_PER_CLAUSE + 1, 150):
        ranges = [(i * 10, i * 10 + 2) for i in range(1, count + 1)]
        batch = Batch(ranges=ranges)
        clause = batch.match([table.c.id], "sqlite")
        sql = str(clause.compile(compile_kwargs={"literal_binds": True}))
        assert ("BETWEEN" in sql) == (count <= MAX_RANGES_PER_CLAUSE), sql[:80]
        with engine.connect() as conn:
            got = {r[0] for r in conn.execute(sa.select(table.c.id).where(clause))}
        assert got == {k for a, b in ranges for k in range(a, b + 1)} and batch.size == 3 * count
