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
* a pattern is skipped for the whole column when a character set every match needs is absent,
  when no boundary character in the column is followed by a character a match can start with,
  or when its recognizer requires context and no context word occurs in the column or its names;
* plans with the same expression over the same cells share one scan;
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
from itertools import accumulate
from typing import Any

from pi_scanner.classify.context import CONTEXT_FACTOR, apply_context, column_flags, words_anywhere
from pi_scanner.classify.recognizers.base import Detection, Facts, PatternDef, Recognizer

_sre_parser: Any = getattr(re, "_parser")  # noqa: B009 - private module, read-only use
_sre_constants: Any = getattr(re, "_constants")  # noqa: B009

#: Characters removed before matching: zero-width spaces and joiners hide digits from regexes.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_INVISIBLE_RX = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

#: Constructs that behave differently at a ``"\n"`` separator than at the edge of a string.
_JOIN_UNSAFE = re.compile(r"\\[sSWDAZ]|\[\^|(?<!\\)\$|(?<![\\\[])\^|\(\?[a-zA-Z]*[ms]")
#: A leading one-class negative lookbehind: ``(?<![...])``.
_LEAD_LOOKBEHIND = re.compile(r"^\(\?<!(\[(?:\\.|[^\]\\])+\])\)")
#: Matches nothing (stands in for an absent boundary class).
_NEVER = re.compile(r"(?!)")
#: Share of cells above which gating is skipped and the whole column is scanned.
_GATE_MAX_SHARE = 0.6
#: Cells looked at to decide whether a gate is worth running over the whole column.
_GATE_SAMPLE = 500


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
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_INVISIBLE) if _INVISIBLE_RX.search(text) else text


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
    needs: tuple[frozenset[str], ...]  # every match holds a character of each of these sets
    follow: re.Pattern[str] | None = None  # captures each character after a boundary character
    first: frozenset[str] | None = None  # characters a match can start with (after the boundary)
    boundary_ascii: frozenset[str] = frozenset()  # ASCII members of ``boundary``, for a set test
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
                    facts = rec.validate(m.group(), pattern)
                    det = _detection(rec, pattern, facts, text, m.start(), m.end(), context)
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
        seen: dict[str, str] = {}
        texts: list[str] = []
        for v in values:
            if type(v) is str:
                if v.isascii() and len(v) <= limit:
                    t = v  # what normalize_cell returns for short ASCII text, without the call
                else:
                    # Repeated strings (notes from templates) are normalised once.
                    t = seen.get(v)  # type: ignore[assignment]
                    if t is None:
                        t = seen[v] = normalize_cell(v, limit)
            else:
                t = normalize_cell(v, limit)
            texts.append(t)
        return self.detect_column_normalized(texts, context)

    def detect_column_normalized(
        self, texts: Sequence[str], context: Sequence[str] = ()
    ) -> list[list[Detection]]:
        """Like :meth:`detect_column` for cells already passed through :func:`normalize_cell`."""
        uniq = [t for t in dict.fromkeys(texts) if t]
        found = self._detect_distinct(uniq, tuple(context))
        if not found:
            return [[] for _ in texts]
        by_text = {uniq[ci]: dets for ci, dets in found.items()}
        get = by_text.get
        return [list(d) if (d := get(t)) else [] for t in texts]

    def _detect_distinct(self, uniq: list[str], context: tuple[str, ...]) -> dict[int, list[Detection]]:
        """Detections of a list of distinct, non-empty cells, keyed by position (cells with none absent)."""
        n = len(uniq)
        found: dict[int, list[Detection]] = {}
        if not n:
            return found
        buf = "\n" + "\n".join(uniq)
        starts = list(accumulate(map(len, uniq), lambda acc, ln: acc + ln + 1, initial=1))[:-1]
        gates: dict[str, list[int] | None] = {}
        present = frozenset(buf)
        follows: dict[str, frozenset[str]] = {}
        lowered: str | None = None
        scans: dict[tuple[str, int], tuple[list[tuple[int, int, int]], frozenset[int]]] = {}
        for plan in self._plans:
            if any(need.isdisjoint(present) for need in plan.needs):
                continue  # no cell holds a character every match needs
            if plan.rec.REQUIRES_CONTEXT and not column_flags(plan.rec, context)[1]:
                if lowered is None:
                    lowered = buf.lower()
                if not words_anywhere(plan.rec.CONTEXT, buf, lowered):
                    continue  # context is required and no context word occurs in the column
            if plan.follow is not None and plan.first is not None:
                key = plan.follow.pattern
                after = follows.get(key)
                if after is None:
                    after = follows[key] = frozenset(plan.follow.findall(buf))
                if plan.first.isdisjoint(after):
                    continue  # no boundary in the column is followed by a possible first character
            cells = self._gate(plan, buf, starts, n, gates)
            if cells is not None and not cells:
                continue
            if plan.scan is None:
                for ci in cells if cells is not None else range(n):
                    out: list[Detection] = []
                    self._run_cell(plan, uniq[ci], context, out)
                    if out:
                        found.setdefault(ci, []).extend(out)
                continue
            self._run_joined(plan, uniq, buf, starts, cells, context, found, scans)
        return {ci: _dedupe(f) for ci, f in found.items() if f}

    def _gate(
        self, plan: _Plan, buf: str, starts: list[int], n: int, gates: dict[str, list[int] | None]
    ) -> list[int] | None:
        """Cells that may hold a match of ``plan`` (None: all of them)."""
        if plan.gate is None:
            return None
        key = plan.gate.pattern
        if key in gates:
            return gates[key]
        # Count on a prefix first: on a dense column the gate passes nearly every cell and the
        # per-hit bisection below would cost more than it saves.
        if n > 2 * _GATE_SAMPLE:
            head = buf[: starts[_GATE_SAMPLE]]
            if len(plan.gate.findall(head)) > _GATE_MAX_SHARE * _GATE_SAMPLE:
                gates[key] = None
                return None
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
            facts = self._validate(plan, m.group())
            det = _detection(plan.rec, plan.pattern, facts, text, m.start(), m.end(), context)
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
        found: dict[int, list[Detection]],
        scans: dict[tuple[str, int], tuple[list[tuple[int, int, int]], frozenset[int]]],
    ) -> None:
        """Run one pattern over the joined text of the (gated) cells and map matches back."""
        assert plan.scan is not None  # guarded by the caller
        # ``cells`` lists live in the column's gate cache, so their ids are stable here.
        memo_key = (plan.scan.pattern, id(cells))
        memo = scans.get(memo_key)
        if memo is None:
            if cells is None:
                memo = self._scan(plan, buf, starts, None)
            else:
                parts = [uniq[ci] for ci in cells]
                sub_starts = list(accumulate(map(len, parts), lambda acc, ln: acc + ln + 1, initial=1))[:-1]
                memo = self._scan(plan, "\n" + "\n".join(parts), sub_starts, cells)
            scans[memo_key] = memo
        hits, rescan = memo
        rec, pattern = plan.rec, plan.pattern
        entity, base_score = rec.ENTITY, pattern.score
        # Context that can change a whole-cell match comes only from the column names: decide once.
        col_neg, col_pos = column_flags(rec, context)
        needs_context = rec.REQUIRES_CONTEXT
        validate = self._validate
        normalize = rec.normalize
        cache = plan.cache
        for ci, s, e in hits:
            if rescan and ci in rescan:
                continue
            text = uniq[ci]
            # The scanner matched exactly what the original pattern matches at ``s`` (see the
            # module docstring); the equivalence tests hold the two to that.
            matched = text[s:e]
            facts = cache[matched] if matched in cache else validate(plan, matched)
            if facts is None:
                continue
            if s == 0 and e == len(text) and not col_neg:
                # The match is the whole cell, so only the column names can be context: the
                # outcome of apply_context() reduces to this (equivalence tests hold them equal).
                if needs_context and not col_pos:
                    continue
                score = base_score if facts.score is None else facts.score
                if col_pos:
                    score = min(1.0, round(score + CONTEXT_FACTOR, 6))
                det: Detection | None = Detection(entity, s, e, score, facts, normalize(matched))
            else:
                det = _detection(rec, pattern, facts, text, s, e, context)
            if det is not None:
                lst = found.get(ci)
                if lst is None:
                    found[ci] = [det]
                else:
                    lst.append(det)
        for ci in sorted(rescan):
            self._run_cell(plan, uniq[ci], context, found.setdefault(ci, []))

    @staticmethod
    def _scan(
        plan: _Plan, sub: str, sub_starts: list[int], ids: list[int] | None
    ) -> tuple[list[tuple[int, int, int]], frozenset[int]]:
        """Matches of ``plan.scan`` as (cell, start, end) in cell offsets, and cells to rescan.

        Plans with the same expression over the same cells (the two bank-card recognizers)
        share one scan.
        """
        assert plan.scan is not None  # guarded by the caller
        shift = plan.shift
        boundary = plan.boundary if plan.boundary is not None else _NEVER
        boundary_ascii = plan.boundary_ascii
        rescan: set[int] = set()
        hits: list[tuple[int, int, int]] = []
        bisect = bisect_right
        for m in plan.scan.finditer(sub):

            s, e = m.span()
            s += shift
            k = bisect(sub_starts, s) - 1
            ci = k if ids is None else ids[k]
            last = sub[e - 1]
            if shift and last not in boundary_ascii and (last < "\x80" or not boundary.match(last)):
                # The match ends in a character that could be the boundary of the next match.
                rescan.add(ci)
                continue
            hits.append((ci, s - sub_starts[k], e - sub_starts[k]))
        return hits, frozenset(rescan)

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
    start: int,
    end: int,
    context: Sequence[str],
) -> Detection | None:
    """Build the detection of one validated match ``text[start:end]``, context applied."""
    if facts is None:
        return None
    score = pattern.score if facts.score is None else facts.score
    adjusted = apply_context(rec, text, start, end, score, facts, context)
    if adjusted is None:
        return None
    score, facts = adjusted
    return Detection(rec.ENTITY, start, end, score, facts, rec.normalize(text[start:end]))


def _dedupe(found: list[Detection]) -> list[Detection]:
    """Presidio's duplicate rule: drop a detection contained in one of the same entity scoring at least as high.

    Zero scores are dropped. The same rule as ``EntityRecognizer.remove_duplicates`` keeps both
    engines' outputs identical.
    """
    if len(found) == 1:
        return found if found[0].score > 0 else []
    ordered = sorted(
        (d for d in found if d.score > 0), key=lambda d: (d.entity, d.start, -(d.end - d.start), -d.score)
    )
    kept: list[Detection] = []
    # Every kept detection of the same entity starts at or before ``d`` (the sort order), so ``d`` is
    # contained in one when some kept one ends at or after it with a score at least as high. Keeping the
    # furthest end per distinct score (patterns have few) makes this linear, not quadratic, in matches.
    entity = None
    max_end_by_score: dict[float, int] = {}
    for d in ordered:
        if d.entity != entity:
            entity, max_end_by_score = d.entity, {}
        if any(score >= d.score and end >= d.end for score, end in max_end_by_score.items()):
            continue
        kept.append(d)
        if max_end_by_score.get(d.score, -1) < d.end:
            max_end_by_score[d.score] = d.end
    return sorted(kept, key=lambda d: (d.start, d.end, d.entity))


# -- planning: gates and boundary transforms from the parsed expression ----------------------------


def _plan(rec: Recognizer, pattern: PatternDef, rx: re.Pattern[str]) -> _Plan:
    """Decide how to run one pattern (see the module docstring)."""
    gate, needs = _gate_for(pattern.regex)
    if _JOIN_UNSAFE.search(pattern.regex):
        return _Plan(rec, pattern, rx, None, 0, None, gate, needs)
    lead = _LEAD_LOOKBEHIND.match(pattern.regex)
    if lead:
        cls = lead.group(1)
        scan = re.compile("[^" + cls[1:] + pattern.regex[lead.end() :])
        follow = re.compile("[^" + cls[1:] + "(?=(.))")
        first = _first_chars(_items(_sre_parser.parse(pattern.regex[lead.end() :])))
        first_str = None if first is None else frozenset(map(chr, first))
        boundary = re.compile(cls)
        ascii_members = frozenset(ch for ch in map(chr, range(128)) if boundary.fullmatch(ch))
        return _Plan(rec, pattern, rx, scan, 1, boundary, gate, needs, follow, first_str, ascii_members)
    return _Plan(rec, pattern, rx, rx, 0, None, gate, needs)


def _gate_for(regex: str) -> tuple[re.Pattern[str] | None, tuple[frozenset[str], ...]]:
    r"""A fast expression that finds every cell where ``regex`` could match, or None.

    Prefers a literal every match contains (``年``, ``@``); otherwise the characters a match can
    start with. ``[^\n]*`` swallows the rest of the cell so each cell is reported once.
    """
    try:
        parsed = _sre_parser.parse(regex)
    except re.error:  # pragma: no cover - the pattern compiled already
        return None, ()
    reqs = _requirements(list(parsed))
    if reqs:
        best = max(reqs, key=lambda r: (all(ch > 127 for ch in r), bool(r & _RARE_ASCII), -len(r)))
        body = "".join(re.escape(chr(ch)) for ch in sorted(best))
        needs = tuple(frozenset(map(chr, r)) for r in reqs)
        return re.compile("[" + body + r"][^\n]*"), needs
    first = _first_class(list(parsed))
    if first:
        return re.compile("[" + first + r"][^\n]*"), ()
    return None, ()


#: ASCII characters rare enough in data to make a useful gate.
_RARE_ASCII = frozenset(map(ord, "@()*/:+"))


def _items(node: Any) -> list[Any]:
    return list(node.data) if hasattr(node, "data") else list(node)


def _requirements(seq: list[Any]) -> list[frozenset[int]]:
    """Character sets of which every match of a parsed sequence contains at least one member."""
    c = _sre_constants
    out: list[frozenset[int]] = []
    for op, av in seq:
        if op is c.LITERAL:
            out.append(frozenset((av,)))
        elif op is c.IN:
            chars = _class_chars(av)
            if chars:
                out.append(chars)
        elif op is c.SUBPATTERN:
            out.extend(_requirements(_items(av[-1])))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            out.extend(_requirements(_items(av[2])))
        elif op is c.BRANCH:
            # One requirement from each alternative: a match satisfies one of them.
            union: set[int] = set()
            for branch in av[1]:
                sub = _requirements(_items(branch))
                if not sub:
                    union = set()
                    break
                union |= min(sub, key=lambda r: (not all(ch > 127 for ch in r), len(r)))
            if union and len(union) <= 32:
                out.append(frozenset(union))
    return out


def _class_chars(items: list[Any]) -> frozenset[int] | None:
    """Members of a small, non-negated class made of literals and short ranges."""
    c = _sre_constants
    chars: set[int] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(av)
        elif op is c.RANGE and av[1] - av[0] < 16:
            chars.update(range(av[0], av[1] + 1))
        else:
            return None
    return frozenset(chars) if len(chars) <= 32 else None


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


def _first_chars(seq: list[Any]) -> frozenset[int] | None:
    """Characters a match of a parsed sequence can start with, or None when unknown or unbounded."""
    c = _sre_constants
    for op, av in seq:
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            return None  # a lookaround here could depend on the boundary itself: stay exact
        if op is c.LITERAL:
            return frozenset((av,))
        if op is c.IN:
            chars: set[int] = set()
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(iav)
                elif iop is c.RANGE and iav[1] - iav[0] < 30_000:
                    chars.update(range(iav[0], iav[1] + 1))
                else:
                    return None  # negated classes, categories (\d is Unicode-wide)
            return frozenset(chars)
        if op is c.SUBPATTERN:
            return _first_chars(_items(av[-1]))
        if op is c.BRANCH:
            out: set[int] = set()
            for branch in av[1]:
                sub = _first_chars(_items(branch))
                if sub is None:
                    return None
                out |= sub
            return frozenset(out)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            inner = _first_chars(_items(av[2]))
            if inner is None:
                return None
            if av[0] >= 1:
                return inner
            rest = _first_chars(seq[seq.index((op, av)) + 1 :])
            return None if rest is None else inner | rest
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
