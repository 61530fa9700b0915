"""Coverage-guided fuzzing of the file-format readers and the recognizers with atheris (libFuzzer).

Not run in CI (it runs until stopped). Install the extra and run, for example::

    pip install -e '.[fuzz]'
    python fuzz/atheris_formats.py -max_total_time=600 -rss_limit_mb=1024 -timeout=10 corpus/

Every input is fed to :func:`pi_scanner.connectors.formats.open_records` under each name hint, and the
text of its records (or the input decoded as text) to the fast engine. Anything but a return or a
``PiScannerError`` is a crash; libFuzzer's ``-timeout`` catches hangs and ``-rss_limit_mb`` memory blow-ups.
The hypothesis suites in ``tests/fuzz/`` are the bounded version that CI runs.
"""

from __future__ import annotations

import datetime as dt
import sys

import atheris  # type: ignore[import-untyped]  # no type stubs

with atheris.instrument_imports():
    from pi_scanner.classify.fast import FastEngine
    from pi_scanner.classify.recognizers import default_recognizers
    from pi_scanner.connectors.formats import ReadLimits, open_records
    from pi_scanner.errors import PiScannerError

NAMES = ("f.csv", "f.json", "f.jsonl", "f.parquet", "f.xlsx", "f.csv.gz", "f.zip", "f.txt", "f")
LIMITS = ReadLimits(max_rows=200, max_bytes=1 << 20, max_decompressed_bytes=4 << 20, max_entries=20,
                    max_columns=100, max_line_bytes=64 << 10, max_depth=32)
ENGINE = FastEngine(default_recognizers(dt.date(2026, 3, 15)), max_cell_chars=100_000)


def test_one_input(data: bytes) -> None:
    """The entry point libFuzzer calls: one input, every reader, then the recognizers."""
    if not data:
        return
    name = NAMES[data[0] % len(NAMES)]
    body = data[1:]
    cells: list[object] = [body, body.decode("utf-8", "replace"), body.decode("gbk", "replace")]
    try:
        parsed = open_records(body, name, LIMITS)
    except PiScannerError:
        pass
    else:
        cells += [v for row in parsed.rows[:50] for v in row]
    ENGINE.detect_column(cells, ("sfzh",))


def main() -> None:
    """Run the fuzzer with libFuzzer's command-line arguments."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
