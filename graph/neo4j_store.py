"""Neo4j 5 store over Bolt with the official `neo4j` driver.

One write transaction per document (`session.execute_write`): the document's owned nodes
are deleted and the new version written in batched UNWIND statements, so a failure rolls
the whole document back on Neo4j. `database=` is passed only when configured (FalkorDB's
Bolt listener, used by the smoke test, mishandles database names).

DDL: the Neo4j 5 constraints and indexes from graph/schema.py. A server that rejects them
with something other than a client error (FalkorDB speaking Bolt reports every error as
`Neo.DatabaseError.General.UnknownError`) is not real Neo4j: the store logs a warning,
falls back to plain `CREATE INDEX FOR (n:L) ON (n.p)` statements, and goes on.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError

from .batch import GraphBatch
from .schema import falkor_index_statements, load_schema, neo4j_statements
from .store import (
    BATCH_ROWS,
    StoreError,
    WriteStats,
    chunks,
    edges_cypher,
    group_edges,
    group_nodes,
    merge_nodes_cypher,
    plain,
)

log = logging.getLogger(__name__)


class Neo4jStore:
    name = "neo4j"

    def __init__(self, uri: str, user: str = "neo4j", password: str = "", database: str | None = None,
                 batch_rows: int = BATCH_ROWS, connect_timeout: float = 10.0, **driver_options: Any) -> None:
        self.uri = uri
        self.database = database
        self.batch_rows = batch_rows
        auth = (user, password) if user else None
        self.driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=connect_timeout, **driver_options)
        self.real_neo4j: bool | None = None   # None: not known until DDL runs
        self.warnings: list[str] = []

    # --- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.driver.close()

    def _session(self):
        return self.driver.session(database=self.database) if self.database else self.driver.session()

    def verify(self) -> str:
        """Connect and return the server agent string (e.g. 'Neo4j/5.26.0')."""
        self.driver.verify_connectivity()
        return self.driver.get_server_info().agent

    # --- reads ----------------------------------------------------------------------------

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with self._session() as s:
            result = s.run(cypher, params or {})
            return [{k: plain(v) for k, v in rec.items()} for rec in result]

    def document_ids(self) -> list[str]:
        rows = self.run("MATCH (d:Document) RETURN d.id AS id ORDER BY id")
        return [r["id"] for r in rows]

    # --- schema ---------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        with self._session() as s:
            for stmt in neo4j_statements():
                try:
                    s.run(stmt).consume()
                except Neo4jError as exc:
                    code = exc.code or ""
                    if code.startswith("Neo.ClientError.Schema.EquivalentSchemaRule"):
                        continue
                    if code.startswith("Neo.ClientError"):
                        raise StoreError(f"neo4j: schema statement failed: {stmt}: {exc}") from exc
                    self.real_neo4j = False
                    msg = (f"server at {self.uri} rejected Neo4j 5 DDL ({code}: {exc.message}); "
                           "not real Neo4j: using plain CREATE INDEX statements, no constraints")
                    log.warning(msg)
                    self.warnings.append(msg)
                    self._fallback_indexes(s)
                    return
        self.real_neo4j = True

    def _fallback_indexes(self, session) -> None:
        for stmt in falkor_index_statements():
            try:
                session.run(stmt).consume()
            except Neo4jError as exc:   # already indexed, or not supported at all
                log.debug("index statement skipped: %s (%s)", stmt, exc)

    # --- writes ---------------------------------------------------------------------------

    def _write(self, tx, batch: GraphBatch, stats: WriteStats, delete_first: bool) -> None:
        stats.nodes = stats.edges = stats.dropped_edges = stats.deleted_nodes = 0
        stats.warnings = []
        if delete_first:
            for label in load_schema().owned_labels:
                rec = tx.run(f"MATCH (n:{label} {{doc_id: $d}}) DETACH DELETE n RETURN count(n) AS c",
                             d=batch.doc_id).single()
                stats.deleted_nodes += rec["c"] if rec else 0
        owned_ids: set[tuple[str, str]] = set()
        for labels, rows in group_nodes(batch.nodes).items():
            for n in rows:
                if n.owned:
                    owned_ids.update((label, n.id) for label in labels)
            q = merge_nodes_cypher(labels)
            for chunk in chunks([{"id": n.id, "props": n.props} for n in rows], self.batch_rows):
                tx.run(q, rows=chunk).consume()
                stats.nodes += len(chunk)
        for (rtype, src, dst), rows in group_edges(batch.edges).items():
            shared, owned = [], []
            for e in rows:
                is_owned = (e.src_label, e.src) in owned_ids or (e.dst_label, e.dst) in owned_ids
                (owned if is_owned else shared).append({"s": e.src, "t": e.dst, "props": e.props})
            for merge, part in ((True, shared), (False, owned)):
                q = edges_cypher(rtype, src, dst, merge)
                for chunk in chunks(part, self.batch_rows):
                    rec = tx.run(q, rows=chunk).single()
                    made = rec["c"] if rec else 0
                    stats.edges += made
                    if made < len(chunk):
                        stats.dropped_edges += len(chunk) - made
                        stats.warnings.append(f"{len(chunk) - made} {rtype} edge(s) {src}->{dst} skipped: "
                                              "endpoint not found")

    def replace_document(self, batch: GraphBatch) -> WriteStats:
        t0 = time.perf_counter()
        stats = WriteStats(batch.doc_id)
        try:
            with self._session() as s:
                s.execute_write(self._write, batch, stats, True)
        except Neo4jError as exc:
            raise StoreError(f"neo4j: writing {batch.doc_id} failed, transaction rolled back: {exc}") from exc
        stats.seconds = time.perf_counter() - t0
        return stats

    def write_shared(self, batch: GraphBatch) -> WriteStats:
        t0 = time.perf_counter()
        stats = WriteStats(batch.doc_id)
        with self._session() as s:
            s.execute_write(self._write, batch, stats, False)
        stats.seconds = time.perf_counter() - t0
        return stats

    def delete_document(self, doc_id: str) -> int:
        def work(tx) -> int:
            total = 0
            for label in load_schema().owned_labels:
                rec = tx.run(f"MATCH (n:{label} {{doc_id: $d}}) DETACH DELETE n RETURN count(n) AS c",
                             d=doc_id).single()
                total += rec["c"] if rec else 0
            return total

        with self._session() as s:
            return s.execute_write(work)

    def clear(self) -> None:
        with self._session() as s:
            while True:
                rec = s.run("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(n) AS c").single()
                if not rec or rec["c"] == 0:
                    break
