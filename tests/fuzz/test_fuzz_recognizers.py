"""Fuzz the recognizers, the fast engine and the classifier with pathological text: bounded time, no crash.

Regexes over strangers' data are a denial-of-service surface: a cell of one megabyte of ``1-1-1-…`` or
of repeated separators must not make a pattern backtrack for minutes, and no byte sequence (invalid
UTF-8, GBK, zero-width characters inside numbers, full-width digits) may raise. Each call is timed
against a bound far above its normal cost and far below a hang.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.recognizers import default_recognizers
from pi_scanner.classify.recognizers.base import Detection
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import AssetKind, AssetRef, ColumnInfo, Sample

AS_OF = dt.date(2026, 3, 15)
#: Seconds one call may take (two shared cores; a catastrophic backtrack is minutes, not seconds).
BOUND_S = 8.0
MB = 1 << 20
_EXAMPLES = int(os.environ.get("PI_SCANNER_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=_EXAMPLES or 100, deadline=None, derandomize=not _EXAMPLES,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ID = "110105201503071235"  # valid MOD 11-2 check character
FULL_WIDTH_ID = ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))

#: Pathological cells, each about a megabyte.
PATHOLOGICAL: dict[str, str | bytes] = {
    "1-1-1": "1-" * (MB // 2),
    "digit-run": "1" * MB,
    "digit-run-with-x": "1" * (MB - 1) + "X",
    "ids-back-to-back": ID * (MB // len(ID)),
    "ids-spaced": (ID + " ") * (MB // (len(ID) + 1)),
    "phones-back-to-back": "13912345678" * (MB // 11),
    "phone-separators": "139-1234-5678-" * (MB // 14),
    "dashes": "-" * MB,
    "spaces": " " * MB,
    "mixed-separators": "- . /_" * (MB // 6),
    "dates": "2015-03-07 " * (MB // 11),
    "date-fragments": "2015-03-" * (MB // 8),
    "at-signs": "a@" * (MB // 2),
    "email-ish": "a.b-c_d" * (MB // 7) + "@",
    "full-width": FULL_WIDTH_ID * (MB // 18),
    "full-width-run": "１" * MB,
    "zero-width-in-ids": "\u200b".join(ID) * (MB // 36),
    "zero-width-run": "1\u200b\u200c\u200d\ufeff" * (MB // 5),
    "cjk-address": "北京市朝阳区建国路" * (MB // 9),
    "names": "张小明王小红" * (MB // 6),
    "invalid-utf8": b"\xff\xfe\xc3\x28\xa0\xa1" * (MB // 6),
    "gbk": ("张小明 身份证 " + ID + " 电话 13912345678 ").encode("gbk") * (MB // 40),
    "nul": "\x00" * MB,
    "surrogates": "\ud800\udc00" * (MB // 2),
    # shapes of the §A9 attribute recognizers (issue 14)
    "dotted-quads": "1.22.33.44." * (MB // 11),
    "hex-colons": "ab:" * (MB // 3),
    "mac-ish": "00:1A:2B:3C:4D:" * (MB // 15),
    "path-dots": "a/b." * (MB // 4),
    "long-path-no-extension": "x/" * (MB // 2),
    "inline-base64-image": "data:image/png;base64," + "iVBORw0KGgo" * (MB // 11),
    "dollar-runs": "$2b$12$" * (MB // 7),
    "jwt-ish": "eyJ" + "a" * (MB - 10) + ".eyJ",
    "hex-run": "0123456789abcdef" * (MB // 16),
    "uuid-ish": "6D92078A-8246-" * (MB // 14),
    "ethnic-run": "水族汉族" * (MB // 4),
    "gender-letters": "M F " * (MB // 4),
    "coordinates": "39.9042,116.4074," * (MB // 17),
    "plates": "京A12345" * (MB // 7),
    "json-many-keys": "{" + ",".join(f'"k{i}":"v{i}"' for i in range(MB // 12)) + "}",
}


@cache
def engine(max_cell_chars: int = 100_000) -> FastEngine:
    return FastEngine(default_recognizers(AS_OF), max_cell_chars=max_cell_chars)


@cache
def classifier() -> Classifier:
    return Classifier(ClassifierConfig(), AS_OF, show_examples=True)


def timed_detect(eng: FastEngine, values: Sequence[object], context: Sequence[str] = ()) -> list[list[Detection]]:
    start = time.perf_counter()
    out = eng.detect_column(values, context)
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND_S, f"detect_column took {elapsed:.1f}s"
    assert len(out) == len(values)
    for value, dets in zip(values, out, strict=True):
        text = normalize_cell(value, eng.max_cell_chars)
        for d in dets:
            assert 0 <= d.start < d.end <= len(text), (d.entity, d.start, d.end, len(text))
            assert 0.0 <= d.score <= 1.0
    return out


def timed_classify(rows: list[tuple[object, ...]], names: Sequence[str]) -> None:
    sample = Sample(
        asset=AssetRef("fuzz", AssetKind.TABLE, ("main", "t")),
        columns=tuple(ColumnInfo(name=n, type_name="text") for n in names),
        rows=rows,
    )
    start = time.perf_counter()
    result = classifier().classify(sample)
    elapsed = time.perf_counter() - start
    assert elapsed < BOUND_S, f"classify took {elapsed:.1f}s"
    assert len(result.columns) == len(names)
    for col in result.columns:
        for example in col.masked_examples:
            # Examples are masks, never the cell: the raw ID must not come back through them.
            assert ID not in example and "*" in example


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_cell_in_the_fast_engine(name: str) -> None:
    timed_detect(engine(), [PATHOLOGICAL[name]], context=("sfzh",))


@pytest.mark.parametrize("name", ["1-1-1", "digit-run", "digit-run-with-x", "dashes", "mixed-separators",
                                  "date-fragments", "email-ish", "zero-width-run", "full-width-run", "invalid-utf8"])
def test_pathological_cell_uncut(name: str) -> None:
    """The whole megabyte through every pattern (no per-cell cut): still linear enough."""
    timed_detect(engine(max_cell_chars=2 * MB), [PATHOLOGICAL[name]], context=("身份证号",))


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_column_in_the_classifier(name: str) -> None:
    value = PATHOLOGICAL[name]
    rows: list[tuple[object, ...]] = [(value, ID, "13912345678", "2015-03-07")]
    rows += [(value[: 1000 + i], ID, None, "2015-03-07") for i in range(30)]  # many long distinct cells
    timed_classify(rows, ["sfzh", "id_card", "jhr_dh", "csrq"])


def _cost(cell: str, repeats: int = 5) -> float:
    """The least CPU time of this thread over a few runs of one cell.

    Thread time, not process time: threads other tests left behind (servers, clients) must not be
    billed to the engine; the minimum of several runs drops a collector pause or a preemption.
    """
    eng = engine(max_cell_chars=2 * MB)
    costs = []
    for _ in range(repeats):
        start = time.thread_time()
        eng.detect_column([cell], ("jhr_dh",))
        costs.append(time.thread_time() - start)
    return min(costs)


def test_cost_is_linear_in_the_number_of_matches_in_a_cell() -> None:
    """Four times the matches may cost at most about four times as much (8x allowed for noise)."""
    unit = "139-1234-5678-"
    small, large = unit * (50_000 // len(unit)), unit * (200_000 // len(unit))
    _cost(small, repeats=1)  # warm caches
    ratio = _cost(large) / max(_cost(small), 1e-3)
    assert ratio < 8, f"4x the input cost {ratio:.1f}x"


def test_many_distinct_long_cells() -> None:
    """A column of 2,000 distinct 5 kB digit runs: per-column cost stays bounded."""
    values = [str(i) + "1" * 5000 for i in range(2000)]
    timed_detect(engine(), values, context=("sfzh",))


def test_valid_values_survive_the_noise() -> None:
    """Sibling positive: an ID behind zero-width characters and full-width digits is still found."""
    out = timed_detect(engine(), ["\u200b".join(ID), FULL_WIDTH_ID, "x" * 10_000 + " " + ID], context=("sfzh",))
    assert all(any(d.entity == "CN_RESIDENT_ID" for d in dets) for dets in out), out


# -- hypothesis ---------------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list("0123456789Xx-_./ :+()@,;|") + list("０１２３４５６７８９")
    + ["\u200b", "\u200c", "\u200d", "\ufeff", "\u3000"]
    + list("张王李小明红北京市区路号年月日岁") + ["\x00", "\n", "\t"]
    + list("$abcdefABCDEFMFOoy=&?%~") + list("男女族型血过敏京粤元群众户口")
)
_TEXT = st.text(alphabet=_ALPHABET, max_size=3000)
#: Fragments of the attribute recognizers' shapes, glued in random order.
_FRAGMENTS = st.lists(
    st.sampled_from(["eyJ", "data:image/png;base64,", ".jpg", ".amr", "$2b$12$", "$argon2id$v=19$", "pbkdf2_sha256$",
                     "192.168.", "fe80::", "00:1A:", "京A", "汉族", "AB型", "Rh+", "学费", "¥", "39.9042,",
                     "o6_bm", "Bearer ", "QQ", "1", "a", "/", "."]),
    max_size=200,
).map("".join)
_CELLS = st.one_of(
    _TEXT,
    _FRAGMENTS,
    st.text(max_size=300),
    st.binary(max_size=600),
    st.builds(lambda t, n: t * n, st.text(alphabet=_ALPHABET, min_size=1, max_size=12), st.integers(1, 4000)),
    st.builds(lambda s: s.encode("gbk", "replace"), st.text(max_size=200)),
    st.integers(), st.floats(), st.none(),
)


@FUZZ
@given(values=st.lists(_CELLS, min_size=1, max_size=20),
       context=st.lists(st.sampled_from(["sfzh", "身份证号", "phone", "csrq", "order_no", "出生证", "email", "x",
                                         "imei", "android_id", "password", "qq", "tuition_fee", "xbm", "blood"]),
                        max_size=2))
def test_engine_on_random_cells(values: list[object], context: list[str]) -> None:
    timed_detect(engine(), values, context)


@FUZZ
@given(rows=st.lists(st.tuples(_CELLS, _CELLS, _CELLS), min_size=1, max_size=25))
def test_classifier_on_random_rows(rows: list[tuple[object, ...]]) -> None:
    timed_classify(list(rows), ["sfzh", "jhr_dh", "csrq"])
