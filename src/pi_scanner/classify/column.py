"""Per-column verdicts: from per-cell detections and name hints to one :class:`ColumnFinding`.

pdscan's rule: confidence is the share of sampled values that validate, and the name speaks only when
the values say nothing. One valid-looking ID in an order-number column must not flag it, a school's
hotline repeated on every row is the organisation's, not a person's, and a bare date in ``created_at``
is not a birth date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from pi_scanner.classify.column_names import NameHint, Role
from pi_scanner.classify.encrypted import encrypted_share
from pi_scanner.classify.entities import CONTACT, SELF_EVIDENT, articles_of, finding_category, is_sensitive
from pi_scanner.classify.fast import normalize_cell
from pi_scanner.classify.recognizers.base import Detection, Facts, mask_value
from pi_scanner.models import ColumnFinding, ColumnInfo

#: Entities that are contact data and so can belong to an organisation (a hotline, a front desk).
CONTACT_ENTITIES = CONTACT
#: Entities the mobile/landline hint covers alike.
_PHONE = frozenset({"CN_MOBILE", "CN_LANDLINE"})
#: Values examined at most for the encryption test.
ENCRYPTION_PROBES = 256
#: Share of encrypted-looking values above which a column counts as encrypted.
ENCRYPTED_SHARE = 0.6
#: Identifiers whose validation (check characters, embedded dates, a mail domain) makes even one hit in
#: prose a finding: an ID number in a ``notes`` column or a log line is the spill Art. 11 is about.
#: Score below which a match inside prose is only a "possible" value (negative context, no cue).
PROSE_MIN_SCORE = 0.5
#: Ceiling of a "possible" finding (an ID-shaped order number).
POSSIBLE_CONFIDENCE = 0.2
#: A detection covering at least this share of its cell makes the cell a whole-cell value.
_WHOLE_CELL = 0.6

#: Parses a whole date cell: ``(text, dayfirst) -> birth date or None``.
DateParser = Callable[[str, bool | None], tuple[dt.date, dt.date] | None]
#: Decides DD/MM vs MM/DD for a column: ``values -> True (day first), False, or None``.
DayfirstResolver = Callable[[Sequence[str]], bool | None]


@dataclass(frozen=True)
class ColumnVerdict:
    """Everything the classifier needs to know about one column.

    Attributes:
        finding: The column finding, or None when the column holds no PI.
        accepted: Entities whose cell detections count as evidence about the record.
        role: Whose data it is (``subject``, ``guardian``, ``unknown``).
        cells: Per value, the detections that count (accepted entities only; parsed dates added).
        free_text: Values are prose with embedded PI rather than one value per cell.
        minor_flag: The column flags minors or child accounts.
        encrypted: Most values look encrypted or hashed.
        organisation: Contact entities dropped because one value repeats on every row.
    """

    finding: ColumnFinding | None
    accepted: frozenset[str]
    role: Role
    cells: list[list[Detection]] = field(repr=False)
    free_text: bool = False
    minor_flag: bool = False
    encrypted: bool = False
    organisation: tuple[str, ...] = ()


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _hinted(entity: str, hint: NameHint) -> bool:
    if entity in hint.entities:
        return True
    return entity in _PHONE and bool(_PHONE & set(hint.entities))


_AGE_VALUE = re.compile(r"([0-9]{1,3})(?:\.[0-9]{1,2})?(?:[ ]?(?:岁|周岁|years?|yrs?|y))?")
#: Kind of an age read from an age column (age verdicts may shift it by the record's own date).
COLUMN_AGE = "column_age"


def column_age(text: str) -> Facts | None:
    """The age a cell of an age column states (``8``, ``8.5``, ``8岁``, ``8 years``), as tier-B facts."""
    m = _AGE_VALUE.fullmatch(text.strip())
    if m is None:
        return None
    years = int(m.group(1))
    if years > 120:
        return None
    return Facts(age_interval=(years, years), tier="B", weight=0.9, kind=COLUMN_AGE)


def _date_detection(text: str, span: tuple[dt.date, dt.date]) -> Detection:
    earliest, latest = span
    if earliest == latest:
        facts = Facts(birth_date=earliest, tier="A", kind="column_date")
    else:
        facts = Facts(birth_interval=(earliest, latest), tier="A", kind="column_date")
    return Detection("DATE_OF_BIRTH", 0, len(text), 0.85, facts, "")


def analyse_column(
    column: ColumnInfo,
    values: Sequence[object],
    detections: Sequence[Sequence[Detection]],
    hint: NameHint,
    *,
    min_share: float = 0.3,
    show_examples: bool = False,
    max_examples: int = 3,
    looks_like_name: Callable[[str], bool] | None = None,
    parse_date: DateParser | None = None,
    resolve_dayfirst: DayfirstResolver | None = None,
    texts: Sequence[str] | None = None,
) -> ColumnVerdict:
    """Decide what one column holds.

    Args:
        column: The column's metadata.
        values: Sampled raw values (in row order; may contain None).
        detections: Per value, the engine's detections (same order and length as ``values``).
        hint: What the column, table and comment names say.
        min_share: Share of non-empty values that must validate for a hinted column.
        show_examples: Keep masked examples in the finding.
        max_examples: At most this many masked examples.
        looks_like_name: Whole-cell person-name shape test (column-level name decision).
        parse_date: Whole-cell date parser for birth-date columns (compact, epoch, Excel, DD/MM).
        resolve_dayfirst: Decides DD/MM vs MM/DD for the column.
        texts: The values already passed through :func:`normalize_cell` (saves a second pass).

    Returns:
        The column's verdict; ``finding`` is None when nothing suggests PI.
    """
    if len(values) != len(detections):
        raise ValueError(f"column {column.name!r}: {len(values)} values but {len(detections)} detection lists")
    if texts is None:
        texts = [normalize_cell(v) for v in values]
    texts = ["" if _is_empty(v) else t.strip() for v, t in zip(values, texts, strict=True)]
    idx = [i for i, t in enumerate(texts) if t]
    n = len(idx)
    # Encryption is a property of the column: a bounded, evenly spread subset decides it.
    step = max(1, n // ENCRYPTION_PROBES)
    enc_share, _ = encrypted_share(values[i] for i in idx[::step])
    encrypted = n > 0 and enc_share >= ENCRYPTED_SHARE
    lengths = sorted(len(texts[i]) for i in idx)
    free_text = n > 0 and lengths[n // 2] >= 30 and not (hint.entities and "CN_ADDRESS" in hint.entities)

    cells: list[list[Detection]] = [list(d) for d in detections]
    if hint.date_column and parse_date is not None and not encrypted:
        dayfirst = resolve_dayfirst([texts[i] for i in idx]) if resolve_dayfirst else None
        for i in idx:
            if any(d.entity == "DATE_OF_BIRTH" for d in cells[i]):
                continue
            value = values[i]
            if isinstance(value, dt.datetime):
                span: tuple[dt.date, dt.date] | None = (value.date(), value.date())
            elif isinstance(value, dt.date):
                span = (value, value)
            else:
                span = parse_date(texts[i], dayfirst)
            if span is not None:
                cells[i] = [*cells[i], _date_detection(texts[i], span)]
    if "AGE_TEXT" in hint.entities and not hint.minor_flag and not encrypted:
        # An age column (``age``, ``年龄``, ``nianling``) states the subject's age as a bare number.
        for i in idx:
            if not any(d.entity == "AGE_TEXT" for d in cells[i]) and (age := column_age(texts[i])) is not None:
                cells[i] = [*cells[i], Detection("AGE_TEXT", 0, len(texts[i]), 0.8, age, "")]

    whole: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    strong: Counter[str] = Counter()
    possible: Counter[str] = Counter()
    scores: dict[str, float] = {}
    distinct: dict[str, set[str]] = {}
    for i in idx:
        if not cells[i]:
            continue
        size = max(1, len(texts[i]))
        seen_whole: set[str] = set()
        seen_any: set[str] = set()
        seen_strong: set[str] = set()
        for d in cells[i]:
            if d.facts.kind == "possible":
                # Negative context (订单号 …): a "possible" value, reported low, never evidence.
                possible[d.entity] += 1
                continue
            seen_any.add(d.entity)
            if d.score >= PROSE_MIN_SCORE:
                seen_strong.add(d.entity)
            scores[d.entity] = max(scores.get(d.entity, 0.0), d.score)
            if (d.end - d.start) / size >= _WHOLE_CELL:
                seen_whole.add(d.entity)
                distinct.setdefault(d.entity, set()).add(d.normalized or texts[i])
        for e in seen_whole:
            whole[e] += 1
        for e in seen_any:
            anywhere[e] += 1
        for e in seen_strong:
            strong[e] += 1

    accepted: set[str] = set()
    prose: set[str] = set()
    share: dict[str, float] = {}
    organisation: list[str] = []
    for entity in set(anywhere):
        hinted = _hinted(entity, hint)
        if free_text or whole[entity] * 2 < anywhere[entity]:
            # Prose (notes, document bodies): matches sit inside longer text. The recognizers
            # required a cue or context there; still, one weak hit in a column of many is noise, while
            # one hit in a single document, or one checksum-valid ID spilled into notes, is a finding.
            count = strong[entity]
            if count >= 2 or (count >= 1 and (hinted or n <= 2 or entity in SELF_EVIDENT)):
                accepted.add(entity)
                prose.add(entity)
                share[entity] = count / n
            continue
        if entity == "DATE_OF_BIRTH" and not hint.date_column:
            continue  # a bare date in created_at / updated is nobody's birthday
        if entity == "PERSON_NAME":
            continue  # decided below from the shape of whole values
        count = whole[entity]
        s = count / n if n else 0.0
        need = min_share if hinted else max(min_share, 0.5)
        if hint.non_pi:
            # Order and trade numbers: 1 in 11 random 18-digit strings passes the ID checksum, so an
            # ID-shaped value here is at most a possible ID, whatever the share.
            possible[entity] += count
            continue
        if (count >= 2 or (hinted and count >= 1 and count == n)) and s >= need:
            # The same phone on every row is the school's hotline, not a person's.
            if entity in CONTACT_ENTITIES and n >= 5 and len(distinct.get(entity, ())) <= max(1, n // 20):
                organisation.append(entity)
                continue
            accepted.add(entity)
            share[entity] = s
    free_text = free_text or bool(prose)

    dominated = any(share[e] >= 0.5 for e in accepted)  # an ID or date column is not a name column
    if looks_like_name is not None and n and not free_text and not dominated and "PERSON_NAME" not in accepted:
        need = 0.8 if "PERSON_NAME" in hint.entities else 0.9
        shape: dict[str, bool] = {}
        misses_allowed = n - need * n
        misses = 0
        for i in idx:
            t = texts[i]
            if t not in shape:
                shape[t] = looks_like_name(t)
            if not shape[t]:
                misses += 1
                if misses > misses_allowed:
                    break  # the share can no longer be reached
        named = n - misses
        if misses <= misses_allowed and (named >= 2 or "PERSON_NAME" in hint.entities):
            accepted.add("PERSON_NAME")
            share["PERSON_NAME"] = named / n
            for i in idx:
                if shape[texts[i]] and not any(d.entity == "PERSON_NAME" for d in cells[i]):
                    cells[i] = [*cells[i], Detection("PERSON_NAME", 0, len(texts[i]), 0.7, Facts(), texts[i])]

    kept = [
        [
            d for d in c
            if d.entity in accepted
            and d.facts.kind != "possible"
            and (d.entity not in prose or d.score >= PROSE_MIN_SCORE)
        ]
        if c and accepted
        else []
        for c in cells
    ]
    # A remark, note or message column of a person's row is that person's PI whatever it says; the
    # identifiers found inside it are listed before it (spec §A9, free text about a person).
    prose_column = n > 0 and "FREE_TEXT" in hint.entities and not encrypted
    finding = _finding(
        column, hint, accepted, share, n, kept, texts, scores, encrypted, free_text,
        show_examples, max_examples, prose_column,
    )
    if finding is None and possible and (max(possible.values()) >= 2 or n <= 2):
        finding = _possible_finding(column, hint, possible, n)
    return ColumnVerdict(
        finding=finding,
        accepted=frozenset(accepted),
        role=hint.role,
        cells=kept,
        free_text=free_text,
        minor_flag=hint.minor_flag,
        encrypted=encrypted,
        organisation=tuple(sorted(organisation)),
    )


def _finding(
    column: ColumnInfo,
    hint: NameHint,
    accepted: set[str],
    share: dict[str, float],
    n: int,
    kept: list[list[Detection]],
    texts: list[str],
    scores: dict[str, float],
    encrypted: bool,
    free_text: bool,
    show_examples: bool,
    max_examples: int,
    prose_column: bool = False,
) -> ColumnFinding | None:
    if prose_column and not accepted:
        return ColumnFinding(
            name=column.name,
            entity_types=("FREE_TEXT",),
            confidence=round(0.5 + 0.4 * hint.strength, 4),
            sampled=n,
            matched=n,
            encrypted=encrypted,
            articles=(),
            subject_role=hint.role,
        )
    if accepted:
        order = sorted(accepted, key=lambda e: (-share[e], e))
        top = order[0]
        s = share[top]
        if free_text:
            # Spill in prose: the strongest detection's score, lifted a little by how widespread it is.
            confidence = min(0.99, scores.get(top, 0.5) * (0.8 + 0.2 * min(1.0, s / 0.3)))
        elif _hinted(top, hint):
            confidence = 1 - (1 - s) * (1 - 0.5 * hint.strength)
        else:
            confidence = s
        matched = sum(1 for c in kept if any(d.entity == top for d in c))
        examples: tuple[str, ...] = ()
        if show_examples and max_examples:
            ex: list[str] = []
            for c, t in zip(kept, texts, strict=True):
                for d in c:
                    if d.entity == top and len(ex) < max_examples:
                        ex.append(mask_value(t[d.start : d.end]))
            examples = tuple(dict.fromkeys(ex))
        if prose_column:
            order.append("FREE_TEXT")
        return ColumnFinding(
            name=column.name,
            entity_types=tuple(order),
            confidence=round(min(1.0, confidence), 4),
            sampled=n,
            matched=matched,
            encrypted=encrypted,
            suspected=False,
            masked_examples=examples,
            articles=(),
            subject_role=hint.role,
        )
    if hint.entities and not hint.non_pi:
        # The name alone: suspected, never confirmed, and never above 0.5. Values that were present
        # but did not validate lower it further, unless they are ciphertext (which cannot validate).
        confidence = 0.5 * hint.strength
        if n and not encrypted:
            confidence *= 0.5
        return ColumnFinding(
            name=column.name,
            entity_types=hint.entities,
            confidence=round(min(0.5, confidence), 4),
            sampled=n,
            matched=0,
            encrypted=encrypted,
            suspected=True,
            articles=(),
            subject_role=hint.role,
        )
    return None


def _possible_finding(column: ColumnInfo, hint: NameHint, possible: Counter[str], n: int) -> ColumnFinding:
    """A low-confidence "possible" finding: ID-shaped values where context says business number."""
    order = sorted(possible, key=lambda e: (-possible[e], e))
    share = possible[order[0]] / n if n else 0.0
    return ColumnFinding(
        name=column.name,
        entity_types=tuple(order),
        confidence=round(min(POSSIBLE_CONFIDENCE, POSSIBLE_CONFIDENCE * share), 4),
        sampled=n,
        matched=0,
        suspected=True,
        articles=(),
        subject_role=hint.role,
    )


def with_articles(finding: ColumnFinding, children: bool) -> ColumnFinding:
    """Articles of the Provisions a finding touches, once the asset's child status is known.

    The Provisions govern children's PI only, so PI of an asset holding no children's records touches
    none. Children's PI touches arts. 9 (guardian consent), 11 (minimisation) and 12 (retention); stored
    in plaintext it adds art. 13 (encryption).
    """
    if not children:
        return replace(finding, articles=())
    arts = set(articles_of(finding.entity_types))
    if finding.encrypted:
        arts.discard(13)
    return replace(finding, articles=tuple(sorted(arts)))


def categorised(finding: ColumnFinding) -> ColumnFinding:
    """The finding with its §A9 category and sensitivity filled in from its entity types."""
    types = finding.entity_types
    return replace(finding, category=finding_category(types), sensitive=is_sensitive(types))
