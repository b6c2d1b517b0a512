"""Store-neutral rows: what a store writes for one document.

A `GraphBatch` is everything one document contributes. Nodes with `doc_id` set belong
to the document and are replaced on re-ingest; nodes without it (agencies, agency
types, legal bases, indicators) are shared across documents and only merged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class NodeRow:
    labels: tuple[str, ...]         # first label is the primary one (carries the key)
    id: str
    props: dict[str, Any]
    owned: bool = True              # False: shared node, merged not replaced


@dataclass(slots=True)
class EdgeRow:
    type: str
    src_label: str
    src: str
    dst_label: str
    dst: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class GraphBatch:
    doc_id: str
    nodes: list[NodeRow] = field(default_factory=list)
    edges: list[EdgeRow] = field(default_factory=list)

    def node(self, labels: tuple[str, ...], id: str, owned: bool = True, **props: Any) -> None:
        self.nodes.append(NodeRow(labels, id, {"id": id, **props}, owned))

    def edge(self, type: str, src: tuple[str, str], dst: tuple[str, str], **props: Any) -> None:
        self.edges.append(EdgeRow(type, src[0], src[1], dst[0], dst[1], props))
