"""Accuracy of the classifier on the synthetic corpus: precision, recall, F1 and child-row accuracy.

Cell level compares, per entity type, the detections the classifier accepted in each cell with the
cell's true entity types. Column level compares each column's confirmed (non-suspected) finding with
the column's true types. Rows compare the record's verdict with its true age category.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal

from pi_scanner.classify.classifier import Classifier
from pi_scanner.classify.corpus import generate
from pi_scanner.config import ClassifierConfig
from pi_scanner.models import ChildStatus

#: Entity types that share a confirmation: a landline in a phone column is still a phone.
_EQUIVALENT = {"CN_LANDLINE": "CN_MOBILE"}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def run(seed: int = 0, size: int = 200, as_of: dt.date = dt.date(2026, 3, 15),
        mode: Literal["legal", "calendar"] = "legal", classifier: Classifier | None = None) -> dict[str, Any]:
    """Classify the synthetic corpus and score it.

    Args:
        seed: Corpus seed.
        size: Rows per table.
        as_of: Reference date.
        mode: Child boundary mode.
        classifier: The classifier to score (default: a fresh one with default settings).

    Returns:
        ``{"cell": {entity: prf}, "column": {entity: prf}, "rows": {...}, "tables": n, "cells": n}``.
    """
    clf = classifier or Classifier(ClassifierConfig(child_mode=mode), as_of)
    cell_tp: Counter[str] = Counter()
    cell_fp: Counter[str] = Counter()
    cell_fn: Counter[str] = Counter()
    col_tp: Counter[str] = Counter()
    col_fp: Counter[str] = Counter()
    col_fn: Counter[str] = Counter()
    rows_total = rows_right = child_right = 0
    false_child = missed_child = negative_child = 0
    cells = 0
    tables = generate(seed=seed, size=size, as_of=as_of, mode=mode)
    for table in tables:
        s = table.sample
        result = clf.classify(s)
        detections, verdicts = clf.detections_and_verdicts(s)
        for c, col in enumerate(s.columns):
            for r, truth in enumerate(table.cell_labels[c]):
                cells += 1
                got = {d.entity for d in detections[col.name][r]}
                for e in got | truth:
                    if e in got and e in truth:
                        cell_tp[e] += 1
                    elif e in got:
                        cell_fp[e] += 1
                    else:
                        cell_fn[e] += 1
        findings = {f.name: f for f in result.columns if not f.suspected}
        for c, col in enumerate(s.columns):
            truth_types = table.column_labels[c]
            f = findings.get(col.name)
            got_types = set(f.entity_types) if f else set()
            for e in got_types | truth_types:
                hit = e in got_types or _EQUIVALENT.get(e, "") in got_types
                if e in truth_types and hit:
                    col_tp[e] += 1
                elif e in got_types and e not in truth_types:
                    if not any(_EQUIVALENT.get(t) == e for t in truth_types):
                        col_fp[e] += 1
                else:
                    col_fn[e] += 1
        blank = (ChildStatus.NONE, ChildStatus.UNKNOWN)
        for want, said in zip(table.row_labels, verdicts, strict=True):
            rows_total += 1
            is_child, said_child = want is ChildStatus.CHILD, said is ChildStatus.CHILD
            child_right += is_child == said_child
            rows_right += want == said or (want in blank and said in blank)
            false_child += said_child and not is_child
            missed_child += is_child and not said_child
            negative_child += table.negative and said_child
    entities = sorted(set(cell_tp) | set(cell_fp) | set(cell_fn))
    col_entities = sorted(set(col_tp) | set(col_fp) | set(col_fn))
    return {
        "seed": seed,
        "size": size,
        "tables": len(tables),
        "cells": cells,
        "cell": {e: _prf(cell_tp[e], cell_fp[e], cell_fn[e]) for e in entities},
        "column": {e: _prf(col_tp[e], col_fp[e], col_fn[e]) for e in col_entities},
        "rows": {
            "total": rows_total,
            "child_accuracy": round(child_right / rows_total, 4) if rows_total else 1.0,
            "category_accuracy": round(rows_right / rows_total, 4) if rows_total else 1.0,
            "false_child": false_child,
            "missed_child": missed_child,
            "negative_tables_child_rows": negative_child,
        },
    }


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table of :func:`run`'s result."""
    lines = [f"corpus seed={result['seed']} size={result['size']} tables={result['tables']} "
             f"cells={result['cells']}"]
    for level in ("cell", "column"):
        lines.append(f"{level:<8}{'entity':<24}{'precision':>10}{'recall':>10}{'f1':>8}{'tp':>7}{'fp':>6}{'fn':>6}")
        for e, m in result[level].items():
            lines.append(f"{'':<8}{e:<24}{m['precision']:>10.4f}{m['recall']:>10.4f}{m['f1']:>8.4f}"
                         f"{m['tp']:>7}{m['fp']:>6}{m['fn']:>6}")
    rows = result["rows"]
    lines.append(
        f"rows     total={rows['total']} child_accuracy={rows['child_accuracy']:.4f} "
        f"category_accuracy={rows['category_accuracy']:.4f} false_child={rows['false_child']} "
        f"missed_child={rows['missed_child']} negative_tables_child_rows={rows['negative_tables_child_rows']}"
    )
    return "\n".join(lines)
