"""Score pi-scanner on the real-schema corpus (``benchmarks/corpus/systems``; issue 13).

``python -m benchmarks.real_schemas [--split dev|test|all] [--db sqlite|postgresql|mariadb ...]
[--system ID ...] [--errors] [--json PATH] [--peers] [--agreement SYSTEM]``

Each system is loaded whole (``benchmarks/corpus/load.py``) into a fresh database and scanned by the real
scan path (``scanner.run_scan`` with the local executor and a temporary catalog, then ``build_report``:
the code behind ``pi-scanner scan URL``), with the reference date fixed at 2026-03-15. The JSON report is
scored against the system's ``labels.json``, per system and pooled:

* columns: precision / recall / F1 of "any PI found" (a column is found when the report has any finding on
  it, confirmed or suspected; truth: category other than ``none``), category accuracy over the true
  positives, and precision / recall per category;
* tables: children's-table precision / recall (truth: labelled rows ``child`` or ``mixed``; predicted:
  ``child_status`` ``child`` or ``likely_child``), for tables with generated rows and empty tables apart;
* links: precision / recall of the report's accepted ``links`` against the labelled parents ("not
  produced" when the report has no ``links``);
* exact child-row counts: the report's ``child_rows`` against the generator's truth, on tables whose rows
  carry a birth date or ID number.

A label that names a table or column the loaded database lacks, or a loaded column without a label, stops
the run (exit 2). A system a dialect refuses is reported with the statement that failed and left out of
that dialect's pooled figures; a system pi-scanner crashes on is reported the same way and the run exits 1.
``--agreement SYSTEM`` compares ``labels.json`` with the independent second
labelling ``labels.second.json`` (no database needed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.corpus.load import (
    AS_OF,
    CATEGORIES,
    DIALECTS,
    SYSTEMS,
    CorpusError,
    Loaded,
    Server,
    System,
    discover,
    generate_rows,
    load,
    load_system,
    validate_labels,
)
from benchmarks.peers import PEERS, peer_report

CHILDISH = frozenset({"child", "likely_child"})
CHILD_ROWS = frozenset({"child", "mixed"})

# Entity type -> §A9 category for reports older than schema 1.2, whose findings carry no "category" (the
# baseline classifier of 95bc546 is scored through it). A finding's own "category" always wins. An entity
# type missing here scores as category "unmapped" (found, but never the right category).
ENTITY_CATEGORY: dict[str, str] = {
    "CN_RESIDENT_ID": "identity_document", "CN_RESIDENCE_PERMIT": "identity_document",
    "CN_PR_CARD": "identity_document", "CN_STUDENT_NUMBER": "identity_document", "CN_PASSPORT": "identity_document",
    "CN_TRAVEL_PERMIT": "identity_document", "HK_ID": "identity_document", "TW_ID": "identity_document",
    "MO_ID": "identity_document", "CN_BIRTH_CERTIFICATE": "identity_document",
    "CN_MOBILE": "basic_profile", "CN_LANDLINE": "basic_profile", "EMAIL_ADDRESS": "basic_profile",
    "DATE_OF_BIRTH": "basic_profile", "AGE_TEXT": "basic_profile", "GUARDIAN_RELATION": "basic_profile",
    "PERSON_NAME": "basic_profile", "CN_ADDRESS": "basic_profile",
    "CN_BANK_CARD": "financial",
    "GRADE_CLASS": "education_work", "SCHOOL_NAME": "education_work",
}


def finding_category(column: dict[str, Any]) -> str | None:
    """The category a report column finding claims (None: no finding, i.e. category ``none``)."""
    cat = column.get("category")
    if isinstance(cat, str):
        return None if cat == "none" else cat
    types = column.get("entity_types") or []
    if not types:
        return "unmapped"
    return ENTITY_CATEGORY.get(types[0], "unmapped")


def scan(url: str, as_of: dt.date = AS_OF) -> dict[str, Any]:
    """The JSON report of ``pi-scanner scan URL --executor local --full`` (temporary catalog).

    Imported here, not at module level, so ``PYTHONPATH`` decides which pi-scanner is measured.
    """
    from pi_scanner.catalog.store import Catalog
    from pi_scanner.config import Settings
    from pi_scanner.registry import connector_from_target
    from pi_scanner.report.json_report import build_report
    from pi_scanner.scanner import run_scan

    name, cfg = connector_from_target(url)
    settings = Settings(connectors={name: cfg})
    with tempfile.TemporaryDirectory(prefix="pis-corpus-cat-") as tmp:
        catalog = Catalog(f"sqlite:///{tmp}/catalog.db")
        try:
            catalog.migrate()
            outcome = run_scan(settings, as_of=as_of, catalog=catalog, executor="local", incremental=False)
            report: dict[str, Any] = build_report(outcome.run, outcome.infos,
                                                  failed_connectors=outcome.failed_connectors)
        finally:
            catalog.close()
    return report


# --- matching database names to labels -------------------------------------------------------------------


def _key(name: str) -> str:
    """Names compare case-insensitively, cut to PostgreSQL's 63 bytes (the dialect truncates longer ones)."""
    return name.lower().encode()[:63].decode(errors="ignore")


def loaded_columns(url: str) -> dict[str, list[str]]:
    """Table -> column names as the database holds them (its default schema)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        insp = sa.inspect(engine)
        multi = insp.get_multi_columns()
        return {table: [str(c["name"]) for c in cols] for (_, table), cols in multi.items()}
    finally:
        engine.dispose()


def check_loaded(system: System, db: dict[str, list[str]]) -> None:
    """Fail loudly when labels and the loaded schema disagree.

    Raises:
        CorpusError: A labelled table or column is not in the database, or a loaded column has no label.
    """
    labelled: dict[str, set[str]] = {}
    for key in system.labels["columns"]:
        table, _, col = key.partition(".")
        labelled.setdefault(_key(table), set()).add(_key(col))
    have = {_key(t): {_key(c) for c in cols} for t, cols in db.items()}
    problems = []
    for table, cols in sorted(labelled.items()):
        if table not in have:
            problems.append(f"{system.id}: labelled table {table} is not in the loaded database")
            continue
        problems += [f"{system.id}: labelled column {table}.{c} is not in the loaded database"
                     for c in sorted(cols - have[table])]
    for table, cols in sorted(have.items()):
        problems += [f"{system.id}: loaded column {table}.{c} has no label"
                     for c in sorted(cols - labelled.get(table, set()))]
    if problems:
        raise CorpusError("\n".join(problems))


# --- scoring one system ----------------------------------------------------------------------------------


@dataclass
class SystemScore:
    """Everything scored on one system in one database (counts, so systems pool by adding).

    Attributes:
        system: System id.
        split: ``dev`` or ``test``.
        dialect: Database.
        failure: ``stage: error | statement`` when the dialect refused the system, or ``scan crashed: ...``
            when pi-scanner raised on it (then nothing else is scored).
        columns: (table.column, true category or None, predicted category or None, suspected).
        tables: (table, labelled rows, via_link, predicted child_status, filled).
        links_truth: Labelled child -> parent (``table.column`` lowercased).
        links_found: Accepted links of the report, or None when the report has no ``links``.
        links_any: Every link of the report, accepted or not (recall at any confidence).
        child_rows: (table, true child rows, reported child rows) where dated rows exist.
        notes: Load notes.
        seconds: Load + scan time.
        peers: The same system scored for each peer classifier of ``benchmarks.peers`` (``--peers``).
    """

    system: str
    split: str
    dialect: str
    failure: str | None = None
    columns: list[tuple[str, str | None, str | None, bool]] = field(default_factory=list)
    tables: list[tuple[str, str, bool, str, bool]] = field(default_factory=list)
    links_truth: dict[str, str] = field(default_factory=dict)
    links_found: set[tuple[str, str]] | None = None
    links_any: set[tuple[str, str]] | None = None
    child_rows: list[tuple[str, int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    peers: dict[str, SystemScore] = field(default_factory=dict)


def _report_links(report: dict[str, Any], accepted_only: bool = True) -> set[tuple[str, str]] | None:
    links = report.get("links")
    if not isinstance(links, list):
        return None
    out: set[tuple[str, str]] = set()
    for link in links:
        if accepted_only and not link.get("accepted", True):
            continue
        src, dst = link.get("from") or {}, link.get("to") or {}
        for a, b in zip(src.get("columns") or [], dst.get("columns") or [], strict=False):
            out.add((f"{_key(src.get('table', ''))}.{_key(a)}", f"{_key(dst.get('table', ''))}.{_key(b)}"))
    return out


def score_system(loaded: Loaded, report: dict[str, Any], as_of: dt.date = AS_OF) -> SystemScore:
    """Compare one report with the system's labels and generator truth."""
    system = loaded.system
    out = SystemScore(system.id, system.split, loaded.dialect, notes=list(loaded.notes))
    assets = {_key(a["path"][-1]): a for a in report.get("assets", []) if a.get("path")}
    filled = {_key(t) for t in loaded.rows if loaded.rows[t]}
    for key, label in system.labels["columns"].items():
        table, _, col = key.partition(".")
        asset = assets.get(_key(table)) or {}
        finding = next((c for c in asset.get("columns", []) if _key(c["name"]) == _key(col)), None)
        truth = None if label["category"] == "none" else label["category"]
        pred = finding_category(finding) if finding is not None else None
        out.columns.append((key, truth, pred, bool(finding and finding.get("suspected"))))
    for table, label in system.labels["tables"].items():
        asset = assets.get(_key(table))
        status = str(asset["child_status"]) if asset else "missing"
        out.tables.append((table, label["rows"], bool(label["via_link"]), status, _key(table) in filled))
    out.links_truth = {_key_ref(a): _key_ref(b) for a, b in (system.labels.get("links") or {}).items()}
    out.links_found = _report_links(report)
    out.links_any = _report_links(report, accepted_only=False)
    for table, truth in loaded.rows.child_rows(as_of).items():
        asset = assets.get(_key(table))
        out.child_rows.append((table, truth, int(asset["child_rows"]) if asset else 0))
    return out


def _key_ref(ref: str) -> str:
    table, _, col = ref.partition(".")
    return f"{_key(table)}.{_key(col)}"


# --- metrics ---------------------------------------------------------------------------------------------


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else (0.0 if tp + fp + fn else None)
    return {"precision": _r(p), "recall": _r(r), "f1": _r(f), "tp": tp, "fp": fp, "fn": fn}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def metrics(scores: Iterable[SystemScore]) -> dict[str, Any]:
    """The figures of one system, or pooled (micro-averaged) over several."""
    scores = [s for s in scores if s.failure is None]
    cols = [c for s in scores for c in s.columns]
    tp = sum(1 for _, t, p, _ in cols if t and p)
    fp = sum(1 for _, t, p, _ in cols if p and not t)
    fn = sum(1 for _, t, p, _ in cols if t and not p)
    right_cat = sum(1 for _, t, p, _ in cols if t and p and t == p)
    per_cat = {}
    for cat in sorted(CATEGORIES):
        per_cat[cat] = _prf(sum(1 for _, t, p, _ in cols if t == cat and p == cat),
                            sum(1 for _, t, p, _ in cols if p == cat and t != cat),
                            sum(1 for _, t, p, _ in cols if t == cat and p != cat))
    tables: dict[str, Any] = {}
    for part, keep in (("all", lambda f: True), ("filled", lambda f: f), ("empty", lambda f: not f)):
        rows = [t for s in scores for t in s.tables if keep(t[4])]
        truth = [t[1] in CHILD_ROWS for t in rows]
        pred = [t[3] in CHILDISH for t in rows]
        tables[part] = _prf(sum(a and b for a, b in zip(truth, pred, strict=True)),
                            sum(b and not a for a, b in zip(truth, pred, strict=True)),
                            sum(a and not b for a, b in zip(truth, pred, strict=True)))
        tables[part]["tables"] = len(rows)
    linked = [t for s in scores for t in s.tables if t[2] and t[1] in CHILD_ROWS]
    tables["via_link_recall"] = _r(sum(t[3] in CHILDISH for t in linked) / len(linked)) if linked else None
    produced = [s for s in scores if s.links_found is not None]
    links: dict[str, Any]
    if not produced:
        links = {"produced": False, "truth": sum(len(s.links_truth) for s in scores)}
    else:
        ltp = sum(len({(a, b) for a, b in s.links_found or set() if s.links_truth.get(a) == b}) for s in produced)
        lfound = sum(len(s.links_found or set()) for s in produced)
        ltruth = sum(len(s.links_truth) for s in produced)
        any_tp = sum(len({(a, b) for a, b in s.links_any or set() if s.links_truth.get(a) == b}) for s in produced)
        links = {"produced": True, **_prf(ltp, lfound - ltp, ltruth - ltp),
                 "recall_any_confidence": _r(any_tp / ltruth) if ltruth else None}
        if len(produced) < len(scores):
            links["systems_without_links"] = [s.system for s in scores if s.links_found is None]
    counts = [c for s in scores for c in s.child_rows]
    return {
        "systems": len(scores),
        "columns": {"labelled": len(cols), "pi": sum(1 for c in cols if c[1]), **_prf(tp, fp, fn),
                    "category_accuracy": _r(right_cat / tp) if tp else None,
                    "suspected_found": sum(1 for c in cols if c[2] and c[3])},
        "categories": per_cat,
        "tables": tables,
        "links": links,
        "child_rows": {"tables": len(counts), "exact": sum(1 for _, t, p in counts if t == p),
                       "truth": sum(t for _, t, _ in counts), "reported": sum(p for _, _, p in counts)},
    }


def errors_of(score: SystemScore) -> list[str]:
    """Every wrong column, table, link and child-row count of one system."""
    out = []
    for key, truth, pred, suspected in score.columns:
        if truth != pred:
            tag = " (suspected)" if suspected else ""
            out.append(f"column {key}: want {truth or 'none'} got {pred or 'none'}{tag}")
    for table, rows, via, status, filled in score.tables:
        if (rows in CHILD_ROWS) != (status in CHILDISH):
            out.append(f"table {table}: rows {rows}{' via link' if via else ''} got {status}"
                       f" ({'filled' if filled else 'empty'})")
    if score.links_found is not None:
        found = dict(score.links_found)
        out += [f"link {a} -> {b}: not found" for a, b in score.links_truth.items() if found.get(a) != b]
        out += [f"link {a} -> {b}: wrong" for a, b in sorted(score.links_found) if score.links_truth.get(a) != b]
    out += [f"child rows {t}: want {want} got {got}" for t, want, got in score.child_rows if want != got]
    return out


# --- running ---------------------------------------------------------------------------------------------


def run_system(system: System, server: Server, as_of: dt.date = AS_OF, peers: Sequence[str] = ()) -> SystemScore:
    """Load one system into a fresh database of ``server``, scan it, score it, drop the database.

    Each of ``peers`` (keys of ``benchmarks.peers.PEERS``) is scored on the same loaded rows beside it.

    Raises:
        CorpusError: The generator breaks the contract or labels disagree with the loaded schema.
    """
    started = time.monotonic()
    rows = generate_rows(system, as_of)
    loaded = load(system, server, rows)
    try:
        if loaded.failure is not None:
            f = loaded.failure
            return SystemScore(system.id, system.split, server.dialect, notes=loaded.notes,
                               failure=f"{f.stage}: {f.error} | statement: {f.statement}",
                               seconds=time.monotonic() - started)
        assert loaded.url is not None
        check_loaded(system, loaded_columns(loaded.url))
        try:
            report = scan(loaded.url, as_of)
        except Exception as exc:  # pi-scanner itself failed: recorded, the rest of the corpus still scores
            frames = traceback.extract_tb(exc.__traceback__)
            where = next((f for f in reversed(frames) if "pi_scanner" in f.filename), frames[-1])
            return SystemScore(system.id, system.split, server.dialect, notes=loaded.notes,
                               failure=f"scan crashed: {type(exc).__name__}: {str(exc)[:300]} "
                                       f"(at {Path(where.filename).name}:{where.lineno})",
                               seconds=time.monotonic() - started)
        score = score_system(loaded, report, as_of)
        score.peers = {p: score_system(loaded, peer_report(p, system.schema["tables"], loaded.rows), as_of)
                       for p in peers}
    finally:
        if loaded.url is not None:
            server.drop(loaded.url)
    score.seconds = time.monotonic() - started
    return score


def run_corpus(split: str = "dev", dialects: Iterable[str] = ("sqlite",), only: list[str] | None = None,
               root: Path = SYSTEMS, as_of: dt.date = AS_OF, progress: bool = False,
               peers: Sequence[str] = ()) -> dict[str, Any]:
    """Score every system of ``split`` on each dialect (and each of ``peers`` beside pi-scanner).

    Returns:
        ``{"as_of", "split", "dialects": {dialect: {"unavailable"?, "systems": {id: {...}}, "pooled",
        "failures"}}}`` where each system entry holds its metrics, errors and load notes.

    Raises:
        CorpusError: A system folder breaks the contract (every problem listed).
    """
    systems = discover(root, split, only)
    out: dict[str, Any] = {"as_of": as_of.isoformat(), "split": split, "dialects": {}}
    for dialect in dialects:
        entry: dict[str, Any] = {"systems": {}, "failures": {}}
        out["dialects"][dialect] = entry
        with Server(dialect) as server:
            why = server.available()
            if why:
                entry["unavailable"] = why
                continue
            scores = []
            for system in systems:
                score = run_system(system, server, as_of, peers)
                scores.append(score)
                if progress:
                    print(f"  [{dialect}] {system.id}: {score.seconds:.1f}s"
                          f"{' FAILED ' + (score.failure or '')[:150] if score.failure else ''}", file=sys.stderr)
                if score.failure:
                    entry["failures"][system.id] = score.failure
                entry["systems"][system.id] = {
                    "split": system.split, "language": system.schema.get("language"),
                    "kind": system.schema.get("kind"), "failure": score.failure,
                    "seconds": round(score.seconds, 1), "metrics": metrics([score]), "errors": errors_of(score),
                    "notes": score.notes,
                }
                if peers:
                    entry["systems"][system.id]["peers"] = {p: metrics([ps]) for p, ps in score.peers.items()}
            entry["pooled"] = metrics(scores)
            if peers:
                entry["pooled_peers"] = {p: metrics(s.peers[p] for s in scores if p in s.peers) for p in peers}
            for facet in ("language", "kind"):
                values = sorted({str(s.schema.get(facet)) for s in systems})
                entry[f"pooled_by_{facet}"] = {
                    v: metrics(sc for sc, s in zip(scores, systems, strict=True) if str(s.schema.get(facet)) == v)
                    for v in values}
    return out


def run(quick: bool = True) -> dict[str, Any]:
    """Harness entry: the dev half on SQLite (quick), or every system on SQLite (full)."""
    return {"real_schemas": run_corpus("dev" if quick else "all", ("sqlite",))}


# --- agreement -------------------------------------------------------------------------------------------


def _kappa(a: list[str], b: list[str]) -> float | None:
    n = len(a)
    if not n:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(system_id: str, root: Path = SYSTEMS) -> dict[str, Any]:
    """Agreement between ``labels.json`` and the independent ``labels.second.json`` of one system.

    Raises:
        CorpusError: The system or its second labelling is missing or breaks the contract.
    """
    system = load_system(root / system_id)
    path = system.root / "labels.second.json"
    try:
        second = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path}: {exc}") from exc
    # The schema may have grown since the second labelling: compare what both labelled, and say what not.
    problems = [p for p in validate_labels(system.schema, second, system.id) if not p.endswith("has no label")]
    if problems:
        raise CorpusError("\n".join(p.replace("labels.json", "labels.second.json") for p in problems))
    first = system.labels
    keys = sorted(set(first["columns"]) & set(second["columns"]))
    only_first = len(first["columns"]) - len(keys)
    only_first_tables = len(set(first["tables"]) - set(second["tables"]))
    c1 = [first["columns"][k]["category"] for k in keys]
    c2 = [second["columns"][k]["category"] for k in keys]
    pi1 = ["pi" if c != "none" else "none" for c in c1]
    pi2 = ["pi" if c != "none" else "none" for c in c2]
    s1 = [first["columns"][k]["subject"] for k in keys]
    s2 = [second["columns"][k]["subject"] for k in keys]
    tkeys = sorted(set(first["tables"]) & set(second["tables"]))
    t1 = [first["tables"][k]["rows"] for k in tkeys]
    t2 = [second["tables"][k]["rows"] for k in tkeys]
    l1 = {(_key_ref(a), _key_ref(b)) for a, b in (first.get("links") or {}).items() if a in second["columns"]}
    l2 = {(_key_ref(a), _key_ref(b)) for a, b in (second.get("links") or {}).items()}
    n = len(keys)
    return {
        "system": system.id,
        "columns": n,
        "columns_not_in_second": only_first,
        "tables_not_in_second": only_first_tables,
        "category_agreement": _r(sum(x == y for x, y in zip(c1, c2, strict=True)) / n),
        "category_kappa": _r(_kappa(c1, c2)),
        "pi_agreement": _r(sum(x == y for x, y in zip(pi1, pi2, strict=True)) / n),
        "pi_kappa": _r(_kappa(pi1, pi2)),
        "subject_agreement": _r(sum(x == y for x, y in zip(s1, s2, strict=True)) / n),
        "subject_kappa": _r(_kappa(s1, s2)),
        "tables": len(tkeys),
        "table_rows_agreement": _r(sum(x == y for x, y in zip(t1, t2, strict=True)) / len(tkeys)),
        "table_rows_kappa": _r(_kappa(t1, t2)),
        "table_children_agreement": _r(sum((x in CHILD_ROWS) == (y in CHILD_ROWS)
                                           for x, y in zip(t1, t2, strict=True)) / len(tkeys)),
        "via_link_agreement": _r(sum(first["tables"][k]["via_link"] == second["tables"][k]["via_link"]
                                     for k in tkeys) / len(tkeys)),
        "links_first": len(l1), "links_second": len(l2), "links_both": len(l1 & l2),
        "links_second_precision": _r(len(l1 & l2) / len(l2)) if l2 else None,
        "links_second_recall": _r(len(l1 & l2) / len(l1)) if l1 else None,
        "link_agreement": _r(len(l1 & l2) / len(l1 | l2)) if l1 | l2 else None,
        "disagreements": [f"{k}: {x} vs {y}" for k, x, y in zip(keys, c1, c2, strict=True) if x != y]
        + [f"table {k}: {x} vs {y}" for k, x, y in zip(tkeys, t1, t2, strict=True) if x != y],
    }


# --- output ----------------------------------------------------------------------------------------------


def _f(x: Any) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def format_result(result: dict[str, Any], errors: bool = False) -> str:
    """A per-system table per dialect, then the pooled line, per-category figures and failures."""
    lines = [f"as_of {result['as_of']}  split {result['split']}"]
    head = (f"{'system':22} {'split':5} {'cols':>5} {'pi':>4}  {'colP':5} {'colR':5} {'colF1':5} {'cat':5}  "
            f"{'tabP':5} {'tabR':5} {'R-fill':6} {'R-empty':7} {'R-link':6}  {'linkP':5} {'linkR':5}  "
            f"{'childrows':12} {'s':>5}")
    for dialect, entry in result["dialects"].items():
        lines += ["", f"== {dialect} =="]
        if "unavailable" in entry:
            lines.append(f"  not scored: {entry['unavailable']}")
            continue
        lines.append(head)
        rows = [(sid, e) for sid, e in entry["systems"].items()]
        for sid, e in [*rows, ("POOLED", {"split": result["split"], "metrics": entry["pooled"], "seconds": None})]:
            if e.get("failure"):
                lines.append(f"{sid:22} {e['split']:5} FAILED: {e['failure'][:200]}")
                continue
            m = e["metrics"]
            c, t, lk, cr = m["columns"], m["tables"], m["links"], m["child_rows"]
            link = f"{_f(lk.get('precision'))} {_f(lk.get('recall'))}" if lk["produced"] else "not produced"
            counts = f"{cr['exact']}/{cr['tables']} exact" if cr["tables"] else "-"
            secs = f"{e['seconds']:5.1f}" if e.get("seconds") is not None else ""
            lines.append(
                f"{sid:22} {e['split']:5} {c['labelled']:5} {c['pi']:4}  {_f(c['precision'])} {_f(c['recall'])} "
                f"{_f(c['f1'])} {_f(c['category_accuracy'])}  {_f(t['all']['precision'])} {_f(t['all']['recall'])} "
                f"{_f(t['filled']['recall']):6} {_f(t['empty']['recall']):7} {_f(t['via_link_recall']):6}  {link:11}  "
                f"{counts:12} {secs}")
            if errors and sid != "POOLED":
                lines += [f"    {err}" for err in e["errors"]]
        for facet in ("language", "kind"):
            for value, m in entry.get(f"pooled_by_{facet}", {}).items():
                c, t = m["columns"], m["tables"]["all"]
                lines.append(f"  {facet} {value:13} systems {m['systems']:2}  col P {_f(c['precision'])} "
                             f"R {_f(c['recall'])} F1 {_f(c['f1'])}  tables P {_f(t['precision'])} R {_f(t['recall'])}")
        pooled = entry["pooled"]["categories"]
        lines.append("  per category (pooled):")
        lines += [f"    {cat:18} P {_f(v['precision'])}  R {_f(v['recall'])}  (labelled {v['tp'] + v['fn']}, "
                  f"found {v['tp'] + v['fp']})" for cat, v in pooled.items() if v["tp"] + v["fn"] + v["fp"]]
        cr = entry["pooled"]["child_rows"]
        lines.append(f"  child rows (pooled): truth {cr['truth']}, reported {cr['reported']}, "
                     f"exact on {cr['exact']} of {cr['tables']} dated tables")
        lk = entry["pooled"]["links"]
        if lk["produced"]:
            lines.append(f"  links (pooled): P {_f(lk['precision'])} R {_f(lk['recall'])} of {lk['tp'] + lk['fn']} "
                         f"labelled; recall counting unaccepted links too {_f(lk['recall_any_confidence'])}")
        if entry.get("pooled_peers"):
            lines += _format_peers(entry)
        for sid, why in entry["failures"].items():
            lines.append(f"  FAILED {sid}: {why}")
    return "\n".join(lines)


def _format_peers(entry: dict[str, Any]) -> list[str]:
    """Column figures of pi-scanner and each peer, side by side (peers produce no tables or links)."""
    peers = list(entry["pooled_peers"])
    lines = ["  peers, columns only (P / R / F1; peers report no children's tables and no links):",
             f"    {'system':20} {'pi-scanner':17} " + " ".join(f"{p:17}" for p in peers)]

    def prf(m: dict[str, Any]) -> str:
        c = m["columns"]
        return f"{_f(c['precision'])}/{_f(c['recall'])}/{_f(c['f1'])}"

    for sid, e in [*entry["systems"].items(), ("POOLED", {"metrics": entry["pooled"], "peers": entry["pooled_peers"]})]:
        if e.get("failure") or not e.get("peers"):
            continue
        lines.append(f"    {sid:20} {prf(e['metrics']):17} " + " ".join(f"{prf(e['peers'][p]):17}" for p in peers))
    return lines


def format_markdown(result: dict[str, Any]) -> str:
    """The per-system table of benchmarks/README.md (one block per dialect)."""
    out = []
    for dialect, entry in result["dialects"].items():
        out += [f"**{dialect}**, split `{result['split']}`, as_of {result['as_of']}", "",
                "| system | split | lang | columns | PI | col P | col R | col F1 | category acc | tables P | tables R "
                "(filled / empty / via link) | links P / R | child rows exact |",
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|"]
        if "unavailable" in entry:
            out.append(f"| not scored: {entry['unavailable']} |")
            continue
        items = list(entry["systems"].items())
        for sid, e in [*items, ("**pooled**", {"split": result["split"], "language": "", "metrics": entry["pooled"]})]:
            if e.get("failure"):
                out.append(f"| {sid} | {e['split']} | {e['language']} | failed: `{e['failure'][:120]}` |")
                continue
            m = e["metrics"]
            c, t, lk, cr = m["columns"], m["tables"], m["links"], m["child_rows"]
            links = f"{_f(lk.get('precision'))} / {_f(lk.get('recall'))}" if lk["produced"] else "not produced"
            out.append(
                f"| {sid} | {e['split']} | {e['language']} | {c['labelled']} | {c['pi']} | {_f(c['precision'])} | "
                f"{_f(c['recall'])} | {_f(c['f1'])} | {_f(c['category_accuracy'])} | {_f(t['all']['precision'])} | "
                f"{_f(t['all']['recall'])} ({_f(t['filled']['recall'])} / {_f(t['empty']['recall'])} / "
                f"{_f(t['via_link_recall'])}) | {links} | {cr['exact']}/{cr['tables']} |".replace("  -  ", "-"))
        out.append("")
    return "\n".join(out)


def format_agreement(a: dict[str, Any]) -> str:
    """Agreement figures, then each disagreement."""
    lines = [f"agreement {a['system']}: {a['columns']} columns, {a['tables']} tables labelled twice"
             + (f" ({a['columns_not_in_second']} columns, {a['tables_not_in_second']} tables added to the schema "
                "since the second labelling are left out)" if a["columns_not_in_second"] else ""),
             f"  column category agreement {_f(a['category_agreement'])}  kappa {_f(a['category_kappa'])}",
             f"  column PI/none agreement  {_f(a['pi_agreement'])}  kappa {_f(a['pi_kappa'])}",
             f"  column subject agreement  {_f(a['subject_agreement'])}  kappa {_f(a['subject_kappa'])}",
             f"  table rows agreement      {_f(a['table_rows_agreement'])}  kappa {_f(a['table_rows_kappa'])}"
             f"  (children's yes/no {_f(a['table_children_agreement'])})",
             f"  table via_link agreement  {_f(a['via_link_agreement'])}",
             f"  links: first {a['links_first']}, second {a['links_second']}, both {a['links_both']}, "
             f"agreement (Jaccard) {_f(a['link_agreement'])}; second vs first: P {_f(a['links_second_precision'])}"
             f" R {_f(a['links_second_recall'])}"]
    lines += [f"    {d}" for d in a["disagreements"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.real_schemas",
                                     description="Score pi-scanner on the real-schema corpus (issue 13).")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--db", action="append", choices=DIALECTS, help="database (repeatable; default sqlite)")
    parser.add_argument("--system", action="append", help="only this system (repeatable)")
    parser.add_argument("--errors", action="store_true", help="list every wrong column, table, link and count")
    parser.add_argument("--json", metavar="PATH", help="write the full result as JSON")
    parser.add_argument("--markdown", metavar="PATH", help="write the per-system table as Markdown")
    parser.add_argument("--agreement", metavar="SYSTEM", help="compare labels.json with labels.second.json")
    parser.add_argument("--peers", action="store_true",
                        help=f"score the peer column classifiers ({', '.join(PEERS)}) beside pi-scanner")
    parser.add_argument("--as-of", default=AS_OF.isoformat(), help="reference date (default 2026-03-15)")
    parser.add_argument("--root", type=Path, default=SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.agreement:
            a = agreement(args.agreement, args.root)
            print(format_agreement(a))
            result: dict[str, Any] = {"agreement": a}
        else:
            import pi_scanner

            print(f"pi_scanner from {Path(pi_scanner.__file__).parent}", file=sys.stderr)
            result = run_corpus(args.split, args.db or ["sqlite"], args.system, args.root,
                                dt.date.fromisoformat(args.as_of), progress=True,
                                peers=tuple(PEERS) if args.peers else ())
            result["pi_scanner"] = str(Path(pi_scanner.__file__).parent)
            print(format_result(result, args.errors))
            if args.markdown:
                Path(args.markdown).write_text(format_markdown(result), encoding="utf-8")
            missing = [d for d, e in result["dialects"].items() if "unavailable" in e]
            crashed = [f"{d}/{sid}" for d, e in result["dialects"].items() for sid, why in e["failures"].items()
                       if why.startswith("scan crashed")]
            if missing:
                print(f"not scored: {', '.join(missing)} (server not reachable)", file=sys.stderr)
            if crashed:
                print(f"pi-scanner crashed on: {', '.join(crashed)}", file=sys.stderr)
            if missing or crashed:
                if args.json:
                    Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
                return 1
    except CorpusError as exc:
        problems = str(exc).splitlines()
        more = f"\n... and {len(problems) - 40} more" if len(problems) > 40 else ""
        print("corpus error (nothing scored):\n" + "\n".join(problems[:40]) + more, file=sys.stderr)
        return 2
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
