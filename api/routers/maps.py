"""Maps as self-contained HTML pages (vis-network inlined, no CDN)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import Store
from api.errors import not_found
from viz.maps import MapNotFound, agency_map, document_map

router = APIRouter(prefix="/maps", tags=["maps"])

_HTML = {200: {"content": {"text/html": {}}, "description": "A self-contained HTML page with the map"}}


def _responses(kind: str) -> dict:
    from api.errors import responses
    return {**_HTML, **responses(kind)}


@router.get("/document", response_class=HTMLResponse, responses=_responses("document"),
            summary="Map of one document: sections, tasks, agencies, references")
def map_document(store: Store, doc_id: Annotated[str, Query(description="document id")]) -> HTMLResponse:
    try:
        return HTMLResponse(document_map(store, doc_id))
    except MapNotFound:
        raise not_found("document", doc_id) from None


@router.get("/agency", response_class=HTMLResponse, responses=_responses("agency"),
            summary="Map of an agency's responsibilities across documents")
def map_agency(store: Store, agency: Annotated[str, Query(
        description="agency id (dic@tien-giang), type key or abbreviation (dic, DIC), or name with or without diacritics")]
) -> HTMLResponse:
    try:
        return HTMLResponse(agency_map(store, agency))
    except MapNotFound:
        raise not_found("agency", agency) from None
