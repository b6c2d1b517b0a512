"""Responsibility checks: tasks without a lead, tasks with several, reorganised lead agencies.

task_no_lead: a task (doc.tasks) with no LEAD assignment on itself or an enclosing section
("Các sở, ban, ngành chủ trì ... mục II" leads every point of II). Tasks whose assignee
acts itself (steer, advise, focal point: "Tham mưu UBND tỉnh ...") are not gaps. A task with
coordinators only is a gap: warning, unless the clause names the partner ("Phối hợp với Sở
TT&TT ..."): then the lead is implied, the finding is info and the partner is suggested.

task_multiple_leads (info): several agencies lead the same task. Joint leads are normal
(appendix rows "Sở Tài chính; Sở TT&TT", "Các sở, ban, ngành; UBND các cấp"); the finding
is a note for whoever tracks accountability.

agency_reorganised (info): a lead agency whose type has catalog successors (2025
reorganisation: DIC -> DOST, DPI -> DOF, DOT -> Construction, DARD/DONRE -> Agriculture and
Environment, DOLISA -> Home Affairs). One finding per agency per document, on its first
led clause; the successor is the suggestion and every led task is listed as evidence.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from loaders.models import AgencyRef, ParsedDocument, Role

from .common import agency_label, clause_quote, describe, document_node, section_id
from .models import Finding, Kind, Severity

_PARTNER = re.compile(r"phối hợp\s+(?:với\s+)?", re.IGNORECASE)
_SELF_ACTING = {Role.STEER, Role.ADVISE, Role.FOCAL_POINT}


def _leads(doc: ParsedDocument) -> dict[str, list[AgencyRef]]:
    out: dict[str, list[AgencyRef]] = defaultdict(list)
    for a in doc.assignments:
        if a.role is Role.LEAD and all(r.key != a.agency.key for r in out[a.task]):
            out[a.task].append(a.agency)
    return out


def _ancestor_lead(doc: ParsedDocument, path: str, leads: dict[str, list[AgencyRef]]) -> str | None:
    sec = doc.sections.get(path)
    seen = set()
    while sec is not None and sec.path not in seen:
        seen.add(sec.path)
        if leads.get(sec.path):
            return sec.path
        sec = doc.sections.get(sec.parent or "")
    return None


def _about(doc: ParsedDocument, path: str) -> tuple[str, str]:
    return section_id(doc.doc_id, path) if path in doc.sections else document_node(doc.doc_id)


def _partners(doc: ParsedDocument, path: str, catalog: Any | None, exclude: set[str]) -> list[AgencyRef]:
    sec = doc.sections.get(path)
    if sec is None or catalog is None:
        return []
    text = sec.text
    m = _PARTNER.search(text)
    if not m:
        return []
    after = text[m.end():m.end() + 200]
    if not re.match(r"\s*(?:các\s+)?(?:Sở|Ban|Văn phòng|UBND|Ủy ban|Uỷ ban|Phòng|Trung tâm|Công an|Bộ)", after):
        return []
    try:
        found = catalog.find_mentions(after, doc.identity.jurisdiction, uncatalogued=False)
    except Exception:  # noqa: BLE001
        return []
    out = []
    for start, _end, ref in found:
        if start > 120 or ref.key in exclude or ref.type_key in exclude or ref.collective or any(r.key == ref.key for r in out):
            continue
        out.append(ref)
    return out[:1]


def check_responsibilities(doc: ParsedDocument, catalog: Any | None = None) -> list[Finding]:
    did = doc.doc_id
    leads = _leads(doc)
    roles: dict[str, list] = defaultdict(list)
    for a in doc.assignments:
        roles[a.task].append(a)
    out: list[Finding] = []
    for task in doc.tasks:
        path = task.path
        mine = roles.get(path, [])
        if not _ancestor_lead(doc, path, leads):
            if any(a.role in _SELF_ACTING for a in mine):
                pass
            else:
                coords = [a.agency for a in mine if a.role is Role.COORDINATE]
                partner = _partners(doc, path, catalog, {c.key for c in coords} | {c.type_key for c in coords})
                names = ", ".join(dict.fromkeys(agency_label(c) for c in coords)) or "none"
                sec = doc.sections.get(path)
                if partner:
                    sev = Severity.INFO
                    sug = f"lead implied: {agency_label(partner[0])} (named as the partner, “phối hợp với”); state it as chủ trì"
                else:
                    sev = Severity.WARNING
                    sug = "name the lead (chủ trì) agency for this task"
                out.append(Finding(
                    Kind.TASK_NO_LEAD, sev, did, path, clause_quote(doc, path) or task.title, path, sug,
                    f"no lead on {path} or an enclosing section; coordinators: {names}",
                    sec.line if sec is not None else None,
                    tuple(dict.fromkeys([c.key for c in coords] + [p.key for p in partner])), (_about(doc, path),),
                ))
        own = leads.get(path, [])
        if len(own) > 1:
            clauses = list(dict.fromkeys(a.clause for a in mine if a.role is Role.LEAD))
            sec = doc.sections.get(clauses[0] if clauses else path)
            out.append(Finding(
                Kind.TASK_MULTIPLE_LEADS, Severity.INFO, did, clauses[0] if clauses else path,
                clause_quote(doc, clauses[0] if clauses else path) or task.title, path,
                "joint lead: say which agency is accountable, or split the task",
                f"{len(own)} leads on {describe(doc, path)}: " + ", ".join(agency_label(r) for r in own),
                sec.line if sec is not None else None, tuple(r.key for r in own),
                tuple(dict.fromkeys([_about(doc, path)] + [_about(doc, c) for c in clauses])),
            ))
    out.extend(_reorganised(doc, catalog))
    return out


def _reorganised(doc: ParsedDocument, catalog: Any | None) -> list[Finding]:
    types = getattr(catalog, "types", None) or {}
    if not types:
        return []
    did = doc.doc_id
    led: dict[str, list] = defaultdict(list)
    for a in doc.assignments:
        if a.role is Role.LEAD and a.agency.catalogued and a.agency.type_key in types:
            led[a.agency.key].append(a)
    out = []
    for key, assigns in led.items():
        ref = assigns[0].agency
        t = types[ref.type_key]
        succ = list(getattr(t, "successors", None) or [])
        if not succ:
            continue
        first = min(assigns, key=lambda a: a.span.start)
        names = []
        for s in succ:
            st = types.get(s.type_key)
            label = f"{st.name} ({st.abbr})" if st is not None and getattr(st, "abbr", None) else (
                st.name if st is not None else s.type_key)
            names.append(label + (f" from {s.date}" if s.date else "") + (f": {s.note}" if s.note else ""))
        doc_date = doc.identity.date
        when = ("the plan predates it" if doc_date and all((s.date or "") > doc_date for s in succ)
                else "the plan names the old body")
        tasks = list(dict.fromkeys(a.task for a in assigns))
        sec = doc.sections.get(first.clause)
        out.append(Finding(
            Kind.AGENCY_REORGANISED, Severity.INFO, did, first.clause, clause_quote(doc, first.clause) or first.quote,
            key, "successor: " + "; ".join(names),
            f"{agency_label(ref)} leads {len(tasks)} task(s): {', '.join(tasks[:12])}{', …' if len(tasks) > 12 else ''}; "
            f"2025 reorganisation ({when})",
            sec.line if sec is not None else doc.line_of(first.span.start), (key,),
            tuple(dict.fromkeys(section_id(did, c) if c in doc.sections else document_node(did)
                                for c in dict.fromkeys(a.clause for a in assigns)))[:25],
        ))
    return out
