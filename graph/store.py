"""The store interface and the helpers both stores share.

Two implementations: `graph.falkor_store.FalkorStore` (embedded default: a private
FalkorDB server under PLANGRAPH_HOME) and `graph.neo4j_store.Neo4jStore` (Neo4j 5 over
Bolt). Use `open_store()` to get one from settings/environment.

Write path (both stores): nodes are grouped by label tuple and written with
`UNWIND $rows AS r MERGE (n:Label {id: r.id}) SET n += r.props`, edges grouped by
(type, source label, target label) with two MATCH clauses (never the comma form),
`BATCH_ROWS` rows per statement.
"""
from __future__ import annotations

from functools import lru_cache

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Protocol, runtime_checkable

from .batch import EdgeRow, GraphBatch, NodeRow
from .schema import load_schema

BATCH_ROWS = 5000
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(slots=True)
class WriteStats:
    """What one write did. `dropped_edges`: edges whose endpoint did not exist."""

    doc_id: str
    nodes: int = 0
    edges: int = 0
    dropped_edges: int = 0
    deleted_nodes: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


@runtime_checkable
class GraphStore(Protocol):
    name: str

    def ensure_schema(self) -> None:
        """Create indexes and constraints (idempotent)."""

    def write_shared(self, batch: GraphBatch) -> WriteStats:
        """Merge shared nodes and edges (catalog data); never deletes."""

    def replace_document(self, batch: GraphBatch) -> WriteStats:
        """Atomically replace everything the document owns with this batch."""

    def delete_document(self, doc_id: str) -> int:
        """Delete the document's owned nodes (and their edges); returns the node count."""

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (nodes -> property dicts, relationships ->
        property dicts plus `type`)."""

    def document_ids(self) -> list[str]:
        """Ids of the ingested documents, sorted."""

    def clear(self) -> None:
        """Delete everything."""

    def close(self) -> None:
        """Release connections (and persist, for the embedded store)."""

    def __enter__(self) -> "GraphStore": ...

    def __exit__(self, *exc: Any) -> None: ...


class StoreError(RuntimeError):
    """A store operation failed; the message names the store and the document."""


def default_home() -> Path:
    return Path(os.environ.get("PLANGRAPH_HOME") or Path.home() / ".plangraph").expanduser()


def open_store(kind: str = "embedded", home: str | os.PathLike | None = None, uri: str | None = None,
               user: str | None = None, password: str | None = None, **options: Any) -> GraphStore:
    """Open a store. `embedded` (alias `falkordb`): a private FalkorDB server under
    `home` (PLANGRAPH_HOME, default ~/.plangraph). `neo4j`: NEO4J_URI / NEO4J_USER /
    NEO4J_PASSWORD unless given."""
    kind = (kind or "embedded").lower()
    if kind in ("embedded", "falkordb", "falkor"):
        from .falkor_store import FalkorStore
        return FalkorStore(home=Path(home).expanduser() if home else default_home(), **options)
    if kind == "neo4j":
        from .neo4j_store import Neo4jStore
        return Neo4jStore(
            uri=uri or os.environ.get("NEO4J_URI") or "bolt://localhost:7687",
            user=user or os.environ.get("NEO4J_USER") or "neo4j",
            password=password if password is not None else os.environ.get("NEO4J_PASSWORD", "plangraph"),
            database=options.pop("database", None) or os.environ.get("NEO4J_DATABASE") or None,
            **options,
        )
    raise ValueError(f"unknown store kind {kind!r} (expected 'embedded' or 'neo4j')")


# --- shared write helpers --------------------------------------------------------------------


def check_name(name: str) -> str:
    """Labels and types go into Cypher text: allow plain identifiers only."""
    if not _NAME.match(name):
        raise StoreError(f"invalid label or relationship type {name!r}")
    return name


def chunks(rows: list[Any], size: int = BATCH_ROWS) -> Iterator[list[Any]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def group_nodes(nodes: Iterable[NodeRow]) -> dict[tuple[str, ...], list[NodeRow]]:
    groups: dict[tuple[str, ...], list[NodeRow]] = defaultdict(list)
    for n in nodes:
        groups[tuple(check_name(l) for l in n.labels)].append(n)
    return groups


def group_edges(edges: Iterable[EdgeRow]) -> dict[tuple[str, str, str], list[EdgeRow]]:
    groups: dict[tuple[str, str, str], list[EdgeRow]] = defaultdict(list)
    for e in edges:
        groups[(check_name(e.type), check_name(e.src_label), check_name(e.dst_label))].append(e)
    return groups


def merge_nodes_cypher(labels: tuple[str, ...]) -> str:
    """All labels in the MERGE pattern. Multi-label nodes are document-owned and always
    written fresh (the old version is deleted / staged under other ids), so the pattern never
    has to add a label to an existing node: `SET n:Task` on FalkorDB was measured ~10x slower
    than the whole rest of a write once the graph holds ~100k nodes."""
    return f"UNWIND $rows AS r MERGE (n:{':'.join(labels)} {{id: r.id}}) SET n += r.props"


def edges_cypher(rtype: str, src: str, dst: str, merge: bool) -> str:
    verb = "MERGE" if merge else "CREATE"
    return (f"UNWIND $rows AS r MATCH (a:{src} {{id: r.s}}) MATCH (b:{dst} {{id: r.t}}) "
            f"{verb} (a)-[e:{rtype}]->(b) SET e += r.props RETURN count(e) AS c")


def owned_labels() -> tuple[str, ...]:
    return load_schema().owned_labels


_SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """Driver values -> plain Python (dicts, lists, scalars). Scalars, the bulk of any result,
    return at the first test."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    convert = _converter(type(value))
    return convert(value) if convert is not None else value


@lru_cache(maxsize=None)
def _converter(cls: type) -> Any:
    """The converter for a driver class or a subclass of one (the neo4j driver makes one
    Relationship subclass per relationship type)."""
    return next((fn for base, fn in _driver_converters().items() if issubclass(cls, base)), None)


@lru_cache(maxsize=1)
def _driver_converters() -> dict[type, Any]:
    """Node/relationship/path classes of both drivers -> converters (imported once)."""
    from falkordb.edge import Edge as FEdge
    from falkordb.node import Node as FNode
    from falkordb.path import Path as FPath
    from neo4j.graph import Node as NNode, Path as NPath, Relationship as NRel

    def props(items: Any) -> dict[str, Any]:
        return {k: plain(v) for k, v in items}

    return {
        FNode: lambda v: props(v.properties.items()),
        FEdge: lambda v: {**props(v.properties.items()), "type": v.relation},
        FPath: lambda v: {"nodes": [plain(n) for n in v.nodes()], "relationships": [plain(e) for e in v.edges()]},
        NNode: lambda v: props(dict(v).items()),
        NRel: lambda v: {**props(dict(v).items()), "type": v.type},
        NPath: lambda v: {"nodes": [plain(n) for n in v.nodes], "relationships": [plain(r) for r in v.relationships]},
    }
