"""Audit: the findings on every ingested document (broken/ambiguous/misdirected references,
numbering faults, conflicting targets, targets below the national programme, legal-basis
inconsistencies, responsibility gaps), as JSON or as a Markdown/HTML/CSV report."""
from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pydantic import BaseModel

from api.deps import Store
from api.errors import bad_parameter, responses

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditFormat(str, Enum):
    json = "json"
    markdown = "markdown"
    html = "html"
    csv = "csv"


class FindingOut(BaseModel):
    kind: str
    severity: str
    document: str
    path: str | None = None
    quote: str = ""
    target: str | None = None
    suggestion: str | None = None
    evidence: str = ""
    line: int | None = None
    agencies: list[str] = []


class AuditReport(BaseModel):
    documents: list[str]
    count: int
    summary: dict[str, int]
    findings: list[FindingOut]
    failures: list[dict[str, Any]]


@router.get("", response_model=AuditReport, responses={**responses(bad_param=True), 200: {
    "content": {"text/markdown": {}, "text/html": {}, "text/csv": {}},
    "description": "The findings (JSON by default; `format` chooses a report)"}},
    summary="Audit findings on the ingested documents")
def audit(
    store: Store,
    document: Annotated[list[str] | None, Query(description="document id or part of it (repeatable)")] = None,
    kind: Annotated[list[str] | None, Query(description="finding kind or prefix, e.g. numbering (repeatable)")] = None,
    agency: Annotated[str | None, Query(description="agency key, type, abbreviation or name")] = None,
    min_severity: Annotated[str, Query(description="info | warning | error")] = "info",
    format: Annotated[AuditFormat, Query(description="json, or a markdown/html/csv report")] = AuditFormat.json,
) -> Any:
    from graph.audit.corpus import audit_files, stored_sources
    from graph.audit.report import filter_findings, summary, to_csv, to_html, to_markdown
    from loaders.agencies import AgencyCatalog

    result = audit_files(stored_sources(store))
    try:
        findings = filter_findings(result.findings, document=document, kind=kind, agency=agency,
                                   min_severity=min_severity, catalog=AgencyCatalog.load())
    except ValueError as exc:
        raise bad_parameter(str(exc)) from exc
    if format is AuditFormat.markdown:
        return PlainTextResponse(to_markdown(findings), media_type="text/markdown; charset=utf-8")
    if format is AuditFormat.html:
        return HTMLResponse(to_html(findings))
    if format is AuditFormat.csv:
        return Response(to_csv(findings), media_type="text/csv; charset=utf-8")
    return AuditReport(
        documents=result.documents, count=len(findings), summary=summary(findings),
        findings=[FindingOut(**f.to_dict()) for f in findings],
        failures=[{"file": file, "line": line, "reason": reason} for file, line, reason in result.failures])
