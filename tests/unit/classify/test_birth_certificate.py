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


def test_requires_context():
    assert "CN_BIRTH_CERTIFICATE" not in entities("X320101001")
    d = next(x for x in found("出生医学证明编号 X320101001") if x.entity == "CN_BIRTH_CERTIFICATE")
    assert d.facts.child_signal and d.facts.tier == "B"
    assert "CN_BIRTH_CERTIFICATE" in entities("X320101001", ("csyxzm",))
    assert "CN_BIRTH_CERTIFICATE" in entities("X320101001", ("birth_cert_no",))


@pytest.mark.parametrize("text", ["出生证 X32010100", "出生证 X3201010011", "出生证 X000000000", "出生证 x320101001"])
def test_no_match(text):
    assert "CN_BIRTH_CERTIFICATE" not in entities(text)
