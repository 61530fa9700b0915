"""Work units: census partitions cover a (growing) table, census counts, unit errors and back-off."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import sqlalchemy as sa

from pi_scanner import registry
from pi_scanner.census import KeyRange, census, census_pass
from pi_scanner.classify.corpus import ric
from pi_scanner.config import SqlConnectorConfig, parse_settings
from pi_scanner.connectors.base import AssetInfo, Connector
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.errors import TerminalError, TransientError
from pi_scanner.models import (
    AgeCounts,
    AssetKind,
    AssetRef,
    AssetResult,
    ChildStatus,
    ColumnFinding,
    ColumnInfo,
    Sample,
)
from pi_scanner.work import WorkContext, WorkUnit, census_columns, plan_census, run_unit

AS_OF = dt.date(2026, 3, 15)
CHILD_DOB = dt.date(2018, 5, 1)  # 7 years old
MINOR_DOB = dt.date(2010, 1, 2)  # 16
ADULT_DOB = dt.date(1985, 7, 9)


def _people(n: int, start: int = 1) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, start + n):
        dob = (CHILD_DOB, MINOR_DOB, ADULT_DOB)[i % 3]
        rows.append({"id": i, "sfzh": ric("110105", dob, i), "csrq": dob, "note": "x"})
    return rows


def _table(url: str, n: int) -> sa.Table:
    md = sa.MetaData()
    table = sa.Table(
        "students", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("sfzh", sa.String(18)),
        sa.Column("csrq", sa.Date),
        sa.Column("note", sa.String(10)),
    )
    engine = sa.create_engine(url)
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), _people(n))
    engine.dispose()
    return table


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[str, SqlConnector, AssetInfo]]:
    url = f"sqlite:///{tmp_path / 'estate.db'}"
    _table(url, 3_000)
    conn = SqlConnector("school", SqlConnectorConfig(url=url))
    info = next(iter(conn.discover()))
    yield url, conn, info
    conn.close()


COLS = (("sfzh", "CN_RESIDENT_ID"), ("csrq", "DATE_OF_BIRTH"))


def test_census_counts_every_row_by_age(db: tuple[str, SqlConnector, AssetInfo]) -> None:
    _, conn, info = db
    ages = census(info, dict(COLS), AS_OF, connector=conn)
    assert ages == AgeCounts(child=1000, likely_child=0, minor_14_17=1000, adult=1000, unknown=0, conflicts=0)
    only_dob = census_pass(info, {"csrq": "DATE_OF_BIRTH"}, AS_OF, connector=conn)
    assert only_dob.rows == 3000 and only_dob.ages.child == 1000


def test_census_prefers_the_id_and_counts_conflicts(db: tuple[str, SqlConnector, AssetInfo]) -> None:
    url, conn, info = db
    engine = sa.create_engine(url)
    with engine.begin() as c:
        # Row 5 is an adult by ID; its DOB field says child: the ID wins, the conflict is counted.
        c.execute(sa.text("UPDATE students SET csrq = :d WHERE id = 5"), {"d": CHILD_DOB})
        c.execute(sa.text("UPDATE students SET sfzh = NULL, csrq = NULL WHERE id = 6"))
    engine.dispose()
    ages = census(info, dict(COLS), AS_OF, connector=conn)
    assert ages.conflicts == 1
    assert ages.adult == 1000 and ages.unknown == 1 and ages.child == 999


def test_census_needs_an_age_column(db: tuple[str, SqlConnector, AssetInfo]) -> None:
    _, conn, info = db
    with pytest.raises(TerminalError, match="no age-bearing column"):
        census(info, {"note": "PERSON_NAME"}, AS_OF, connector=conn)


def test_partitions_cover_the_table_even_when_it_grows(db: tuple[str, SqlConnector, AssetInfo]) -> None:
    url, conn, info = db
    units = plan_census(conn, info, COLS, partition_rows=1_000)
    assert len(units) == 3
    ranges = [u.partition.key_range for u in units]
    assert all(r is not None for r in ranges)
    assert ranges[0].lo is None and ranges[-1].hi is None  # type: ignore[union-attr]
    for a, b in itertools.pairwise(ranges):
        assert a.hi == b.lo  # type: ignore[union-attr]  # contiguous, no gap, no overlap
    assert len({u.unit_id for u in units}) == 3
    # Rows arrive after planning, beyond the old maximum and below the old minimum.
    engine = sa.create_engine(url)
    with engine.begin() as c:
        c.execute(sa.text("INSERT INTO students (id, sfzh, csrq, note) VALUES (:id, :s, :d, 'x')"),
                  [{"id": r["id"], "s": r["sfzh"], "d": r["csrq"]} for r in _people(500, start=3_001)]
                  + [{"id": -5, "s": ric("110105", CHILD_DOB, 5), "d": CHILD_DOB}])
    engine.dispose()
    total = sum(
        census_pass(info, dict(COLS), AS_OF, connector=conn, key_range=u.partition.key_range).rows for u in units
    )
    assert total == 3_501


def test_small_or_keyless_tables_are_one_unit(db: tuple[str, SqlConnector, AssetInfo]) -> None:
    _, conn, info = db
    assert len(plan_census(conn, info, COLS, partition_rows=10_000)) == 1
    keyless = AssetInfo(info.ref, info.columns, row_count_estimate=3000, meta={"primary_key": []})
    units = plan_census(conn, keyless, COLS, partition_rows=1_000)
    assert len(units) == 1 and units[0].partition.key_range is None


def test_key_range_restricts_the_census(db: tuple[str, SqlConnector, AssetInfo]) -> None:
    _, conn, info = db
    part = census_pass(info, dict(COLS), AS_OF, connector=conn, key_range=KeyRange("id", 10, 20))
    assert part.rows == 10


def test_census_columns_skip_guardian_suspected_and_encrypted() -> None:
    cols = (
        ColumnFinding("sfzh", ("CN_RESIDENT_ID",), 1.0, 10, 10, subject_role="subject"),
        ColumnFinding("jhr_sfzh", ("CN_RESIDENT_ID",), 1.0, 10, 10, subject_role="guardian"),
        ColumnFinding("csrq", ("DATE_OF_BIRTH",), 0.2, 0, 0, suspected=True),
        ColumnFinding("enc", ("CN_RESIDENT_ID",), 1.0, 10, 10, encrypted=True),
        ColumnFinding("birthday", ("DATE_OF_BIRTH",), 0.9, 10, 9),
        ColumnFinding("phone", ("CN_MOBILE",), 1.0, 10, 10),
    )
    result = AssetResult(AssetRef("c", AssetKind.TABLE, ("s", "t")), cols, ChildStatus.CHILD, 10, AgeCounts())
    assert census_columns(result) == (("sfzh", "CN_RESIDENT_ID"), ("birthday", "DATE_OF_BIRTH"))


class _Overloaded(Connector):
    """Reports overload a configured number of times, then answers."""

    type_name: ClassVar[str] = "overloaded"
    calls: ClassVar[int] = 0

    def describe(self) -> str:
        return "overloaded test store"

    def discover(self) -> Iterator[AssetInfo]:
        yield AssetInfo(AssetRef(self.name, AssetKind.TABLE, ("s", "t")), (ColumnInfo("x"),))

    def sample(self, asset: AssetInfo, limit: int) -> Sample:
        type(self).calls += 1
        if type(self).calls <= int(self.config.model_dump().get("fail_times", 0)):
            raise TransientError("too many connections")
        return Sample(asset.ref, asset.columns, [("hello",)], complete=True)


@pytest.fixture
def overloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    real = registry.load_connector_class
    monkeypatch.setattr(registry, "load_connector_class",
                        lambda t: _Overloaded if t == "overloaded" else real(t))
    _Overloaded.calls = 0


@pytest.mark.parametrize(("fail_times", "retries", "ok"), [(2, 2, True), (2, 1, False), (0, 0, True)])
def test_transient_errors_back_off_and_retry(overloaded: None, fail_times: int, retries: int, ok: bool) -> None:
    settings = parse_settings({
        "connectors": {"o": {"type": "overloaded", "fail_times": fail_times}},
        "executor": {"retries": retries, "backoff_s": 0.01},
    })
    info = AssetInfo(AssetRef("o", AssetKind.TABLE, ("s", "t")), (ColumnInfo("x"),))
    res = run_unit(WorkUnit("sample", "o", info), WorkContext("tok-" + str(fail_times) + str(retries), settings, AS_OF))
    assert (res.error is None) is ok
    assert res.retries == min(fail_times, retries)
    if not ok:
        assert res.error is not None and res.error.error_type == "TransientError"


def test_a_failing_unit_returns_an_error_and_never_raises(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    settings = parse_settings({"connectors": {"db": {"type": "sql", "url": url}}})
    info = AssetInfo(AssetRef("db", AssetKind.TABLE, ("main", "gone")), ())
    res = run_unit(WorkUnit("sample", "db", info), WorkContext("tok-gone", settings, AS_OF))
    assert res.result is None and res.error is not None
    assert res.error.stage == "sample" and "gone" in res.error.message
