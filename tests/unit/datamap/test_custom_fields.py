"""datamap.custom_fields on a real SQLite store: bounded reads, unreadable definitions, picklable annotations."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import pytest
import sqlalchemy as sa

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.eav import MAX_FIELDS, Definitions, RowsLayout
from pi_scanner.config import ClassifierConfig, SqlConnectorConfig
from pi_scanner.connectors.base import AssetInfo
from pi_scanner.connectors.sql import SqlConnector
from pi_scanner.datamap import custom_fields
from pi_scanner.models import ChildStatus

AS_OF = dt.date(2026, 3, 15)
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric(i: int) -> str:
    body = f"3101152016{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _W, strict=True)) % 11]


@pytest.fixture
def store(sqlite_url: str) -> tuple[SqlConnector, dict[str, AssetInfo]]:
    engine = sa.create_engine(sqlite_url)
    md = sa.MetaData()
    defs = sa.Table("custom_fields", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("title", sa.Text))
    vals = sa.Table("custom_field_values", md, sa.Column("source_id", sa.Integer),
                    sa.Column("custom_field_id", sa.Text), sa.Column("value", sa.Text))
    md.create_all(engine)
    with engine.begin() as conn:
        # 80 fields: more than read (MAX_FIELDS 50); field 1 holds IDs, the rest filler.
        conn.execute(defs.insert(), [{"id": i, "title": "身份证号" if i == 1 else f"f{i}"} for i in range(1, 81)])
        # ids stored as text in the values table ('1'), integers in the definitions: compared after conversion
        conn.execute(vals.insert(), [
            {"source_id": p, "custom_field_id": str(f), "value": ric(p) if f == 1 else "x"}
            for p in range(300) for f in (1, 2, 3)
        ])
    engine.dispose()
    connector = SqlConnector("db", SqlConnectorConfig(type="sql", url=sqlite_url))
    infos = {i.ref.path[-1]: i for i in custom_fields.annotate(list(connector.discover()))}
    return connector, infos


def test_annotate_and_pickle(store: tuple[SqlConnector, dict[str, AssetInfo]]) -> None:
    connector, infos = store
    layout = custom_fields.layout_of(infos["custom_field_values"])
    assert isinstance(layout, RowsLayout) and layout.field_column == "custom_field_id"
    assert isinstance(custom_fields.layout_of(infos["custom_fields"]), Definitions)
    # Work units travel to other processes (process pool, Dask): the annotation must survive pickling.
    assert pickle.loads(pickle.dumps(infos["custom_field_values"])) == infos["custom_field_values"]
    connector.close()


def test_bounded_reads_and_per_entity_ages(store: tuple[SqlConnector, dict[str, AssetInfo]]) -> None:
    connector, infos = store
    info = infos["custom_field_values"]
    classifier = Classifier(ClassifierConfig(), AS_OF)
    sample = connector.sample(info, 100)
    calls: list[int] = []
    real = connector.read_where

    def counting(*args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        rows = real(*args, **kwargs)
        calls.append(len(rows))
        return rows

    connector.read_where = counting  # type: ignore[method-assign]
    result = custom_fields.apply(connector, classifier, info, sample, classifier.classify(sample), rows_per_field=40)
    # definitions (50 of 80 read), one statement per field read, one pivot statement
    assert len(calls) == 1 + MAX_FIELDS + 1 and calls[0] == MAX_FIELDS
    assert max(calls[1:-1]) == 40 and calls[-1] == 40 * 3  # 40 entities x their 3 fields with values
    found = {f.name: f for f in result.columns}
    assert found["value[身份证号]"].entity_types[0] == "CN_RESIDENT_ID"
    assert found["value[身份证号]"].sampled == 40  # at most rows_per_field values of the field
    assert result.rows_scanned == 40 and result.ages.child == 40  # one record per entity, capped
    assert result.child_status is ChildStatus.CHILD
    assert "eav:main/custom_fields" in result.notes
    assert custom_fields.census_columns(info, (("value[身份证号]", "CN_RESIDENT_ID"),)) == ()
    connector.close()


def test_unreadable_definitions_keep_the_ordinary_result(
    store: tuple[SqlConnector, dict[str, AssetInfo]], sqlite_url: str
) -> None:
    connector, infos = store
    info = infos["custom_field_values"]
    classifier = Classifier(ClassifierConfig(), AS_OF)
    sample = connector.sample(info, 100)
    ordinary = classifier.classify(sample)
    engine = sa.create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(sa.schema.DropTable(sa.Table("custom_fields", sa.MetaData())))
    engine.dispose()
    result = custom_fields.apply(connector, classifier, info, sample, ordinary)
    assert result.columns == ordinary.columns and result.child_status == ordinary.child_status
    assert result.notes[-1] == custom_fields.UNREADABLE_NOTE
    connector.close()


def test_empty_definitions_stay_ordinary(sqlite_url: str) -> None:
    engine = sa.create_engine(sqlite_url)
    md = sa.MetaData()
    sa.Table("custom_fields", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("title", sa.Text))
    vals = sa.Table("custom_field_values", md, sa.Column("source_id", sa.Integer),
                    sa.Column("custom_field_id", sa.Integer), sa.Column("value", sa.Text))
    md.create_all(engine)
    with engine.begin() as conn:
        conn.execute(vals.insert(), [{"source_id": 1, "custom_field_id": 1, "value": ric(1)}])
    engine.dispose()
    connector = SqlConnector("db", SqlConnectorConfig(type="sql", url=sqlite_url))
    info = {i.ref.path[-1]: i for i in custom_fields.annotate(list(connector.discover()))}["custom_field_values"]
    classifier = Classifier(ClassifierConfig(), AS_OF)
    sample = connector.sample(info, 10)
    ordinary = classifier.classify(sample)
    assert custom_fields.apply(connector, classifier, info, sample, ordinary) == ordinary
    connector.close()
