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
    "text", ["zhang.san@example.com", "parent+1@school.edu.cn", "a_b-c@sub.domain.org", "邮箱：li@qq.com。"]
)
def test_valid(text):
    assert "EMAIL_ADDRESS" in entities(text)


@pytest.mark.parametrize(
    "text",
    [
        "Student.php",
        "icon@2x.png",
        "user@localhost",
        "user@host.localhost1",
        "a..b@example.com",
        ".a@example.com",
        "a@-example.com",
        "a@example.c0m",
        "@example.com",
    ],
)
def test_no_match(text):
    assert "EMAIL_ADDRESS" not in entities(text)


def test_pathological_input_is_bounded():
    import time

    text = "a" * 100 + "@" + "b." * 40_000 + "1"
    t = time.perf_counter()
    found(text)
    assert time.perf_counter() - t < 10
