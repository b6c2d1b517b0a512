"""Legal-basis checks across the corpus.

legal_inconsistent (warning): the same document number cited with different dates or
different issuers. National numbers (749/QĐ-TTg) are compared across the whole corpus; local
numbers (…/KH-UBND, …-NQ/TU, …/KH-BĐHCĐS) repeat across provinces, so they are compared only
between citations made in the same jurisdiction. The registry (loaders/data/legal_registry.yaml)
is the reference where it knows the date; otherwise the most common stated value is. A finding
is placed on each document where a deviating citation stands, listing every statement.
Issuers are compared by the agency type they resolve to in the catalog ("Ban Thường vụ Tỉnh
ủy" = "Tỉnh ủy"), falling back to folded text with place names removed; a missing date or
issuer never counts as a difference.

legal_unresolved (warning): a citation whose number could not be established (a short form
such as "Quyết định 749" that is not in the registry: LegalCitation.number is None, or the
report dropped it with kind "legal").
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from loaders.models import LegalCitation, ParsedDocument
from loaders.text import fold, slug

from .common import document_node, section_id, sentence_around
from .models import Finding, Kind, Severity, squash


def _registry():
    try:
        from loaders.legal import LegalRegistry
        return LegalRegistry.load()
    except Exception:  # noqa: BLE001
        return None


def jurisdiction_key(doc: ParsedDocument) -> str | None:
    ident = doc.identity
    if ident.jurisdiction_level == "national":
        return "national"
    return slug(ident.jurisdiction) if ident.jurisdiction else None


def is_local(c: LegalCitation, registry: Any | None) -> bool:
    code = c.issuer_code
    if not code and c.number and "-" in c.number:
        code = c.number.rsplit("-", 1)[1]
    code = (code or "").split("/")[-1].strip()
    try:
        from graph.build import is_local_number
        if c.number and is_local_number(c.number, c.issuer_code):
            return True
    except Exception:  # noqa: BLE001
        pass
    issuers = getattr(registry, "issuers", None) or {}
    if code in issuers:
        return not issuers[code].get("national", False)
    return fold(code) in {"ubnd", "hdnd", "tu", "hu", "du", "bcd", "bdhcds", "bcdcds"} or bool(
        re.match(r"^S[A-ZĐ]{2,}$", code))


def citation_key(doc: ParsedDocument, c: LegalCitation, registry: Any | None) -> str | None:
    if not c.number:
        return None
    if is_local(c, registry):
        jk = jurisdiction_key(doc)
        return f"{c.number}@{jk}" if jk and jk != "national" else f"{c.number}@{doc.doc_id}"
    return c.number


_PLACE_TAIL = re.compile(r"\s+(?:tinh|huyen|thanh pho|thi xa|tp\.?)\s+.*$")


_TITLE_PREFIX = re.compile(r"^(?:Bộ trưởng|Chủ tịch|Ban Thường vụ|Thường trực|Giám đốc)\s+(?=\S)", re.IGNORECASE)


def issuer_key(issuer: str, catalog: Any | None, jurisdiction: str | None) -> str:
    """Comparable form of an issuer: the catalog type it resolves to, else folded text.

    The office signing for a body counts as the body ("Bộ trưởng Bộ TT&TT" = "Bộ TT&TT",
    "Chủ tịch UBND tỉnh" = "UBND tỉnh"); "Thủ tướng Chính phủ" stays distinct from "Chính phủ"."""
    issuer = _TITLE_PREFIX.sub("", issuer.strip())
    if catalog is not None:
        try:
            ref = catalog.match(issuer, default_jurisdiction=jurisdiction)
        except Exception:  # noqa: BLE001
            ref = None
        if ref is not None and getattr(ref, "catalogued", False):
            return f"type:{ref.type_key}"
    f = fold(issuer)
    f = f.replace("uy ban nhan dan", "ubnd")
    if jurisdiction:
        f = f.replace(" " + fold(jurisdiction), "")
    return "text:" + _PLACE_TAIL.sub("", f).strip()


def _fmt_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d):02d}/{int(m):02d}/{y}"


def check_legal(docs: list[ParsedDocument], catalog: Any | None = None) -> list[Finding]:
    registry = _registry()
    known = getattr(registry, "documents", None) or {}
    cites: dict[str, list[tuple[ParsedDocument, LegalCitation]]] = defaultdict(list)
    out: list[Finding] = []
    for doc in docs:
        for c in doc.legal:
            key = citation_key(doc, c, registry)
            if key is not None:
                cites[key].append((doc, c))
        out.extend(_unresolved(doc))
    for key, items in cites.items():
        number = items[0][1].number
        reg = known.get(number) if not key.count("@") else None
        out.extend(_compare(key, number, items, "date", reg.date if reg is not None and reg.date else None,
                            lambda d, c: c.date, _fmt_date))
        jur = {id(d): d.identity.jurisdiction for d, _ in items}
        out.extend(_compare(key, number, items, "issuer",
                            issuer_key(reg.issuer, catalog, None) if reg is not None and reg.issuer else None,
                            lambda d, c: issuer_key(c.issuer, catalog, jur[id(d)]) if c.issuer else None,
                            None, display=lambda d, c: c.issuer or "",
                            truth_display=reg.issuer if reg is not None else None))
    return out


def _compare(key, number, items, what, truth, value_of, fmt, display=None, truth_display=None) -> list[Finding]:
    stated = [(d, c, value_of(d, c)) for d, c in items]
    stated = [(d, c, v) for d, c, v in stated if v]
    values = {v for _, _, v in stated}
    if truth is None:
        if len(values) < 2:
            return []
        counts = Counter(v for _, _, v in stated).most_common()
        truth = counts[0][0] if counts[0][1] > counts[1][1] else None
    elif all(v == truth for v in values):
        return []
    show = display or (lambda d, c: fmt(value_of(d, c)) if fmt else value_of(d, c))
    listing = "; ".join(f"{d.doc_id} {c.section or '-'}: {show(d, c)}" for d, c, _ in stated)
    deviating = [(d, c) for d, c, v in stated if truth is None or v != truth]
    right = next((show(d, c) for d, c, v in stated if v == truth), None)
    from_registry = truth is not None and not any(v == truth for _, _, v in stated)
    if right is None and truth is not None:
        right = truth_display or (fmt(truth) if fmt else truth)
    out, seen = [], set()
    for d, c in deviating:
        if d.doc_id in seen:
            continue
        seen.add(d.doc_id)
        sec = d.sections.get(c.section or "")
        if right and from_registry:
            suggestion = f"check the {what} of {number}: the legal registry has {right}"
        elif right:
            suggestion = f"check the {what} of {number}: {right} elsewhere"
        else:
            suggestion = f"check the {what} of {number}: the corpus states different values"
        out.append(Finding(
            Kind.LEGAL_INCONSISTENT, Severity.WARNING, d.doc_id, c.section, sentence_around(d, c.span, sec),
            number, suggestion,
            f"{number} cited with different {what}s" + (f" (compared within {key.split('@', 1)[1]})" if "@" in key else "")
            + f": {listing}" + (f"; legal registry: {right}" if from_registry else ""),
            d.line_of(c.span.start), (),
            (section_id(d.doc_id, c.section),) if sec is not None else (document_node(d.doc_id),),
        ))
    return out


def _unresolved(doc: ParsedDocument) -> list[Finding]:
    out, seen = [], set()
    for c in doc.legal:
        if c.number:
            continue
        seen.add((squash(c.raw, None), c.section))
        sec = doc.sections.get(c.section or "")
        out.append(Finding(
            Kind.LEGAL_UNRESOLVED, Severity.WARNING, doc.doc_id, c.section, sentence_around(doc, c.span, sec),
            squash(c.raw, 80), "cite the full number (e.g. “Quyết định số 749/QĐ-TTg ngày 03/6/2020”) "
            "or add the document to loaders/data/legal_registry.yaml",
            f"short form “{squash(c.raw, 80)}” names no number the registry knows", doc.line_of(c.span.start), (),
            (section_id(doc.doc_id, c.section),) if sec is not None else (document_node(doc.doc_id),),
        ))
    for dr in doc.report.dropped:
        if dr.kind != "legal" or (squash(dr.text, None), dr.section) in seen:
            continue
        seen.add((squash(dr.text, None), dr.section))
        sec = doc.sections.get(dr.section or "")
        out.append(Finding(
            Kind.LEGAL_UNRESOLVED, Severity.WARNING, doc.doc_id, dr.section, squash(dr.text), squash(dr.text, 80),
            "cite the full number or add the document to the legal registry", dr.reason, dr.line, (),
            (section_id(doc.doc_id, dr.section),) if sec is not None else (document_node(doc.doc_id),),
        ))
    return out
