r"""The fast detection path: recognizers' patterns run per column, validators only on candidates.

:meth:`FastEngine.detect_cell_reference` is the plain reference loop (cell by cell, pattern by
pattern); it defines the contract. :meth:`FastEngine.detect_column` returns exactly the same
detections, faster, by working on a whole column at once:

* distinct values are detected once (columns repeat values: dates, classes, statuses);
* the distinct values are joined by ``"\n"`` and each pattern scans the joined text once; match
  offsets map back to cells by bisection. Patterns never match ``"\n"``, and a lookaround at a cell
  edge sees ``"\n"``, which behaves like the edge of a string; patterns that could tell them apart
  (``^``, ``$``, ``\s``, negated classes) are run cell by cell instead;
* a pattern runs only over cells that contain what every match needs (a required literal such as
  ``年`` or ``@``, or one of the characters a match can start with), so a column of names never
  meets the ID patterns;
* a pattern that starts with a one-character negative lookbehind ``(?<![X])`` is scanned as
  ``[^X]…`` with a ``"\n"`` before the first cell: ``re`` then jumps between boundary characters
  in C instead of running the whole pattern at every position (a 10-20x difference on digit
  columns). A match whose last character is not in ``X`` could hide the boundary of the next match,
  so its cell is rescanned with the original pattern;
* validation results are cached per (pattern, matched text).

Every pattern is bounded (no nested quantifiers) and cells are cut at ``max_cell_chars``, so the
time per cell is bounded whatever the input.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pi_scanner.classify.context import apply_context
from pi_scanner.classify.recognizers.base import Detection, Facts, PatternDef, Recognizer

_sre_parser: Any = getattr(re, "_parser")  # noqa: B009 - private module, read-only use
_sre_constants: Any = getattr(re, "_constants")  # noqa: B009

#: Characters removed before matching: zero-width spaces and joiners hide digits from regexes.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

#: Constructs that behave differently at a ``"\n"`` separator than at the edge of a string.
_JOIN_UNSAFE = re.compile(r"\\[sSWDAZ]|\[\^|(?<!\\)\$|(?<![\\\[])\^|\(\?[a-zA-Z]*[ms]")
#: A leading one-class negative lookbehind: ``(?<![...])``.
_LEAD_LOOKBEHIND = re.compile(r"^\(\?<!(\[(?:\\.|[^\]\\])+\])\)")
#: Share of cells above which gating is skipped and the whole column is scanned.
_GATE_MAX_SHARE = 0.6


def normalize_cell(value: object, max_chars: int = 100_000) -> str:
    """Text form of a cell for matching: NFKC, invisible characters removed, length bounded."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bytes | bytearray | memoryview):
        text = bytes(value)[: max_chars * 4].decode("utf-8", errors="replace")
    else:
        text = str(value)
    text = text[:max_chars]
    if text.isascii():
        # NFKC and the invisible characters only concern non-ASCII text.
        return text
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE)


@dataclass
class _Plan:
    """How one pattern is run over a column."""

    rec: Recognizer
    pattern: PatternDef
    rx: re.Pattern[str]
    scan: re.Pattern[str] | None  # joined-text scanner, None: cell by cell
    shift: int  # 1 when ``scan`` consumes the boundary character before the match
    boundary: re.Pattern[str] | None  # the ``X`` class of the lookbehind, for the rescan test
    gate: re.Pattern[str] | None  # finds cells that may hold a match
    cache: dict[str, Facts | None] = field(default_factory=dict)


class FastEngine:
    """Runs a fixed set of recognizers over columns of values.

    Args:
        recognizers: The recognizers, already constructed with their ``as_of`` date.
        max_cell_chars: Characters of a cell examined at most.
    """

    def __init__(self, recognizers: Sequence[Recognizer], max_cell_chars: int = 100_000) -> None:
        self.recognizers = list(recognizers)
        self.max_cell_chars = max_cell_chars
        self._compiled = [
            (rec, [(p, re.compile(p.regex)) for p in rec.PATTERNS]) for rec in self.recognizers
        ]
        self._plans = [_plan(rec, p, rx) for rec, pats in self._compiled for p, rx in pats]

    # -- reference -------------------------------------------------------------------------------

    def detect_cell_reference(self, text: str, context: Sequence[str] = ()) -> list[Detection]:
        """Detections in one already-normalised cell, sorted by position: the reference loop.

        Args:
            text: The normalised cell.
            context: Column names or headers of the cell (context words are looked up there too).
        """
        found: list[Detection] = []
        for rec, patterns in self._compiled:
            for pattern, rx in patterns:
                for m in rx.finditer(text):
                    det = _detection(rec, pattern, rec.validate(m.group(), pattern), text, m, context)
                    if det is not None:
                        found.append(det)
        return _dedupe(found)

    def detect_cell(self, text: str, context: Sequence[str] = ()) -> list[Detection]:
        """Detections in one already-normalised cell, sorted by position."""
        return self.detect_column_normalized([text], context)[0]

    # -- column ----------------------------------------------------------------------------------

    def detect_column(self, values: Sequence[object], context: Sequence[str] = ()) -> list[list[Detection]]:
        """Detections for each value of a column, in order (one list per value).

        Args:
            values: Raw cell values (str, bytes, numbers, None).
            context: Column name, header, JSON key: context for every cell of the column.
        """
        limit = self.max_cell_chars
        return self.detect_column_normalized([normalize_cell(v, limit) for v in values], context)

    def detect_column_normalized(
        self, texts: Sequence[str], context: Sequence[str] = ()
    ) -> list[list[Detection]]:
        """Like :meth:`detect_column` for cells already passed through :func:`normalize_cell`."""
        index: dict[str, int] = {}
        for t in texts:
            if t and t not in index:
                index[t] = len(index)
        uniq = list(index)
        results = self._detect_distinct(uniq, tuple(context))
        return [list(results[index[t]]) if t else [] for t in texts]

    def _detect_distinct(self, uniq: list[str], context: tuple[str, ...]) -> list[list[Detection]]:
        """Detections for each of a list of distinct, non-empty cells."""
        n = len(uniq)
        found: list[list[Detection]] = [[] for _ in range(n)]
        if not n:
            return found
        buf = "\n" + "\n".join(uniq)
        starts: list[int] = []
        pos = 1
        for t in uniq:
            starts.append(pos)
            pos += len(t) + 1
        gates: dict[str, list[int] | None] = {}
        for plan in self._plans:
            cells = self._gate(plan, buf, starts, n, gates)
            if cells is not None and not cells:
                continue
            if plan.scan is None:
                for ci in cells if cells is not None else range(n):
                    self._run_cell(plan, uniq[ci], context, found[ci])
                continue
            self._run_joined(plan, uniq, buf, starts, cells, context, found)
        return [_dedupe(f) if f else f for f in found]

    def _gate(
        self, plan: _Plan, buf: str, starts: list[int], n: int, gates: dict[str, list[int] | None]
    ) -> list[int] | None:
        """Cells that may hold a match of ``plan`` (None: all of them)."""
        if plan.gate is None:
            return None
        key = plan.gate.pattern
        if key in gates:
            return gates[key]
        cells: list[int] = []
        last = -1
        for m in plan.gate.finditer(buf):
            ci = bisect_right(starts, m.start()) - 1
            if ci != last:
                cells.append(ci)
                last = ci
        result = None if len(cells) > _GATE_MAX_SHARE * n else cells
        gates[key] = result
        return result

    def _run_cell(self, plan: _Plan, text: str, context: tuple[str, ...], out: list[Detection]) -> None:
        """Run one pattern over one cell with the original expression."""
        for m in plan.rx.finditer(text):
            det = _detection(plan.rec, plan.pattern, self._validate(plan, m.group()), text, m, context)
            if det is not None:
                out.append(det)

    def _run_joined(
        self,
        plan: _Plan,
        uniq: list[str],
        buf: str,
        starts: list[int],
        cells: list[int] | None,
        context: tuple[str, ...],
        found: list[list[Detection]],
    ) -> None:
        """Run one pattern over the joined text of the (gated) cells and map matches back."""
        assert plan.scan is not None  # guarded by the caller
        if cells is None:
            sub, sub_starts, ids = buf, starts, None
        else:
            parts = [uniq[ci] for ci in cells]
            sub = "\n" + "\n".join(parts)
            sub_starts = []
            pos = 1
            for t in parts:
                sub_starts.append(pos)
                pos += len(t) + 1
            ids = cells
        shift = plan.shift
        rescan: set[int] = set()
        hits: list[tuple[int, int, int]] = []
        for m in plan.scan.finditer(sub):
            s = m.start() + shift
            e = m.end()
            k = bisect_right(sub_starts, s) - 1
            ci = k if ids is None else ids[k]
            if shift and plan.boundary is not None and not plan.boundary.match(sub, e - 1):
                # The match ends in a character that could be the boundary of the next match.
                rescan.add(ci)
                continue
            hits.append((ci, s - sub_starts[k], e - sub_starts[k]))
        pending: dict[int, list[Detection]] = {}
        for ci, s, e in hits:
            if ci in rescan:
                continue
            text = uniq[ci]
            m2 = plan.rx.match(text, s)
            if m2 is None or m2.end() != e:  # pragma: no cover - defensive: scanner and pattern disagree
                rescan.add(ci)
                continue
            det = _detection(plan.rec, plan.pattern, self._validate(plan, m2.group()), text, m2, context)
            if det is not None:
                pending.setdefault(ci, []).append(det)
        for ci, dets in pending.items():
            if ci not in rescan:
                found[ci].extend(dets)
        for ci in sorted(rescan):
            self._run_cell(plan, uniq[ci], context, found[ci])

    @staticmethod
    def _validate(plan: _Plan, matched: str) -> Facts | None:
        """``validate`` with a per-pattern cache of matched texts."""
        cache = plan.cache
        if matched in cache:
            return cache[matched]
        facts = plan.rec.validate(matched, plan.pattern)
        if len(cache) < 100_000:
            cache[matched] = facts
        return facts


def _detection(
    rec: Recognizer,
    pattern: PatternDef,
    facts: Facts | None,
    text: str,
    m: re.Match[str],
    context: Sequence[str],
) -> Detection | None:
    """Build the detection of one validated match, context applied."""
    if facts is None:
        return None
    score = pattern.score if facts.score is None else facts.score
    adjusted = apply_context(rec, text, m.start(), m.end(), score, facts, context)
    if adjusted is None:
        return None
    score, facts = adjusted
    return Detection(rec.ENTITY, m.start(), m.end(), score, facts, rec.normalize(m.group()))


def _dedupe(found: list[Detection]) -> list[Detection]:
    """Presidio's duplicate rule: drop a detection contained in one of the same entity scoring at least as high.

    Zero scores are dropped. The same rule as ``EntityRecognizer.remove_duplicates`` keeps both
    engines' outputs identical.
    """
    ordered = sorted(
        (d for d in found if d.score > 0), key=lambda d: (d.entity, d.start, -(d.end - d.start), -d.score)
    )
    kept: list[Detection] = []
    for d in ordered:
        if any(
            k.entity == d.entity and k.start <= d.start and d.end <= k.end and d.score <= k.score for k in kept
        ):
            continue
        kept.append(d)
    return sorted(kept, key=lambda d: (d.start, d.end, d.entity))


# -- planning: gates and boundary transforms from the parsed expression ----------------------------


def _plan(rec: Recognizer, pattern: PatternDef, rx: re.Pattern[str]) -> _Plan:
    """Decide how to run one pattern (see the module docstring)."""
    gate = _gate_for(pattern.regex)
    if _JOIN_UNSAFE.search(pattern.regex):
        return _Plan(rec, pattern, rx, None, 0, None, gate)
    lead = _LEAD_LOOKBEHIND.match(pattern.regex)
    if lead:
        cls = lead.group(1)
        scan = re.compile("[^" + cls[1:] + pattern.regex[lead.end() :])
        return _Plan(rec, pattern, rx, scan, 1, re.compile(cls), gate)
    return _Plan(rec, pattern, rx, rx, 0, None, gate)


def _gate_for(regex: str) -> re.Pattern[str] | None:
    r"""A fast expression that finds every cell where ``regex`` could match, or None.

    Prefers a literal every match contains (``年``, ``@``); otherwise the characters a match can
    start with. ``[^\n]*`` swallows the rest of the cell so each cell is reported once.
    """
    try:
        parsed = _sre_parser.parse(regex)
    except re.error:  # pragma: no cover - the pattern compiled already
        return None
    lits = _required_literals(list(parsed))
    if lits:
        best = max(lits, key=lambda c: (c > 127, c in (64, 40, 42)))  # non-ASCII, '@', '(', '*' are rare
        return re.compile(re.escape(chr(best)) + r"[^\n]*")
    first = _first_class(list(parsed))
    if first:
        return re.compile("[" + first + r"][^\n]*")
    return None


def _items(node: Any) -> list[Any]:
    return list(node.data) if hasattr(node, "data") else list(node)


def _required_literals(seq: list[Any]) -> list[int]:
    """Literal characters that every match of a parsed sequence contains."""
    c = _sre_constants
    out: list[int] = []
    for op, av in seq:
        if op is c.LITERAL:
            out.append(av)
        elif op is c.SUBPATTERN:
            out.extend(_required_literals(_items(av[-1])))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            out.extend(_required_literals(_items(av[2])))
    return out


def _first_class(seq: list[Any]) -> str | None:
    """Character-class body of the characters a match of a parsed sequence can start with."""
    c = _sre_constants
    for op, av in seq:
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue  # zero-width
        if op is c.LITERAL:
            return re.escape(chr(av))
        if op is c.IN:
            return _class_body(av)
        if op is c.SUBPATTERN:
            return _first_class(_items(av[-1]))
        if op is c.BRANCH:
            parts = [_first_class(_items(b)) for b in av[1]]
            return None if any(p is None for p in parts) else "".join(p for p in parts if p)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            return _first_class(_items(av[2]))
        return None
    return None


def _class_body(items: list[Any]) -> str | None:
    """Rebuild a ``[...]`` body from parsed class items (None for negated or unknown items)."""
    c = _sre_constants
    body = ""
    for op, av in items:
        if op is c.LITERAL:
            body += re.escape(chr(av))
        elif op is c.RANGE:
            body += re.escape(chr(av[0])) + "-" + re.escape(chr(av[1]))
        elif op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            body += r"\d"
        else:
            return None
    return body or None
