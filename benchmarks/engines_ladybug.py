"""ladybug (the maintained Kùzu fork, MIT, in-process) on the workload of benchmarks/store.py.

Same GraphBatches (benchmarks.store's `seed_batches` and `rekey`, imported, not copied), same
order of work (catalog, seeds, queries, seed re-ingest, then a fresh graph with the synthetic
corpus and queries), same 5k-row UNWIND batches, and the three named questions of
queries/*.cypher written in ladybug's dialect (LB_QUERIES below) with the parameters that
`queries.registry` binds for benchmarks.store's NAMED_PARAMS. Median latency after one warm-up
includes fetching every row into dicts, as the FalkorDB store's `run` does.

ladybug is not a project dependency: run it from a throwaway venv, e.g.

    python3 -m venv /tmp/ladybug-venv && /tmp/ladybug-venv/bin/pip install ladybug==0.22.0 pyyaml
    PYTHONPATH=. /tmp/ladybug-venv/bin/python benchmarks/engines_ladybug.py --plans 1000 --repeat 10

(the project modules it imports need only PyYAML). No timed assertions: figures go to
benchmarks/engines.md by hand.

Mapping of the store contract onto ladybug:
- schema declared up front from graph/schema.yaml: one node table per label with
  `id STRING PRIMARY KEY`; per relationship type one table listing every (from, to) pair the
  schema gives (`CREATE REL TABLE LEADS(FROM Agency TO Section, FROM Agency TO Missing, ...)`,
  stored per pair inside ladybug, so `[:LEADS]` still names one type); property types from
  PROPERTY_TYPES, everything else STRING. Only the primary key is indexed (no secondary indexes).
- no multi-labels: `Task` (an extra label on a Section) becomes the BOOL column
  `Section.is_task`, and Task's properties become Section columns.
- `replace_document`: one transaction (BEGIN ... COMMIT) that detach-deletes the document's
  owned nodes, MERGEs the nodes (explicit `SET n.p = r.p` per property: no `SET n += map`;
  `--owned-nodes create` CREATEs the document's own nodes instead), MERGEs shared edges and
  CREATEs owned ones (two MATCH clauses, never the comma form).
- memory: the figure is the whole process (ru_maxrss), corpus included; `rss_after_corpus_mb`
  is the share of the GraphBatches before the database is opened.
"""
from __future__ import annotations

import argparse
import enum
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ladybug  # noqa: E402

from benchmarks.store import NAMED_PARAMS, load, rekey, seed_batches  # noqa: E402
from graph.batch import GraphBatch  # noqa: E402
from graph.build import catalog_batch  # noqa: E402
from graph.schema import load_schema  # noqa: E402
from graph.store import BATCH_ROWS, chunks, group_edges, group_nodes  # noqa: E402
from queries.registry import get_query  # noqa: E402

# schema.yaml names properties without types; these are the non-string ones.
PROPERTY_TYPES = {
    **dict.fromkeys(("start", "end", "line", "order", "sections", "references_broken", "year",
                     "period_start", "period_end", "group_index"), "INT64"),
    **dict.fromkeys(("value", "value_max"), "DOUBLE"),
    **dict.fromkeys(("collective", "catalogued", "via_reference", "broken"), "BOOL"),
}
# Extra labels (no multi-label nodes in ladybug): label -> the table it is a flag on.
EXTRA_LABELS = {"Task": "Section"}

# The three named questions in ladybug's dialect. Differences from queries/*.cypher:
# `t:Section OR t:Missing` -> `label(t) IN [...]`; `'Missing' IN labels(t)` -> `label(t) = ...`;
# `split` -> `string_split` with 1-based indexes; `[x IN l | f(x)]` -> `list_transform(l, x -> f(x))`;
# `head(l)` -> `l[1]`; a NULL parameter is typed BOOL by the binder, so every parameter whose value
# is None is wrapped as `CAST($p AS STRING)` (done by `typed_nulls`); a parameter inside a list
# predicate or lambda (`any(s IN l WHERE s.id = $p)`) fails an internal assertion, so it is bound
# to a variable with WITH first; `collect(r)` followed by `[x IN rs | x.p]` (list_transform) or
# `any(x IN rs WHERE ...)` returns the LAST group's values on every row (silently wrong), so the
# relationship properties are collected directly (`collect(r.clause)`; both drop NULLs here).
LB_QUERIES = {
    "tasks-led-by": """
MATCH (a:Agency)
WHERE $jurisdiction IS NULL
   OR a.jurisdiction_key = $jurisdiction_key
   OR a.id ENDS WITH ('@' + $jurisdiction_key)
   OR toLower(a.jurisdiction) = toLower($jurisdiction)
WITH a,
     (a.id = $agency
      OR a.type_key = $agency_key
      OR toLower(a.abbr) = $agency_folded
      OR $agency_folded IN list_transform(string_split(coalesce(a.search_text, ''), '|'), s -> trim(s))) AS direct
WHERE direct OR $include_predecessors
OPTIONAL MATCH (a)-[:OF_TYPE]->(:AgencyType)-[:SUCCEEDED_BY*1..4]->(succ:AgencyType)
WITH a, direct, collect(succ) AS successors
WITH a, direct, successors, $agency AS p_agency, $agency_key AS p_agency_key, $agency_folded AS p_agency_folded
WITH a, direct,
     any(s IN successors WHERE s.id = p_agency_key
         OR toLower(s.abbr) = p_agency_folded
         OR toLower(s.name) = toLower(p_agency)
         OR toLower(s.name_en) = p_agency_folded
         OR (s.id + '@' + string_split(a.id, '@')[2]) = p_agency) AS via_successor
WHERE direct OR ($include_predecessors AND via_successor)
MATCH (a)-[r:LEADS]->(t)
WHERE label(t) IN ['Section', 'Missing']
WITH a, direct, t, collect(r.clause) AS clauses, collect(r.quote) AS quotes,
     collect(r.via_reference) AS vias, collect(r.broken) AS brokens
OPTIONAL MATCH (d:Document {id: t.doc_id})
RETURN t.doc_id AS doc_id,
       d.number AS document,
       a.jurisdiction AS jurisdiction,
       a.id AS agency_id,
       a.name AS agency,
       t.path AS path,
       coalesce(t.title, t.raw) AS title,
       t.task_source AS task_source,
       clauses,
       quotes[1] AS quote,
       any(v IN vias WHERE v = true) AS via_reference,
       (label(t) = 'Missing' OR any(v IN brokens WHERE v = true)) AS broken,
       NOT direct AS predecessor
ORDER BY doc_id, coalesce(t.`order`, 1000000000), path, agency_id
""",
    "broken-references": """
MATCH (s:Section)-[r:REFERENCES]->(m)
WHERE label(m) = 'Missing' OR r.status = 'broken'
OPTIONAL MATCH (d:Document {id: s.doc_id})
WITH s, r, m, d
WHERE $doc IS NULL
   OR d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR string_split(d.number, '/')[1] = $doc
   OR s.doc_id STARTS WITH ($doc + '@')
RETURN DISTINCT s.doc_id AS doc_id,
       d.number AS document,
       d.jurisdiction AS jurisdiction,
       s.path AS clause,
       s.quote AS clause_quote,
       coalesce(r.target_path, m.path) AS target_path,
       coalesce(r.raw, m.raw) AS raw,
       r.line AS line
ORDER BY doc_id, line, clause, target_path
""",
    "agencies-by-led-tasks": """
MATCH (a:Agency)-[r:LEADS]->(t)
WHERE label(t) IN ['Section', 'Missing']
  AND ($jurisdiction IS NULL
       OR a.jurisdiction_key = $jurisdiction_key
       OR a.id ENDS WITH ('@' + $jurisdiction_key)
       OR toLower(a.jurisdiction) = toLower($jurisdiction))
  AND ($include_collective OR coalesce(a.collective, false) = false)
OPTIONAL MATCH (d:Document {id: t.doc_id})
WITH a, t, d
WHERE $doc IS NULL
   OR d.id = $doc
   OR d.number = $doc
   OR toLower(d.number) = toLower($doc)
   OR string_split(d.number, '/')[1] = $doc
   OR t.doc_id STARTS WITH ($doc + '@')
WITH a, count(DISTINCT t) AS tasks, count(DISTINCT t.doc_id) AS documents
RETURN a.id AS agency_id,
       a.name AS agency,
       a.name_en AS agency_en,
       a.abbr AS abbr,
       a.jurisdiction AS jurisdiction,
       coalesce(a.collective, false) AS collective,
       tasks,
       documents
ORDER BY tasks DESC, agency_id
LIMIT $limit
""",
}


# sha256 of the queries/*.cypher text each translation follows: a warning is printed when one
# has changed since, so the figures are not silently for an outdated question.
TRANSLATED_FROM = {
    "tasks-led-by": "a6ec7f3b13f506a42f3943674b532730280b01d9952e8f2f2269928ea1a0bb30",
    "broken-references": "e8ba4f757080cb1e70011e7f7541a09fb910e943433ca591bcda93775e32550c",
    "agencies-by-led-tasks": "d081a2a5893c1817c1464e2eb67a9ff779856ae0ff541bbec3bb00ec546403e5",
}


def stale_translations() -> list[str]:
    out = []
    for name, digest in TRANSLATED_FROM.items():
        path = ROOT / "queries" / f"{name}.cypher"
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            out.append(name)
    return out


def q(name: str) -> str:
    return f"`{name}`"


def typed_nulls(cypher: str, params: dict[str, Any]) -> str:
    for name, value in params.items():
        if value is None:
            cypher = re.sub(rf"\${name}\b", f"CAST(${name} AS STRING)", cypher)
    return cypher


# --- schema ----------------------------------------------------------------------------------


class LadybugSchema:
    """Tables and columns derived from graph/schema.yaml."""

    def __init__(self) -> None:
        schema = load_schema()
        self.columns: dict[str, dict[str, str]] = {}        # table -> {property: type}
        for label, spec in schema.nodes.items():
            table = EXTRA_LABELS.get(label, label)
            cols = self.columns.setdefault(table, {"id": "STRING"})
            for p in spec.properties:
                cols.setdefault(p, PROPERTY_TYPES.get(p, "STRING"))
        for label, table in EXTRA_LABELS.items():
            self.columns[table][f"is_{label.lower()}"] = "BOOL"
        self.rels: dict[str, tuple[list[tuple[str, str]], dict[str, str]]] = {}
        for rtype, spec in schema.relationships.items():
            pairs = list(dict.fromkeys((EXTRA_LABELS.get(f, f), EXTRA_LABELS.get(t, t))
                                       for f in spec.from_ for t in spec.to))
            self.rels[rtype] = (pairs, {p: PROPERTY_TYPES.get(p, "STRING") for p in spec.properties})
        self.owned_tables = tuple(t for t, cols in self.columns.items() if "doc_id" in cols)

    def ddl(self) -> list[str]:
        out = []
        for table, cols in self.columns.items():
            body = ", ".join(f"{q(c)} {t}" + (" PRIMARY KEY" if c == "id" else "") for c, t in cols.items())
            out.append(f"CREATE NODE TABLE {table}({body})")
        for rtype, (pairs, props) in self.rels.items():
            parts = [f"FROM {f} TO {t}" for f, t in pairs] + [f"{q(p)} {t}" for p, t in props.items()]
            out.append(f"CREATE REL TABLE {rtype}({', '.join(parts)})")
        return out


def coerce(value: Any, typ: str) -> Any:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        value = value.value
    if typ == "INT64":
        return int(value)
    if typ == "DOUBLE":
        return float(value)
    if typ == "BOOL":
        return bool(value)
    return value if isinstance(value, str) else (json.dumps(value, ensure_ascii=False)
                                                 if isinstance(value, (list, dict)) else str(value))


# --- store -----------------------------------------------------------------------------------


class LadybugStore:
    def __init__(self, path: Path, buffer_pool_mb: int | None = None, owned_nodes: str = "merge") -> None:
        self.path = path
        self.owned_verb = {"merge": "MERGE", "create": "CREATE"}[owned_nodes]
        kw = {"buffer_pool_size": buffer_pool_mb * 1024 * 1024} if buffer_pool_mb else {}
        self.db = ladybug.Database(str(path), **kw)
        self.conn = ladybug.Connection(self.db)
        self.schema = LadybugSchema()
        self.dropped_edges = 0

    def close(self) -> None:
        self.conn.close()
        self.db.close()

    def execute(self, cypher: str, params: dict[str, Any] | None = None):
        return self.conn.execute(cypher, params or {})

    def run(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        res = self.execute(cypher, params)
        names = res.get_column_names()
        return [dict(zip(names, row)) for row in res.get_all()]

    def ensure_schema(self) -> None:
        for stmt in self.schema.ddl():
            self.execute(stmt)

    def _node_groups(self, batch: GraphBatch, replace: bool):
        for labels, rows in group_nodes(batch.nodes).items():
            table, extra = labels[0], labels[1:]
            cols = self.schema.columns.get(table)
            if cols is None or any(EXTRA_LABELS.get(x) != table for x in extra):
                raise ValueError(f"labels {labels} have no ladybug table")
            keys = dict.fromkeys(k for n in rows for k in n.props if k != "id")
            unknown = [k for k in keys if k not in cols]
            if unknown:
                raise ValueError(f"{table}: properties not in graph/schema.yaml: {unknown}")
            flags = [f"is_{x.lower()}" for x in extra]
            sets = ", ".join(f"n.{q(k)} = r.{q(k)}" for k in [*keys, *flags])
            # Owned nodes of a replaced document were just deleted in the same transaction, so
            # CREATE (--owned-nodes create) is equivalent to MERGE there, and much cheaper.
            for owned in (False, True):
                data = [{"id": n.id, **{k: coerce(n.props.get(k), cols[k]) for k in keys},
                         **dict.fromkeys(flags, True)} for n in rows if n.owned == owned]
                if data:
                    verb = self.owned_verb if (owned and replace) else "MERGE"
                    yield (f"UNWIND $rows AS r {verb} (n:{table} {{id: r.id}})"
                           + (f" SET {sets}" if sets else "")), data

    def _edge_groups(self, batch: GraphBatch, owned: set[tuple[str, str]] | None):
        for (rtype, src, dst), rows in group_edges(batch.edges).items():
            src, dst = EXTRA_LABELS.get(src, src), EXTRA_LABELS.get(dst, dst)
            props = self.schema.rels[rtype][1]
            keys = dict.fromkeys(k for e in rows for k in e.props)
            unknown = [k for k in keys if k not in props]
            if unknown:
                raise ValueError(f"{rtype}: properties not in graph/schema.yaml: {unknown}")
            sets = ", ".join(f"e.{q(k)} = r.{q(k)}" for k in keys)
            split: dict[bool, list[dict[str, Any]]] = {True: [], False: []}
            for e in rows:
                is_owned = owned is not None and ((src, e.src) in owned or (dst, e.dst) in owned)
                split[is_owned].append({"s": e.src, "t": e.dst,
                                        **{k: coerce(e.props.get(k), props[k]) for k in keys}})
            for is_owned, data in split.items():
                if data:
                    verb = "CREATE" if is_owned else "MERGE"
                    yield (f"UNWIND $rows AS r MATCH (a:{src} {{id: r.s}}) MATCH (b:{dst} {{id: r.t}}) "
                           f"{verb} (a)-[e:{rtype}]->(b)" + (f" SET {sets}" if sets else "")
                           + " RETURN count(e) AS c"), data

    def _write(self, batch: GraphBatch, owned: set[tuple[str, str]] | None) -> None:
        for cypher, data in self._node_groups(batch, owned is not None):
            for chunk in chunks(data, BATCH_ROWS):
                self.execute(cypher, {"rows": chunk})
        for cypher, data in self._edge_groups(batch, owned):
            for chunk in chunks(data, BATCH_ROWS):
                made = self.execute(cypher, {"rows": chunk}).get_next()[0]
                self.dropped_edges += len(chunk) - made

    def write_shared(self, batch: GraphBatch) -> None:
        self.execute("BEGIN TRANSACTION")
        try:
            self._write(batch, None)
        except Exception:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def replace_document(self, batch: GraphBatch) -> None:
        """Delete the document's owned nodes and write the new version, in one transaction."""
        owned = {(EXTRA_LABELS.get(n.labels[0], n.labels[0]), n.id) for n in batch.nodes if n.owned}
        self.execute("BEGIN TRANSACTION")
        try:
            for table in self.schema.owned_tables:
                self.execute(f"MATCH (n:{table}) WHERE n.doc_id = $d DETACH DELETE n", {"d": batch.doc_id})
            self._write(batch, owned)
        except Exception:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")


# --- measurements (the shape of benchmarks.store's) -------------------------------------------


def rss_mb() -> dict[str, float]:
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS", "VmHWM")):
                k, v = line.split(":")
                out[k] = round(int(v.split()[0]) / 1024, 1)
    return out


def prepared_queries() -> dict[str, tuple[str, dict[str, Any]]]:
    out = {}
    for name, cypher in LB_QUERIES.items():
        params = get_query(name).bind(NAMED_PARAMS[name])
        used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", cypher))
        params = {k: v for k, v in params.items() if k in used}
        out[name] = (typed_nulls(cypher, params), params)
    return out


def time_queries(store: LadybugStore, repeat: int, dump: dict | None = None) -> dict[str, dict]:
    out = {}
    for name, (cypher, params) in prepared_queries().items():
        rows = store.run(cypher, params)   # warm-up
        if dump is not None:
            dump[name] = rows
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            store.run(cypher, params)
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = {"rows": len(rows), "median_ms": round(statistics.median(times), 2), "source": "ladybug dialect"}
    return out


def dir_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 1e6, 1)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def fresh_store(home: Path, name: str, catalog, buffer_pool_mb: int | None,
                owned_nodes: str) -> tuple[LadybugStore, dict]:
    path = home / name
    if path.exists():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    store = LadybugStore(path, buffer_pool_mb, owned_nodes)
    t0 = time.perf_counter()
    store.ensure_schema()
    store.write_shared(catalog_batch(catalog))
    return store, {"schema_and_catalog_seconds": round(time.perf_counter() - t0, 2)}


def table(result: dict) -> str:
    names = list(LB_QUERIES)
    lines = ["| workload | ingest rows/s | " + " | ".join(names) + " |", "|---" * (len(names) + 2) + "|"]
    for wl in ("seeds", "synthetic"):
        if wl not in result:
            continue
        r = result[wl]
        ingest = f"{r['load']['rows_per_s']:,} ({r['load']['seconds']} s)"
        if "reingest" in r:
            ingest += f", re-ingest {r['reingest']['rows_per_s']:,}"
        cells = [f"{r['queries'][n]['median_ms']} ms ({r['queries'][n]['rows']:,} rows)" for n in names]
        lines.append(f"| {wl} ({r['load']['documents']} plans) | {ingest} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--home", default=None, help="directory for the database files (default: a temp dir)")
    ap.add_argument("--buffer-pool-mb", type=int, default=None, help="ladybug buffer pool (default: ladybug's)")
    ap.add_argument("--owned-nodes", choices=("merge", "create"), default="merge",
                    help="statement for a replaced document's own nodes: MERGE as the FalkorDB store does "
                         "(default), or CREATE (they were deleted in the same transaction)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--dump-rows", default=None, help="write the seed workload's query rows here (JSON)")
    ap.add_argument("--seeds-only", action="store_true")
    args = ap.parse_args(argv)
    from loaders.agencies import AgencyCatalog

    catalog = AgencyCatalog.load()
    seeds = seed_batches(catalog)
    synthetic = [] if args.seeds_only else [rekey(seeds[i % len(seeds)], i) for i in range(args.plans)]
    home = Path(args.home or tempfile.mkdtemp(prefix="pg-ladybug-"))
    home.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"engine": f"ladybug {ladybug.__version__ if hasattr(ladybug, '__version__') else ''}".strip(),
                              "python": sys.version.split()[0], "cpus": os.cpu_count(),
                              "owned_nodes": args.owned_nodes,
                              "rss_after_corpus_mb": rss_mb()}
    dump: dict[str, Any] | None = {} if args.dump_rows else None
    stale = stale_translations()
    if stale:
        print(f"WARNING: queries/{{{','.join(stale)}}}.cypher changed since LB_QUERIES was written; "
              f"re-check the translation", file=sys.stderr)
    result["stale_translations"] = stale

    store, info = fresh_store(home, "seeds.lbdb", catalog, args.buffer_pool_mb, args.owned_nodes)
    result["seeds"] = {**info, "load": load(store, seeds), "queries": time_queries(store, args.repeat, dump)}
    result["seeds"]["reingest"] = load(store, seeds)
    result["seeds"]["dropped_edges"] = store.dropped_edges
    store.close()
    if dump is not None:
        Path(args.dump_rows).write_text(json.dumps(dump, ensure_ascii=False, indent=1, default=str))

    if synthetic:
        store, info = fresh_store(home, "synthetic.lbdb", catalog, args.buffer_pool_mb, args.owned_nodes)
        result["synthetic"] = {**info, "load": load(store, synthetic)}
        result["synthetic"]["rss_after_load_mb"] = rss_mb()
        result["synthetic"]["queries"] = time_queries(store, args.repeat)
        nodes = store.run("MATCH (n) RETURN count(n) AS c")[0]["c"]
        edges = store.run("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
        result["synthetic"]["graph"] = {"nodes": nodes, "edges": edges}
        result["synthetic"]["dropped_edges"] = store.dropped_edges
        t0 = time.perf_counter()
        store.execute("CHECKPOINT")
        result["synthetic"]["checkpoint_seconds"] = round(time.perf_counter() - t0, 2)
        store.close()
        result["synthetic"]["disk_mb"] = dir_mb(home / "synthetic.lbdb")
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    print()
    print(table(result))
    print(f"\npeak RSS (whole process, corpus included): {result['peak_rss_mb']:,} MB; "
          f"after building the corpus: {result['rss_after_corpus_mb'].get('VmRSS')} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
