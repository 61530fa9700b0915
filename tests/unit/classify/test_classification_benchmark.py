import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[3]))


@pytest.mark.slow
def test_quick_benchmark_runs_and_engines_agree():
    from benchmarks.classification import run

    result = run(quick=True)["classification"]
    assert result["unit"] == "cells/s" and result["target"] == 250_000
    assert result["value"] > result["baseline"] > 0
    assert result["ratio"] == pytest.approx(result["value"] / result["baseline"], rel=0.05)
    assert result["fast_equals_reference"] and result["fast_equals_presidio"]


def test_columns_are_deterministic_and_mixed():
    from benchmarks.classification import build_columns

    a, b = build_columns(300), build_columns(300)
    assert a == b
    assert len(a) >= 10 and all(len(v) == 300 for _, v in a)
