"""Store benchmark: ingest throughput and named-query latency on the embedded FalkorDB store.

Workloads:
- seeds: the plans in data/plans, parsed once.
- synthetic: N plans (default 1,000) made by recombining the parsed seeds: each copy gets a
  new document id and jurisdiction (`synthetic-<k>`), so agencies, local legal bases and
  documents multiply the way a real corpus of many provinces would, while the structure
  (trees, references, roles, targets) is the seeds'.

Measures rows/s of `replace_document` (node + edge rows) and the median latency of three
named queries (queries/*.cypher via queries.registry when present, else inline copies).

    .venv/bin/python -m benchmarks.store --plans 1000 [--home /tmp/pg-bench] [--json out.json]

No timed assertions anywhere: figures go to benchmarks/engines.md by hand.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.batch import EdgeRow, GraphBatch, NodeRow  # noqa: E402
from graph.build import build_batch, catalog_batch  # noqa: E402
from graph.store import open_store  # noqa: E402

INLINE = {
    "tasks-led-by": (
        "MATCH (a:Agency)-[r:LEADS]->(t) WHERE a.type_key = $agency_key AND (t:Section OR t:Missing) "
        "RETURN t.doc_id AS doc_id, a.id AS agency_id, t.path AS path, r.clause AS clause "
        "ORDER BY doc_id, path", {"agency_key": "dic"}),
    "broken-references": (
        "MATCH (s:Section)-[r:REFERENCES]->(m:Missing) RETURN s.doc_id AS doc_id, s.path AS clause, "
        "r.target_path AS target_path, r.line AS line ORDER BY doc_id, line", {}),
    "agencies-by-led-tasks": (
        "MATCH (a:Agency)-[:LEADS]->(t) WITH a, count(DISTINCT t) AS tasks "
        "RETURN a.id AS agency_id, tasks ORDER BY tasks DESC, agency_id LIMIT 50", {}),
}
NAMED_PARAMS = {"tasks-led-by": {"agency": "DIC"}, "broken-references": {}, "agencies-by-led-tasks": {}}


def seed_batches(catalog):
    from loaders.pipeline import parse_file

    docs = [parse_file(p) for p in sorted((ROOT / "data" / "plans").glob("*.txt"))]
    return [build_batch(d, catalog) for d in docs]


def rekey(batch: GraphBatch, n: int) -> GraphBatch:
    """A copy of `batch` as if another jurisdiction had issued it."""
    old = batch.doc_id
    juris = f"synthetic-{n}"
    new = f"{old.split('@')[0]}@{juris}-{n}"

    def nid(label: str, id_: str, owned: bool) -> str:
        if owned or id_.startswith(old + "#") or id_ == old:
            return new + id_[len(old):] if id_.startswith(old) else id_
        if label in ("Agency", "LegalBasis") and "@" in id_ and id_.rsplit("@", 1)[1] != "national":
            return id_.rsplit("@", 1)[0] + "@" + juris
        return id_

    owned = {(l, x.id) for x in batch.nodes if x.owned for l in x.labels}
    out = GraphBatch(new)
    for x in batch.nodes:
        i = nid(x.labels[0], x.id, x.owned)
        props = {**x.props, "id": i}
        if "doc_id" in props:
            props["doc_id"] = new
        if "jurisdiction_key" in props:
            props["jurisdiction_key"] = juris
        out.nodes.append(NodeRow(x.labels, i, props, x.owned))
    for e in batch.edges:
        props = {**e.props}
        if "doc_id" in props:
            props["doc_id"] = new
        out.edges.append(EdgeRow(e.type, e.src_label, nid(e.src_label, e.src, (e.src_label, e.src) in owned),
                                 e.dst_label, nid(e.dst_label, e.dst, (e.dst_label, e.dst) in owned), props))
    return out


def time_queries(store, repeat: int) -> dict[str, dict]:
    try:
        from queries.registry import run_query
    except ImportError:   # queries/ not there yet
        run_query = None
    out = {}
    for name, (cypher, params) in INLINE.items():
        def once():
            if run_query is not None:
                return run_query(store, name, NAMED_PARAMS[name])
            return store.run(cypher, params)
        rows = once()   # warm-up
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            once()
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = {"rows": len(rows), "median_ms": round(statistics.median(times), 2),
                     "source": "queries/" if run_query else "inline"}
    return out


def load(store, batches) -> dict:
    rows = sum(len(b.nodes) + len(b.edges) for b in batches)
    t0 = time.perf_counter()
    for b in batches:
        store.replace_document(b)
    secs = time.perf_counter() - t0
    return {"documents": len(batches), "rows": rows, "seconds": round(secs, 2), "rows_per_s": round(rows / secs)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--home", default=None)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    from loaders.agencies import AgencyCatalog

    catalog = AgencyCatalog.load()
    seeds = seed_batches(catalog)
    synthetic = [rekey(seeds[i % len(seeds)], i) for i in range(args.plans)]
    home = args.home or tempfile.mkdtemp(prefix="pg-bench-")
    result = {}
    with open_store("embedded", home=home, autosave_seconds=1e9) as store:
        store.clear()
        store.write_shared(catalog_batch(catalog))
        result["seeds"] = {"load": load(store, seeds), "queries": time_queries(store, args.repeat)}
        result["seeds"]["reingest"] = load(store, seeds)
        store.clear()
        store.write_shared(catalog_batch(catalog))
        result["synthetic"] = {"load": load(store, synthetic), "queries": time_queries(store, args.repeat)}
        counts = store.run("MATCH (n) RETURN count(n) AS c")[0]["c"], store.run("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
        result["synthetic"]["graph"] = {"nodes": counts[0], "edges": counts[1]}
        t0 = time.perf_counter()
        store.flush()
        result["synthetic"]["save_seconds"] = round(time.perf_counter() - t0, 2)
        result["synthetic"]["rdb_mb"] = round(store.server.rdb.stat().st_size / 1e6, 1)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
