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


@pytest.mark.parametrize("vec", VECTORS["landline_valid"], ids=lambda v: v["value"])
def test_valid(vec):
    hits = [d for d in found(vec["value"]) if d.entity == "CN_LANDLINE"]
    assert len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(vec["value"]))


@pytest.mark.parametrize("vec", VECTORS["landline_invalid"], ids=lambda v: v["value"])
def test_invalid(vec):
    assert "CN_LANDLINE" not in entities(vec["value"])


@pytest.mark.parametrize("text", ["400-810-8888", "800-820-8820", "95588", "12306", "10086", "+86 400 810 8888"])
def test_not_personal(text):
    assert not entities(text) & {"CN_LANDLINE", "CN_MOBILE"}


def test_extension_and_parentheses():
    d = next(x for x in found("(010)62345678 转 8001") if x.entity == "CN_LANDLINE")
    assert d.normalized == "1062345678"
