"""The GraphStore contract, run against every store (imported by tests/test_store_*.py).

A test class inherits `StoreContract` and provides a `store` fixture returning an empty store.
"""
from __future__ import annotations

import json

import pytest

from graph.batch import EdgeRow, GraphBatch, NodeRow
from graph.build import batch_stats, build_batch, catalog_batch
from graph.store import StoreError
from graph_samples import SampleCatalog, sample_document

DOC = "1/KH-UBND@tien-giang-2024"
OTHER = "7/KH-UBND@dien-bien-2024"


def snapshot(store) -> tuple[list[str], list[str]]:
    """The whole graph as sorted JSON strings (labels + properties; edges by endpoint ids)."""
    nodes = store.run("MATCH (n) RETURN labels(n) AS labels, n AS props")
    edges = store.run("MATCH (a)-[r]->(b) RETURN a.id AS s, b.id AS t, r AS props")
    n = sorted(json.dumps([sorted(r["labels"]), r["props"]], sort_keys=True, ensure_ascii=False) for r in nodes)
    e = sorted(json.dumps([r["s"], r["t"], r["props"]], sort_keys=True, ensure_ascii=False) for r in edges)
    return n, e


def counts(store, doc_id: str | None = None) -> dict[str, int]:
    where = "WHERE n.doc_id = $d" if doc_id else ""
    out = {}
    for r in store.run(f"MATCH (n) {where} RETURN labels(n) AS l, count(n) AS c", {"d": doc_id}):
        out[":".join(sorted(r["l"]))] = r["c"]
    for r in store.run("MATCH ()-[r]->() RETURN type(r) AS t, count(r) AS c"):
        out[r["t"]] = r["c"]
    return out


def faulty(batch: GraphBatch, where: str) -> GraphBatch:
    """A copy of `batch` with one value every engine rejects (a map as a property value)."""
    bad = GraphBatch(batch.doc_id, list(batch.nodes), list(batch.edges))
    # A new shared node, so the test also sees that a failed write leaves no shared leftovers.
    bad.nodes.append(NodeRow(("Agency",), "x-new-agency@tien-giang", {"id": "x-new-agency@tien-giang"}, owned=False))
    if where == "node":
        bad.nodes.append(NodeRow(("Target",), f"{batch.doc_id}#bad", {"id": f"{batch.doc_id}#bad",
                                                                     "doc_id": batch.doc_id, "oops": {"a": 1}}))
    else:
        bad.edges.append(EdgeRow("REFERENCES", "Section", f"{batch.doc_id}#I", "Section", f"{batch.doc_id}#II",
                                 {"status": "resolved", "oops": {"a": 1}}))
    return bad


class StoreContract:
    @pytest.fixture
    def loaded(self, store):
        store.ensure_schema()
        store.write_shared(catalog_batch(SampleCatalog()))
        store.replace_document(build_batch(sample_document(), SampleCatalog()))
        return store

    def test_write_and_read_back(self, loaded):
        store = loaded
        batch = build_batch(sample_document(), SampleCatalog())
        expected = batch_stats(batch)
        got = counts(store)
        assert got["Document"] == 1
        assert got["Section"] == expected["Section"]
        assert got["Section:Task"] == 1
        assert got["Missing"] == 1 and got["Target"] == 1
        assert got["AgencyType"] == 4 and got["SUCCEEDED_BY"] == 1
        for rtype in ("HAS_SECTION", "REFERENCES", "LEADS", "COORDINATES", "HAS_TARGET", "MEASURES",
                      "IMPLEMENTS", "CITES", "ISSUED_BY", "OF_TYPE"):
            assert got[rtype] == expected[rtype], rtype
        assert store.document_ids() == [DOC]
        [row] = store.run("MATCH (s:Section:Task {id: $id}) RETURN s", {"id": f"{DOC}#II.1.a"})
        s = row["s"]
        assert s["doc_id"] == DOC and s["kind"] == "diem" and s["line"] == 8 and s["task_source"] == "assignment"
        assert json.loads(s["cells"]) == {"Nội dung": "hạ tầng", "Thời gian": "2024"}
        statuses = sorted(r["st"] for r in store.run("MATCH (:Section)-[r:REFERENCES]->() RETURN r.status AS st"))
        assert statuses == ["ambiguous", "ambiguous", "broken", "resolved"]
        rows = store.run("MATCH (a:Agency {id: 'dic@tien-giang'})-[r:LEADS]->(t) RETURN r, t ORDER BY r.line")
        assert [r["r"]["type"] for r in rows] == ["LEADS", "LEADS"]
        assert rows[1]["r"]["broken"] is True and rows[1]["r"]["via_reference"] is True
        assert rows[1]["t"]["id"] == f"{DOC}#missing:II.1.đ"
        [lb] = store.run("MATCH (:Document {id: $d})-[:CITES]->(l:LegalBasis) RETURN l.id AS id", {"d": DOC})
        assert lb["id"] == "605/QĐ-UBND@tien-giang"
        [issuer] = store.run("MATCH (:Document)-[:ISSUED_BY]->(a:Agency)-[:OF_TYPE]->(t:AgencyType) "
                             "RETURN a.id AS a, t.id AS t")
        assert issuer == {"a": "ppc@tien-giang", "t": "ppc"}

    def test_reingest_is_identical(self, loaded):
        before = snapshot(loaded)
        loaded.replace_document(build_batch(sample_document(), SampleCatalog()))
        assert snapshot(loaded) == before

    def test_replace_with_new_version(self, loaded):
        doc = sample_document(title_suffix=" (sửa)")
        del doc.sections["II.1.c"]
        doc.sections["II.1"].children.remove("II.1.c")
        doc.references = [r for r in doc.references if r.status.value != "ambiguous"]
        loaded.replace_document(build_batch(doc, SampleCatalog()))
        paths = {r["p"] for r in loaded.run("MATCH (s:Section {doc_id: $d}) RETURN s.path AS p", {"d": DOC})}
        assert "II.1.c" not in paths and "II.1.c(2)" in paths
        [t] = loaded.run("MATCH (s:Section {id: $id}) RETURN s.title AS t", {"id": f"{DOC}#II.1.c(2)"})
        assert t["t"].endswith("(sửa)")
        assert loaded.run("MATCH ()-[r:REFERENCES {status: 'ambiguous'}]->() RETURN count(r) AS c")[0]["c"] == 0

    def test_two_documents_share_nodes(self, loaded):
        loaded.replace_document(build_batch(sample_document(OTHER, "Điện Biên"), SampleCatalog()))
        assert loaded.document_ids() == sorted([DOC, OTHER])
        ids = sorted(r["id"] for r in loaded.run("MATCH (l:LegalBasis) RETURN l.id AS id"))
        assert ids == ["605/QĐ-UBND@dien-bien", "605/QĐ-UBND@tien-giang", "749/QĐ-TTg"]
        [ind] = loaded.run("MATCH (t:Target)-[:MEASURES]->(i:Indicator) RETURN count(DISTINCT i) AS c")
        assert ind["c"] == 1

    def test_delete_document(self, loaded):
        loaded.replace_document(build_batch(sample_document(OTHER, "Điện Biên"), SampleCatalog()))
        other_before = counts(loaded, OTHER)
        assert loaded.delete_document(DOC) == 12
        assert loaded.document_ids() == [OTHER]
        assert counts(loaded, DOC).get("Section", 0) == 0
        assert {k: v for k, v in counts(loaded, OTHER).items() if ":" in k or k[0].isupper() and k[1:2].islower()} \
            == {k: v for k, v in other_before.items() if ":" in k or k[0].isupper() and k[1:2].islower()}
        # Shared nodes stay.
        assert loaded.run("MATCH (a:Agency {id: 'dic@tien-giang'}) RETURN count(a) AS c")[0]["c"] == 1

    @pytest.mark.parametrize("where", ["node", "edge"])
    def test_failed_write_keeps_previous_version(self, loaded, where):
        before = snapshot(loaded)
        with pytest.raises(StoreError):
            loaded.replace_document(faulty(build_batch(sample_document(title_suffix=" v2"), SampleCatalog()), where))
        assert snapshot(loaded) == before
        assert loaded.run("MATCH (a:Agency {id: 'x-new-agency@tien-giang'}) RETURN count(a) AS c")[0]["c"] == 0
        # and the store still works
        loaded.replace_document(build_batch(sample_document(), SampleCatalog()))
        assert snapshot(loaded) == before

    def test_failed_first_write_leaves_nothing(self, store):
        store.ensure_schema()
        with pytest.raises(StoreError):
            store.replace_document(faulty(build_batch(sample_document()), "edge"))
        assert store.run("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0
        assert store.document_ids() == []

    def test_run_returns_plain_values(self, loaded):
        rows = loaded.run("MATCH p = (d:Document)-[:HAS_SECTION]->(s:Section {path: 'I'}) "
                          "RETURN d.id AS id, p, [1, 2.5, 'x', true, null] AS l, {k: s.path} AS m")
        [row] = rows
        assert row["id"] == DOC and row["l"] == [1, 2.5, "x", True, None] and row["m"] == {"k": "I"}
        assert row["p"]["nodes"][0]["id"] == DOC and row["p"]["relationships"][0]["type"] == "HAS_SECTION"

    def test_clear(self, loaded):
        loaded.clear()
        assert loaded.document_ids() == []
        assert loaded.run("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0
