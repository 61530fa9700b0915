"""Accuracy of the classifier on the deterministic synthetic corpus.

Run ``python -m benchmarks.accuracy [--seed N] [--size N] [--mode legal|calendar] [--json PATH]``.
Prints precision, recall and F1 per entity type (cell and column level) and child-row accuracy.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pi_scanner.classify import evaluate


def run(seed: int = 0, size: int = 200, mode: str = "legal") -> dict[str, Any]:
    """Score the classifier on the corpus (see :func:`pi_scanner.classify.evaluate.run`)."""
    return evaluate.run(seed=seed, size=size, mode="calendar" if mode == "calendar" else "legal")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--size", type=int, default=200, help="rows per table")
    parser.add_argument("--mode", choices=("legal", "calendar"), default="legal")
    parser.add_argument("--json", metavar="PATH", help="write the result as JSON")
    args = parser.parse_args(argv)
    result = run(seed=args.seed, size=args.size, mode=args.mode)
    print(evaluate.format_report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"accuracy": result}, fh, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
