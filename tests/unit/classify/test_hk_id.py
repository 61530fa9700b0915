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


@pytest.mark.parametrize("vec", VECTORS["hkid_valid"], ids=lambda v: v["value"])
def test_valid(vec):
    hits = [d for d in found(vec["value"]) if d.entity == "HK_ID"]
    assert len(hits) == 1 and (hits[0].start, hits[0].end) == (0, len(vec["value"]))
    bare = vec["value"].replace("(", "").replace(")", "")
    assert "HK_ID" in entities(bare)


@pytest.mark.parametrize("vec", VECTORS["hkid_invalid"], ids=lambda v: v["value"])
def test_invalid(vec):
    assert "HK_ID" not in entities(vec["value"])


def test_paren_scores_higher_than_bare():
    paren = next(d for d in found("A123456(3)") if d.entity == "HK_ID").score
    bare = next(d for d in found("A1234563") if d.entity == "HK_ID").score
    assert paren > bare


def test_two_in_a_row():
    assert len([d for d in found("A123456(3)CA182361(1)") if d.entity == "HK_ID"]) == 2
