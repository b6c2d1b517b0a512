"""Graph analysis on a networkx export of any subgraph of a store.

Nodes are keyed by their `id` (ids are readable and distinct across labels: document-owned
ids contain '#', agencies '@'); attributes: `labels` plus the node's properties. Edges carry
`type` plus their properties; parallel edges are kept (MultiDiGraph).
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, Iterable

import networkx as nx

from .schema import load_schema
from .store import GraphStore, check_name

ROLE_TYPES = ("LEADS", "COORDINATES", "FOCAL_POINT", "ADVISES", "STEERS")


def to_networkx(store: GraphStore, doc_id: str | None = None,
                rel_types: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """Export the whole graph, or one document's part of it (its nodes, the edges that touch
    them and the shared nodes at their other end), optionally only some relationship types."""
    types = [check_name(t) for t in rel_types] if rel_types else None
    type_filter = "WHERE type(r) IN $types" if types else ""
    params: dict[str, Any] = {"types": types or [], "d": doc_id}
    G = nx.MultiDiGraph()
    edge_rows: list[dict[str, Any]] = []
    if doc_id is None:
        for row in store.run("MATCH (n) RETURN labels(n) AS labels, n AS props"):
            G.add_node(row["props"].get("id"), labels=sorted(row["labels"]), **row["props"])
        edge_rows = store.run(f"MATCH (a)-[r]->(b) {type_filter} RETURN a.id AS s, b.id AS t, r AS r", params)
    else:
        for label in load_schema().owned_labels:
            for row in store.run(f"MATCH (n:{label} {{doc_id: $d}}) RETURN labels(n) AS labels, n AS props", params):
                G.add_node(row["props"].get("id"), labels=sorted(row["labels"]), **row["props"])
            for pattern in (f"(a:{label} {{doc_id: $d}})-[r]->(b)", f"(a)-[r]->(b:{label} {{doc_id: $d}})"):
                edge_rows += store.run(
                    f"MATCH {pattern} {type_filter} RETURN a.id AS s, b.id AS t, r AS r, "
                    f"labels(a) AS la, a AS a, labels(b) AS lb, b AS b", params)
    seen: set[str] = set()
    for row in edge_rows:
        key = json.dumps([row["s"], row["t"], row["r"]], sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        for end, lab in (("a", "la"), ("b", "lb")):
            if end in row and row[end].get("id") not in G:
                G.add_node(row[end]["id"], labels=sorted(row[lab]), **row[end])
        props = dict(row["r"])
        rtype = props.pop("type")
        G.add_edge(row["s"], row["t"], key=None, type=rtype, **props)
    return G


def has_label(G: nx.MultiDiGraph, node: Any, label: str) -> bool:
    return label in G.nodes[node].get("labels", ())


def agency_workload(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Per agency: count of distinct tasks by role, and the total; busiest first."""
    out = []
    for n, data in G.nodes(data=True):
        if "Agency" not in data.get("labels", ()):
            continue
        by_role: dict[str, set] = {t: set() for t in ROLE_TYPES}
        for _, target, edata in G.out_edges(n, data=True):
            if edata.get("type") in by_role:
                by_role[edata["type"]].add(target)
        row = {"id": n, "name": data.get("name"), **{t.lower(): len(v) for t, v in by_role.items()}}
        row["total"] = len(set().union(*by_role.values()))
        if row["total"]:
            out.append(row)
    out.sort(key=lambda r: (-r["leads"], -r["total"], r["id"]))
    return out


def reference_cycles(G: nx.MultiDiGraph, max_length: int = 10) -> list[list[str]]:
    """Clauses that refer to each other in a loop (REFERENCES edges), shortest first."""
    R = nx.DiGraph()
    R.add_edges_from((u, v) for u, v, d in G.edges(data=True) if d.get("type") == "REFERENCES" and u != v)
    cycles = [c for c in nx.simple_cycles(R, length_bound=max_length)]
    # Canonical rotation so results are stable.
    canon = []
    for c in cycles:
        i = c.index(min(c))
        canon.append(c[i:] + c[:i])
    return sorted(canon, key=lambda c: (len(c), c))


def components(G: nx.MultiDiGraph) -> list[set[str]]:
    """Weakly connected components, largest first."""
    return sorted((set(c) for c in nx.weakly_connected_components(G)), key=lambda c: (-len(c), min(map(str, c))))


def label_counts(G: nx.MultiDiGraph) -> Counter:
    return Counter(":".join(d.get("labels", ())) for _, d in G.nodes(data=True))
