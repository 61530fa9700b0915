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


@pytest.mark.parametrize("vec", VECTORS["taiwan_id_valid"], ids=lambda v: v["value"])
def test_valid(vec):
    hits = [d for d in found(vec["value"]) if d.entity == "TW_ID"]
    assert len(hits) == 1
    expected_sex = {"1": "M", "2": "F"}.get(vec["value"][1])
    assert hits[0].facts.sex == expected_sex


@pytest.mark.parametrize("vec", VECTORS["taiwan_id_invalid"], ids=lambda v: v["value"])
def test_invalid(vec):
    assert "TW_ID" not in entities(vec["value"])


@pytest.mark.parametrize("text", ["a123456789", "A1234567890", "AA123456789"])
def test_no_match(text):
    assert "TW_ID" not in entities(text)
