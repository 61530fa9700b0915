"""The classifier end to end over the real recognizers."""

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from pi_scanner.classify.classifier import Classifier
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AssetKind, AssetRef, ChildStatus, ColumnInfo, Sample

AS_OF = dt.date(2026, 3, 15)
VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))


def _sample(table: str, columns: list[str], rows: list[list[object]], comment: str = "") -> Sample:
    return Sample(
        AssetRef("db", AssetKind.TABLE, ("public", table)),
        [ColumnInfo(c) for c in columns],
        rows,
        table_comment=comment,
    )


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(ClassifierConfig(), AS_OF)


def test_student_table_with_guardians(clf: Classifier) -> None:
    s = _sample(
        "xs_jbxx",
        ["sfzh", "CSRQ", "jhr_sfzh", "JHR_DH"],
        [
            ["110105201503041239", "20150304", "11010519491231002X", "13800138000"],
            ["440305201203140320", "2012-03-14", "360426199101010071", "13912345678"],
            ["", "", "360426199101010071", "13912345679"],
        ],
    )
    r = clf.classify(s)
    assert r.child_status == ChildStatus.CHILD
    assert (r.ages.child, r.ages.minor_14_17) == (1, 1)
    by = {f.name: f for f in r.columns}
    assert by["sfzh"].entity_types[0] == "CN_RESIDENT_ID" and not by["sfzh"].suspected
    assert by["jhr_sfzh"].subject_role == "guardian"
    assert by["CSRQ"].entity_types == ("DATE_OF_BIRTH",)
    assert by["sfzh"].articles == (9, 11, 12, 13)
    text = repr(r)
    for raw in ("110105201503041239", "13800138000", "20150304", "11010519491231002X"):
        assert raw not in text
    assert all(f.masked_examples == () for f in r.columns)
    # The guardian-only row: the parents' adult ID neither makes it adult nor a child.
    assert clf.row_verdicts(s)[2] not in (ChildStatus.ADULT, ChildStatus.CHILD)


def test_guardian_id_alone_does_not_make_rows_adult(clf: Classifier) -> None:
    s = _sample("enrol", ["jhr_sfzh", "remark"], [["11010519491231002X", ""], ["360426199101010071", ""]])
    assert ChildStatus.ADULT not in clf.row_verdicts(s)
    assert clf.classify(s).ages.adult == 0


def test_business_table_is_not_pi(clf: Classifier) -> None:
    negatives = [v["value"] for v in VECTORS["negatives"]]
    rows = [
        [f"2024031522001{i:015d}", f"17676123456789{i:05d}", str(1710489600000 + i), "861234567890127",
         "91110000600037341L", "400-810-8888", negatives[i % len(negatives)]]
        for i in range(40)
    ]
    rows[3][0] = "110105201503041239"  # one structurally valid ID among order numbers
    s = _sample("orders", ["order_no", "snowflake_id", "created_ms", "imei", "uscc", "hotline", "memo"], rows)
    r = clf.classify(s)
    assert r.columns == ()
    assert r.child_status == ChildStatus.NONE
    assert r.ages.child == 0 and r.ages.likely_child == 0


def test_notes_with_age_and_pi_make_a_child(clf: Classifier) -> None:
    s = _sample(
        "feedback",
        ["mobile", "notes"],
        [["13800138000", "我今年8岁，喜欢画画"], ["13912345678", "我今年9岁了"], ["13700001111", ""]],
    )
    r = clf.classify(s)
    assert r.child_status == ChildStatus.CHILD
    assert clf.row_verdicts(s)[:2] == [ChildStatus.CHILD, ChildStatus.CHILD]
    assert clf.row_verdicts(s)[2] != ChildStatus.CHILD


def test_empty_kindergarten_table_is_child_purposed(clf: Classifier) -> None:
    s = _sample("kindergarten_children", ["XM", "CSRQ", "jhr_dh"], [[None, None, None]] * 3)
    r = clf.classify(s)
    assert r.child_status == ChildStatus.CHILD
    assert "child_purposed" in r.notes
    assert all(f.suspected and f.confidence <= 0.5 for f in r.columns)
    empty_menu = clf.classify(_sample("kindergarten_menu", ["dish", "price"], [["面条", "5"]]))
    assert empty_menu.child_status == ChildStatus.NONE


def test_encrypted_id_column(clf: Classifier) -> None:
    f = Fernet(Fernet.generate_key())
    rows: list[list[object]] = [[f.encrypt(b"110105201503041239").decode(), "20150304"] for _ in range(4)]
    r = clf.classify(_sample("students", ["sfzh", "csrq"], rows))
    by = {c.name: c for c in r.columns}
    assert by["sfzh"].encrypted and 13 not in by["sfzh"].articles
    assert not by["csrq"].encrypted and 13 in by["csrq"].articles
    assert r.child_status == ChildStatus.CHILD


def test_detections_api_returns_accepted_only(clf: Classifier) -> None:
    s = _sample("t", ["sfzh", "order_no"], [["110105201503041239", "110105201503041239"],
                                             ["440305201203150318", "A-1"], ["", "A-2"]])
    d = clf.detections(s)
    assert [x.entity for x in d["sfzh"][0]] == ["CN_RESIDENT_ID"]
    assert d["order_no"] == [[], [], []]


def test_show_examples_masks(clf: Classifier) -> None:
    c = Classifier(ClassifierConfig(), AS_OF, show_examples=True)
    r = c.classify(_sample("t", ["sfzh"], [["110105201503041239"], ["440305201203150318"]]))
    assert r.columns[0].masked_examples == ("110105********1239", "440305********0318")
    hidden = Classifier(ClassifierConfig(examples="none"), AS_OF, show_examples=True)
    assert hidden.classify(_sample("t", ["sfzh"], [["110105201503041239"]] * 2)).columns[0].masked_examples == ()


@pytest.mark.parametrize("vector", VECTORS["resident_id_valid"], ids=lambda v: v["value"])
@pytest.mark.parametrize("mode", ["legal", "calendar"])
def test_every_resident_id_vector(vector: dict[str, object], mode: str) -> None:
    c = Classifier(ClassifierConfig(child_mode=mode), AS_OF)  # type: ignore[arg-type]
    s = _sample("people", ["id_card"], [[vector["value"]], [vector["value"]]])
    status = c.row_verdicts(s)[0]
    assert (status == ChildStatus.CHILD) is vector[f"is_child_{mode}"]


@pytest.mark.parametrize("vector", VECTORS["negatives"], ids=lambda v: v["kind"])
def test_no_negative_is_a_child(clf: Classifier, vector: dict[str, str]) -> None:
    if "order_no" in vector["kind"]:
        # The vector's setting: an ID-shaped number in an order-number column, or after 订单号.
        samples = [
            _sample("misc", ["order_no"], [[vector["value"]]] * 3),
            _sample("misc", ["memo"], [["订单号" + vector["value"]]] * 3),
        ]
    else:
        samples = [_sample("misc", ["value"], [[vector["value"]]] * 3)]
    for s in samples:
        r = clf.classify(s)
        if "order_no" in vector["kind"]:
            assert all(f.suspected and f.confidence <= 0.2 for f in r.columns)  # at most a "possible ID"
        assert r.child_status not in (ChildStatus.CHILD, ChildStatus.LIKELY_CHILD)
        assert r.ages.child == 0 and r.ages.likely_child == 0
