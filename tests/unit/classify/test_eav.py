"""EAV detection from metadata, label cleaning, virtual samples and merging (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.eav import (
    MAX_LABEL_CHARS,
    Definitions,
    RowsLayout,
    TableMeta,
    WideLayout,
    clean_label,
    detect_layouts,
    field_column_names,
    field_key,
    field_samples,
    merge_results,
    pivot_sample,
    relabel_wide,
)
from pi_scanner.config import ClassifierConfig
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

AS_OF = dt.date(2026, 3, 15)


def t(name: str, *cols: str, pk: tuple[str, ...] = (), fks: dict[str, str] | None = None) -> TableMeta:
    return TableMeta(("s", name), tuple(ColumnInfo(c) for c in cols), pk, fks or {})


GIBBON_FIELD = t("gibbonPersonField", "gibbonPersonFieldID", "name", "type", pk=("gibbonPersonFieldID",))
GIBBON_PERSON = t("gibbonPerson", "gibbonPersonID", "name", "email", pk=("gibbonPersonID",))


def only(layouts: list[object]) -> object:
    assert len(layouts) == 1, layouts
    return layouts[0]


def test_gibbon_with_foreign_keys() -> None:
    values = t(
        "gibbonPersonFieldValue", "gibbonPersonFieldValueID", "gibbonPersonID", "gibbonPersonFieldID", "value",
        pk=("gibbonPersonFieldValueID",),
        fks={"gibbonPersonID": "gibbonPerson.gibbonPersonID",
             "gibbonPersonFieldID": "gibbonPersonField.gibbonPersonFieldID"},
    )
    layout = only(detect_layouts([GIBBON_PERSON, GIBBON_FIELD, values]))
    assert layout == RowsLayout(
        values.path, "gibbonPersonID", "gibbonPersonFieldID", "value",
        Definitions(GIBBON_FIELD.path, "gibbonPersonFieldID", "name"),
    )


def test_gibbon_without_foreign_keys_matches_by_id_column_name() -> None:
    values = t("gibbonPersonFieldValue", "gibbonPersonFieldValueID", "gibbonPersonID", "gibbonPersonFieldID",
               "value", pk=("gibbonPersonFieldValueID",))
    layout = only(detect_layouts([GIBBON_PERSON, GIBBON_FIELD, values]))
    assert isinstance(layout, RowsLayout)
    assert (layout.entity_column, layout.field_column) == ("gibbonPersonID", "gibbonPersonFieldID")


@pytest.mark.parametrize(
    ("defs", "values", "expected"),
    [
        (t("custom_fields", "id", "title", "type", pk=("id",)),
         t("custom_field_values", "source_id", "custom_field_id", "value"),
         ("source_id", "custom_field_id", "value", "id", "title")),
        (t("field_definitions", "id", "label", pk=("id",)),
         t("field_values", "id", "entity_id", "field_id", "val", pk=("id",)),
         ("entity_id", "field_id", "val", "id", "label")),
        (t("自定义字段", "字段ID", "字段名称"),
         t("自定义字段值", "人员ID", "字段ID", "值"),
         ("人员ID", "字段ID", "值", "字段ID", "字段名称")),
        (t("attributes", "attr_key", "display_name", pk=("attr_key",)),
         t("person_attribute_data", "person_ref", "attribute_id", "data",
           fks={"person_ref": "people.id", "attribute_id": "attributes.attr_key"}),
         ("person_ref", "attribute_id", "data", "attr_key", "display_name")),
    ],
)
def test_values_table_shapes(defs: TableMeta, values: TableMeta, expected: tuple[str, ...]) -> None:
    layout = only(detect_layouts([defs, values]))
    assert isinstance(layout, RowsLayout)
    d = layout.definitions
    assert (layout.entity_column, layout.field_column, layout.value_column, d.id_column, d.label_column) == expected
    assert d.path == defs.path and d.note == "eav:" + "/".join(defs.path)


def test_wide_custom_columns() -> None:
    defs = t("custom_fields", "id", "title", pk=("id",))
    wide = t("students", "id", "CUSTOM_200000000", "custom7", "customer_name", pk=("id",))
    layout = only(detect_layouts([defs, wide]))
    assert layout == WideLayout(wide.path, (("CUSTOM_200000000", "200000000"), ("custom7", "7")),
                                Definitions(defs.path, "id", "title"))


@pytest.mark.parametrize(
    "tables",
    [
        # values-shaped, but nothing defines the fields
        [t("attribute_values", "id", "entity_id", "field_id", "value", pk=("id",))],
        # the referenced table has no label column
        [t("fields", "id", "kind", pk=("id",)),
         t("field_values", "entity_id", "field_id", "value", fks={"field_id": "fields.id"})],
        # a foreign key to a person table (which has `name`) is not a field reference
        [GIBBON_PERSON, t("enrolments", "id", "gibbonPersonID", "value", pk=("id",),
                          fks={"gibbonPersonID": "gibbonPerson.gibbonPersonID"})],
        # CUSTOM_<n> columns with no definitions table anywhere
        [t("students", "id", "CUSTOM_1", pk=("id",)), GIBBON_PERSON],
        # a definitions table alone is not a values table
        [GIBBON_FIELD],
    ],
)
def test_no_layout(tables: list[TableMeta]) -> None:
    assert detect_layouts(tables) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("National ID", "National ID"),
        ("'); DROP TABLE x; --", "'); DROP TABLE x; --"),
        ("a\x00b\tc\n\u202ed\u200b", "a b c d"),
        ("  spaced   out  ", "spaced out"),
        ("110105201503041239", "11****************"),
        ("tel 13800138000", "tel 13*********"),
        ("ID 11010520150304123X", "ID 11***************X"),
        (b"\xe5\x87\xba\xe7\x94\x9f", "出生"),
        (None, ""),
    ],
)
def test_clean_label(raw: object, expected: str) -> None:
    assert clean_label(raw) == expected


def test_clean_label_caps_length() -> None:
    out = clean_label("字" * 1000)
    assert len(out) == MAX_LABEL_CHARS and out.endswith("…")


def test_field_column_names_unique() -> None:
    names = field_column_names("value", {"1": "Phone", "2": "Phone", "3": "", "4": None, "5": "Phone#2"})
    assert names == {
        "1": "value[Phone]", "2": "value[Phone#2]", "3": "value[#3]", "4": "value[#4]", "5": "value[Phone#2#5]",
    }
    assert len(set(names.values())) == len(names)


@pytest.mark.parametrize(("raw", "key"), [(7, "7"), (7.0, "7"), (b"7", "7"), (" 7 ", "7"), ("7.00", "7"),
                                         ("007", "007"), ("abc", "abc")])
def test_field_key(raw: object, key: str) -> None:
    assert field_key(raw) == key


REF = AssetRef("db", AssetKind.TABLE, ("s", "custom_field_values"))


def test_pivot_groups_by_entity_and_caps() -> None:
    names = {"1": "value[ID]", "2": "value[Size]"}
    triples = [(10, 1, "a"), (10, "2", "M"), (11, 2, "S"), (10, 1, "dup"), (12, 9, "unknown field"),
               (None, 1, "no entity"), (13, 1, "b")]
    sample = pivot_sample(REF, names, triples, max_entities=2)
    assert [c.name for c in sample.columns] == ["value[ID]", "value[Size]"]
    assert list(sample.rows) == [("a", "M"), (None, "S")]  # first value wins; entity 13 is over the cap


def test_field_samples_and_classification() -> None:
    ids = ["110105201503041239", "44030520120316033X", "330106202011110025"]
    names = field_column_names("value", {"1": "National ID", "2": "T-shirt size"})
    samples = field_samples(REF, names, {"1": [(i, v) for i, v in enumerate(ids)], "2": [(0, "M"), (1, "L")]},
                            complete={"1": True})
    assert samples["1"].complete and not samples["2"].complete
    classifier = Classifier(ClassifierConfig(), AS_OF)
    by_field = {k: classifier.classify(s) for k, s in samples.items()}
    assert by_field["1"].columns[0].name == "value[National ID]"
    assert by_field["1"].columns[0].entity_types[0] == "CN_RESIDENT_ID"
    assert by_field["2"].columns == ()


def test_relabel_wide_keeps_rows_and_types() -> None:
    layout = WideLayout(("s", "students"), (("CUSTOM_1", "1"), ("CUSTOM_2", "2")),
                        Definitions(("s", "custom_fields"), "id", "title"))
    sample = Sample(AssetRef("db", AssetKind.TABLE, ("s", "students")),
                    (ColumnInfo("id", "integer"), ColumnInfo("CUSTOM_1", "date"), ColumnInfo("CUSTOM_2", "text")),
                    [(1, dt.date(2016, 5, 4), "x")])
    out, renamed = relabel_wide(sample, layout, {"1": "出生日期"})
    assert [c.name for c in out.columns] == ["id", "CUSTOM_1[出生日期]", "CUSTOM_2"]
    assert out.columns[1].type_name == "date" and out.rows == sample.rows
    assert renamed == {"CUSTOM_1[出生日期]": "CUSTOM_1"}


def _finding(name: str, suspected: bool = False) -> ColumnFinding:
    return ColumnFinding(name, ("CN_RESIDENT_ID",), 0.9, 3, 3, suspected=suspected)


def test_merge_replaces_mixture_and_takes_most_severe() -> None:
    ordinary = AssetResult(REF, (_finding("value", True), _finding("source_id")), ChildStatus.UNKNOWN, 100,
                           AgeCounts(unknown=100))
    field = AssetResult(REF, (_finding("value[National ID]"),), ChildStatus.CHILD, 3, AgeCounts(child=3))
    pivot = AssetResult(REF, (_finding("value[National ID]"),), ChildStatus.CHILD, 2, AgeCounts(child=2),
                        ("child_purposed",))
    merged = merge_results(ordinary, [field], pivot, replaced="value", note="eav:s/custom_fields")
    assert [f.name for f in merged.columns] == ["source_id", "value[National ID]"]
    assert merged.child_status is ChildStatus.CHILD
    assert merged.ages == AgeCounts(child=2) and merged.rows_scanned == 2
    assert merged.notes == ("child_purposed", "eav:s/custom_fields")
