"""Tasks: list with filters, one task with every agency and its roles.

Task ids contain '/' and '#' ("370/KH-UBND@tien-giang-2021#III.1.a"): encode '#' as
'%23' in the path (a browser's encodeURIComponent does).
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Store
from api.errors import bad_parameter, not_found, responses
from api.models import TaskAgency, TaskDetail, TaskList, TaskSummary
from api.routers.agencies import ROLE_NAMES, ROLE_ORDER, ROLE_PATTERN
from api.routers.agencies import role as role_of
from loaders.text import fold, slug
from viz.maps import resolve_agencies

router = APIRouter(prefix="/tasks", tags=["tasks"])


def _summary(t: dict[str, Any], links: list[tuple[str, str]]) -> TaskSummary:
    return TaskSummary(
        id=t["id"], doc_id=t.get("doc_id"), path=t.get("path"), title=t.get("title"),
        deadline_text=t.get("deadline_text"),
        leads=sorted({a for a, r in links if r == "LEADS"}),
        coordinators=sorted({a for a, r in links if r == "COORDINATES"}),
    )


@router.get("", response_model=TaskList, responses=responses(bad_param=True), summary="List tasks")
def list_tasks(
    store: Store,
    agency: Annotated[str | None, Query(description="agency id (dic@tien-giang), type key or abbreviation (dic, DIC), "
                                                     "or name with or without diacritics")] = None,
    role: Annotated[str | None, Query(description="with `agency`: lead | coordinate | focal_point | advise | steer")] = None,
    doc_id: Annotated[str | None, Query(description="only tasks of this document")] = None,
    jurisdiction: Annotated[str | None, Query(description="province/district of the document ('Tiền Giang', 'tien-giang')")] = None,
    q: Annotated[str | None, Query(description="words of the title, with or without diacritics")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TaskList:
    rel = None
    if role:
        inverse = {v: k for k, v in ROLE_NAMES.items()}
        rel = inverse.get(role.lower()) or (role.upper() if role.upper() in ROLE_NAMES else None)
        if rel is None:
            raise bad_parameter(f"role must be one of {', '.join(ROLE_NAMES.values())}, not {role!r}")
    where = "WHERE t.doc_id = $doc_id " if doc_id else ""
    rows = store.run(
        f"MATCH (t:Task) {where}OPTIONAL MATCH (a:Agency)-[r:{ROLE_PATTERN}]->(t) "
        "RETURN t.id AS id, t.doc_id AS doc_id, t.path AS path, t.title AS title, t.deadline_text AS deadline_text, "
        "collect([a.id, type(r)]) AS links",
        {"doc_id": doc_id} if doc_id else {})
    wanted: set[str] | None = None
    if agency:
        wanted = {a["id"] for a in resolve_agencies(store, agency)}
    if jurisdiction:
        key = slug(jurisdiction)
        docs = store.run("MATCH (d:Document) RETURN d.id AS id, d.jurisdiction AS j", {})
        in_j = {d["id"] for d in docs if slug(str(d.get("j") or "")) == key or d["id"].split("@")[-1].startswith(key)}
    fq = fold(q) if q else None
    items = []
    for r in rows:
        links = [(a, t) for a, t in (r.get("links") or []) if a]
        if wanted is not None and not any(a in wanted and (rel is None or t == rel) for a, t in links):
            continue
        if jurisdiction and r.get("doc_id") not in in_j:
            continue
        if fq and fq not in fold(str(r.get("title") or "")):
            continue
        items.append(_summary(r, links))
    items.sort(key=lambda t: (t.doc_id or "", t.path or "", t.id))
    return TaskList(total=len(items), offset=offset, limit=limit, items=items[offset: offset + limit])


@router.get("/{task_id:path}", response_model=TaskDetail, responses=responses("task"),
            summary="One task with all agencies and their roles")
def get_task(task_id: str, store: Store) -> TaskDetail:
    rows = store.run("MATCH (t:Task {id: $id}) RETURN properties(t) AS t", {"id": task_id})
    if not rows:
        rows = store.run("MATCH (t:Missing {id: $id}) RETURN properties(t) AS t", {"id": task_id})
    if not rows:
        raise not_found("task", task_id)
    t = rows[0]["t"] or {"id": task_id}
    links = store.run(
        f"MATCH (a:Agency)-[r:{ROLE_PATTERN}]->(t {{id: $id}}) "
        "RETURN properties(a) AS a, type(r) AS rel, properties(r) AS r",
        {"id": task_id})
    agencies: dict[str, TaskAgency] = {}
    for link in links:
        a = link.get("a") or {}
        entry = agencies.get(a.get("id"))
        if entry is None:
            entry = agencies[a["id"]] = TaskAgency(
                id=a["id"], name=a.get("name"), name_en=a.get("name_en"), abbr=a.get("abbr"),
                jurisdiction=a.get("jurisdiction"), collective=a.get("collective"), roles=[])
        entry.roles.append(role_of(link["rel"], link.get("r") or {}))
    for entry in agencies.values():
        entry.roles.sort(key=lambda r: (ROLE_ORDER.get(r.role, 9), r.clause or ""))
    ordered = sorted(agencies.values(), key=lambda e: (min(ROLE_ORDER.get(r.role, 9) for r in e.roles), e.id))
    summary = _summary(t, [(link["a"]["id"], link["rel"]) for link in links if link.get("a")])
    sec = store.run("MATCH (s:Section {id: $id}) RETURN s.line AS line, s.body AS body", {"id": task_id})
    return TaskDetail(
        **summary.model_dump(),
        period_start=t.get("period_start"), period_end=t.get("period_end"), recurrence=t.get("recurrence"),
        line=(sec[0].get("line") if sec else t.get("line")), body=(sec[0].get("body") if sec else None),
        agencies=ordered,
    )
