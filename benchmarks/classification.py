"""Classification throughput: Presidio per cell vs the reference loop vs FastEngine.detect_column.

Run ``python -m benchmarks.classification [--quick] [--json PATH]``. All three engines use the same
recognizer set (``default_recognizers``) and are measured in one run on the same synthetic columns;
a fourth figure is Presidio's *default* setup (``AnalyzerEngine`` with its predefined recognizers, a
no-op NLP engine and tldextract kept offline), per cell on the same columns, which is what "Presidio
per cell" means to someone who has not written our 23 recognizers into it;
Presidio runs on a deterministic subset of every column and its rate is per cell, so rates compare.
Times are CPU seconds of this (single-threaded) process, i.e. cells per second per core, which keeps
the figures meaningful on a machine shared with other work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from typing import Any

from pi_scanner.classify.fast import FastEngine, normalize_cell
from pi_scanner.classify.recognizers import default_recognizers

AS_OF = dt.date(2026, 3, 15)
TARGET = 250_000
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
_GIVEN = "梓子宇辰一浩轩欣怡涵诺依奕思雨佳明俊杰婷晓文博睿泽嘉瑞雪琪"
_REGIONS = ("110105", "310115", "440305", "330106", "510107", "420106", "320102", "370202", "500103")


def _ric(rnd: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randrange(0, 27000))
    body = rnd.choice(_REGIONS) + born.strftime("%Y%m%d") + f"{rnd.randrange(1000):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _W, strict=True)) % 11]


def _mobile(rnd: random.Random) -> str:
    n = rnd.choice(["138", "139", "186", "150", "177", "199"]) + f"{rnd.randrange(10**8):08d}"
    return rnd.choice([n, n, n, f"+86 {n[:3]} {n[3:7]} {n[7:]}", f"{n[:3]}-{n[3:7]}-{n[7:]}"])


def _name(rnd: random.Random) -> str:
    return rnd.choice(_SURNAMES) + "".join(rnd.choice(_GIVEN) for _ in range(rnd.choice((1, 2, 2))))


def build_columns(rows: int, seed: int = 20260315) -> list[tuple[str, list[str]]]:
    """Deterministic synthetic columns: PI-dense and sparse, like a school database and its logs."""
    rnd = random.Random(seed)
    day = dt.date(2010, 1, 1)
    cols: list[tuple[str, list[str]]] = [
        ("sfzh", [_ric(rnd) for _ in range(rows)]),
        ("mobile", [_mobile(rnd) for _ in range(rows)]),
        ("xm", [_name(rnd) for _ in range(rows)]),
        ("csrq", [(day + dt.timedelta(days=rnd.randrange(5000))).isoformat() for _ in range(rows)]),
        ("order_no", [f"{rnd.randrange(10**19, 10**20)}{rnd.randrange(10**8):08d}" for _ in range(rows)]),
        ("created_at", [f"2024-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d} "
                        f"{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:{rnd.randrange(60):02d}"
                        for _ in range(rows)]),
        ("ts_ms", [str(1_700_000_000_000 + rnd.randrange(10**10)) for _ in range(rows)]),
        ("status", [rnd.choice(["active", "inactive", "pending", "已审核", "待审核"]) for _ in range(rows)]),
        ("amount", [f"{rnd.randrange(100000) / 100:.2f}" for _ in range(rows)]),
        ("email", [f"user{rnd.randrange(10**6)}@example{rnd.randrange(50)}.com" for _ in range(rows)]),
        ("uuid", [f"{rnd.getrandbits(128):032x}" for _ in range(rows)]),
    ]
    notes_pool = ["学生表现良好，按时完成作业。", "今天参加了课外活动，积极发言。", "家长反馈孩子在家表现不错。",
                  "体检结果正常，视力需要关注。", "本周值日生，负责打扫教室。", "Great progress in reading this term."]
    notes = []
    for _ in range(rows):
        text = rnd.choice(notes_pool)
        r = rnd.random()
        if r < 0.03:
            text += f"联系电话{_mobile(rnd)}"
        elif r < 0.05:
            text += f"身份证{_ric(rnd)}"
        notes.append(text)
    cols.append(("remark", notes))
    return cols


def _rate(cells: int, seconds: float) -> float:
    return cells / seconds if seconds > 0 else float("inf")


def _presidio_default_rate(cols: list[tuple[str, list[str]]], rows: int) -> tuple[float, int]:
    """Cells/s (CPU) of Presidio's default ``AnalyzerEngine`` (predefined recognizers), per cell, offline.

    Imported here, not through ``pi_scanner.classify``: this is Presidio as shipped, not our engine.
    """
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    from pi_scanner.classify.presidio_engine import keep_tldextract_offline

    keep_tldextract_offline()
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "noop"}])
    analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])  # empty registry: predefined ones
    t0 = time.process_time()
    for name, values in cols:
        for x in values[:rows]:
            analyzer.analyze(text=normalize_cell(x), language="en", context=[name])
    return _rate(rows * len(cols), time.process_time() - t0), rows * len(cols)


def run(quick: bool) -> dict[str, Any]:
    """Measure the three engines; returns the result dict (also written by ``--json``)."""
    rows = 2_000 if quick else 20_000
    cols = build_columns(rows)
    cells = sum(len(v) for _, v in cols)
    recs = default_recognizers(AS_OF)
    engine = FastEngine(recs)

    t0 = time.process_time()
    fast_out = [engine.detect_column(v, (name,)) for name, v in cols]
    fast_s = time.process_time() - t0

    ref_rows = max(200, rows // 10)
    t0 = time.process_time()
    ref_out = [
        [engine.detect_cell_reference(normalize_cell(x), (name,)) for x in v[:ref_rows]] for name, v in cols
    ]
    ref_s = time.process_time() - t0
    ref_cells = ref_rows * len(cols)
    agree = all(f[:ref_rows] == r for f, r in zip(fast_out, ref_out, strict=True))

    from pi_scanner.classify.presidio_engine import PresidioEngine

    pres = PresidioEngine(recs)
    pres_rows = max(50, rows // 100)
    t0 = time.process_time()
    pres_out = [[pres.analyze_cell(normalize_cell(x), (name,)) for x in v[:pres_rows]] for name, v in cols]
    pres_s = time.process_time() - t0
    pres_cells = pres_rows * len(cols)
    pres_agree = all(f[:pres_rows] == p for f, p in zip(fast_out, pres_out, strict=True))

    default_rate, default_cells = _presidio_default_rate(cols, pres_rows)

    fast_rate = _rate(cells, fast_s)
    pres_rate = _rate(pres_cells, pres_s)
    ref_rate = _rate(ref_cells, ref_s)
    return {
        "classification": {
            "value": round(fast_rate),
            "unit": "cells/s",
            "baseline": round(pres_rate),
            "ratio": round(fast_rate / pres_rate, 1),
            "baseline_is": "Presidio AnalyzerEngine per cell with our same recognizers (no-op NLP)",
            "target": TARGET,
            "presidio_default": round(default_rate),
            "presidio_default_is": "Presidio AnalyzerEngine per cell, its predefined recognizers (no-op NLP, offline)",
            "ratio_vs_presidio_default": round(fast_rate / default_rate, 1),
            "presidio_default_cells": default_cells,
            "reference_loop": round(ref_rate),
            "cells": cells,
            "presidio_cells": pres_cells,
            "reference_cells": ref_cells,
            "recognizers": len(recs),
            "fast_equals_reference": agree,
            "fast_equals_presidio": pres_agree,
            "quick": quick,
        }
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small columns (smoke run)")
    parser.add_argument("--json", metavar="PATH", help="write the result as JSON")
    args = parser.parse_args(argv)
    result = run(args.quick)
    c = result["classification"]
    print(f"cells: {c['cells']:,} ({c['recognizers']} recognizers)")
    print(f"presidio per cell   {c['baseline']:>12,} cells/s  (on {c['presidio_cells']:,} cells; our recognizers)")
    print(f"presidio default    {c['presidio_default']:>12,} cells/s  (on {c['presidio_default_cells']:,} cells; "
          "predefined recognizers)")
    print(f"reference loop      {c['reference_loop']:>12,} cells/s  (on {c['reference_cells']:,} cells)")
    print(f"FastEngine column   {c['value']:>12,} cells/s  (target {TARGET:,})")
    print(f"ratio fast/presidio-default {c['ratio_vs_presidio_default']}x")
    print(f"ratio fast/presidio {c['ratio']:>12}x   identical: reference={c['fast_equals_reference']} "
          f"presidio={c['fast_equals_presidio']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
