"""Documents: list, one document, its sections tree.

Document ids contain '/' ("119/KH-UBND@quang-ngai-2020"), so they travel in the path
as `{doc_id:path}` (a literal '/' or '%2F' both work).
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Store
from api.errors import not_found, responses
from api.models import DocumentDetail, DocumentList, DocumentSummary, SectionNode, SectionTree
from loaders.text import fold

router = APIRouter(prefix="/documents", tags=["documents"])

ROLE_PATTERN = "LEADS|COORDINATES|FOCAL_POINT|ADVISES|STEERS"


def _document(store: Store, doc_id: str) -> dict[str, Any]:
    rows = store.run("MATCH (d:Document {id: $id}) RETURN properties(d) AS d", {"id": doc_id})
    if not rows:
        raise not_found("document", doc_id)
    return rows[0]["d"] or {"id": doc_id}


@router.get("", response_model=DocumentList, summary="List documents")
def list_documents(
    store: Store,
    q: Annotated[str | None, Query(description="filter: words of the id, number, title or issuer, with or without diacritics")] = None,
    jurisdiction: Annotated[str | None, Query(description="province/district, with or without diacritics")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentList:
    docs = [r["d"] for r in store.run("MATCH (d:Document) RETURN properties(d) AS d", {}) if r.get("d")]
    if q:
        fq = fold(q)
        docs = [d for d in docs if fq in fold(" ".join(str(d.get(k) or "") for k in ("id", "number", "title", "issuer", "jurisdiction")))]
    if jurisdiction:
        fj = fold(jurisdiction).replace("-", " ")
        docs = [d for d in docs if fold(str(d.get("jurisdiction") or "")) == fj or d["id"].split("@")[-1].startswith(fj.replace(" ", "-"))]
    docs.sort(key=lambda d: (str(d.get("date") or ""), d["id"]))
    page = docs[offset: offset + limit]
    return DocumentList(total=len(docs), offset=offset, limit=limit, items=[DocumentSummary(**d) for d in page])


@router.get("/{doc_id:path}/sections", response_model=SectionTree, responses=responses("document"),
            summary="The sections tree of a document")
def document_sections(doc_id: str, store: Store) -> SectionTree:
    _document(store, doc_id)
    rows = store.run(
        "MATCH (p)-[:HAS_SECTION]->(s:Section) WHERE s.doc_id = $id "
        "RETURN p.id AS parent, s.id AS id, s.path AS path, s.kind AS kind, s.label AS label, "
        "s.title AS title, s.line AS line, s.order AS order, labels(s) AS labels",
        {"id": doc_id})
    nodes: dict[str, SectionNode] = {}
    order: dict[str, int] = {}
    for r in rows:
        nodes[r["id"]] = SectionNode(id=r["id"], path=r.get("path"), kind=r.get("kind"), label=r.get("label"),
                                     title=r.get("title"), line=r.get("line"), task="Task" in (r.get("labels") or []))
        order[r["id"]] = r.get("order") if isinstance(r.get("order"), int) else 10**9
    roots: list[SectionNode] = []
    for r in sorted(rows, key=lambda r: (order[r["id"]], r["id"])):
        parent = nodes.get(r["parent"])
        (parent.children if parent is not None else roots).append(nodes[r["id"]])
    return SectionTree(doc_id=doc_id, sections=len(nodes), children=roots)


@router.get("/{doc_id:path}", response_model=DocumentDetail, responses=responses("document"),
            summary="One document with counts")
def get_document(doc_id: str, store: Store) -> DocumentDetail:
    doc = _document(store, doc_id)
    tasks = store.run("MATCH (t:Task) WHERE t.doc_id = $id RETURN count(t) AS n", {"id": doc_id})
    agencies = store.run(f"MATCH (a:Agency)-[r:{ROLE_PATTERN}]->() WHERE r.doc_id = $id RETURN count(DISTINCT a) AS n",
                         {"id": doc_id})
    legal = store.run("MATCH (d:Document {id: $id})-[:IMPLEMENTS|CITES]->(l:LegalBasis) RETURN DISTINCT l.id AS id",
                      {"id": doc_id})
    return DocumentDetail(**{**doc, "tasks": tasks[0]["n"] if tasks else 0,
                             "agencies": agencies[0]["n"] if agencies else 0,
                             "legal_bases": sorted(r["id"] for r in legal if r.get("id"))})
