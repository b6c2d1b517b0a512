"""ParsedDocument -> GraphBatch, per graph/schema.yaml and the ids of docs/CONTRACTS.md.

Everything a document contributes is one `GraphBatch`: owned nodes (Document, Section,
Section:Task, Missing, Target) carry `doc_id` and provenance; shared nodes (Agency,
AgencyType, LegalBasis, Indicator) are merged across documents. Property values are
primitives or lists of primitives (dicts are flattened to JSON strings), None is dropped.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Iterable

from loaders.models import (
    AgencyRef,
    LegalCitation,
    LegalRelation,
    ParsedDocument,
    RefStatus,
    Role,
    Span,
)
from loaders.text import fold, slug

from .batch import GraphBatch

QUOTE_MAX = 300
CATALOG_DOC_ID = "__catalog__"

ROLE_EDGE: dict[Role, str] = {
    Role.LEAD: "LEADS",
    Role.COORDINATE: "COORDINATES",
    Role.FOCAL_POINT: "FOCAL_POINT",
    Role.ADVISE: "ADVISES",
    Role.STEER: "STEERS",
}

# Issuer codes of provincial/district bodies: their document numbers repeat across
# jurisdictions ("605/QĐ-UBND" exists in every province), so they are qualified.
_LOCAL_ISSUERS = {"ubnd", "hdnd", "tu", "hu", "du", "bcd", "vpubnd", "ttg-ubnd"}
_DEPARTMENT_CODE = re.compile(r"^S[A-ZĐ]{2,}$")   # STTTT, SKHĐT, SNN: provincial departments


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Drop None, flatten dicts to JSON, turn enums into their values, tuples into lists."""
    out: dict[str, Any] = {}
    for k, v in props.items():
        if v is None:
            continue
        if hasattr(v, "value") and not isinstance(v, (int, float, str, bool)):
            v = v.value
        elif isinstance(v, dict):
            if not v:
                continue
            v = json.dumps(v, ensure_ascii=False, sort_keys=False)
        elif isinstance(v, (list, tuple, set)):
            v = [x.value if hasattr(x, "value") and not isinstance(x, (int, float, str, bool)) else x for x in v]
        out[k] = v
    return out


def _quote(text: str) -> str:
    return text[:QUOTE_MAX]


def jurisdiction_key_of(doc: ParsedDocument) -> str | None:
    ident = doc.identity
    if ident.jurisdiction_level == "national":
        return "national"
    if ident.jurisdiction:
        return slug(ident.jurisdiction) or None
    return None


def _scope_of(key: str) -> str | None:
    return key.rsplit("@", 1)[1] if "@" in key else None


def is_local_number(number: str, issuer_code: str | None) -> bool:
    code = issuer_code
    if not code and "-" in number:
        code = number.rsplit("-", 1)[1]
    if not code:
        return False
    code = code.split("/")[-1].strip()
    return fold(code) in _LOCAL_ISSUERS or bool(_DEPARTMENT_CODE.match(code))


def legal_basis_id(citation: LegalCitation, jurisdiction_key: str | None) -> str | None:
    """National numbers stand alone; local ones are qualified with the citing jurisdiction."""
    if not citation.number:
        return None
    if jurisdiction_key and jurisdiction_key != "national" and is_local_number(citation.number, citation.issuer_code):
        return f"{citation.number}@{jurisdiction_key}"
    return citation.number


class _Provenance:
    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        self._newlines = [i for i, ch in enumerate(doc.text) if ch == "\n"]

    def line(self, offset: int) -> int:
        from bisect import bisect_left
        return bisect_left(self._newlines, offset) + 1

    def of(self, span: Span, quote: str | None = None) -> dict[str, Any]:
        q = quote if quote is not None else self.doc.text[span.start:span.end]
        return {"doc_id": self.doc.doc_id, "start": span.start, "end": span.end,
                "line": self.line(span.start), "quote": _quote(q)}


def _agency_props(ref: AgencyRef) -> dict[str, Any]:
    names = [ref.name, ref.abbr, ref.name_en]
    return _clean({
        "type_key": ref.type_key,
        "name": ref.name,
        "name_en": ref.name_en,
        "abbr": ref.abbr,
        "jurisdiction": ref.jurisdiction,
        "jurisdiction_key": _scope_of(ref.key),
        "collective": bool(ref.collective),
        "catalogued": bool(ref.catalogued),
        "search_text": " | ".join(fold(n) for n in names if n),
    })


def _resolve_issuer(doc: ParsedDocument, catalog: Any) -> AgencyRef | None:
    """The issuing agency: from the catalog when it can resolve a mention, else skipped."""
    issuer = doc.identity.issuer
    if not issuer or catalog is None:
        return None
    for name in ("resolve", "match", "lookup"):
        fn = getattr(catalog, name, None)
        if not callable(fn):
            continue
        for args in ((issuer, doc.identity.jurisdiction), (issuer,)):
            try:
                found = fn(*args)
            except TypeError:
                continue
            except Exception:  # a catalog that cannot resolve this mention
                return None
            if isinstance(found, (list, tuple)):
                found = found[0] if found else None
            if found is not None and hasattr(found, "key") and hasattr(found, "type_key"):
                return found
            return None
    return None


def build_batch(doc: ParsedDocument, catalog: Any = None) -> GraphBatch:
    """Everything one document contributes to the graph."""
    b = GraphBatch(doc.doc_id)
    did = doc.doc_id
    prov = _Provenance(doc)
    jkey = jurisdiction_key_of(doc)
    ident = doc.identity
    sid = lambda path: f"{did}#{path}"  # noqa: E731
    mid = lambda path: f"{did}#missing:{path}"  # noqa: E731
    doc_ref = ("Document", did)

    broken_refs = sum(r.status is RefStatus.BROKEN for r in doc.references)
    b.node(("Document",), did, **_clean({
        "doc_id": did, "number": ident.number, "doc_type": ident.doc_type, "issuer": ident.issuer,
        "jurisdiction": ident.jurisdiction, "jurisdiction_key": jkey, "jurisdiction_level": ident.jurisdiction_level,
        "place": ident.place, "date": ident.date, "title": ident.title, "source": doc.source,
        "sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        "sections": len(doc.sections), "references_broken": broken_refs,
    }))

    # --- sections and tasks -----------------------------------------------------------------
    tasks = {t.path: t for t in doc.tasks}
    sibling: dict[str | None, int] = {}
    for path, sec in doc.sections.items():
        props = _clean({
            "doc_id": did, "path": path, "kind": sec.kind, "label": sec.label, "title": sec.title,
            "body": sec.body, "cells": sec.cells or None, "start": sec.span.start, "end": sec.span.end,
            "line": sec.line, "order": sec.order, "quote": _quote(sec.text),
        })
        labels: tuple[str, ...] = ("Section",)
        task = tasks.get(path)
        if task is not None:
            labels = ("Section", "Task")
            props.update(_clean({
                "deadline_text": task.deadline_text, "period_start": task.period_start,
                "period_end": task.period_end, "recurrence": task.recurrence, "task_source": task.source,
            }))
            if not props.get("title") and task.title:
                props["title"] = task.title
        b.node(labels, sid(path), **props)
        parent = sec.parent if sec.parent in doc.sections else None
        position = sibling.get(parent, 0)
        sibling[parent] = position + 1
        src = ("Section", sid(parent)) if parent else doc_ref
        b.edge("HAS_SECTION", src, ("Section", sid(path)), doc_id=did, order=position)

    missing: dict[str, str] = {}   # path -> raw

    def missing_node(path: str, raw: str) -> tuple[str, str]:
        if path not in missing:
            missing[path] = raw
            b.node(("Missing",), mid(path), **_clean({"doc_id": did, "path": path, "raw": _quote(raw)}))
        return ("Missing", mid(path))

    for path, task in tasks.items():
        if path not in doc.sections:
            missing_node(path, task.title)

    # --- references -------------------------------------------------------------------------
    for ref in doc.references:
        if ref.source not in doc.sections:
            continue
        common = {**prov.of(ref.span, ref.raw), "status": ref.status.value, "raw": ref.raw,
                  "target_path": ref.target_path, "group_index": ref.group_index}
        src = ("Section", sid(ref.source))
        targets = [t for t in ref.targets if t in doc.sections]
        if ref.status is RefStatus.BROKEN or not targets:
            status = ref.status.value if ref.status is RefStatus.BROKEN else RefStatus.BROKEN.value
            b.edge("REFERENCES", src, missing_node(ref.target_path, ref.raw), **{**common, "status": status})
        else:
            for t in targets:
                b.edge("REFERENCES", src, ("Section", sid(t)), **common)

    # --- agencies and roles -----------------------------------------------------------------
    agencies: dict[str, AgencyRef] = dict(doc.agencies)
    for a in doc.assignments:
        agencies.setdefault(a.agency.key, a.agency)
    issuer_ref = _resolve_issuer(doc, catalog)
    if issuer_ref is not None:
        agencies.setdefault(issuer_ref.key, issuer_ref)
    type_keys: set[str] = set()
    for key, ref in agencies.items():
        b.node(("Agency",), key, owned=False, **_agency_props(ref))
        if ref.catalogued and ref.type_key:
            type_keys.add(ref.type_key)
            b.edge("OF_TYPE", ("Agency", key), ("AgencyType", ref.type_key))
    if catalog is not None:
        types = getattr(catalog, "types", {}) or {}
        for tk in sorted(type_keys):
            if tk in types:
                t = types[tk]
                b.node(("AgencyType",), tk, owned=False, **_agency_type_props(t))
    if issuer_ref is not None:
        b.edge("ISSUED_BY", doc_ref, ("Agency", issuer_ref.key), doc_id=did, quote=_quote(ident.issuer or ""))

    for a in doc.assignments:
        task_path = a.task[len("missing:"):] if a.task and a.task.startswith("missing:") else a.task
        if not task_path:
            target = doc_ref
        elif task_path in doc.sections and not a.broken:
            target = ("Section", sid(task_path))
        else:
            target = missing_node(task_path, a.quote)
        broken = a.broken or target[0] == "Missing"
        b.edge(ROLE_EDGE[Role(a.role)], ("Agency", a.agency.key), target, **{
            **prov.of(a.span, a.quote), "clause": a.clause, "via_reference": bool(a.via_reference),
            "broken": bool(broken)})

    # --- targets ----------------------------------------------------------------------------
    per_section: dict[str, int] = {}
    indicators: set[str] = set()
    for t in doc.targets:
        n = per_section.get(t.section, 0) + 1
        per_section[t.section] = n
        tid = f"{did}#{t.section}:t{n}"
        b.node(("Target",), tid, **_clean({
            **prov.of(t.span, t.quote), "path": t.section, "indicator": t.indicator,
            "indicator_key": t.indicator_key, "comparator": t.comparator, "value": float(t.value),
            "value_max": None if t.value_max is None else float(t.value_max), "unit": t.unit, "year": t.year,
            "baseline": t.baseline,
        }))
        src = ("Section", sid(t.section)) if t.section in doc.sections else doc_ref
        b.edge("HAS_TARGET", src, ("Target", tid), doc_id=did)
        if t.indicator_key:
            if t.indicator_key not in indicators:
                indicators.add(t.indicator_key)
                b.node(("Indicator",), t.indicator_key, owned=False, name=t.indicator)
            b.edge("MEASURES", ("Target", tid), ("Indicator", t.indicator_key), doc_id=did)

    # --- legal bases ------------------------------------------------------------------------
    bases: set[str] = set()
    for c in doc.legal:
        lid = legal_basis_id(c, jkey)
        if lid is None:
            continue
        if lid not in bases:
            bases.add(lid)
            b.node(("LegalBasis",), lid, owned=False, **_clean({
                "number": c.number, "doc_type": c.doc_type, "issuer_code": c.issuer_code, "issuer": c.issuer,
                "date": c.date, "title": c.title}))
        rel = "IMPLEMENTS" if c.relation is LegalRelation.IMPLEMENTS else "CITES"
        b.edge(rel, doc_ref, ("LegalBasis", lid), **_clean({**prov.of(c.span, c.raw), "section": c.section}))
    return b


def _agency_type_props(t: Any) -> dict[str, Any]:
    return _clean({
        "name": getattr(t, "name", None), "name_en": getattr(t, "name_en", None),
        "abbr": getattr(t, "abbr", None), "level": getattr(t, "level", None),
        "collective": bool(getattr(t, "collective", False)),
    })


def catalog_batch(catalog: Any) -> GraphBatch:
    """AgencyType nodes and SUCCEEDED_BY edges: shared data, written with `write_shared`."""
    b = GraphBatch(CATALOG_DOC_ID)
    types = getattr(catalog, "types", {}) or {}
    for key in sorted(types):
        b.node(("AgencyType",), key, owned=False, **_agency_type_props(types[key]))
    for key in sorted(types):
        for s in getattr(types[key], "successors", None) or ():
            succ = getattr(s, "type_key", None)
            if succ and succ in types:
                b.edge("SUCCEEDED_BY", ("AgencyType", key), ("AgencyType", succ),
                       **_clean({"date": getattr(s, "date", None), "note": getattr(s, "note", None)}))
    return b


def batch_stats(batch: GraphBatch) -> dict[str, int]:
    """Counts by label and type, for reports and tests."""
    out: dict[str, int] = {}
    for n in batch.nodes:
        out[":".join(n.labels)] = out.get(":".join(n.labels), 0) + 1
    for e in batch.edges:
        out[e.type] = out.get(e.type, 0) + 1
    return out


def iter_props(batch: GraphBatch) -> Iterable[tuple[str, str, Any]]:
    for n in batch.nodes:
        for k, v in n.props.items():
            yield ":".join(n.labels), k, v
    for e in batch.edges:
        for k, v in e.props.items():
            yield e.type, k, v
