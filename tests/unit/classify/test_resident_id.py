import datetime as dt
import json
from pathlib import Path

import pytest

from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.recognizers import default_recognizers
from pi_scanner.classify.recognizers.resident_id import (
    PrCardRecognizer,
    ResidencePermitRecognizer,
    ResidentIdRecognizer,
)

AS_OF = dt.date(2026, 3, 15)
VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))
ONE = FastEngine([ResidentIdRecognizer(AS_OF), ResidencePermitRecognizer(AS_OF), PrCardRecognizer(AS_OF)])
ALL = FastEngine(default_recognizers(AS_OF))
ID_ENTITIES = {"CN_RESIDENT_ID", "CN_RESIDENCE_PERMIT", "CN_PR_CARD"}


def detect(text, context=()):
    return ONE.detect_cell(normalize_cell(text), context)


@pytest.mark.parametrize("vec", VECTORS["resident_id_valid"], ids=lambda v: v["value"])
def test_valid_vectors(vec):
    found = detect(vec["value"])
    assert len(found) == 1
    d = found[0]
    assert (d.start, d.end) == (0, 18)
    expected = "CN_RESIDENCE_PERMIT" if vec["value"][:2] in ("81", "82", "83") else "CN_RESIDENT_ID"
    assert d.entity == expected
    assert d.facts.birth_date == dt.date.fromisoformat(vec["birth_date"])
    assert d.facts.sex == vec["sex"]
    assert d.facts.tier == "A"
    assert d.normalized == vec["value"]


@pytest.mark.parametrize("vec", VECTORS["resident_id_invalid"], ids=lambda v: v["value"])
def test_invalid_vectors_no_id(vec):
    assert not {d.entity for d in ALL.detect_cell(normalize_cell(vec["value"]))} & ID_ENTITIES


def test_lowercase_x_and_separators_and_fullwidth():
    assert detect("35020320100707002x")[0].facts.birth_date == dt.date(2010, 7, 7)
    assert detect("110105 20150304 1239")[0].normalized == "110105201503041239"
    assert detect("１１０１０５２０１５０３０４１２３９")[0].entity == "CN_RESIDENT_ID"
    assert detect("1101052015\u200b03041239")[0].entity == "CN_RESIDENT_ID"


@pytest.mark.parametrize("vec", VECTORS["resident_id_15_legacy"], ids=lambda v: v["value"])
def test_legacy15(vec):
    found = detect(vec["value"])
    if not vec["valid"]:
        assert found == []
        return
    assert found[0].facts.kind == "legacy15"
    assert found[0].facts.birth_date == dt.date.fromisoformat(vec["birth_date"])
    assert found[0].normalized == vec["upgraded_18"]


def test_masked_id_keeps_birth_date():
    d = detect("11010520150304****")[0]
    assert (d.entity, d.facts.kind, d.facts.birth_date) == ("CN_RESIDENT_ID", "masked", dt.date(2015, 3, 4))
    d = detect("110105********1239")[0]
    assert (d.facts.kind, d.facts.birth_date) == ("masked", None)
    assert detect("99010520150304****") == []


def test_excel_corrupted():
    assert detect("1.10105E+17")[0].facts.kind == "corrupted"
    d = detect("110105201503041000")  # Excel zeroed the tail: check fails
    assert d[0].facts.kind == "corrupted" and d[0].score < 0.5
    assert detect("9.1E+17") == []


def test_pr_card_and_uscc():
    body = "93101120150304012"
    from pi_scanner.classify.checksums import mod11_2_check

    pr = body + mod11_2_check(body)
    d = detect(pr)
    assert d[0].entity == "CN_PR_CARD" and d[0].facts.birth_date == dt.date(2015, 3, 4)
    assert detect("91110000600037341L") == []
    # An all-numeric string that is both a valid credit code and MOD 11-2 valid with a real date
    # is an enterprise, not a PR card: find one deterministically.
    from stdnum.cn import uscc

    for seq in range(1000):
        body = f"93110120150304{seq:03d}"
        cand = body + mod11_2_check(body)
        if uscc.is_valid(cand):
            break
    else:  # pragma: no cover
        pytest.fail("no collision found")
    assert detect(cand) == []


def test_order_number_context_gives_possible_id():
    d = ALL.detect_cell("订单号110105201503041239")
    ric = [x for x in d if x.entity == "CN_RESIDENT_ID"]
    assert len(ric) == 1 and ric[0].score <= 0.2 and ric[0].facts.kind == "possible"
    assert ric[0].facts.tier is None
    col = [x for x in ALL.detect_cell("110105201503041239", ("order_no",)) if x.entity == "CN_RESIDENT_ID"]
    assert col[0].score <= 0.2 and col[0].facts.tier is None


def test_positive_context_boosts():
    plain = detect("110105201503041239")[0].score
    assert detect("身份证号：110105201503041239")[0].score > plain
    assert detect("110105201503041239", ("sfzh",))[0].score > plain


@pytest.mark.parametrize(
    "text",
    ["1101052015030412391", "a110105201503041239", "110105201503041239b", "2024031522001412345678901234"],
)
def test_never_inside_longer_runs(text):
    assert not {d.entity for d in detect(text)} & ID_ENTITIES
