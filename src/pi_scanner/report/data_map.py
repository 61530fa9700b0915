"""The data map for people and tools: JSON, Graphviz DOT, and a Fides dataset.

Every export is built from the JSON report (its ``links`` and each asset's ``child_status``,
``linked_via`` and columns), so it says exactly what the report says and holds names only.

* ``json``: ``{"tables": [...], "links": [...]}``: each table with its child status, child rows and path
  to the children's table; each link as in the report.
* ``dot``: one node per table in a link or holding children's PI (children's tables filled red, linked
  ones orange), one edge per link labelled with its confidence (dashed below the threshold).
* ``fides``: a Fides dataset YAML (``dataset: [{fides_key, name, collections: [{name, fields: [{name,
  data_categories, fides_meta: {references, identity, primary_key}}]}]}]``) a Fides user can load to
  run access and erasure requests over the same links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pi_scanner.config import dump_yaml
from pi_scanner.report.categories import column_category
from pi_scanner.report.safe_text import html_text as escape

#: Statuses of tables that hold children's records.
_CHILDISH = frozenset({"child", "likely_child"})

#: Fides data categories by entity type, then by §A9 category (Fides taxonomy, ``user.*``).
_FIDES_BY_ENTITY = {
    "PERSON_NAME": "user.name",
    "CN_MOBILE": "user.contact.phone_number",
    "CN_LANDLINE": "user.contact.phone_number",
    "EMAIL_ADDRESS": "user.contact.email",
    "CN_ADDRESS": "user.contact.address",
    "DATE_OF_BIRTH": "user.demographic.date_of_birth",
    "CN_RESIDENT_ID": "user.government_id.national_identification_number",
    "CN_PASSPORT": "user.government_id.passport_number",
    "GENDER": "user.demographic.gender",
    "IP_ADDRESS": "user.device.ip_address",
}
_FIDES_BY_CATEGORY = {
    "basic_profile": "user.demographic",
    "identity_document": "user.government_id",
    "biometric_image": "user.biometric",
    "online_identity": "user.account",
    "device_identifier": "user.device",
    "credential": "user.authorization.credentials",
    "health": "user.health_and_medical",
    "education_work": "user.workplace",
    "financial": "user.financial",
    "communications": "user.content",
    "location": "user.location",
    "other_sensitive": "user.sensitive",
    "free_text": "user.content",
}
#: Entity types a Fides request may start from (``identity``).
_FIDES_IDENTITY = {"EMAIL_ADDRESS": "email", "CN_MOBILE": "phone_number"}


def _name(path: Iterable[str]) -> str:
    return ".".join(path)


def map_tables(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The tables of the map: those in a link and those holding children's records, children's first."""
    in_links = {(lk["connector"], lk[end]["schema"], lk[end]["table"]) for lk in report.get("links", [])
                for end in ("from", "to")}
    out = []
    for a in report["assets"]:
        if a["kind"] != "table":
            continue
        schema = a["path"][-2] if len(a["path"]) > 1 else None
        if (a["connector"], schema, a["path"][-1]) in in_links or a["child_status"] in _CHILDISH:
            out.append({
                "connector": a["connector"], "schema": schema, "table": a["path"][-1],
                "child_status": a["child_status"], "child_rows": a["child_rows"],
                "linked_via": a.get("linked_via"),
                "root": a["child_status"] in _CHILDISH and not a.get("linked_via"),
            })
    return out


def to_json(report: dict[str, Any]) -> str:
    """The map as JSON."""
    doc = {"run_id": report.get("run_id"), "as_of": report.get("as_of"), "tables": map_tables(report),
           "links": report.get("links", [])}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _dot_id(text: str) -> str:
    """A quoted DOT id: backslashes and quotes escaped, line breaks written as DOT's escape."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


def to_dot(report: dict[str, Any]) -> str:
    """The map as a Graphviz digraph (edges point from the referencing table to the referenced one)."""
    lines = ["digraph pi_scanner_map {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", '
             'fillcolor="#ffffff", fontname="sans-serif"];']
    for t in map_tables(report):
        color = "#b3261e" if t["root"] else "#e07a1f" if t["child_status"] in _CHILDISH else "#ffffff"
        font = "#ffffff" if t["child_status"] in _CHILDISH else "#1d2430"
        label = f"{t['table']}\n{t['child_status']}"
        node = _dot_id(f"{t['connector']}:{_name(x for x in (t['schema'], t['table']) if x)}")
        lines.append(f"  {node} [label={_dot_id(label)}, fillcolor=\"{color}\", fontcolor=\"{font}\"];")
    for lk in report.get("links", []):
        src = _dot_id(f"{lk['connector']}:{_name(x for x in (lk['from']['schema'], lk['from']['table']) if x)}")
        dst = _dot_id(f"{lk['connector']}:{_name(x for x in (lk['to']['schema'], lk['to']['table']) if x)}")
        label = f"{','.join(lk['from']['columns'])} {lk['confidence']:.2f}"
        style = "solid" if lk["accepted"] else "dashed"
        lines.append(f"  {src} -> {dst} [label={_dot_id(label)}, style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _fides_key(text: str) -> str:
    key = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_")
    return key or "dataset"


def to_fides(report: dict[str, Any]) -> str:
    """The map as a Fides dataset YAML: one dataset per connector, one collection per table."""
    tables = {(t["connector"], t["schema"], t["table"]) for t in map_tables(report)}
    by_asset = {(a["connector"], a["path"][-2] if len(a["path"]) > 1 else None, a["path"][-1]): a
                for a in report["assets"] if a["kind"] == "table"}
    fields: dict[tuple[str, str | None, str], dict[str, dict[str, Any]]] = {t: {} for t in tables}

    def field(table: tuple[str, str | None, str], column: str) -> dict[str, Any]:
        return fields.setdefault(table, {}).setdefault(column, {"name": column})

    for key in tables:
        asset = by_asset.get(key)
        for col in (asset or {}).get("columns", []):
            entry = field(key, col["name"])
            first = (col.get("entity_types") or [""])[0]
            category = _FIDES_BY_ENTITY.get(first) or _FIDES_BY_CATEGORY.get(column_category(col), "user")
            entry["data_categories"] = [category]
            if first in _FIDES_IDENTITY and asset is not None and asset["child_status"] in _CHILDISH \
                    and not col.get("suspected"):
                entry.setdefault("fides_meta", {})["identity"] = _FIDES_IDENTITY[first]
    for lk in report.get("links", []):
        if not lk["accepted"] or len(lk["from"]["columns"]) != 1:
            continue
        src = (lk["connector"], lk["from"]["schema"], lk["from"]["table"])
        dst = (lk["connector"], lk["to"]["schema"], lk["to"]["table"])
        entry = field(src, lk["from"]["columns"][0])
        entry.setdefault("data_categories", ["system.operations"])
        meta = entry.setdefault("fides_meta", {})
        meta.setdefault("references", []).append({
            "dataset": _fides_key(lk["connector"]),
            "field": f"{lk['to']['table']}.{lk['to']['columns'][0]}",
            "direction": "to",
        })
        target = field(dst, lk["to"]["columns"][0])
        target.setdefault("data_categories", ["system.operations"])
        target.setdefault("fides_meta", {})["primary_key"] = True
    datasets: dict[str, dict[str, Any]] = {}
    for (connector, _schema, table), cols in sorted(fields.items(), key=lambda kv: (kv[0][0], kv[0][2])):
        ds = datasets.setdefault(connector, {
            "fides_key": _fides_key(connector), "name": connector,
            "description": "Children's data map found by pi-scanner (tables, PI fields and links).",
            "collections": [],
        })
        ds["collections"].append({"name": table, "fields": [cols[c] for c in sorted(cols)]})
    doc = {"dataset": list(datasets.values())}
    # Plain types only: names reflected from a database can be str subclasses YAML refuses to write.
    return dump_yaml(json.loads(json.dumps(doc, ensure_ascii=False)))


FORMATS = {"json": to_json, "dot": to_dot, "fides": to_fides}

#: Nodes per column of the drawing before a column wraps into another.
_PER_COLUMN = 40
_NODE_W, _NODE_H, _GAP_X, _GAP_Y = 200, 22, 70, 6
_FILL = {"root": "#b3261e", "child": "#e07a1f", "likely_child": "#f0a35e"}


def render_map_svg(report: dict[str, Any], max_tables: int = 400) -> str:
    """The children's data map as one inline SVG (no script, no external reference).

    Children's tables (the roots) stand in the first column; tables holding children's records through
    links stand in the columns after, by the number of links between them and a root; each draws an arrow
    to the table it points at, its opacity the link's confidence. Long columns wrap, so 200 tables stay
    readable. Names are escaped.
    """
    tables = [t for t in map_tables(report) if t["child_status"] in _CHILDISH][:max_tables]
    if not tables:
        return "<p class='meta'>No table holds children's records, so there is no map to draw.</p>"

    def depth(t: dict[str, Any]) -> int:
        via = t.get("linked_via")
        return len(via["path"]) if via else 0

    columns: dict[int, list[dict[str, Any]]] = {}
    for t in sorted(tables, key=lambda t: (depth(t), t["connector"], t["table"])):
        columns.setdefault(depth(t), []).append(t)
    pos: dict[tuple[str, str], tuple[int, int]] = {}
    x = 0
    height = 0
    for d in sorted(columns):
        members = columns[d]
        for start in range(0, len(members), _PER_COLUMN):
            for i, t in enumerate(members[start:start + _PER_COLUMN]):
                y = 30 + i * (_NODE_H + _GAP_Y)
                pos[(t["connector"], t["table"])] = (x, y)
                height = max(height, y + _NODE_H + 10)
            x += _NODE_W + _GAP_X
    width = x
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' role='img' aria-label='Children&#39;s data map' "
             f"width='{width}' height='{height}' viewBox='0 0 {width} {height}' font-family='sans-serif'>",
             "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='6' markerHeight='6' "
             "orient='auto-start-reverse'><path d='M 0 0 L 10 5 L 0 10 z' fill='#555'/></marker></defs>"]
    heads = ("Children's tables", "Linked (1 link)", "Linked (2 links)", "Linked (3 links)", "Linked (4 links)")
    seen_x: set[int] = set()
    for d in sorted(columns):
        first = columns[d][0]
        cx = pos[(first["connector"], first["table"])][0]
        if cx not in seen_x:
            seen_x.add(cx)
            parts.append(f"<text x='{cx}' y='16' font-size='12' font-weight='bold'>{escape(heads[min(d, 4)])}</text>")
    for t in tables:
        via = t.get("linked_via")
        if not via:
            continue
        target = via["path"][0].split("->", 1)[-1].strip().rsplit(".", 1)[0]
        src, dst = pos.get((t["connector"], t["table"])), pos.get((t["connector"], target))
        if src is None or dst is None:
            continue
        x1, y1 = src[0], src[1] + _NODE_H // 2
        x2, y2 = dst[0] + _NODE_W, dst[1] + _NODE_H // 2
        opacity = max(0.25, min(1.0, float(via["confidence"])))
        parts.append(f"<line x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}' stroke='#555' stroke-opacity='{opacity:.2f}' "
                     f"marker-end='url(#arrow)'><title>{escape(via['path'][0])} ({via['confidence']:.2f})"
                     f"</title></line>")
    for t in tables:
        px, py = pos[(t["connector"], t["table"])]
        fill = _FILL["root"] if t["root"] else _FILL.get(t["child_status"], "#ffffff")
        label = t["table"] if len(t["table"]) <= 26 else t["table"][:25] + "…"
        conf = f" {t['linked_via']['confidence']:.2f}" if t.get("linked_via") else ""
        parts.append(
            f"<g><title>{escape(t['connector'])}:{escape(t['table'])} · {escape(t['child_status'])} · "
            f"{t['child_rows']} child rows{escape(conf)}</title>"
            f"<rect x='{px}' y='{py}' width='{_NODE_W}' height='{_NODE_H}' rx='4' fill='{fill}'/>"
            f"<text x='{px + 6}' y='{py + 15}' font-size='11' fill='#ffffff'>{escape(label)}"
            f"<tspan fill='#fde'>{escape(conf)}</tspan></text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def map_section(report: dict[str, Any]) -> str:
    """The HTML report's section with the map (legend, drawing, counts)."""
    links = report.get("links") or []
    tables = [t for t in map_tables(report) if t["child_status"] in _CHILDISH]
    linked = sum(1 for t in tables if t.get("linked_via"))
    return (
        "<h2 id='data-map'>Children's data map</h2>"
        f"<p class='meta'>{len(tables) - linked} children's tables, {linked} tables holding children's records "
        f"through links, {sum(1 for lk in links if lk['accepted'])} accepted links of {len(links)}. "
        "Red: children's tables; orange: linked tables (arrow to the table they point at, darker when the "
        "link is surer).</p>"
        f"<div class='map'>{render_map_svg(report)}</div>"
    )
