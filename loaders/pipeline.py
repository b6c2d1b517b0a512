"""The loader pipeline: one call per document, each stage in its own module.

read -> clean -> identity -> structure -> appendix -> references -> legal -> numbering
-> agencies/roles -> targets -> report. Stages after the tree record what they could
not place in the report instead of failing the document.
"""
from __future__ import annotations

import logging
from pathlib import Path

from .appendix import parse_appendix, split_appendices
from .clean import JoinedParagraphs, drop_boilerplate, split_lines
from .identity import identify
from .legal import find_legal, implemented_programmes
from .models import LegalCitation, LegalRelation, ParsedDocument, ParseReport, RefStatus, SectionKind
from .numbering import check_numbering
from .read import read_document
from .references import find_references
from .structure import TreeBuilder, build_blocks, build_body, classify
from .text import nfc, slug

log = logging.getLogger(__name__)


def is_prose(lines) -> bool:
    """News articles and letters retell a plan in prose: few numbered items."""
    numbered = 0
    for line in lines:
        if line.text and (line.text[0].isdigit() or line.text[0] in "IVXabcdđeg"):
            marker = classify(line.text)
            if marker is not None and marker.kind in (SectionKind.KHOAN, SectionKind.MUC, SectionKind.DIEM):
                numbered += 1
                if numbered >= 3:
                    return False
    return True


def document_id(identity, source: str) -> str:
    if identity.number:
        scope = slug(identity.jurisdiction or identity.issuer or "")
        year = (identity.date or "")[:4]
        qualifier = "-".join(p for p in (scope, year) if p)
        return f"{identity.number}@{qualifier}" if qualifier else identity.number
    return Path(source).stem


def parse_text(text: str, source: str = "<text>") -> ParsedDocument:
    """Parse one document's text (any string: never raises on content)."""
    text = nfc(text)
    lines = split_lines(text)
    prose = is_prose(lines)
    lines, dropped = drop_boilerplate(lines, prose)
    ident = identify(text, lines)
    starts = [i for i in split_appendices(lines) if lines[i].start >= ident.header_end]
    body_lines = [l for l in (lines[: starts[0]] if starts else lines) if l.start >= ident.header_end]
    builder = TreeBuilder(text)
    build_body(builder, build_blocks(body_lines, prose), ident.header_end)
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        parse_appendix(builder, lines[start:end], dropped)
    tree = builder.finish()
    sections = tree.sections
    joined = JoinedParagraphs(builder.paragraphs)
    refs, ref_anomalies, ref_dropped = find_references(sections, joined)
    structured = tree.preamble_end < len(text)
    legal, legal_dropped = find_legal(joined, ident.identity.number, tree.preamble_end, structured)
    for programme, span in implemented_programmes(text, tree.preamble_end):
        cited = [c for c in legal if c.number == programme.number]
        if cited:
            cited[0].relation = LegalRelation.IMPLEMENTS
        else:
            legal.append(LegalCitation(programme.number, programme.doc_type, None, programme.issuer, None,
                                       LegalRelation.IMPLEMENTS, text[span.start:span.end], span, None, True,
                                       programme.title))
    anomalies = check_numbering(sections) + ref_anomalies
    report = ParseReport(file=source, sections=len(sections))
    report.dropped = dropped + tree.dropped + ref_dropped + legal_dropped
    report.duplicate_labels = [p for p in sections if p.endswith(")") and "(" in p.rsplit(".", 1)[-1]]
    doc = ParsedDocument(document_id(ident.identity, source), source, text, ident.identity, sections, refs, legal,
                         anomalies, report)
    _run_optional_stages(doc)
    report.references_resolved = sum(r.status is RefStatus.RESOLVED for r in refs)
    report.references_broken = sum(r.status is RefStatus.BROKEN for r in refs)
    report.references_ambiguous = sum(r.status is RefStatus.AMBIGUOUS for r in refs)
    report.legal_bases = len({c.number for c in legal if c.number})
    report.tasks = len(doc.tasks)
    report.assignments = len(doc.assignments)
    report.targets = len(doc.targets)
    return doc


def _run_optional_stages(doc: ParsedDocument) -> None:
    """Responsibilities and targets; a failure is reported, the tree is kept."""
    try:
        from .agencies import AgencyCatalog
        from .roles import assign_roles
    except ImportError:
        pass
    else:
        try:
            assign_roles(doc, AgencyCatalog.load())
        except Exception as exc:  # noqa: BLE001 - report and keep the document
            log.exception("roles stage failed on %s", doc.source)
            doc.report.errors.append(f"roles: {exc.__class__.__name__}: {exc}")
    try:
        from .targets import extract_targets
    except ImportError:
        return
    try:
        extract_targets(doc)
    except Exception as exc:  # noqa: BLE001
        log.exception("targets stage failed on %s", doc.source)
        doc.report.errors.append(f"targets: {exc.__class__.__name__}: {exc}")


def parse_file(path: str | Path) -> ParsedDocument:
    """Read and parse one file; raises LoadError when the file cannot be read."""
    return parse_text(read_document(path), str(path))
