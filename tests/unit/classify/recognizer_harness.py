"""Runs one recognizer the way both engines do, for the recognizers' table tests."""

from __future__ import annotations

import re
import unicodedata

import regex

from pi_scanner.classify.recognizers.base import Facts, Recognizer


def find(rec: Recognizer, text: str) -> list[tuple[str, Facts]]:
    """Run the recognizer like the engines do, with `re` and with `regex` (Presidio), on NFKC text."""
    text = unicodedata.normalize("NFKC", text)
    results = []
    for module in (re, regex):
        found = []
        for pattern in rec.PATTERNS:
            for m in module.compile(pattern.regex).finditer(text):
                facts = rec.validate(m.group(), pattern)
                if facts is not None:
                    found.append((m.group(), facts))
        results.append(sorted(found, key=lambda x: x[0]))
    assert results[0] == results[1], "re and regex disagree"
    assert not results[0] or any(a in text for a in rec.ANCHORS), "a match holds no anchor"
    return results[0]
