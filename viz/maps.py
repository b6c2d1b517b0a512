"""Interactive maps (pyvis / vis-network) of a document and of an agency's responsibilities.

The HTML is self-contained: vis-network's JS and CSS are inlined from the copy bundled
inside the pyvis package, so a map opens offline and loads nothing from the network
(pyvis's own template pulls Bootstrap and, for 'local', vis-network from a CDN, so it
is not used). Physics runs only until the layout stabilises, then it is switched off
(`stabilizationIterationsDone`), so the picture stops moving.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Protocol

from pyvis.network import Network

from loaders.text import fold


class Store(Protocol):  # the part of graph.store.GraphStore that maps need
    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict]: ...


class MapNotFound(LookupError):
    """The document or agency asked for is not in the graph."""


ROLE_TYPES = ("LEADS", "COORDINATES", "FOCAL_POINT", "ADVISES", "STEERS")
ROLE_PATTERN = "|".join(ROLE_TYPES)

# Visual vocabulary, shared by the legend and the graph.
COLORS = {
    "document": "#1f4e79",
    "section": "#9ecae1",
    "task": "#fdae6b",
    "agency": "#31a354",
    "agency_collective": "#a1d99b",
    "agency_focus": "#006d2c",
    "missing": "#d62728",
    "legal": "#bcbddc",
    "tree": "#c8c8c8",
    "reference": "#6b6ecf",
    "broken": "#d62728",
}
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "LEADS": {"color": "#e6550d", "width": 3, "dashes": False, "label": "leads"},
    "COORDINATES": {"color": "#3182bd", "width": 1.5, "dashes": True, "label": "coordinates"},
    "FOCAL_POINT": {"color": "#756bb1", "width": 2, "dashes": [2, 4], "label": "focal point"},
    "ADVISES": {"color": "#636363", "width": 1.5, "dashes": [8, 4, 2, 4], "label": "advises"},
    "STEERS": {"color": "#8c6d31", "width": 2, "dashes": [12, 6], "label": "steers"},
}

_MAX_LABEL = 38
_MAX_TITLE = 600


def _short(text: Any, limit: int = _MAX_LABEL) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _tooltip(*lines: Any) -> str:
    text = "\n".join(" ".join(str(x).split()) for x in lines if x not in (None, ""))
    return text if len(text) <= _MAX_TITLE else text[: _MAX_TITLE - 1] + "…"


@dataclass
class MapData:
    """Store-neutral map content: vis-network node and edge dicts plus a legend."""

    title: str
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)
    legend: list[tuple[str, str, str]] = field(default_factory=list)   # (kind, colour, text)

    def node(self, id: str, **attrs: Any) -> None:
        if id in self.nodes:
            self.nodes[id].update({k: v for k, v in attrs.items() if v is not None})
        else:
            self.nodes[id] = {"id": id, **attrs}

    def edge(self, src: str, dst: str, **attrs: Any) -> None:
        self.edges.append({"from": src, "to": dst, **attrs})


# --------------------------------------------------------------------------- data
def _run(store: Store, cypher: str, params: dict[str, Any]) -> list[dict]:
    return list(store.run(cypher, params))


def _section_node(data: MapData, sid: str, labels: Iterable[str], props: dict[str, Any]) -> None:
    labels = set(labels or ())
    path = props.get("path") or sid.split("#", 1)[-1]
    if "Missing" in labels:
        data.node(sid, label=f"✗ {path}", shape="box", color=COLORS["missing"],
                  font={"color": "#ffffff"}, kind="missing",
                  title=_tooltip(f"Missing target {path}", props.get("raw"),
                                 "A reference points here but the document has no such clause."))
        return
    is_task = "Task" in labels
    title = props.get("title") or props.get("label") or ""
    data.node(
        sid,
        label=f"{path}\n{_short(title, 28)}" if is_task else str(path),
        shape="box" if is_task else "dot",
        size=None if is_task else 9,
        color=COLORS["task"] if is_task else COLORS["section"],
        kind="task" if is_task else "section",
        title=_tooltip(f"{'Task' if is_task else 'Section'} {path}" + (f" (line {props['line']})" if props.get("line") else ""),
                       title, props.get("deadline_text") and f"Deadline: {props.get('deadline_text')}"),
    )


def _agency_node(data: MapData, props: dict[str, Any], focus: bool = False) -> str:
    aid = props["id"]
    collective = bool(props.get("collective"))
    name = props.get("name") or aid
    abbr = props.get("abbr")
    data.node(
        aid,
        label=_short(f"{abbr} – {name}" if abbr and abbr not in name else name, 34),
        shape="diamond" if collective else "ellipse",
        color=COLORS["agency_focus"] if focus else (COLORS["agency_collective"] if collective else COLORS["agency"]),
        font={"color": "#ffffff"} if focus else None,
        kind="agency",
        title=_tooltip(name, props.get("name_en"), f"id: {aid}",
                       "collective assignee" if collective else None,
                       None if props.get("catalogued", True) else "not in the agency catalog"),
    )
    return aid


def _role_edge(data: MapData, src: str, dst: str, rel: str, props: dict[str, Any]) -> None:
    style = EDGE_STYLES.get(rel, EDGE_STYLES["COORDINATES"])
    broken = bool(props.get("broken"))
    data.edge(
        src, dst,
        color={"color": COLORS["broken"] if broken else style["color"]},
        width=style["width"], dashes=style["dashes"], arrows="to",
        title=_tooltip(f"{style['label']}" + (" (via a broken reference)" if broken else ""),
                       props.get("clause") and f"said in {props.get('clause')}"
                       + (f", line {props['line']}" if props.get("line") else ""),
                       props.get("quote")),
    )


def document_map_data(store: Store, doc_id: str, max_sections: int = 1500) -> MapData:
    """Sections tree, tasks, the agencies assigned to them, and the references."""
    rows = _run(store, "MATCH (d:Document {id: $doc_id}) RETURN properties(d) AS d", {"doc_id": doc_id})
    if not rows:
        raise MapNotFound(f"unknown document: {doc_id}")
    doc = rows[0]["d"] or {}
    data = MapData(title=f"{doc.get('number') or doc_id} — {_short(doc.get('title') or '', 120)}")
    data.node(doc_id, label=_short(doc.get("number") or doc_id, 30), shape="star", size=28,
              color=COLORS["document"], kind="document",
              title=_tooltip(doc.get("doc_type"), doc.get("title"), doc.get("issuer"), doc.get("date"), f"id: {doc_id}"))

    tree = _run(store,
                "MATCH (p)-[:HAS_SECTION]->(s:Section) WHERE s.doc_id = $doc_id "
                "RETURN p.id AS src, s.id AS dst, labels(s) AS labels, properties(s) AS props",
                {"doc_id": doc_id})
    tree.sort(key=lambda r: ((r["props"] or {}).get("order") or 0))
    for r in tree[:max_sections]:
        _section_node(data, r["dst"], r["labels"], r["props"] or {})
    for r in tree[:max_sections]:
        if r["src"] in data.nodes:
            data.edge(r["src"], r["dst"], color={"color": COLORS["tree"]}, width=1, arrows="")

    refs = _run(store,
                "MATCH (s:Section)-[r:REFERENCES]->(t) WHERE s.doc_id = $doc_id "
                "RETURN s.id AS src, t.id AS dst, labels(t) AS labels, properties(t) AS tprops, properties(r) AS props",
                {"doc_id": doc_id})
    for r in refs:
        if r["src"] not in data.nodes:
            continue
        if r["dst"] not in data.nodes:
            _section_node(data, r["dst"], r["labels"], r["tprops"] or {})
        props = r["props"] or {}
        status = props.get("status") or ("broken" if "Missing" in (r["labels"] or []) else "resolved")
        data.edge(r["src"], r["dst"], arrows="to", dashes=[4, 4],
                  color={"color": COLORS["broken"] if status == "broken" else COLORS["reference"]},
                  width=2 if status == "broken" else 1,
                  title=_tooltip(f"reference ({status})", props.get("raw"), props.get("line") and f"line {props['line']}"))

    roles = _run(store,
                 f"MATCH (a:Agency)-[r:{ROLE_PATTERN}]->(t) WHERE r.doc_id = $doc_id "
                 "RETURN properties(a) AS agency, type(r) AS rel, t.id AS dst, labels(t) AS labels, "
                 "properties(t) AS tprops, properties(r) AS props",
                 {"doc_id": doc_id})
    for r in roles:
        aid = _agency_node(data, r["agency"] or {})
        if r["dst"] not in data.nodes:
            if "Document" in (r["labels"] or []):
                continue
            _section_node(data, r["dst"], r["labels"], r["tprops"] or {})
        _role_edge(data, aid, r["dst"], r["rel"], r["props"] or {})

    data.legend = _legend(document=True)
    return data


def resolve_agencies(store: Store, agency: str) -> list[dict[str, Any]]:
    """Agency nodes meant by `agency`: an exact id, a type key or abbreviation (all
    jurisdictions), or a name searched with or without diacritics."""
    rows = _run(store, "MATCH (a:Agency) RETURN properties(a) AS a", {})
    agencies = [r["a"] for r in rows if r.get("a")]
    exact = [a for a in agencies if a.get("id") == agency]
    if exact:
        return exact
    q = fold(agency)
    by_type = [a for a in agencies
               if q and (fold(str(a.get("type_key") or "")) == q or fold(str(a.get("abbr") or "")) == q)]
    if by_type:
        return by_type
    type_keys: set[str] = set()
    try:  # the catalog knows spelling variants ("Sở TT&TT"); optional
        from loaders.agencies import AgencyCatalog
        type_keys = set(AgencyCatalog.load().resolve_query(agency) or ())
    except Exception:
        type_keys = set()
    found = []
    for a in agencies:
        hay = fold(" ".join(str(a.get(k) or "") for k in ("name", "name_en", "abbr", "id", "search_text")))
        if (q and q in hay) or (a.get("type_key") in type_keys):
            found.append(a)
    return found


def agency_map_data(store: Store, agency: str) -> MapData:
    """One agency (or every agency of a type) and its tasks across documents."""
    agencies = resolve_agencies(store, agency)
    if not agencies:
        raise MapNotFound(f"unknown agency: {agency}")
    ids = [a["id"] for a in agencies]
    if len(agencies) == 1:
        a = agencies[0]
        who = f"{a.get('name') or a['id']}" + (f" ({a['jurisdiction']})" if a.get("jurisdiction") else "")
    else:
        kinds = sorted({a.get("abbr") or a.get("name") or a["id"] for a in agencies})
        who = f"{', '.join(kinds)} in {len(agencies)} jurisdictions"
    data = MapData(title=f"Responsibilities of {who}")
    for a in agencies:
        _agency_node(data, a, focus=True)
    rows = _run(store,
                f"MATCH (a:Agency)-[r:{ROLE_PATTERN}]->(t) WHERE a.id IN $ids "
                "RETURN a.id AS agency, type(r) AS rel, t.id AS dst, labels(t) AS labels, "
                "properties(t) AS tprops, properties(r) AS props",
                {"ids": ids})
    doc_ids: set[str] = set()
    targets: set[str] = set()
    for r in rows:
        tprops = r["tprops"] or {}
        labels = r["labels"] or []
        dst = r["dst"]
        doc_id = tprops.get("doc_id") or (r["props"] or {}).get("doc_id") or (dst if "Document" in labels else None)
        if "Document" not in labels:
            _section_node(data, dst, labels, tprops)
            targets.add(dst)
        if doc_id:
            doc_ids.add(doc_id)
        _role_edge(data, r["agency"], dst, r["rel"], r["props"] or {})
    if doc_ids:
        docs = _run(store, "MATCH (d:Document) WHERE d.id IN $ids RETURN properties(d) AS d", {"ids": sorted(doc_ids)})
        for r in docs:
            d = r["d"] or {}
            data.node(d["id"], label=_short(d.get("number") or d["id"], 30), shape="star", size=24,
                      color=COLORS["document"], kind="document",
                      title=_tooltip(d.get("doc_type"), d.get("title"), d.get("issuer"), d.get("date"), f"id: {d['id']}"))
        for t in sorted(targets):
            tdoc = data.nodes[t].get("id", "").split("#", 1)[0]
            if tdoc in data.nodes:
                data.edge(tdoc, t, color={"color": COLORS["tree"]}, width=1, arrows="",
                          title="belongs to the document")
    # Partners: the other agencies on the same tasks, so coordination shows.
    if targets:
        partners = _run(store,
                        f"MATCH (a:Agency)-[r:{ROLE_PATTERN}]->(t) WHERE t.id IN $tids AND NOT a.id IN $ids "
                        "RETURN properties(a) AS agency, type(r) AS rel, t.id AS dst, properties(r) AS props",
                        {"tids": sorted(targets), "ids": ids})
        for r in partners:
            aid = _agency_node(data, r["agency"] or {})
            _role_edge(data, aid, r["dst"], r["rel"], r["props"] or {})
    data.legend = _legend(document=False)
    return data


def _legend(document: bool) -> list[tuple[str, str, str]]:
    items = [
        ("node", COLORS["document"], "Document"),
        ("node", COLORS["task"], "Task"),
        ("node", COLORS["agency_focus" if not document else "agency"], "Agency" if document else "Selected agency"),
        ("node", COLORS["agency"] if not document else COLORS["agency_collective"],
         "Partner agency" if not document else "Collective assignee"),
        ("node", COLORS["missing"], "Missing clause (broken reference)"),
    ]
    if document:
        items.insert(1, ("node", COLORS["section"], "Section"))
    items += [
        ("solid", EDGE_STYLES["LEADS"]["color"], "leads (chủ trì)"),
        ("dashed", EDGE_STYLES["COORDINATES"]["color"], "coordinates (phối hợp)"),
        ("dotted", EDGE_STYLES["FOCAL_POINT"]["color"], "focal point / advises / steers"),
    ]
    if document:
        items += [
            ("dotted", COLORS["reference"], "reference (resolved)"),
            ("dotted", COLORS["broken"], "broken reference"),
        ]
    items.append(("solid", COLORS["tree"], "part of (document tree)"))
    return items


# --------------------------------------------------------------------------- html
_OPTIONS: dict[str, Any] = {
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                             "springLength": 120, "springConstant": 0.08, "avoidOverlap": 0.4},
        "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50, "fit": True},
        "minVelocity": 0.75,
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False, "keyboard": True},
    "nodes": {"font": {"size": 13, "face": "sans-serif"}, "borderWidth": 1},
    "edges": {"smooth": {"enabled": True, "type": "continuous"}, "arrowStrikethrough": False},
    "layout": {"randomSeed": 7, "improvedLayout": True},
}


def _vis_assets() -> tuple[str, str]:
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    return js, css


def _json_safe(text: str) -> str:
    """JSON that can sit inside <script> without closing it (valid JSON/JS still)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _js_safe(code: str) -> str:
    """A JS library inlined as is; refuse rather than rewrite code that would close the tag."""
    if "</script" in code.lower():
        raise ValueError("inlined script contains '</script'")
    return code


def _to_pyvis(data: MapData) -> Network:
    """Build the pyvis network (pyvis validates and normalises node/edge options)."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for nid, attrs in data.nodes.items():
        opts = {k: v for k, v in attrs.items() if k not in ("id", "label", "shape", "color") and v is not None}
        net.add_node(nid, label=attrs.get("label") or nid, shape=attrs.get("shape", "dot"),
                     color=attrs.get("color", COLORS["section"]), **opts)
    known = set(data.nodes)
    for e in data.edges:
        if e["from"] in known and e["to"] in known:
            net.add_edge(e["from"], e["to"], **{k: v for k, v in e.items() if k not in ("from", "to") and v is not None})
    net.set_options(json.dumps(_OPTIONS))
    return net


def render_html(data: MapData) -> str:
    net = _to_pyvis(data)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    js, css = _vis_assets()
    legend = "".join(
        f'<li><span class="sw {kind}" style="--c:{colour}"></span>{html.escape(text)}</li>'
        for kind, colour, text in data.legend
    )
    stats = f"{len(nodes)} nodes · {len(edges)} edges"
    empty = '<p class="empty">Nothing to draw.</p>' if not nodes else ""
    return _TEMPLATE.format(
        title=html.escape(data.title),
        css=css,
        js=_js_safe(js),
        nodes=_json_safe(json.dumps(nodes, ensure_ascii=False)),
        edges=_json_safe(json.dumps(edges, ensure_ascii=False)),
        options=_json_safe(options if isinstance(options, str) else json.dumps(options)),
        legend=legend,
        stats=stats,
        empty=empty,
    )


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
<style>
  html, body {{ margin: 0; height: 100%; font-family: system-ui, sans-serif; background: #fff; }}
  #map {{ position: absolute; inset: 0; }}
  header {{ position: absolute; top: 8px; left: 8px; right: 8px; z-index: 2; pointer-events: none; }}
  header h1 {{ font-size: 15px; margin: 0; padding: 4px 8px; background: rgba(255,255,255,.85);
              display: inline-block; border-radius: 4px; }}
  header .stats {{ font-size: 12px; color: #555; margin-left: 8px; }}
  #legend {{ position: absolute; right: 8px; bottom: 8px; z-index: 2; background: rgba(255,255,255,.92);
            border: 1px solid #ccc; border-radius: 6px; padding: 6px 10px; font-size: 12px; }}
  #legend ul {{ list-style: none; margin: 0; padding: 0; }}
  #legend li {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
  .sw {{ display: inline-block; width: 22px; }}
  .sw.node {{ height: 12px; width: 12px; border-radius: 50%; background: var(--c); margin: 0 5px; }}
  .sw.solid {{ border-top: 3px solid var(--c); }}
  .sw.dashed {{ border-top: 2px dashed var(--c); }}
  .sw.dotted {{ border-top: 2px dotted var(--c); }}
  #status {{ position: absolute; left: 8px; bottom: 8px; z-index: 2; font-size: 12px; color: #555; }}
  .empty {{ position: absolute; top: 45%; width: 100%; text-align: center; color: #777; }}
  div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; }}
</style>
</head>
<body>
<header><h1>{title}<span class="stats">{stats}</span></h1></header>
<div id="map"></div>
{empty}
<div id="legend"><ul>{legend}</ul></div>
<div id="status">laying out…</div>
<script>{js}</script>
<script>
(function () {{
  var nodes = new vis.DataSet({nodes});
  var edges = new vis.DataSet({edges});
  var options = {options};
  var container = document.getElementById("map");
  // Handlers first, data second: a small graph can stabilise inside setData().
  var network = new vis.Network(container, {{}}, options);
  window.planGraphNetwork = network;
  var done = false;
  function settled() {{
    if (done) {{ return; }}
    done = true;
    network.setOptions({{physics: {{enabled: false}}}});
    document.getElementById("status").textContent = "";
    document.body.setAttribute("data-stabilized", "true");
  }}
  network.once("stabilizationIterationsDone", settled);
  network.setData({{nodes: nodes, edges: edges}});
  if (nodes.length === 0) {{ settled(); }}
  setTimeout(settled, 30000);  // never keep a laptop fan spinning
}})();
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- API
def document_map(store: Store, doc_id: str) -> str:
    return render_html(document_map_data(store, doc_id))


def agency_map(store: Store, agency: str) -> str:
    return render_html(agency_map_data(store, agency))


def write_map(html_text: str, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html_text, encoding="utf-8")
    return out
