"""Accuracy floors on the synthetic corpus and on the spec's test vectors."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.corpus import generate, ric, true_status
from pi_scanner.classify.evaluate import run
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AssetKind, AssetRef, ChildStatus, ColumnInfo, Sample

AS_OF = dt.date(2026, 3, 15)
VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))


@pytest.fixture(scope="module", params=["legal", "calendar"])
def result(request: pytest.FixtureRequest) -> dict[str, Any]:
    return run(seed=3, size=80, mode=request.param)


def test_f1_floor_per_entity(result: dict[str, Any]) -> None:
    assert len(result["cell"]) >= 8  # the corpus really exercises the recognizers
    for level in ("cell", "column"):
        for entity, m in result[level].items():
            assert m["f1"] >= 0.95, (level, entity, m)


def test_no_negative_row_is_a_child(result: dict[str, Any]) -> None:
    rows = result["rows"]
    assert rows["false_child"] == 0
    assert rows["negative_tables_child_rows"] == 0
    assert rows["child_accuracy"] >= 0.99
    assert rows["missed_child"] <= rows["total"] * 0.01


def test_corpus_is_deterministic_and_has_boundaries() -> None:
    a, b = generate(seed=5, size=10), generate(seed=5, size=10)
    assert [list(t.sample.rows) for t in a] == [list(t.sample.rows) for t in b]
    assert [list(t.sample.rows) for t in generate(seed=6, size=10)] != [list(t.sample.rows) for t in a]
    students = a[0]
    labels = students.row_labels
    assert ChildStatus.CHILD in labels and ChildStatus.MINOR_14_17 in labels and ChildStatus.ADULT in labels
    # DOB exactly 14 years before as_of is a child in legal mode only.
    assert true_status(dt.date(2012, 3, 15), AS_OF, "legal") is ChildStatus.CHILD
    assert true_status(dt.date(2012, 3, 15), AS_OF, "calendar") is ChildStatus.MINOR_14_17
    assert ric("110105", dt.date(2015, 3, 4), 123) == "110105201503041239"


def test_harness_can_fail() -> None:
    """Degraded classifiers score below the floors: the harness has teeth."""
    no_names = Classifier(ClassifierConfig(), AS_OF)
    no_names._name_shape = None  # no column-level name decision
    r = run(seed=1, size=30, classifier=no_names)
    assert r["cell"]["PERSON_NAME"]["f1"] < 0.95
    # Judging ages in calendar mode against legal-mode truth misses the birthday-boundary child.
    r2 = run(seed=1, size=30, classifier=Classifier(ClassifierConfig(child_mode="calendar"), AS_OF))
    assert r2["rows"]["missed_child"] >= 1


def _one_row(column: str, value: str, mode: str = "legal") -> ChildStatus:
    clf = Classifier(ClassifierConfig(child_mode=mode), AS_OF)  # type: ignore[arg-type]
    s = Sample(AssetRef("v", AssetKind.TABLE, ("t",)), [ColumnInfo(column)], [[value], [value]])
    return clf.row_verdicts(s)[0]


@pytest.mark.parametrize("vector", VECTORS["resident_id_valid"], ids=lambda v: v["value"])
def test_every_id_vector_child_status(vector: dict[str, Any]) -> None:
    for mode in ("legal", "calendar"):
        status = _one_row("sfzh", vector["value"], mode)
        assert (status is ChildStatus.CHILD) is vector[f"is_child_{mode}"], mode
        if vector["age_on_reference"] >= 18:
            assert status is ChildStatus.ADULT


@pytest.mark.parametrize("vector", VECTORS["student_reg_no"], ids=lambda v: v["value"])
def test_student_number_vectors(vector: dict[str, Any]) -> None:
    status = _one_row("xjh", vector["value"])
    assert (status is ChildStatus.CHILD) is vector["valid"]


@pytest.mark.parametrize("vector", VECTORS["resident_id_15_legacy"], ids=lambda v: v["value"])
def test_legacy_ids_are_never_children(vector: dict[str, Any]) -> None:
    assert _one_row("sfzh", vector["value"]) is not ChildStatus.CHILD


@pytest.mark.parametrize("vector", VECTORS["birth_date_formats"], ids=lambda v: v["input"])
def test_birth_date_vectors_in_a_birth_column(vector: dict[str, Any]) -> None:
    status = _one_row("csrq", vector["input"])
    if vector["expect"] in ("2015-03-04", "2015-03 (month precision)", "2015 (year precision)"):
        assert status is ChildStatus.CHILD
    else:
        assert status is not ChildStatus.ADULT  # ambiguous DD/MM: both readings are 2015
