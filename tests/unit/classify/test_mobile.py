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


@pytest.mark.parametrize("vec", VECTORS["mobile_valid"], ids=lambda v: v["value"])
def test_valid(vec):
    hits = [d for d in found(vec["value"]) if d.entity == "CN_MOBILE"]
    assert len(hits) == 1
    assert (hits[0].start, hits[0].end) == (0, len(vec["value"]))
    assert len(hits[0].normalized) == 11


@pytest.mark.parametrize("vec", VECTORS["mobile_invalid"], ids=lambda v: v["value"])
def test_invalid(vec):
    assert "CN_MOBILE" not in entities(vec["value"])


@pytest.mark.parametrize(
    "text",
    [
        "1710489600000",  # epoch ms containing a "valid" mobile
        "861234567890127",  # IMEI
        "8986001234567890120",  # ICCID
        "2024031513800138000",  # order number
        "a13800138000",
        "13800138000b",
        "138001380001",
        "1.3800138000",
    ],
)
def test_never_inside_longer_runs(text):
    assert "CN_MOBILE" not in entities(text)


def test_in_text_and_masked():
    d = next(x for x in found("家长手机：13912345678，备用") if x.entity == "CN_MOBILE")
    assert d.score > 0.75 and d.normalized == "13912345678"
    m = next(x for x in found("138****8000") if x.entity == "CN_MOBILE")
    assert m.facts.kind == "masked"
    assert "CN_MOBILE" not in entities("128****8000")


def test_fullwidth_and_zero_width():
    assert "CN_MOBILE" in entities("１３８００１３８０００")
    assert "CN_MOBILE" in entities("138\u200b0013\u200d8000")


def test_prefix_table_follows_phonenumbers():
    import phonenumbers

    for n in ["13800138000", "14512345678", "16212345678", "19912345678", "17400012345", "16101234567"]:
        ours = "CN_MOBILE" in entities(n)
        lib = phonenumbers.is_valid_number(phonenumbers.parse(n, "CN"))
        assert ours == lib, n
