"""Agencies: list and search (with or without diacritics), one agency with its tasks."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Store
from api.errors import not_found, responses
from api.models import AgencyDetail, AgencyList, AgencySummary, AgencyTask, Role
from loaders.text import fold, slug

router = APIRouter(prefix="/agencies", tags=["agencies"])

ROLE_PATTERN = "LEADS|COORDINATES|FOCAL_POINT|ADVISES|STEERS"
ROLE_NAMES = {"LEADS": "lead", "COORDINATES": "coordinate", "FOCAL_POINT": "focal_point",
              "ADVISES": "advise", "STEERS": "steer"}
ROLE_ORDER = {"lead": 0, "coordinate": 1, "focal_point": 2, "advise": 3, "steer": 4}


def _catalog_types(text: str) -> set[str]:
    """Type keys the agency catalog reads in `text` ("Sở TT&TT" -> dic); empty without a catalog."""
    try:
        from loaders.agencies import AgencyCatalog
        return set(AgencyCatalog.load().resolve_query(text) or ())
    except Exception:
        return set()


def _haystack(a: dict[str, Any]) -> str:
    return fold(" ".join(str(a.get(k) or "") for k in ("name", "name_en", "abbr", "id", "type_key", "search_text")))


def matches(a: dict[str, Any], q: str, types: set[str] | None = None) -> bool:
    fq = fold(q)
    return bool(fq) and (fq in _haystack(a) or fq.replace(" ", "-") in str(a.get("id") or "")
                         or (types is not None and a.get("type_key") in types))


def same_jurisdiction(a: dict[str, Any], jurisdiction: str) -> bool:
    key = slug(jurisdiction)
    return str(a.get("id") or "").endswith("@" + key) or slug(str(a.get("jurisdiction") or "")) == key


def all_agencies(store: Store) -> list[dict[str, Any]]:
    rows = store.run(f"MATCH (a:Agency) OPTIONAL MATCH (a)-[r:{ROLE_PATTERN}]->(t) "
                     "RETURN properties(a) AS a, count(DISTINCT t) AS n", {})
    out = []
    for r in rows:
        if r.get("a"):
            out.append({**r["a"], "tasks": r.get("n") or 0})
    return out


def role(rel: str, props: dict[str, Any]) -> Role:
    return Role(role=ROLE_NAMES.get(rel, rel.lower()), clause=props.get("clause"), quote=props.get("quote"),
                line=props.get("line"), via_reference=bool(props.get("via_reference")), broken=bool(props.get("broken")))


@router.get("", response_model=AgencyList, summary="List or search agencies")
def list_agencies(
    store: Store,
    q: Annotated[str | None, Query(description="search: name, abbreviation or type, with or without diacritics "
                                                "('Sở Thông tin', 'so thong tin', 'DIC', 'dic')")] = None,
    jurisdiction: Annotated[str | None, Query(description="province/district ('Tiền Giang', 'tien-giang')")] = None,
    type: Annotated[str | None, Query(description="agency type key (dic, dpi, ...)")] = None,
    with_tasks: Annotated[bool, Query(description="only agencies with at least one task role")] = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AgencyList:
    agencies = all_agencies(store)
    if q:
        types = _catalog_types(q)
        agencies = [a for a in agencies if matches(a, q, types)]
    if jurisdiction:
        agencies = [a for a in agencies if same_jurisdiction(a, jurisdiction)]
    if type:
        agencies = [a for a in agencies if str(a.get("type_key") or "").lower() == type.lower()]
    if with_tasks:
        agencies = [a for a in agencies if a["tasks"]]
    agencies.sort(key=lambda a: (-a["tasks"], str(a.get("name") or ""), a["id"]))
    page = agencies[offset: offset + limit]
    return AgencyList(total=len(agencies), offset=offset, limit=limit, items=[AgencySummary(**a) for a in page])


@router.get("/{agency_id:path}", response_model=AgencyDetail, responses=responses("agency"),
            summary="One agency with the tasks it has a role on")
def get_agency(agency_id: str, store: Store) -> AgencyDetail:
    rows = store.run("MATCH (a:Agency {id: $id}) RETURN properties(a) AS a", {"id": agency_id})
    if not rows:
        raise not_found("agency", agency_id)
    agency = rows[0]["a"] or {"id": agency_id}
    links = store.run(
        f"MATCH (a:Agency {{id: $id}})-[r:{ROLE_PATTERN}]->(t) "
        "RETURN type(r) AS rel, properties(r) AS r, t.id AS id, labels(t) AS labels, t.doc_id AS doc_id, "
        "t.path AS path, coalesce(t.title, t.raw) AS title",
        {"id": agency_id})
    tasks: dict[str, AgencyTask] = {}
    for link in links:
        props = link.get("r") or {}
        task = tasks.get(link["id"])
        if task is None:
            labels = link.get("labels") or []
            task = tasks[link["id"]] = AgencyTask(
                id=link["id"], doc_id=link.get("doc_id") or props.get("doc_id"), path=link.get("path"),
                title=link.get("title"), missing="Missing" in labels, roles=[])
        task.roles.append(role(link["rel"], props))
    for t in tasks.values():
        t.roles.sort(key=lambda r: (ROLE_ORDER.get(r.role, 9), r.clause or ""))
    ordered = sorted(tasks.values(), key=lambda t: (t.doc_id or "", t.path or "", t.id))
    return AgencyDetail(**{**agency, "tasks": len(ordered), "responsibilities": ordered})
