"""Census fast path: the same counts as the per-value rules, invalid IDs never counted, real COPY reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from pi_scanner.census import (
    _copy_blocks,
    _count,
    _count_id_dates,
    _count_id_days_fixed,
    _count_ids,
    _id_birth_date,
    _Tally,
    _valid_keys_bytes,
    _valid_keys_fixed,
    _valid_keys_str,
    census_pass,
)
from pi_scanner.classify.corpus import ric
from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.sql import SqlConnector

AS_OF = dt.date(2026, 3, 15)
CHILD = ric("110105", dt.date(2018, 5, 1), 7)  # 7 years old
ADULT = ric("310115", dt.date(1985, 7, 9), 12)
MINOR = ric("440305", dt.date(2010, 1, 2), 3)  # 16


def _bad_check(value: str) -> str:
    """The same ID with a wrong check character."""
    return value[:17] + ("0" if value[17] != "0" else "1")


def _with_x() -> str:
    """A child's ID whose check character is X (found by trying sequence numbers)."""
    return next(v for v in (ric("110105", dt.date(2019, 2, 3), s) for s in range(1000)) if v.endswith("X"))


CHILD_X = _with_x()

# Cells the quick test must not wrongly accept, and ones it must hand to the full rules.
TRICKY: list[Any] = [
    _bad_check(CHILD),  # invalid check: not a child
    _bad_check(CHILD_X),
    CHILD_X.lower(),  # lower-case x is accepted by the validator
    ric("000105", dt.date(2018, 5, 1), 7),  # correct check, no such province
    ric("110105", dt.date(2027, 1, 1), 5),  # born after as_of
    ric("110105", dt.date(1800, 1, 1), 5),  # before 1850
    "110105201802300075",  # 30 February
    f"{CHILD[:6]} {CHILD[6:14]} {CHILD[14:]}",  # separators: valid via the full rules
    f"{CHILD[:6]}-{CHILD[6:14]}-{CHILD[14:]}",
    CHILD.translate(str.maketrans("0123456789", "０１２３４５６７８９")),  # full-width digits: rejected
    CHILD.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),  # Arabic-Indic: int() would take them
    "1_" + CHILD[2:],  # int() accepts underscores
    " " + CHILD[1:],  # int() strips whitespace
    "+" + CHILD[1:],
    "a" * 17 + "1",  # base-13 letters
    CHILD[:17],
    CHILD + "1",
    "",
    None,
    12345,
    ric("810000", dt.date(2016, 6, 6), 1),  # Hong Kong residence permit: a child
    ric("910000", dt.date(2016, 6, 6), 1),  # leading 9 is not a province
]


def _reference(cells: list[Any]) -> dict[str, int]:
    """The per-value path (``_count``) on the same cells."""
    tally = _Tally(AS_OF, "legal")
    _count(iter([(c,) for c in cells]), [0], [], tally)
    return dict(tally.counts)


def _fast_str(cells: list[Any]) -> dict[str, int]:
    tally = _Tally(AS_OF, "legal")
    _count_ids(_valid_keys_str(cells), tally, copy_text=False)
    assert tally.rows == len(cells)
    return dict(tally.counts)


def _copy_field(cell: Any) -> bytes:
    """How COPY text format writes one value."""
    if cell is None:
        return b"\\N"
    text = str(cell).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text.encode("utf-8")


def _fast_bytes(cells: list[Any]) -> dict[str, int]:
    tally = _Tally(AS_OF, "legal")
    block = b"\n".join(_copy_field(c) for c in cells)
    counted = _valid_keys_bytes(block.split(b"\n"))
    fixed = _valid_keys_fixed(block)
    if fixed is not None:  # every line 18 bytes: the vectorised path must give the same tally
        other = _Tally(AS_OF, "legal")
        _count_ids(fixed, other, copy_text=True)
        _count_ids(counted, tally, copy_text=True)
        assert other.counts == tally.counts and other.rows == tally.rows == len(cells)
        return dict(tally.counts)
    _count_ids(counted, tally, copy_text=True)
    assert tally.rows == len(cells)
    return dict(tally.counts)


def test_tricky_cells_match_the_per_value_rules() -> None:
    cells = [CHILD, ADULT, MINOR, *TRICKY, CHILD, None]
    expected = _reference(cells)
    assert _fast_str(cells) == expected
    # str(12345) is what COPY would send for a number: compare against that.
    as_text = [None if c is None else str(c) for c in cells]
    assert _fast_bytes(cells) == _reference(as_text)
    # Children: CHILD twice, CHILD_X lower-cased, the two separator forms, the residence permit.
    assert expected["child"] == 6
    assert expected["adult"] == 1 and expected["minor_14_17"] == 1


@pytest.mark.parametrize("cell", [_bad_check(CHILD), _bad_check(CHILD_X), ric("990105", dt.date(2018, 5, 1), 7)])
def test_invalid_ids_of_children_are_not_children(cell: str) -> None:
    for counts in (_fast_str([cell] * 3), _fast_bytes([cell] * 3)):
        assert counts["child"] == 0
        assert counts["unknown"] == 3


id_chars = st.sampled_from("0123456789Xx -_+\\\t０١")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from([CHILD, ADULT, MINOR, CHILD_X, *[t for t in TRICKY if isinstance(t, str)]]),
    st.text(id_chars, min_size=15, max_size=20),
    st.builds(lambda d, s, r: ric(r, d, s), st.dates(dt.date(1840, 1, 1), dt.date(2030, 1, 1)),
              st.integers(0, 999), st.sampled_from(["110105", "810000", "000000", "990000", "650102"])),
    st.none(),
), min_size=1, max_size=40))
def test_fast_paths_equal_the_per_value_rules(cells: list[Any]) -> None:
    expected = _reference(cells)
    assert _fast_str(cells) == expected
    assert _fast_bytes(cells) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(
    st.sampled_from([CHILD, ADULT, MINOR, CHILD_X, CHILD_X.lower(), _bad_check(CHILD), "1_" + CHILD[2:]]),
    st.text(st.sampled_from("0123456789Xx+_ a"), min_size=18, max_size=18),
    st.builds(lambda d, s, r: ric(r, d, s), st.dates(dt.date(1840, 1, 1), dt.date(2030, 1, 1)),
              st.integers(0, 999), st.sampled_from(["110105", "810000", "000000", "990000", "090105"])),
), min_size=1, max_size=40))
def test_vectorised_path_on_fixed_width_blocks(cells: list[str]) -> None:
    block = b"\n".join(c.encode() for c in cells)
    assert _valid_keys_fixed(block) is not None
    assert _fast_bytes(cells) == _reference(cells)


def test_vectorised_path_declines_ragged_blocks() -> None:
    assert _valid_keys_fixed(CHILD.encode() + b"\n" + ADULT[:9].encode() + b"\n" + ADULT[9:].encode()) is None
    assert _valid_keys_fixed(CHILD.encode() + b"\n") is None
    assert _valid_keys_fixed(b"\\N") is None


@pytest.mark.postgres
def test_copy_census_counts_every_row_across_block_boundaries(pg_url: str) -> None:
    cells = [CHILD, ADULT, MINOR, CHILD_X, "", None, "", _bad_check(CHILD), "a\\b\tc", CHILD, None, ""]
    engine = sa.create_engine(pg_url)
    md = sa.MetaData()
    table = sa.Table("kids", md, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                     sa.Column("sfzh", sa.Text), sa.Column("csrq", sa.Date))
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": i, "sfzh": c, "csrq": None} for i, c in enumerate(cells)])
    expected = _reference(cells)
    assert expected["child"] == 3 and expected["unknown"] == 7
    conn_ = SqlConnector("t", SqlConnectorConfig(url=pg_url))
    try:
        info = next(i for i in conn_.discover() if i.ref.path[-1] == "kids")
        for batch in (1, 2, 5, 50_000):
            res = census_pass(info, {"sfzh": "CN_RESIDENT_ID"}, AS_OF, connector=conn_, batch_size=batch)
            assert res.rows == len(cells)
            got = res.ages
            assert (got.child, got.minor_14_17, got.adult, got.unknown) == (
                expected["child"], expected["minor_14_17"], expected["adult"], expected["unknown"])
            # The two-column (per-row) path over the same COPY blocks agrees.
            both = census_pass(info, {"sfzh": "CN_RESIDENT_ID", "csrq": "DATE_OF_BIRTH"}, AS_OF,
                               connector=conn_, batch_size=batch)
            assert both.ages == got
        with engine.connect() as conn:
            stmt = sa.select(table.c.sfzh).order_by(table.c.id)
            blocks = list(_copy_blocks(conn, stmt, 3))
        lines = [line for block in blocks for line in block.split(b"\n")]
        assert lines == [_copy_field(c) for c in cells]
    finally:
        conn_.close()
        engine.dispose()


def test_stream_path_on_sqlite(sqlite_url: str) -> None:
    cells = [CHILD, ADULT, None, _bad_check(CHILD), CHILD_X.lower(), ""]
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE kids (id INTEGER PRIMARY KEY, sfzh TEXT)"))
        conn.execute(sa.text("INSERT INTO kids VALUES (:i, :s)"), [{"i": i, "s": c} for i, c in enumerate(cells)])
    engine.dispose()
    conn_ = SqlConnector("t", SqlConnectorConfig(url=sqlite_url))
    try:
        info = next(i for i in conn_.discover() if i.ref.path[-1] == "kids")
        res = census_pass(info, {"sfzh": "CN_RESIDENT_ID"}, AS_OF, connector=conn_, batch_size=2)
    finally:
        conn_.close()
    assert res.rows == len(cells)
    assert (res.ages.child, res.ages.adult, res.ages.unknown) == (2, 1, 3)


def test_permanent_resident_cards_are_read_without_a_province() -> None:
    card = ric("911000", dt.date(2017, 9, 9), 4)  # leading 9: no province code
    cells = [card, _bad_check(card), None, card.replace("911000", "911001")]

    def tally(entity_pr: bool) -> dict[str, int]:
        t = _Tally(AS_OF, "legal")
        _count(iter([(c,) for c in cells]), [0], [], t, frozenset({0}) if entity_pr else frozenset())
        return dict(t.counts)

    assert tally(True)["child"] == 1 and tally(True)["unknown"] == 3
    assert tally(False)["child"] == 0  # read as a resident ID, 91 is no province


def test_census_pass_reads_pr_card_columns(sqlite_url: str) -> None:
    card = ric("911000", dt.date(2017, 9, 9), 4)
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE cards (id INTEGER PRIMARY KEY, pr TEXT)"))
        conn.execute(sa.text("INSERT INTO cards VALUES (1, :a), (2, :b)"), {"a": card, "b": _bad_check(card)})
    engine.dispose()
    conn_ = SqlConnector("t", SqlConnectorConfig(url=sqlite_url))
    try:
        info = next(i for i in conn_.discover() if i.ref.path[-1] == "cards")
        res = census_pass(info, {"pr": "CN_PR_CARD"}, AS_OF, connector=conn_)
    finally:
        conn_.close()
    assert (res.rows, res.ages.child, res.ages.unknown) == (2, 1, 1)


def test_census_counts_collection_time_ages_and_age_outs(sqlite_url: str) -> None:
    from pi_scanner.classify.collection_time import COLLECTED_AT

    old = [ric("110105", dt.date(2004, 2, 1), i) for i in range(6)]  # enrolled 2010 aged 6, adults now
    soon = [ric("440305", dt.date(2012, 3, 20), 50 + i) for i in range(3)]  # age out 2026-03-21
    rows = [(c, "2010-09-01 08:00:00") for c in old] + [(c, "2018-09-01") for c in soon]
    rows += [(CHILD, None), (CHILD, "2017-01-01"), (ADULT, "garbage")]  # no date; before birth; unreadable
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE xs (id INTEGER PRIMARY KEY, sfzh TEXT, rxrq TEXT)"))
        conn.execute(sa.text("INSERT INTO xs (sfzh, rxrq) VALUES (:s, :r)"), [{"s": s, "r": r} for s, r in rows])
    engine.dispose()
    conn_ = SqlConnector("t", SqlConnectorConfig(url=sqlite_url))
    try:
        info = next(i for i in conn_.discover() if i.ref.path[-1] == "xs")
        with_date = census_pass(info, {"sfzh": "CN_RESIDENT_ID", "rxrq": COLLECTED_AT}, AS_OF, connector=conn_,
                                batch_size=4)
        fast = census_pass(info, {"sfzh": "CN_RESIDENT_ID"}, AS_OF, connector=conn_)
    finally:
        conn_.close()
    c = with_date.collection
    assert c is not None and c.exact
    assert (c.records, c.collected_while_child, c.aged_out_since_collection) == (12, 9, 6)
    assert (c.collection_unknown, c.collection_conflicts, c.child_now) == (2, 1, 5)
    assert c.age_outs == (("2026-03-21", 3),)
    assert with_date.ages == fast.ages  # the collection column changes no age count
    f = fast.collection
    assert f is not None and f.age_outs == c.age_outs and f.child_now == c.child_now
    assert f.collection_unknown == 12 and f.collected_while_child == 0  # the fast path reads no date


DAY_CELLS: list[Any] = [
    "2010-09-01", "2010-09-01 08:00:00", "2010-09-01 08:00:00.123456", "2010-08-31 20:00:00+00",
    "2010-09-01T00:30:00Z", "2010-08-31 23:30:00-05", "2010-09-01 08:00:00+08", "2010-09-01 08:00+08:00",
    "2010-13-45", "garbage", "", None, dt.datetime(2010, 9, 1, 8), dt.datetime(2010, 8, 31, 20, tzinfo=dt.UTC),
    dt.date(2010, 9, 1), "2026-03-14 23:59:59", "2000-01-01",
]


@pytest.mark.parametrize("copy_text", [False, True])
def test_id_and_date_fast_path_equals_the_per_row_rules(copy_text: bool) -> None:
    from pi_scanner.classify.collection_time import collection_date

    ids = [CHILD, ADULT, MINOR, CHILD_X, _bad_check(CHILD), None, ric("440305", dt.date(2012, 3, 20), 9)]
    rows = [(i, d) for i in ids for d in DAY_CELLS]
    reference = _Tally(AS_OF, "legal")
    for cell, day in rows:
        born = _id_birth_date(cell, AS_OF, reference.dates)
        reference.counts["unknown" if born is None else reference.exact(born)] += 1
        if born is not None:
            reference.collection.add((born, born), collection_date(day))
    reference.rows = len(rows)
    fast = _Tally(AS_OF, "legal")
    if copy_text:
        # What COPY sends: text, \N for NULL (datetime objects are written as PostgreSQL would).
        def text(v: Any) -> bytes:
            if v is None:
                return b"\\N"
            if isinstance(v, dt.datetime):
                return v.isoformat(sep=" ").replace("+00:00", "+00").encode()
            return str(v).encode()
        _count_id_dates([(text(i), text(d)) for i, d in rows], fast, copy_text=True)
    else:
        _count_id_dates(rows, fast, copy_text=False)
    assert fast.result() == reference.result()
    generic = _Tally(AS_OF, "legal")
    _count(iter(rows), [0], [], generic, frozenset(), collected_idx=1)
    assert generic.result() == reference.result()
    c = reference.result().collection
    assert c is not None and c.collected_while_child and c.collection_unknown and c.collection_conflicts


def test_vectorised_id_day_block_equals_the_per_line_rules() -> None:
    ids = [CHILD, ADULT, MINOR, CHILD_X, _bad_check(CHILD), ric("440305", dt.date(2012, 3, 20), 9), "x" * 18]
    days = ["2010-09-01", "2017-01-01", "----------", "2010-13-45", "2026-03-14", "2000-01-01"]
    lines = [f"{i}\t{d}".encode() for i in ids for d in days] * 3
    block = b"\n".join(lines)
    fixed = _Tally(AS_OF, "legal")
    assert _count_id_days_fixed(block, fixed)
    per_line = _Tally(AS_OF, "legal")
    _count_id_dates((line.partition(b"\t")[::2] for line in lines), per_line, copy_text=True)
    assert fixed.result() == per_line.result()
    c = fixed.result().collection
    assert c is not None and c.collected_while_child and c.collection_unknown and c.collection_conflicts
    assert not _count_id_days_fixed(block + b"\n\\N\t2010-09-01", _Tally(AS_OF, "legal"))  # ragged: declined


@pytest.mark.parametrize("column_type", ["timestamp", "timestamptz", "date", "text"])
def test_copy_census_reads_collection_days_as_shanghai_days(pg_url: str, column_type: str) -> None:
    from pi_scanner.classify.collection_time import COLLECTED_AT

    engine = sa.create_engine(pg_url)
    # 17:00 UTC on the 14th birthday is 01:00 the next day in Shanghai: no longer a child.
    cells = ["2010-09-01 00:30:00+08", "2010-08-31 17:00:00+00", "2024-06-01 17:00:00+00", None]
    if column_type in ("timestamp", "date", "text"):
        cells = ["2010-09-01 00:30:00", "2010-08-31 23:00:00", "2024-06-01 12:00:00", None]
    born = dt.date(2010, 6, 1)  # a child through 2024-06-01 (legal)
    with engine.begin() as conn:
        conn.execute(sa.text("SET TIME ZONE 'America/New_York'"))  # the session's zone must not matter
        conn.execute(sa.text(f"CREATE TABLE xs (id serial PRIMARY KEY, sfzh char(18), rxrq {column_type})"))
        conn.execute(sa.text("INSERT INTO xs (sfzh, rxrq) VALUES (:s, CAST(:r AS " + column_type + "))"),
                     [{"s": ric("110105", born, i), "r": c} for i, c in enumerate(cells)] * 50)
    engine.dispose()
    conn_ = SqlConnector("t", SqlConnectorConfig(url=pg_url))
    try:
        info = next(i for i in conn_.discover() if i.ref.path[-1] == "xs")
        res = census_pass(info, {"sfzh": "CN_RESIDENT_ID", "rxrq": COLLECTED_AT}, AS_OF, connector=conn_,
                          batch_size=37)
    finally:
        conn_.close()
    c = res.collection
    assert c is not None and res.rows == 200
    # Naive values are Shanghai days: 2010-08-31/09-01 and the 14th birthday itself, all a child's.
    expected = (100, 50) if column_type == "timestamptz" else (150, 0)
    assert (c.collected_while_child, c.collected_not_child) == expected
    assert (c.collection_unknown, c.collection_conflicts) == (50, 0)


def test_census_with_a_birth_date_field_and_a_collection_date(sqlite_url: str) -> None:
    from pi_scanner.classify.collection_time import COLLECTED_AT

    rows = [("2004-02-01", "2010-09-01")] * 4 + [("2012-03-20", "2018-09-01")] * 2  # old pupils; two age out soon
    rows += [("2010", "2016-09-01"), ("2010", "2024-06-01"), ("2015-05-05", None), ("2015-05-05", "2015-05-04")]
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE xs (id INTEGER PRIMARY KEY, csrq TEXT, rxrq TEXT)"))
        conn.execute(sa.text("INSERT INTO xs (csrq, rxrq) VALUES (:b, :r)"), [{"b": b, "r": r} for b, r in rows])
    engine.dispose()
    conn_ = SqlConnector("t", SqlConnectorConfig(url=sqlite_url))
    try:
        info = next(i for i in conn_.discover() if i.ref.path[-1] == "xs")
        res = census_pass(info, {"csrq": "DATE_OF_BIRTH", "rxrq": COLLECTED_AT}, AS_OF, connector=conn_)
    finally:
        conn_.close()
    c = res.collection
    assert c is not None and c.records == 10
    # Year-only 2010: certainly a child in 2016, at the boundary in 2024 (13 or 14).
    assert (c.collected_while_child, c.aged_out_since_collection) == (7, 5)  # 2010: 15 or 16 now
    assert (c.collection_unknown, c.collection_conflicts) == (2, 1)
    assert c.age_outs == (("2026-03-21", 2),)
