"""SqlConnector against real SQLite, PostgreSQL and MariaDB databases (one fresh database per test)."""

from __future__ import annotations

import datetime as dt
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlalchemy.dialects import postgresql

from pi_scanner.config import SqlConnectorConfig
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.errors import (
    ConnectorError,
    MissingDependencyError,
    PiScannerError,
    TerminalError,
    TransientError,
)

HOSTILE = ['we"ird', "a;drop table x", "学生表", "order", "Mixed Case"]
WIDE_COLUMNS = 300
STREAM_ROWS = 2_500


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mysql", marks=pytest.mark.mysql),
    ]
)
def db_url(request: pytest.FixtureRequest) -> str:
    fixture = {"sqlite": "sqlite_url", "postgres": "pg_url", "mysql": "mysql_url"}[request.param]
    return str(request.getfixturevalue(fixture))


def _schema_name(engine: sa.Engine) -> str:
    if engine.dialect.name == "postgresql":
        return "public"
    if engine.dialect.name == "sqlite":
        return "main"
    assert engine.url.database
    return engine.url.database


def _build(url: str) -> tuple[sa.Engine, str]:
    """Create the hostile estate; returns the engine and the schema name the connector reports."""
    engine = sa.create_engine(url)
    md = sa.MetaData()
    name_col = sa.String(64)
    sa.Table('we"ird', md, sa.Column("id", sa.Integer, primary_key=True), sa.Column('na"me', name_col))
    sa.Table("a;drop table x", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("sel;ect", name_col))
    sa.Table(
        "学生表",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("身份证号", sa.String(18), comment="证件号码"),
        sa.Column("姓名", name_col),
        comment="学生基本信息",
    )
    sa.Table(
        "order",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("select", name_col),
        sa.Column("from", name_col),
    )
    sa.Table("Mixed Case", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("Mixed Col", name_col))
    sa.Table(
        "wide",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        *(sa.Column(f"c{i}", sa.Text) for i in range(WIDE_COLUMNS - 1)),
    )
    sa.Table("empty", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", name_col))
    kinds: list[sa.Column[Any]] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("blob", sa.LargeBinary),
        sa.Column("doc", sa.JSON),
        sa.Column("amount", sa.Numeric(10, 2)),
        sa.Column("born", sa.Date),
    ]
    if engine.dialect.name == "postgresql":
        kinds.append(sa.Column("tags", postgresql.ARRAY(sa.Text)))
    sa.Table("kinds", md, *kinds)
    sa.Table(
        "guardians",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("student_id", sa.Integer, sa.ForeignKey("学生表.id")),
    )
    sa.Table("stream", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", name_col))
    md.create_all(engine)
    t = md.tables
    with engine.begin() as conn:
        conn.execute(t['we"ird'].insert(), [{"id": 1, 'na"me': "张三"}])
        conn.execute(t["a;drop table x"].insert(), [{"id": 1, "sel;ect": "x;y"}])
        conn.execute(t["学生表"].insert(), [{"id": 1, "身份证号": "11010520170101123X", "姓名": "李四"}])
        conn.execute(t["order"].insert(), [{"id": 1, "select": "s", "from": "f"}])
        conn.execute(t["Mixed Case"].insert(), [{"id": 1, "Mixed Col": "m"}])
        conn.execute(t["wide"].insert(), [{"id": 1, **{f"c{i}": str(i) for i in range(WIDE_COLUMNS - 1)}}])
        row: dict[str, Any] = {
            "id": 1,
            "blob": b"\x00\xffbin",
            "doc": {"guardian": {"phone": "13912345678"}},
            "amount": Decimal("12.50"),
            "born": dt.date(2017, 1, 1),
        }
        if engine.dialect.name == "postgresql":
            row["tags"] = ["a", "b"]
        conn.execute(t["kinds"].insert(), [row])
        conn.execute(t["stream"].insert(), [{"id": i, "v": f"v{i}"} for i in range(1, STREAM_ROWS + 1)])
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ANALYZE"))
        elif engine.dialect.name == "mysql":
            for name in t:
                conn.execute(sa.text(f"ANALYZE TABLE {engine.dialect.identifier_preparer.quote(name)}"))
    return engine, _schema_name(engine)


@pytest.fixture
def estate(db_url: str) -> Iterator[tuple[sa.Engine, str, SqlConnector]]:
    engine, schema = _build(db_url)
    conn = SqlConnector("school", SqlConnectorConfig(url=db_url, statement_timeout_s=5))
    try:
        yield engine, schema, conn
    finally:
        conn.close()
        engine.dispose()


def _by_table(conn: SqlConnector) -> dict[str, AssetInfo]:
    return {a.ref.path[1]: a for a in conn.discover()}


def test_discover_finds_hostile_names_with_metadata(estate: tuple[sa.Engine, str, SqlConnector]) -> None:
    engine, schema, conn = estate
    found = _by_table(conn)
    assert set(HOSTILE) <= set(found)
    assert {"wide", "empty", "kinds", "guardians", "stream"} <= set(found)
    assert all(a.ref.path[0] == schema and a.ref.connector == "school" for a in found.values())
    students = found["学生表"]
    assert [c.name for c in students.columns] == ["id", "身份证号", "姓名"]
    assert students.columns[1].type_name.startswith("varchar")
    assert students.meta["primary_key"] == ["id"]
    assert found["guardians"].meta["foreign_keys"] == {"student_id": "学生表.id"}
    if engine.dialect.name != "sqlite":
        assert students.meta["table_comment"] == "学生基本信息"
        assert students.columns[1].comment == "证件号码"
    assert len(found["wide"].columns) == WIDE_COLUMNS
    assert found["stream"].row_count_estimate is not None
    assert abs(found["stream"].row_count_estimate - STREAM_ROWS) <= STREAM_ROWS * 0.2
    assert found["stream"].fingerprint and found["stream"].fingerprint != found["empty"].fingerprint


def test_include_exclude_globs(db_url: str) -> None:
    engine, schema = _build(db_url)
    try:
        cfg = SqlConnectorConfig(url=db_url, include=[f"{schema}.学*", f"{schema}.w*"], exclude=["*.wide"])
        with SqlConnector("school", cfg) as conn:
            assert sorted(a.ref.path[1] for a in conn.discover()) == ['we"ird', "学生表"]
    finally:
        engine.dispose()


def test_sample_reads_every_hostile_table(estate: tuple[sa.Engine, str, SqlConnector]) -> None:
    _engine, _schema, conn = estate
    found = _by_table(conn)
    expected = {
        'we"ird': (1, "张三"),
        "a;drop table x": (1, "x;y"),
        "学生表": (1, "11010520170101123X", "李四"),
        "order": (1, "s", "f"),
        "Mixed Case": (1, "m"),
    }
    for name, row in expected.items():
        sample = conn.sample(found[name], 100)
        assert [tuple(r) for r in sample.rows] == [row], name
        assert sample.primary_key == ("id",)
        assert sample.complete
    students = conn.sample(found["学生表"], 10)
    assert [c.name for c in students.columns] == ["id", "身份证号", "姓名"]


def test_sample_wide_empty_and_typed_values(estate: tuple[sa.Engine, str, SqlConnector]) -> None:
    engine, _schema, conn = estate
    found = _by_table(conn)
    wide = conn.sample(found["wide"], 10)
    assert len(wide.columns) == WIDE_COLUMNS and len(wide.rows[0]) == WIDE_COLUMNS
    assert wide.rows[0][WIDE_COLUMNS - 1] == str(WIDE_COLUMNS - 2)

    empty = conn.sample(found["empty"], 10)
    assert list(empty.rows) == [] and empty.complete

    kinds = conn.sample(found["kinds"], 10)
    row = dict(zip([c.name for c in kinds.columns], kinds.rows[0], strict=True))
    assert row["blob"] == b"\x00\xffbin" and isinstance(row["blob"], bytes)
    assert Decimal(str(row["amount"])) == Decimal("12.50")
    assert row["born"] == dt.date(2017, 1, 1)
    if engine.dialect.name == "mysql":
        # MariaDB's JSON is LONGTEXT: reflected as text, the classifier parses it.
        assert "13912345678" in str(row["doc"])
    else:
        assert row["doc"] == {"guardian": {"phone": "13912345678"}}
    if engine.dialect.name == "postgresql":
        assert row["tags"] == ["a", "b"]


def test_sample_limit_is_respected(estate: tuple[sa.Engine, str, SqlConnector]) -> None:
    _engine, _schema, conn = estate
    sample = conn.sample(_by_table(conn)["stream"], 100)
    assert len(sample.rows) == 100 and not sample.complete


def test_table_dropped_between_discovery_and_sample(estate: tuple[sa.Engine, str, SqlConnector]) -> None:
    engine, _schema, conn = estate
    found = _by_table(conn)
    with engine.begin() as c:
        c.execute(sa.text(f"DROP TABLE {engine.dialect.identifier_preparer.quote('Mixed Case')}"))
    with pytest.raises(PiScannerError, match="no longer exists") as info:
        conn.sample(found["Mixed Case"], 10)
    assert isinstance(info.value, TerminalError) and isinstance(info.value, ConnectorError)
    assert (info.value.connector, info.value.connector_type) == (conn.name, "sql")
    # The connector is still usable for the next table.
    assert conn.sample(found["order"], 10).rows


def test_iter_batches_streams_bounded_batches_pk_first(estate: tuple[sa.Engine, str, SqlConnector]) -> None:
    _engine, _schema, conn = estate
    found = _by_table(conn)
    batches = list(conn.iter_batches(found["stream"], ["v"], batch_size=1000))
    assert all(0 < len(b) <= 1000 for b in batches)
    assert sum(len(b) for b in batches) == STREAM_ROWS
    rows = sorted(r for b in batches for r in b)
    assert rows[0] == (1, "v1") and rows[-1] == (STREAM_ROWS, f"v{STREAM_ROWS}")
    hostile = [r for b in conn.iter_batches(found["a;drop table x"], ["sel;ect"], 10) for r in b]
    assert hostile == [(1, "x;y")]
    with pytest.raises(TerminalError, match="no column"):
        next(iter(conn.iter_batches(found["stream"], ["nope"])))


def test_statement_timeout_interrupts(estate: tuple[sa.Engine, str, SqlConnector], db_url: str) -> None:
    engine, _schema, _conn = estate
    slow = {
        "postgresql": sa.select(sa.func.pg_sleep(5)),
        "mysql": sa.select(sa.func.sleep(5)),
        "sqlite": sa.text("WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r"),
    }[engine.dialect.name]
    with SqlConnector("school", SqlConnectorConfig(url=db_url, statement_timeout_s=0.5)) as conn:
        ref = next(iter(conn.discover())).ref
        with pytest.raises(TransientError, match=r"timed out after 0\.5s"), conn._session() as c:
            try:
                c.execute(slow)
            except sa.exc.DBAPIError as exc:
                raise conn._read_error(exc, ref, "sampling") from None


@pytest.mark.postgres
def test_postgres_sample_times_out_on_locked_table(pg_url: str) -> None:
    engine, _schema = _build(pg_url)
    with SqlConnector("school", SqlConnectorConfig(url=pg_url, statement_timeout_s=0.5)) as conn:
        found = _by_table(conn)
        with engine.connect() as locker:
            locker.execute(sa.text('LOCK TABLE public."order" IN ACCESS EXCLUSIVE MODE'))
            with pytest.raises(TransientError, match=r"timed out after 0\.5s"):
                conn.sample(found["order"], 10)
            locker.rollback()
        assert conn.sample(found["order"], 10).rows
    engine.dispose()


@pytest.mark.postgres
def test_postgres_large_table_uses_tablesample(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE big (id int primary key, v text)"))
        c.execute(sa.text("INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 50000) g"))
        c.execute(sa.text("ANALYZE big"))
    with SqlConnector("school", SqlConnectorConfig(url=pg_url)) as conn:
        info = _by_table(conn)["big"]
        with conn._session() as session:
            table = conn._reflect(session, info.ref)
            stmt, method = conn.sample_statement(table, 1000, info.row_count_estimate)
        assert method == "tablesample"
        assert "TABLESAMPLE system" in str(stmt.compile(dialect=engine.dialect))
        sample = conn.sample(info, 1000)
        assert 500 <= len(sample.rows) <= 1000
        ids = sorted(r[0] for r in sample.rows)
        # Random pages, not the first 1000 rows.
        assert ids[-1] > 1000
        # A stale estimate (table emptied but not analysed) falls back to LIMIT and still returns rows.
        with engine.begin() as c:
            c.execute(sa.text("DELETE FROM big WHERE id > 10"))
        assert len(conn.sample(info, 1000).rows) == 10
    engine.dispose()


def test_concurrency_limit_serialises_queries(estate: tuple[sa.Engine, str, SqlConnector]) -> None:
    _engine, _schema, conn = estate
    found = _by_table(conn)
    batches = conn.iter_batches(found["stream"], ["v"], batch_size=10)
    next(batches)  # holds the only slot (max_concurrent_queries=1) until closed
    done = threading.Event()
    worker = threading.Thread(target=lambda: (conn.sample(found["order"], 5), done.set()))
    worker.start()
    assert not done.wait(0.5)
    batches.close()
    worker.join(10)
    assert done.is_set()


@pytest.mark.postgres
def test_postgres_unreachable_and_bad_credentials(pg_url: str) -> None:
    cfg = SqlConnectorConfig(url="postgresql://scanner@127.0.0.1:1/school", password=SecretStr("hunter2-pw"))
    with SqlConnector("school", cfg) as conn, pytest.raises(ConnectorError) as info:
        list(conn.discover())
    msg = str(info.value)
    assert "hunter2-pw" not in msg and "***" in msg and "'school'" in msg and "\n" not in msg
    bad_user = sa.make_url(pg_url).set(username="no_such_role_x", password="hunter2-pw")
    bad_cfg = SqlConnectorConfig(url=bad_user.render_as_string(False))
    with SqlConnector("school", bad_cfg) as conn, pytest.raises(ConnectorError, match="cannot connect") as info:
        list(conn.discover())
    assert "hunter2-pw" not in str(info.value)


@pytest.mark.mysql
def test_mysql_wrong_password(mysql_url: str) -> None:
    cfg = SqlConnectorConfig(url=mysql_url, password=SecretStr("wrong-pw-123"))
    url = sa.make_url(mysql_url)
    assert url.password is None
    with SqlConnector("school", cfg) as conn:
        assert "wrong-pw-123" not in conn.describe() and "***" in conn.describe()
        with pytest.raises(ConnectorError, match="cannot connect") as info:
            list(conn.discover())
    assert "wrong-pw-123" not in str(info.value) and "1045" in str(info.value)


def test_describe_masks_password_and_rewrites_driver() -> None:
    cfg = SqlConnectorConfig(url="postgresql://scanner@db.invalid/school", password=SecretStr("pw-secret-9"))
    with SqlConnector("school", cfg) as conn:
        assert conn.url.drivername == "postgresql+psycopg"
        assert "pw-secret-9" not in conn.describe() and "pw-secret-9" not in repr(conn)
    with SqlConnector("m", SqlConnectorConfig(url="mariadb://root@db.invalid/x")) as conn:
        assert conn.url.drivername == "mysql+pymysql"


def test_read_replica_is_scanned(sqlite_url: str, tmp_path: Any) -> None:
    replica = f"sqlite:///{tmp_path / 'replica.db'}"
    for url, table in ((sqlite_url, "primary_only"), (replica, "replica_only")):
        engine = sa.create_engine(url)
        with engine.begin() as c:
            c.execute(sa.text(f"CREATE TABLE {table} (id integer primary key)"))
        engine.dispose()
    with SqlConnector("s", SqlConnectorConfig(url=sqlite_url, read_replica_url=replica)) as conn:
        assert [a.ref.path for a in conn.discover()] == [("main", "replica_only")]
        assert "read replica" in conn.describe()


def test_missing_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingDependencyError, match=r"install `pi-scanner\[postgres\]`"):
        SqlConnector("school", SqlConnectorConfig(url="postgresql://u@db.invalid/x"))


def test_sessions_never_write(estate: tuple[sa.Engine, str, SqlConnector]) -> None:
    engine, _schema, conn = estate
    insert = sa.text("INSERT INTO empty (id, x) VALUES (7, 'w')")
    if engine.dialect.name == "postgresql":
        # Read-only transaction: the server refuses.
        with pytest.raises(sa.exc.InternalError, match="read-only"), conn._session() as c:
            c.execute(insert)
    else:
        # Always rolled back: nothing persists.
        with conn._session() as c:
            c.execute(insert)
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM empty")).scalar_one() == 0
