"""Response models of the API (query result models are generated in routers/queries.py)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class DocumentSummary(_Open):
    id: str
    number: str | None = None
    doc_type: str | None = None
    title: str | None = None
    issuer: str | None = None
    jurisdiction: str | None = None
    date: str | None = None


class DocumentDetail(DocumentSummary):
    jurisdiction_level: str | None = None
    place: str | None = None
    source: str | None = None
    sha256: str | None = None
    sections: int | None = Field(None, description="number of sections")
    references_broken: int | None = None
    tasks: int = Field(0, description="number of tasks")
    agencies: int = Field(0, description="number of agencies with a role in the document")
    legal_bases: list[str] = Field(default_factory=list, description="numbers of cited documents")


class SectionNode(BaseModel):
    id: str
    path: str | None = None
    kind: str | None = None
    label: str | None = None
    title: str | None = None
    line: int | None = None
    task: bool = False
    children: list["SectionNode"] = Field(default_factory=list)


class SectionTree(BaseModel):
    doc_id: str
    sections: int
    children: list[SectionNode]


class AgencySummary(_Open):
    id: str
    type_key: str | None = None
    name: str | None = None
    name_en: str | None = None
    abbr: str | None = None
    jurisdiction: str | None = None
    collective: bool | None = None
    catalogued: bool | None = None
    tasks: int = Field(0, description="number of tasks the agency has a role on")


class Role(BaseModel):
    role: str = Field(description="lead | coordinate | focal_point | advise | steer")
    clause: str | None = None
    quote: str | None = None
    line: int | None = None
    via_reference: bool = False
    broken: bool = False


class AgencyTask(BaseModel):
    id: str
    doc_id: str | None = None
    path: str | None = None
    title: str | None = None
    missing: bool = Field(False, description="the task is a clause that does not exist (broken reference)")
    roles: list[Role]


class AgencyDetail(AgencySummary):
    responsibilities: list[AgencyTask] = Field(default_factory=list,
                                               description="the tasks the agency has a role on, with the roles")


class TaskAgency(BaseModel):
    id: str
    name: str | None = None
    name_en: str | None = None
    abbr: str | None = None
    jurisdiction: str | None = None
    collective: bool | None = None
    roles: list[Role]


class TaskSummary(BaseModel):
    id: str
    doc_id: str | None = None
    path: str | None = None
    title: str | None = None
    deadline_text: str | None = None
    leads: list[str] = Field(default_factory=list, description="ids of the leading agencies")
    coordinators: list[str] = Field(default_factory=list, description="ids of the coordinating agencies")


class TaskDetail(TaskSummary):
    period_start: int | None = None
    period_end: int | None = None
    recurrence: str | None = None
    line: int | None = None
    body: str | None = None
    agencies: list[TaskAgency] = Field(default_factory=list)


class Page(BaseModel):
    total: int
    offset: int
    limit: int


class DocumentList(Page):
    items: list[DocumentSummary]


class AgencyList(Page):
    items: list[AgencySummary]


class TaskList(Page):
    items: list[TaskSummary]


class QueryParamInfo(BaseModel):
    name: str
    type: str
    required: bool
    default: Any = None
    doc: str | None = None


class QueryInfo(BaseModel):
    name: str
    description: str
    params: list[QueryParamInfo]
    columns: list[str]
    path: str = Field(description="the explicit endpoint of the query")


class QueryResult(BaseModel):
    query: str
    params: dict[str, Any]
    columns: list[str]
    count: int
    rows: list[dict[str, Any]]
