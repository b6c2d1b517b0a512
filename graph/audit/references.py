"""Reference checks: broken, ambiguous and misdirected cross-references inside a plan.

Misdirected (warning) — the target exists but does not fit the clause. Two explainable rules:

* agency rule: an agency *leads through* the clause (an Assignment with `via_reference`,
  `role == lead` and `clause == reference.source`); its catalog domain words occur nowhere in
  the target (heading, body and sub-items), while a *sibling's heading* does contain one
  that is not a word of the plan's title or of the parent headings ("chuyển đổi số").
  The sibling is the suggestion. No matching sibling -> no finding (not enough evidence).
  Only clauses pointing at one target are judged: an agency handed a list of points
  ("theo dõi điểm a, b, c") has a cross-cutting role; siblings the clause already names
  are never suggested.
* field rule: the clause names a field ("trong lĩnh vực tài chính"); the field contains a
  catalog domain word and none of those words occurs in the target. The sibling whose
  heading names the field is the suggestion; when none does, the responsibility is
  orphaned and the finding says so.

Words are matched on lowercase NFC text with diacritics (so "giá" is not "gia"), as whole
words, old and new tone placement unified. Evidence lists the words that matched or failed.
A broken reference (error) gets the same sibling suggestion, falling back to the point
standing at the letter's position when the numbering under the parent is irregular.
"""
from __future__ import annotations

import re
from typing import Any

from loaders.models import Assignment, ParsedDocument, RefStatus, Reference, Role, Section

from .common import (VI_LETTERS, agency_label, describe, document_node, missing_id, norm, section_id,
                     sentence_around, subtree_text, words_in)
from .models import Finding, Kind, Severity

_FIELD = re.compile(
    r"lĩnh vực\s+(.+?)(?=\s+(?:được|đã|quy định|tại|nêu|theo|thuộc|của|do|để|nhằm|trong|ở|như)(?!\w)|[,.;:()\[\]]|$)")


class DomainIndex:
    """Catalog domain words: per agency type, and every word -> the types that own it."""

    def __init__(self, catalog: Any | None):
        self.catalog = catalog
        self.by_type: dict[str, list[str]] = {}
        self.owners: dict[str, list[str]] = {}
        types = getattr(catalog, "types", None) or {}
        for key, t in types.items():
            words = [] if getattr(t, "collective", False) else list(getattr(t, "domain_words", None) or [])
            self.by_type[key] = words
            for w in words:
                self.owners.setdefault(w, []).append(key)
        # longest first, so "thương mại điện tử" is reported before "thương mại"
        self.all_words = sorted(self.owners, key=len, reverse=True)

    def words_of(self, type_key: str) -> list[str]:
        return self.by_type.get(type_key, [])

    def topic(self, text: str, common: str = "", limit: int = 1) -> str:
        """'giao thông, vận tải, logistics (DOT)': which agency a heading is about.

        Words also found in `common` (the parent's heading: "lĩnh vực cần ưu tiên chuyển đổi
        số") say nothing about this point and are left out."""
        skip = set(words_in(norm(common), self.all_words)) if common else set()
        found = [w for w in words_in(norm(text), self.all_words) if w not in skip]
        if not found:
            return ""
        score: dict[str, list[str]] = {}
        for w in found:
            for k in self.owners[w]:
                score.setdefault(k, []).append(w)
        best = sorted(score.items(), key=lambda kv: -len(kv[1]))[:limit]
        types = getattr(self.catalog, "types", {})
        parts = []
        for k, ws in best:
            t = types.get(k)
            who = getattr(t, "abbr", None) or getattr(t, "name", k)
            parts.append(f"{', '.join(ws)} ({who})")
        return "; ".join(parts)


def _lead_assignments(doc: ParsedDocument, ref: Reference, task_paths: set[str]) -> list[Assignment]:
    out, seen = [], set()
    for a in doc.assignments:
        if a.clause != ref.source or not a.via_reference or a.role is not Role.LEAD:
            continue
        task = a.task[len("missing:"):] if a.task.startswith("missing:") else a.task
        if task in task_paths and a.agency.key not in seen:
            seen.add(a.agency.key)
            out.append(a)
    return out


def clause_field(doc: ParsedDocument, ref: Reference, index: DomainIndex) -> tuple[str, list[str]] | None:
    """The field the clause names before the mention ("lĩnh vực tài chính") and its domain words."""
    sec = doc.sections.get(ref.source)
    if sec is None:
        return None
    before = doc.text[sec.span.start:ref.span.start]
    before = re.split(r"[.;]\s", before)[-1]
    m = None
    for m in _FIELD.finditer(norm(before)):
        pass
    if m is None:
        return None
    phrase = m.group(1).strip()
    words = words_in(phrase, index.all_words)
    if not words:
        return None
    return phrase, words


def _siblings(doc: ParsedDocument, parent_path: str | None, exclude: str | set[str] | None) -> list[Section]:
    parent = doc.sections.get(parent_path or "")
    if parent is None:
        return []
    skip = {exclude} if isinstance(exclude, str) else set(exclude or ())
    return [doc.sections[p] for p in parent.children if p not in skip and p in doc.sections]


def _best_sibling(siblings: list[Section], words: list[str]) -> tuple[Section, list[str]] | None:
    best = None
    for s in siblings:
        hit = words_in(norm(s.title), words)
        if hit and (best is None or len(hit) > len(best[1])):
            best = (s, hit)
    return best


def _common_words(doc: ParsedDocument, parent_path: str | None, index: DomainIndex) -> set[str]:
    texts = [doc.identity.title or ""]
    sec = doc.sections.get(parent_path or "")
    while sec is not None:
        texts.append(sec.title)
        sec = doc.sections.get(sec.parent or "")
    return set(words_in(norm(" ".join(texts)), index.all_words))


def _short(words: list[str], n: int = 6) -> str:
    return ", ".join(words[:n]) + (", …" if len(words) > n else "")


def _positional(doc: ParsedDocument, parent_path: str, label: str) -> Section | None:
    """The point standing where `label` would be, when the labels under the parent are irregular."""
    sibs = _siblings(doc, parent_path, None)
    if not sibs or label not in VI_LETTERS:
        return None
    labels = [s.label for s in sibs]
    if labels == VI_LETTERS[:len(labels)]:
        return None
    idx = VI_LETTERS.index(label)
    return sibs[idx] if idx < len(sibs) else None


def _fit_checks(doc: ParsedDocument, ref: Reference, target: Section | None, parent_path: str | None,
                leads: list[Assignment], index: DomainIndex):
    """Run the agency and field rules. Returns (misfits, fits): lists of evidence tuples."""
    tnorm = norm(subtree_text(doc, target)) if target is not None else ""
    # a point the same clause already assigns is no alternative ("điểm a, b, c khoản 2")
    exclude = {t for r in doc.references if r.source == ref.source for t in r.targets}
    if target is not None:
        exclude.add(target.path)
    sibs = _siblings(doc, parent_path, exclude)
    misfits = []   # (who, words, suggestion Section|None, matched words, rule)
    fits = []
    common = _common_words(doc, parent_path, index)
    # a clause that hands one agency a list of points ("theo dõi điểm a, b, c") gives it a
    # cross-cutting role: the agency rule only judges clauses that point at one target
    listed = {t for r in doc.references if r.source == ref.source for t in (r.targets or [r.target_path])}
    if len(listed) > 1:
        leads = []
    for a in leads:
        words = index.words_of(a.agency.type_key)
        if not words:
            continue
        hit = words_in(tnorm, words) if target is not None else []
        if hit:
            fits.append((agency_label(a.agency), hit))
            continue
        # a sibling must match on a word that tells points apart: not one of the plan's
        # title or the parent headings ("chuyển đổi số" in a digital transformation plan)
        best = _best_sibling(sibs, [w for w in words if w not in common])
        if best is not None or target is None:
            misfits.append((a, words, best[0] if best else None, best[1] if best else [], "agency"))
    field = clause_field(doc, ref, index)
    if field is not None:
        phrase, fwords = field
        hit = words_in(tnorm, fwords + [phrase]) if target is not None else []
        if hit:
            fits.append((f"lĩnh vực {phrase}", hit))
        else:
            best = _best_sibling(sibs, fwords + [phrase])
            misfits.append((phrase, fwords, best[0] if best else None, best[1] if best else [], "field"))
    return misfits, fits


def _suggest_text(doc: ParsedDocument, misfits, parent_path: str | None,
                  leads: list[Assignment] = ()) -> tuple[str, list[str]]:
    """Suggestion sentence and the suggested paths."""
    parts, paths = [], []
    for who, _words, sib, _hit, rule in misfits:
        name = agency_label(who.agency) if rule == "agency" else f"lĩnh vực {who}"
        if sib is not None:
            if sib.path not in paths:
                paths.append(sib.path)
                parts.append(f"point to {describe(doc, sib.path)} instead (fits {name})")
        else:
            under = parent_path or "the parent"
            owner = ", ".join(agency_label(a.agency) for a in leads) or "the clause's"
            parts.append(f"no point under {under} is about {name}: orphaned responsibility of {owner} — "
                         f"add the missing point or re-point the clause")
    return "; ".join(dict.fromkeys(parts)), paths


def _misfit_evidence(doc: ParsedDocument, misfits, target_path: str, index: DomainIndex,
                     exists: bool = True) -> list[str]:
    ev = []
    for who, words, sib, hit, rule in misfits:
        tail = f": none in {target_path} (heading or body)" if exists else ""
        if rule == "agency":
            ev.append(f"lead {agency_label(who.agency)} (via this clause); domain words [{_short(words)}]{tail}")
        else:
            ev.append(f"clause names “lĩnh vực {who}” (domain words [{_short(words)}]){tail}")
        if sib is not None:
            ev.append(f"{sib.path} heading matches [{', '.join(hit)}]")
    return ev


def check_references(doc: ParsedDocument, catalog: Any | None = None,
                     index: DomainIndex | None = None) -> list[Finding]:
    index = index or DomainIndex(catalog)
    did = doc.doc_id
    out: list[Finding] = []
    for ref in doc.references:
        src = doc.sections.get(ref.source)
        quote = sentence_around(doc, ref.span, src)
        line = doc.line_of(ref.span.start)
        about_src = [section_id(did, ref.source)] if src is not None else [document_node(did)]
        if ref.status is RefStatus.BROKEN:
            parent_path, _, label = ref.target_path.rpartition(".")
            parent_path = parent_path or None
            leads = _lead_assignments(doc, ref, {ref.target_path})
            misfits, _ = _fit_checks(doc, ref, None, parent_path, leads, index)
            misfits = [m for m in misfits if m[2] is not None]
            suggestion, paths = _suggest_text(doc, misfits, parent_path, leads)
            sibs = _siblings(doc, parent_path, None)
            ev = [f"no section {ref.target_path} in the document"]
            if sibs:
                ev.append(f"under {parent_path}: {', '.join(s.label for s in sibs)}")
            ev += _misfit_evidence(doc, misfits, ref.target_path, index, exists=False)
            if not paths and parent_path:
                pos = _positional(doc, parent_path, label)
                if pos is not None:
                    paths.append(pos.path)
                    suggestion = (f"by position, the point where “{label})” would stand is {describe(doc, pos.path)} "
                                  f"(labelled “{pos.label})”)")
            out.append(Finding(
                Kind.BROKEN_REFERENCE, Severity.ERROR, did, ref.source, quote, ref.target_path,
                suggestion or None, "; ".join(ev), line, tuple(a.agency.key for a in leads),
                tuple(about_src + [missing_id(did, ref.target_path)] + [section_id(did, p) for p in paths]),
            ))
        elif ref.status is RefStatus.AMBIGUOUS:
            leads = _lead_assignments(doc, ref, set(ref.targets))
            ev = [f"“{ref.target_path.rpartition('.')[2]}” labels {len(ref.targets)} sections: "
                  + ", ".join(describe(doc, p) for p in ref.targets)]
            fitting = []
            for p in ref.targets:
                tsec = doc.sections.get(p)
                if tsec is None:
                    continue
                tnorm = norm(subtree_text(doc, tsec))
                for a in leads:
                    hit = words_in(tnorm, index.words_of(a.agency.type_key))
                    if hit:
                        fitting.append(p)
                        ev.append(f"{p} fits lead {agency_label(a.agency)} [{_short(hit, 4)}]")
                        break
            suggestion = None
            fitting = list(dict.fromkeys(fitting))
            if len(fitting) == 1:
                suggestion = f"the clause most likely means {describe(doc, fitting[0])}"
            relabel = []
            for p in ref.targets:
                tsec = doc.sections.get(p)
                if tsec is None or tsec.parent not in doc.sections:
                    continue
                sibs = _siblings(doc, tsec.parent, None)
                idx = [s.path for s in sibs].index(p)
                if tsec.label in VI_LETTERS and idx < len(VI_LETTERS) and VI_LETTERS[idx] != tsec.label:
                    relabel.append(f"{p} stands where “{VI_LETTERS[idx]})” would be")
            if relabel:
                suggestion = "; ".join(filter(None, [suggestion, "relabel the repeated point: " + "; ".join(relabel)]))
            out.append(Finding(
                Kind.AMBIGUOUS_REFERENCE, Severity.WARNING, did, ref.source, quote, ref.target_path,
                suggestion, "; ".join(ev), line, tuple(a.agency.key for a in leads),
                tuple(about_src + [section_id(did, p) for p in ref.targets if p in doc.sections]),
            ))
        elif ref.status is RefStatus.RESOLVED and len(ref.targets) == 1:
            tpath = ref.targets[0]
            target = doc.sections.get(tpath)
            if target is None:
                continue
            leads = _lead_assignments(doc, ref, {tpath})
            misfits, fits = _fit_checks(doc, ref, target, target.parent, leads, index)
            if not misfits:
                continue
            suggestion, paths = _suggest_text(doc, misfits, target.parent, leads)
            ev = _misfit_evidence(doc, misfits, tpath, index)
            parent = doc.sections.get(target.parent or "")
            topic = index.topic(target.title, parent.title if parent is not None else "")
            if topic:
                ev.insert(0, f"{describe(doc, tpath)} is about {topic}")
            for who, hit in fits:
                ev.append(f"fits {who} [{', '.join(hit)}]")
            out.append(Finding(
                Kind.MISDIRECTED_REFERENCE, Severity.WARNING, did, ref.source, quote, tpath,
                suggestion or None, "; ".join(ev), line,
                tuple(m[0].agency.key for m in misfits if m[4] == "agency") or tuple(a.agency.key for a in leads),
                tuple(about_src + [section_id(did, tpath)] + [section_id(did, p) for p in paths]),
            ))
    return out
