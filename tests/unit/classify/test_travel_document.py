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


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("E12345678", "CN_PASSPORT"),
        ("EA1234567", "CN_PASSPORT"),
        ("G12345678", "CN_PASSPORT"),
        ("K12345678", "CN_PASSPORT"),
        ("MA1234567", "CN_PASSPORT"),
        ("DE1234567", "CN_PASSPORT"),
        ("S12345678", "CN_PASSPORT"),
        ("H12345678", "CN_TRAVEL_PERMIT"),
        ("M1234567801", "CN_TRAVEL_PERMIT"),
        ("C12345678", "CN_TRAVEL_PERMIT"),
        ("CA1234567", "CN_TRAVEL_PERMIT"),
    ],
)
def test_valid(text, entity):
    assert entity in entities(text)


@pytest.mark.parametrize(
    "text", ["E1234567", "EI1234567", "E00000000", "e12345678", "E123456789", "XE12345678", "H123456789"]
)
def test_no_match(text):
    assert not entities(text) & {"CN_PASSPORT", "CN_TRAVEL_PERMIT"}


def test_numeric_taiwan_permit_needs_context():
    assert "CN_TRAVEL_PERMIT" not in entities("12345678")
    assert "CN_TRAVEL_PERMIT" in entities("台胞证号码 12345678")
    assert "CN_TRAVEL_PERMIT" in entities("1234567890(B)", ("台胞证",))


def test_context_raises_score():
    plain = next(d for d in found("E12345678") if d.entity == "CN_PASSPORT").score
    ctx = next(d for d in found("护照号：E12345678") if d.entity == "CN_PASSPORT").score
    assert ctx > plain
