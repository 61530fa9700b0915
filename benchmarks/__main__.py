"""``python -m benchmarks [--quick] [--json PATH] [--only NAME ...]``: run the benchmarks, print ratios."""

from __future__ import annotations

import argparse
import json
import sys

from benchmarks.harness import run_all


def main(argv: list[str] | None = None) -> int:
    """Run the harness; print one line per measurement and optionally write them all as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 M rows instead of 10 M; a few minutes")
    parser.add_argument("--json", metavar="PATH", help="write {name: {value, unit, baseline, ratio, target}}")
    parser.add_argument("--only", nargs="*", help="run only these measurements (census, rss, dask, ...)")
    args = parser.parse_args(argv)
    results = run_all(args.quick, set(args.only) if args.only else None)
    for name, r in results.items():
        if not isinstance(r, dict) or "value" not in r:
            print(f"{name:16} {json.dumps(r, ensure_ascii=False)[:200]}")
            continue
        print(f"{name:16} {r['value']:>14,} {r['unit']:10} baseline {r.get('baseline', 0):>14,}  "
              f"ratio {r.get('ratio', 0):>8}  target {r.get('target')}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
