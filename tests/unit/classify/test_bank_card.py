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


@pytest.mark.parametrize("vec", VECTORS["bank_card_valid"], ids=lambda v: v["value"])
def test_luhn_pass_high(vec):
    hits = [d for d in found(vec["value"]) if d.entity == "CN_BANK_CARD"]
    assert len(hits) == 1 and hits[0].score >= 0.8


def test_luhn_fail_only_with_card_context():
    bad = VECTORS["bank_card_invalid"][0]["value"]
    assert "CN_BANK_CARD" not in entities(bad)
    hits = [d for d in found("银行卡号：" + bad) if d.entity == "CN_BANK_CARD"]
    assert len(hits) == 1 and 0.4 <= hits[0].score < 0.8 and hits[0].facts.kind == "luhn_fail"
    assert "CN_BANK_CARD" in entities(bad, ("bank_card_no",))


@pytest.mark.parametrize(
    "text", ["6212340000000", "861234567890127", "8986001234567890120", "1710489600000", "4111111111111111"]
)
def test_no_match(text):
    assert "CN_BANK_CARD" not in entities(text)
    assert "CN_BANK_CARD" not in entities(text, ("card_no",))


def test_grouped():
    assert "CN_BANK_CARD" in entities("6212 3400 0000 0001")
