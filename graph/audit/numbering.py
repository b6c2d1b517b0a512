"""Numbering anomalies (from the structure stage, `doc.anomalies`) as findings.

Severity: info for all of them. They are nits of drafting; their consequences for the
plan's meaning are reported separately and more severely (a repeated label that a clause
points at is an ambiguous reference, a skipped one it points at a broken reference).

Kinds: numbering_skipped (15 -> 17), numbering_skipped_dd (a lone missing "đ", very common
in drafts that treat đ as d), numbering_repeated (a second "c)"), numbering_invalid_letter
("f)" is not in the Vietnamese sequence), numbering_repeated_in_reference ("điểm c, d, d").
"""
from __future__ import annotations

from loaders.models import ParsedDocument

from .common import VI_LETTERS, clause_quote, document_node, section_id
from .models import Finding, Kind, Severity

_KINDS = {
    "skipped": Kind.NUMBERING_SKIPPED,
    "skipped_đ": Kind.NUMBERING_SKIPPED_DD,
    "skipped_dd": Kind.NUMBERING_SKIPPED_DD,
    "repeated": Kind.NUMBERING_REPEATED,
    "invalid_letter": Kind.NUMBERING_INVALID_LETTER,
    "repeated_in_reference": Kind.NUMBERING_REPEATED_IN_REFERENCE,
}


def relabel_plan(doc: ParsedDocument, parent_path: str) -> list[str]:
    """["c)(II.1.c(2)) → e)"]: the relabelling that puts the points under a parent in sequence."""
    parent = doc.sections.get(parent_path)
    if parent is None:
        return []
    points = [doc.sections[p] for p in parent.children if p in doc.sections and doc.sections[p].kind.value == "diem"]
    out = []
    for i, p in enumerate(points[:len(VI_LETTERS)]):
        if p.label != VI_LETTERS[i]:
            out.append(f"{p.path} “{p.label})” → “{VI_LETTERS[i]})”")
    return out


def _suggest(doc: ParsedDocument, kind: str, path: str) -> str | None:
    sec = doc.sections.get(path)
    if kind == Kind.NUMBERING_SKIPPED:
        return "renumber the items, or restore the missing one"
    if kind == Kind.NUMBERING_SKIPPED_DD:
        return "insert “đ)” or relabel the points from the gap on (đ comes between d and e)"
    if kind in (Kind.NUMBERING_REPEATED, Kind.NUMBERING_INVALID_LETTER) and sec is not None and sec.parent:
        plan = relabel_plan(doc, sec.parent)
        if plan:
            return f"relabel the points under {sec.parent} in sequence: " + ", ".join(plan)
    if kind == Kind.NUMBERING_REPEATED_IN_REFERENCE:
        return "check which point the clause means (probably the next letter, e.g. “d, đ”)"
    return None


def check_numbering(doc: ParsedDocument) -> list[Finding]:
    out = []
    did = doc.doc_id
    for a in doc.anomalies:
        kind = _KINDS.get(a.kind, f"numbering_{a.kind}")
        sec = doc.sections.get(a.path)
        about = (section_id(did, a.path),) if sec is not None else (document_node(did),)
        out.append(Finding(
            kind, Severity.INFO, did, a.path, clause_quote(doc, a.path), a.path,
            _suggest(doc, kind, a.path), a.detail, a.line if a.line is not None else (sec.line if sec else None),
            (), about,
        ))
    return out
