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


@pytest.mark.parametrize("text", ["澳门身份证 1234567(8)", "BIR: 5123456(1)", "澳門身份證 7/123456/2"])
def test_with_context(text):
    assert "MO_ID" in entities(text)


def test_column_context():
    assert "MO_ID" in entities("1234567(8)", ("macau_id",))


@pytest.mark.parametrize("text", ["1234567(8)", "12345678", "2234567(8)", "澳门身份证 1111111(1)", "澳门 12345678901"])
def test_no_match(text):
    assert "MO_ID" not in entities(text)
