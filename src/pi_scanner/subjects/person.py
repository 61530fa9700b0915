"""Name + date of birth as a subject key: canonical forms, the columns that hold them, keyed fingerprints.

A guardian often knows the child's name and birthday, not the record's key. The index therefore also holds,
per record of a person table, keyed fingerprints (kind ``name_dob``) of *normalised name + ISO birth date*,
and a request given ``--name`` and ``--birth-date`` looks those up.

Both sides pass through the same canonical forms:

* names (:func:`canonical_name`): NFKC (full-width letters and spaces), accents dropped, case folded,
  apostrophes dropped; split on whitespace, middle dots (``·`` ``•`` ``‧`` ``・`` ``･`` ``∙``), dots, hyphens,
  underscores and commas. A name with Chinese characters is its parts joined without separator
  (``王 小明`` = ``王小明``, ``阿依古丽·买买提`` = ``阿依古丽买买提``); a Latin name is its parts sorted
  (``Smith, John`` = ``john smith``), so family-name-first spellings meet;
* dates (:func:`canonical_birth_date`): every format of the spec's ``birth_date_formats`` that names one
  day (``2015-3-4``, ``2015年3月4日``, ``二〇一五年三月四日``, lunar, epoch, ``20150304``) as ISO
  ``2015-03-04``; ``04/03/2015`` only where the column's other rows say which part is the day.

A table may split the name (``first_name``/``middle_name``/``last_name``, ``姓``/``名``): each record then
gives the fingerprint of the given and family names, and of given, middle and family names when a middle
name is there. Which columns were used is stored with each entry (:class:`NameDobSpec`), so a record can be
re-checked live with exactly the same columns. Nothing here logs or raises with a value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pi_scanner.classify.dates import SHANGHAI, parse_birth_date, resolve_dayfirst
from pi_scanner.subjects.normalize import IdentifierError, fingerprint

#: Index kind of name + birth-date fingerprints.
NAME_DOB: Final = "name_dob"

_APOSTROPHES = re.compile(r"['’ʼ`´]")
_SEPARATORS = re.compile(r"[\s·•‧・･∙⋅.\-‐‑‒–—_,،、;]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")


def canonical_name(value: str) -> str:
    """The canonical form of a person's name (empty when nothing name-like is left)."""
    text = unicodedata.normalize("NFKC", value)
    # Accents dropped (José = Jose); NFKD splits them off, NFC puts Chinese and Hangul back together.
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFC", text)).casefold()
    parts = [p for p in _SEPARATORS.split(text) if p]
    if _CJK.search(text):
        return "".join(parts)
    return " ".join(sorted(parts))


def birth_date_of(value: Any, dayfirst: bool | None = None) -> str | None:
    """A stored value as an ISO birth date, or None when it does not name one day.

    Args:
        value: A date, datetime (aware ones converted to Shanghai), or text/number in a spec date format.
        dayfirst: How the column writes ``NN/NN/YYYY`` (None: such values are skipped as ambiguous).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return (value.astimezone(SHANGHAI) if value.tzinfo else value).date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    parsed = parse_birth_date(str(value), date_column=True, dayfirst=dayfirst)
    exact = None if parsed is None else parsed.exact
    return None if exact is None else exact.isoformat()


def canonical_birth_date(value: str) -> str:
    """A birth date as typed on the command line, as ISO ``YYYY-MM-DD``.

    Raises:
        IdentifierError: Not one exact day (a month, a year, ``04/03/2015``), or not a date.
    """
    parsed = parse_birth_date(value, date_column=True)
    if parsed is not None and parsed.ambiguous:
        raise IdentifierError("the birth date given could be read day-first or month-first; write it YYYY-MM-DD")
    exact = None if parsed is None else parsed.exact
    if exact is None:
        raise IdentifierError("the birth date given is not one exact day (e.g. 2015-03-04 or 2015年3月4日)")
    return exact.isoformat()


def name_dob_fingerprint(key: bytes, name: str, iso_date: str) -> str:
    """Keyed HMAC-SHA256 fingerprint of a canonical name and an ISO birth date."""
    return fingerprint(key, NAME_DOB, f"{name}\x1f{iso_date}")


def request_fingerprint(key: bytes, name: str, birth_date: str) -> str:
    """The fingerprint a request given ``--name`` and ``--birth-date`` looks up.

    Raises:
        IdentifierError: The name is empty after normalisation, or the date is not one exact day.
    """
    canon = canonical_name(name)
    if not canon:
        raise IdentifierError("the name given is empty")
    return name_dob_fingerprint(key, canon, canonical_birth_date(birth_date))


# -- which columns hold the name and the date of birth ------------------------------------------------

_MIDDLE = re.compile(r"middle|mname|midname")
_GIVEN = re.compile(r"first|given|fname|forename|^ming$|^名$")
_FAMILY = re.compile(r"last|family|surname|lname|^xing$|^姓$")


def _part(column: str) -> str:
    low = re.sub(r"([a-z])([A-Z])", r"\1_\2", column).lower()
    if _MIDDLE.search(low):
        return "middle"
    if _GIVEN.search(low):
        return "given"
    if _FAMILY.search(low):
        return "family"
    return "full"


@dataclass(frozen=True)
class NameDobSpec:
    """The columns of one table that make a name + birth-date key.

    Attributes:
        dob: Birth-date column.
        full: Whole-name columns (each one a key of its own: official, former or English name).
        given: Given-name column, or "".
        middle: Middle-name column, or "".
        family: Family-name column, or "".
        dayfirst: How the birth-date column writes ``NN/NN/YYYY`` (None: unknown, such values skipped).
    """

    dob: str
    full: tuple[str, ...] = ()
    given: str = ""
    middle: str = ""
    family: str = ""
    dayfirst: bool | None = None

    def to_text(self) -> str:
        """Stored as the index entry's column (JSON; only column names)."""
        return json.dumps({"dob": self.dob, "full": list(self.full), "given": self.given, "middle": self.middle,
                           "family": self.family, "dayfirst": self.dayfirst}, ensure_ascii=False,
                          separators=(",", ":"))

    @classmethod
    def from_text(cls, text: str) -> NameDobSpec | None:
        """The spec of a stored entry, None when the entry is not a name + birth-date one."""
        try:
            doc = json.loads(text)
        except ValueError:
            return None
        if not isinstance(doc, dict) or "dob" not in doc:
            return None
        return cls(str(doc["dob"]), tuple(doc.get("full") or ()), doc.get("given") or "", doc.get("middle") or "",
                   doc.get("family") or "", doc.get("dayfirst"))

    @property
    def columns(self) -> list[str]:
        """Every column used."""
        return [c for c in (*self.full, self.given, self.middle, self.family, self.dob) if c]

    def names(self, record: Mapping[str, Any]) -> set[str]:
        """Canonical names of one record (one per whole-name column, and the split one)."""
        out = {canonical_name(str(record[c])) for c in self.full if record.get(c) not in (None, "")}
        given, family = record.get(self.given) if self.given else None, record.get(self.family) if self.family else None
        if given not in (None, "") and family not in (None, ""):
            # Family name first: a Chinese name joins its parts in that order; a Latin one sorts them anyway.
            out.add(canonical_name(f"{family} {given}"))
            middle = record.get(self.middle) if self.middle else None
            if middle not in (None, ""):
                out.add(canonical_name(f"{family} {given} {middle}"))
        return {n for n in out if n}

    def fingerprints(self, key: bytes, record: Mapping[str, Any]) -> set[str]:
        """Every name + birth-date fingerprint of one record (empty when either part is missing)."""
        iso = birth_date_of(record.get(self.dob), self.dayfirst)
        if iso is None:
            return set()
        return {name_dob_fingerprint(key, name, iso) for name in self.names(record)}


def find_spec(
    name_columns: Sequence[str], dob_columns: Sequence[str], sample: Iterable[Mapping[str, Any]] = (),
) -> NameDobSpec | None:
    """The name + birth-date key of a table from its subject's name and birth-date columns.

    Args:
        name_columns: Columns classified as the record's own person's name (guardians' left out).
        dob_columns: Columns classified as the record's own person's birth date.
        sample: Some records, to decide how the birth-date column writes ``NN/NN/YYYY``.

    Returns:
        None when the table has no birth date or no usable name.
    """
    if not dob_columns or not name_columns:
        return None
    dob = dob_columns[0]
    parts: dict[str, list[str]] = {}
    for col in name_columns:
        parts.setdefault(_part(col), []).append(col)
    given, family = parts.get("given", [""])[0], parts.get("family", [""])[0]
    if not (given and family):
        given = family = ""
    spec = NameDobSpec(dob, tuple(parts.get("full", ())), given, parts.get("middle", [""])[0] if given else "",
                       family)
    if not spec.full and not spec.given:
        return None
    dayfirst = resolve_dayfirst(str(r.get(dob)) for r in sample if r.get(dob) is not None)
    return NameDobSpec(spec.dob, spec.full, spec.given, spec.middle, spec.family, dayfirst)
