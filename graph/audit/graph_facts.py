"""Findings as graph facts: Finding nodes (owned by their document) with ABOUT edges.

    batch = build_batch(doc, catalog)
    add_findings(batch, run_audit([doc, ...]))      # only the batch's document's findings

Node id `<doc_id>#finding:<kind>:<path>:<n>` (n counts from 1 per kind and path within the
document, in finding order); properties per graph/schema.yaml (id, doc_id, kind, severity,
path, quote, target, suggestion, evidence, line). ABOUT edges go to the Section / Missing /
Target / Document nodes the finding concerns (ids per docs/CONTRACTS.md). When the batch
already holds nodes, an ABOUT edge to a node it does not hold is left out (the store would
drop it anyway); a finding left with no edge is attached to its Document.
"""
from __future__ import annotations

from typing import Iterable

from graph.batch import EdgeRow, GraphBatch, NodeRow

from .models import Finding


def finding_id(doc_id: str, kind: str, path: str | None, n: int) -> str:
    return f"{doc_id}#finding:{kind}:{path or '-'}:{n}"


def _props(fid: str, f: Finding) -> dict:
    props = {"id": fid, "doc_id": f.document, "kind": f.kind, "severity": f.severity.value, "path": f.path,
             "quote": f.quote, "target": f.target, "suggestion": f.suggestion, "evidence": f.evidence,
             "line": f.line}
    return {k: v for k, v in props.items() if v is not None and v != ""}


def findings_batch(doc_id: str, findings: Iterable[Finding],
                   known: set[tuple[str, str]] | None = None) -> list[NodeRow | EdgeRow]:
    """Rows for one document's findings (others in `findings` are skipped).

    `known`: (label, id) of nodes that exist; ABOUT edges to other nodes are dropped
    (None: keep every edge).
    """
    rows: list[NodeRow | EdgeRow] = []
    counters: dict[tuple[str, str], int] = {}
    for f in findings:
        if f.document != doc_id:
            continue
        key = (f.kind, f.path or "-")
        counters[key] = counters.get(key, 0) + 1
        fid = finding_id(doc_id, f.kind, f.path, counters[key])
        rows.append(NodeRow(("Finding",), fid, _props(fid, f), True))
        targets = [a for a in dict.fromkeys(f.about) if known is None or a in known or a[0] == "Document"]
        if not targets:
            targets = [("Document", doc_id)]
        for label, nid in targets:
            rows.append(EdgeRow("ABOUT", "Finding", fid, label, nid, {}))
    return rows


def add_findings(batch: GraphBatch, findings: Iterable[Finding]) -> int:
    """Add the batch document's findings to `batch`; returns the number of Finding nodes added."""
    known = {(n.labels[0], n.id) for n in batch.nodes} | {(l, n.id) for n in batch.nodes for l in n.labels}
    rows = findings_batch(batch.doc_id, findings, known if batch.nodes else None)
    added = 0
    for r in rows:
        if isinstance(r, NodeRow):
            batch.nodes.append(r)
            added += 1
        else:
            batch.edges.append(r)
    return added
