"""End to end: the real seed plans through parser, builder and the embedded store."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.analysis import agency_workload, components, reference_cycles, to_networkx
from graph.ingest import expand_paths, ingest_paths
from store_contract import snapshot

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


@pytest.fixture
def ingested(falkor_store):
    progress = []
    summary = ingest_paths([PLANS], falkor_store, on_progress=lambda done, total, path: progress.append(done))
    return falkor_store, summary, progress


def test_ingest_seed_plans(ingested):
    store, summary, progress = ingested
    files = expand_paths([PLANS])
    assert summary.failures == []
    assert len(summary.rows) == len(files) == len(progress)
    assert store.document_ids() == sorted(r.doc_id for r in summary.rows)
    for row in summary.rows:
        [n] = store.run("MATCH (s:Section {doc_id: $d}) RETURN count(s) AS c", {"d": row.doc_id})
        assert n["c"] == row.sections
        [b] = store.run("MATCH (s:Section {doc_id: $d})-[r:REFERENCES {status: 'broken'}]->(:Missing) "
                        "RETURN count(r) AS c", {"d": row.doc_id})
        assert b["c"] == row.references_broken
        assert not any("LEADS" in w or "COORDINATES" in w for w in row.warnings), row.warnings
    # the catalog was written: agencies have types, and types have successors
    assert store.run("MATCH (:Agency)-[:OF_TYPE]->(t:AgencyType) RETURN count(DISTINCT t) AS c")[0]["c"] > 0
    assert store.run("MATCH ()-[r:SUCCEEDED_BY]->() RETURN count(r) AS c")[0]["c"] > 0


def test_reingest_seed_plans_is_identical(ingested):
    store, _, _ = ingested
    before = snapshot(store)
    ingest_paths([PLANS], store)
    assert snapshot(store) == before


def test_bad_file_is_reported_and_run_goes_on(falkor_store, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf at all")
    summary = ingest_paths([bad, PLANS / "004_ef6a8b9dc3eafaab.txt"], falkor_store, catalog=False)
    assert len(summary.rows) == 1 and len(summary.failures) == 1
    file, line, reason = summary.failures[0]
    assert file.endswith("broken.pdf") and reason


def test_analysis_exports(ingested):
    store, summary, _ = ingested
    G = to_networkx(store)
    assert G.number_of_nodes() == store.run("MATCH (n) RETURN count(n) AS c")[0]["c"]
    assert G.number_of_edges() == store.run("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
    work = agency_workload(G)
    assert work and work[0]["leads"] >= work[-1]["leads"]
    assert isinstance(reference_cycles(G), list)
    comps = components(G)
    assert sum(len(c) for c in comps) == G.number_of_nodes()
    doc = max(summary.rows, key=lambda r: r.sections)
    D = to_networkx(store, doc_id=doc.doc_id, rel_types=["HAS_SECTION", "LEADS"])
    assert {d["type"] for _, _, d in D.edges(data=True)} <= {"HAS_SECTION", "LEADS"}
    assert sum("Section" in d["labels"] for _, d in D.nodes(data=True)) == doc.sections
    assert sum(d["type"] == "HAS_SECTION" for _, _, d in D.edges(data=True)) == doc.sections
