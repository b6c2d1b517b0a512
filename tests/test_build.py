"""graph.build: ParsedDocument -> GraphBatch per schema.yaml and the CONTRACTS.md ids."""
from __future__ import annotations

import json

from graph.build import build_batch, catalog_batch, is_local_number, legal_basis_id
from graph.schema import falkor_index_statements, lint_schema, load_schema, neo4j_statements, render_docs
from graph_samples import SampleCatalog, sample_document
from loaders.models import LegalCitation, LegalRelation, Span

DOC = "1/KH-UBND@tien-giang-2024"


def _primitive(v) -> bool:
    if isinstance(v, (str, int, float, bool)):
        return True
    return isinstance(v, list) and all(isinstance(x, (str, int, float, bool)) for x in v)


def test_batch_conforms_to_schema():
    schema = load_schema()
    batch = build_batch(sample_document(), SampleCatalog())
    for n in batch.nodes:
        allowed = set().union(*(schema.nodes[label].properties for label in n.labels))
        assert set(n.props) <= allowed, (n.labels, set(n.props) - allowed)
        assert all(_primitive(v) for v in n.props.values()), n
        assert n.owned == schema.nodes[n.labels[0]].owned
        if n.owned:
            assert n.props["doc_id"] == DOC
    for e in batch.edges:
        spec = schema.relationships[e.type]
        assert e.src_label in spec.from_ and e.dst_label in spec.to, e
        assert set(e.props) <= set(spec.properties), (e.type, set(e.props) - set(spec.properties))
        assert all(_primitive(v) for v in e.props.values()), e


def test_ids_and_provenance():
    batch = build_batch(sample_document(), SampleCatalog())
    nodes = {n.id: n for n in batch.nodes}
    assert nodes[DOC].props["jurisdiction_key"] == "tien-giang" and len(nodes[DOC].props["sha256"]) == 64
    sec = nodes[f"{DOC}#II.1.a"]
    assert sec.labels == ("Section", "Task")
    assert json.loads(sec.props["cells"]) == {"Nội dung": "hạ tầng", "Thời gian": "2024"}
    assert sec.props["quote"].startswith("Sở Thông tin") and sec.props["line"] == 8
    assert nodes[f"{DOC}#missing:II.1.đ"].labels == ("Missing",)
    assert nodes[f"{DOC}#I.1:t1"].props["indicator_key"] == "digital_economy_share_grdp"
    assert nodes["dic@tien-giang"].owned is False and nodes["dic@tien-giang"].props["jurisdiction_key"] == "tien-giang"
    assert "605/QĐ-UBND@tien-giang" in nodes and "749/QĐ-TTg" in nodes
    refs = [e for e in batch.edges if e.type == "REFERENCES"]
    assert sorted((e.props["status"], e.dst) for e in refs) == [
        ("ambiguous", f"{DOC}#II.1.c"), ("ambiguous", f"{DOC}#II.1.c(2)"),
        ("broken", f"{DOC}#missing:II.1.đ"), ("resolved", f"{DOC}#II.1.a")]
    for e in refs:
        assert e.props["doc_id"] == DOC and e.props["line"] in (5, 9) and e.props["quote"] == e.props["raw"]
    leads = [e for e in batch.edges if e.type == "LEADS"]
    assert {(e.dst_label, e.props["broken"], e.props["via_reference"]) for e in leads} == {
        ("Section", False, False), ("Missing", True, True)}
    roots = [e for e in batch.edges if e.type == "HAS_SECTION" and e.src_label == "Document"]
    assert [(e.dst, e.props["order"]) for e in roots] == [(f"{DOC}#I", 0), (f"{DOC}#II", 1)]
    issued = [e for e in batch.edges if e.type == "ISSUED_BY"]
    assert [(e.dst) for e in issued] == ["ppc@tien-giang"]


def test_without_catalog_no_issuer_and_no_agency_types():
    batch = build_batch(sample_document())
    assert not [e for e in batch.edges if e.type == "ISSUED_BY"]
    assert not [n for n in batch.nodes if n.labels == ("AgencyType",)]


def test_legal_basis_ids():
    def cite(number, code):
        return LegalCitation(number, "Quyết định", code, None, None, LegalRelation.IMPLEMENTS, number, Span(0, 0), None)

    assert legal_basis_id(cite("749/QĐ-TTg", "TTg"), "tien-giang") == "749/QĐ-TTg"
    assert legal_basis_id(cite("605/QĐ-UBND", "UBND"), "tien-giang") == "605/QĐ-UBND@tien-giang"
    assert legal_basis_id(cite("12/NQ-HĐND", None), "dien-bien") == "12/NQ-HĐND@dien-bien"
    assert legal_basis_id(cite("05-CT/TU", None), "quang-ngai") == "05-CT/TU@quang-ngai"
    assert legal_basis_id(cite("45/2020/NĐ-CP", "CP"), "tien-giang") == "45/2020/NĐ-CP"
    assert legal_basis_id(cite(None, None), "x") is None
    assert is_local_number("1/KH-STTTT", None) and not is_local_number("1/TT-BTTTT", None)


def test_catalog_batch():
    batch = catalog_batch(SampleCatalog())
    assert sorted(n.id for n in batch.nodes) == ["dic", "dof", "dost", "ppc"]
    assert all(not n.owned for n in batch.nodes)
    [succ] = batch.edges
    assert (succ.type, succ.src, succ.dst, succ.props) == ("SUCCEEDED_BY", "dic", "dost",
                                                         {"date": "2025-03-01", "note": "merged"})


def test_generated_ddl_docs_and_lint_schema():
    assert "CREATE INDEX FOR (n:Section) ON (n.doc_id)" in falkor_index_statements()
    assert ("CREATE CONSTRAINT section_id_unique IF NOT EXISTS FOR (n:Section) REQUIRE n.id IS UNIQUE"
            in neo4j_statements())
    lint = lint_schema()
    assert "Task" in lint["labels"] and "REFERENCES" in lint["relationshipTypes"]
    assert "jurisdiction_key" in lint["propertyKeys"]
    from pathlib import Path
    docs = Path(__file__).resolve().parent.parent / "docs" / "SCHEMA.md"
    assert docs.read_text(encoding="utf-8") == render_docs(), "run: python -m graph.schema docs"
