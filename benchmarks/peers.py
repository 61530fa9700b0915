"""Peer column classifiers scored beside pi-scanner on the real-schema corpus (``real_schemas --peers``).

A yardstick needs a floor: what would a privacy engineer get from the tools already in reach? Two peers
are re-implemented here from their published rules (word lists and matching semantics; no code copied),
each turned into a report of the same shape as ``pi-scanner scan``'s so the same scorer counts them:

* ``piicatcher_names``: piicatcher's column-name scanner (Apache-2.0, ``piicatcher/scanner.py``): a column
  is PI when its lower-cased name *contains* one of its words (``name``, ``mail``, ``dob``, ``gender``,
  ``address``, ``city``, ``user…``, ``pass``, ``ssn``, ``social``, ``phone``, ...). Values are never read.
* ``pdscan``: pdscan's rules (MIT, ``internal/rules.go``): exact column names once lower-cased with ``_``
  removed (``lastname``, ``phone``, ``dob``, ``zip``, ``accesstoken`` ...), latitude/longitude pairs, and
  value patterns (e-mail, IPv4, card numbers, US-style phones and ``+`` E.164, SSN shapes, US street
  addresses, MAC addresses) matched in up to 10,000 sampled values per column, as pdscan samples.

Neither peer reports whose rows a table holds or links between tables: only their column figures are
comparable. Categories are mapped to §A9 so category accuracy is comparable too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from benchmarks.corpus.synth import Rows

SAMPLE_ROWS = 10_000  # pdscan's default sample size

# piicatcher: (category, words); the first list that matches wins, as in its ordered dict.
_PIICATCHER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("basic_profile", ("firstname", "fname", "lastname", "lname", "fullname", "maidenname", "_name",
                       "nickname", "name_suffix", "name")),
    ("basic_profile", ("email", "e-mail", "mail")),
    ("basic_profile", ("date_of_birth", "dateofbirth", "dob", "birthday", "date_of_death", "dateofdeath")),
    ("basic_profile", ("gender",)),
    ("basic_profile", ("nationality",)),
    ("basic_profile", ("address", "city", "state", "county", "country", "zipcode", "postal", "zone", "borough")),
    ("online_identity", ("user",)),  # ^.*user(id|name|).*$ is "contains user"
    ("credential", ("pass",)),
    ("identity_document", ("ssn", "social")),
    ("basic_profile", ("phone",)),
)

# pdscan: exact names after lower-casing and removing "_".
_PDSCAN_NAMES: dict[str, str] = {
    **dict.fromkeys(("lastname", "lname", "surname"), "basic_profile"),
    **dict.fromkeys(("phone", "phonenumber"), "basic_profile"),
    **dict.fromkeys(("dateofbirth", "birthday", "dob"), "basic_profile"),
    **dict.fromkeys(("zip", "zipcode", "postalcode"), "basic_profile"),
    **dict.fromkeys(("accesstoken", "refreshtoken"), "credential"),
}
_PDSCAN_LAT = frozenset({"latitude", "lat"})
_PDSCAN_LON = frozenset({"longitude", "lon", "lng"})
_PDSCAN_VALUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("basic_profile", re.compile(r"\b\w[\w+.-]+(@|%40)[a-z\d-]+(\.[a-z\d-]+)*\.[a-z]+\b")),  # e-mail
    ("online_identity", re.compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b")),  # IPv4
    ("financial", re.compile(r"(\b[3456]\d{3}[\s+-]\d{4}[\s+-]\d{4}[\s+-]\d{4}\b)|(\b[3456]\d{15}\b)")),
    ("basic_profile", re.compile(r"(\b(\+\d{1,2}\s)?\(?\d{3}\)?[\s+.-]\d{3}[\s+.-]\d{4}\b)"  # US-style phone
                                 r"|((?:\+|%2B)[1-9]\d{6,14}\b)")),  # or E.164
    ("identity_document", re.compile(r"\b\d{3}[\s+-]\d{2}[\s+-]\d{4}\b")),  # SSN shape
    ("basic_profile", re.compile(r"(?i)\b\d+\b.{4,60}\b(st|street|ave|avenue|road|rd|drive|dr)\b")),
    ("device_identifier", re.compile(r"\b[0-9a-fA-F]{2}(?:(?::|%3A)[0-9a-fA-F]{2}){5}\b")),  # MAC
)


def piicatcher_names(column: str, values: Iterable[object]) -> str | None:
    """piicatcher's verdict on one column: a §A9 category, or None. Values are ignored."""
    del values
    name = column.lower()
    for category, words in _PIICATCHER:
        if any(w in name for w in words):
            return category
    return None


def _pdscan_column(column: str, values: Iterable[object], siblings: frozenset[str]) -> str | None:
    name = column.lower().replace("_", "")
    if name in _PDSCAN_NAMES:
        return _PDSCAN_NAMES[name]
    if (name in _PDSCAN_LAT and siblings & _PDSCAN_LON) or (name in _PDSCAN_LON and siblings & _PDSCAN_LAT):
        return "location"
    texts = [str(v) for v in values if v is not None and not isinstance(v, bytes | bytearray)]
    for category, pattern in _PDSCAN_VALUES:
        if any(pattern.search(t) for t in texts):
            return category
    return None


PeerFn = Callable[[str, Iterable[object], frozenset[str]], str | None]
PEERS: dict[str, PeerFn] = {
    "piicatcher_names": lambda column, values, siblings: piicatcher_names(column, values),
    "pdscan": _pdscan_column,
}


def peer_report(peer: str, tables: Iterable[Mapping[str, Any]], rows: Rows) -> dict[str, Any]:
    """A report of the shape ``score_system`` reads, as ``peer`` would classify these tables.

    Args:
        peer: A key of ``PEERS``.
        tables: ``schema.json``'s tables (name, columns).
        rows: The rows loaded into the database (values are read from here, as a sampling peer would).

    Returns:
        ``{"assets": [{"path", "child_status", "child_rows", "columns": [{"name", "category"}]}]}``; no
        ``links`` (peers do not produce them) and every table ``unknown`` (peers do not count children).
    """
    classify = PEERS[peer]
    assets = []
    for table in tables:
        names = [str(c["name"]) for c in table["columns"]]
        sample = rows[table["name"]][:SAMPLE_ROWS]
        siblings = frozenset(n.lower().replace("_", "") for n in names)
        columns = []
        for name in names:
            category = classify(name, (r.get(name) for r in sample), siblings)
            if category is not None:
                columns.append({"name": name, "category": category})
        assets.append({"path": [table["name"]], "child_status": "unknown", "child_rows": 0, "columns": columns})
    return {"assets": assets}
