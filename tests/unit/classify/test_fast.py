import datetime as dt
import time

import pytest
from corpus_ids import corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.recognizers import default_recognizers

AS_OF = dt.date(2026, 3, 15)
ENGINE = FastEngine(default_recognizers(AS_OF))
CONTEXTS = [(), ("order_no",), ("身份证号",), ("bank_card",), ("csyxzm",), ("guardian_phone",)]


@pytest.mark.parametrize("context", CONTEXTS)
def test_column_equals_reference_loop(context):
    cells = corpus()
    fast = ENGINE.detect_column(cells, context)
    assert len(fast) == len(cells)
    for cell, got in zip(cells, fast, strict=True):
        want = ENGINE.detect_cell_reference(normalize_cell(cell), context)
        assert got == want, cell
        assert [d.normalized for d in got] == [d.normalized for d in want]


def test_corpus_is_not_trivial():
    fast = ENGINE.detect_column(corpus())
    entities = {d.entity for dets in fast for d in dets}
    assert {"CN_RESIDENT_ID", "CN_MOBILE", "HK_ID", "TW_ID", "CN_BANK_CARD", "EMAIL_ADDRESS"} <= entities
    assert sum(1 for dets in fast if dets) > 500


_ALPHABET = st.sampled_from(list("0123456789Xx*()+-@. \n年月日岁班号证身份出生E G H K M C AZaz，：订单号手机卡"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=40), min_size=1, max_size=8))
def test_equivalence_on_random_text(cells):
    fast = ENGINE.detect_column(cells)
    for cell, got in zip(cells, fast, strict=True):
        assert got == ENGINE.detect_cell_reference(normalize_cell(cell)), cell


def test_repeated_values_share_work_but_not_lists():
    out = ENGINE.detect_column(["13800138000", "13800138000", None, ""])
    assert out[0] == out[1] and out[0] is not out[1]
    assert out[2] == [] and out[3] == []
    out[0].clear()
    assert out[1]


def test_detect_cell_matches_column():
    text = "家长手机13912345678，身份证110105201503041239"
    assert ENGINE.detect_cell(text) == ENGINE.detect_column([text])[0]


@pytest.mark.parametrize(
    "value",
    [
        b"\xff\xfe\x00garbage\x80\x81",
        "110105201503041239".encode("gbk") + "张三".encode("gbk"),
        bytes(range(256)) * 50,
        memoryview(b"13800138000"),
        "１３８００１３８０００",
        "138\u200b0013\u200c8000",
        "\ud800 lone surrogate",
        12345678901,
        3.14,
        object(),
    ],
)
def test_hostile_cells_do_not_crash(value):
    out = ENGINE.detect_column([value])
    assert len(out) == 1


def test_bytes_are_decoded():
    assert ENGINE.detect_column([b"13800138000"])[0][0].entity == "CN_MOBILE"


@pytest.mark.slow
def test_huge_cell_is_bounded():
    big = ("学生表现良好13800138000 " + "9" * 30 + "a@b" * 10) * 400_000  # ~ 10+ MB
    engine = FastEngine(default_recognizers(AS_OF), max_cell_chars=100_000)
    t = time.perf_counter()
    out = engine.detect_column([big])
    assert time.perf_counter() - t < 30
    assert out[0] and max(d.end for d in out[0]) <= 100_000


@pytest.mark.parametrize(
    "evil",
    [
        "1" * 100_000,
        "a@" * 50_000,
        "(" * 100_000,
        "2015年" * 20_000,
        "1-" * 50_000,
        "A1" * 50_000,
        "." * 100_000,
    ],
)
def test_no_catastrophic_backtracking(evil):
    t = time.perf_counter()
    ENGINE.detect_column([evil])
    assert time.perf_counter() - t < 15
