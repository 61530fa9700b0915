import datetime as dt
import json
from pathlib import Path

import pytest

from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.recognizers import default_recognizers

AS_OF = dt.date(2026, 3, 15)
VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))
ALL = FastEngine(default_recognizers(AS_OF))


def found(text, context=()):
    return ALL.detect_cell(normalize_cell(text), context)


def entities(text, context=()):
    return {d.entity for d in found(text, context)}


@pytest.mark.parametrize("vec", VECTORS["student_reg_no"], ids=lambda v: v["value"])
def test_vectors(vec):
    hits = [d for d in found(vec["value"]) if d.entity == "CN_STUDENT_NUMBER"]
    if vec["valid"]:
        assert len(hits) == 1 and hits[0].facts.tier == "A"
        assert hits[0].facts.birth_date.year == 2015
        assert hits[0].facts.kind == vec["value"][0]
    else:
        assert hits == []


@pytest.mark.parametrize(
    "text", ["G1101052015030412391", "L44030520151309734", "L440305203009097342", "g110105201503041239"]
)
def test_no_match(text):
    assert "CN_STUDENT_NUMBER" not in entities(text)


def test_embedded_in_text_with_context():
    d = next(x for x in found("学籍号：G110105201503041239。") if x.entity == "CN_STUDENT_NUMBER")
    assert d.score == 1.0 and d.facts.birth_date == dt.date(2015, 3, 4)
