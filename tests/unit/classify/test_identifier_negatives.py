"""The 23 negatives of the test vectors: no identifier detection, except the RIC inside an order number."""

import datetime as dt
import json
from pathlib import Path

import pytest

from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.recognizers import IDENTIFIER_RECOGNIZERS, default_recognizers

AS_OF = dt.date(2026, 3, 15)
VECTORS = json.loads((Path(__file__).parents[2] / "fixtures" / "test-vectors.json").read_text("utf-8"))
ENGINE = FastEngine(default_recognizers(AS_OF))
IDENTIFIER_ENTITIES = {cls.ENTITY for cls in IDENTIFIER_RECOGNIZERS}
NEGATIVES = VECTORS["negatives"]
PLAIN = [v for v in NEGATIVES if "订单号" not in v["kind"]]


def test_vector_count():
    assert len(NEGATIVES) == 23 and len(PLAIN) == 22


@pytest.mark.parametrize("vec", PLAIN, ids=lambda v: v["value"])
@pytest.mark.parametrize("context", [(), ("remark",), ("order_no",)])
def test_no_identifier(vec, context):
    found = ENGINE.detect_cell(normalize_cell(vec["value"]), context)
    assert not {d.entity for d in found} & IDENTIFIER_ENTITIES


def test_ric_in_order_number_is_possible_id_only():
    vec = next(v for v in NEGATIVES if "订单号" in v["kind"])
    for text, context in [("订单号" + vec["value"], ()), (vec["value"], ("order_no",))]:
        found = [d for d in ENGINE.detect_cell(text, context) if d.entity in IDENTIFIER_ENTITIES]
        assert len(found) == 1
        d = found[0]
        assert d.entity == "CN_RESIDENT_ID" and d.score <= 0.2
        assert d.facts.kind == "possible" and d.facts.tier is None and not d.facts.child_signal
