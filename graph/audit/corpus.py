"""Audit a corpus: the files given, or the source files of the documents in a store.

Cross-document checks (the same number cited with different dates) need every document
at once, so the audit re-reads the sources rather than the per-document findings stored
at ingest.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from loaders.errors import LoadError
from loaders.pipeline import parse_file

from .models import Finding
from .report import run_audit


@dataclass(slots=True)
class CorpusAudit:
    findings: list[Finding] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    failures: list[tuple[str, int | None, str]] = field(default_factory=list)   # (file, line, reason)


def stored_sources(store: Any) -> list[str]:
    """Source files of the documents ingested into `store`, in id order."""
    rows = store.run("MATCH (d:Document) RETURN d.source AS source ORDER BY d.id", {})
    return [r["source"] for r in rows if r.get("source")]


def audit_files(paths: Iterable[str | Path], catalog: Any = None) -> CorpusAudit:
    """Parse each file (a bad one is reported, the rest audited) and audit them together."""
    from graph.ingest import expand_paths

    result = CorpusAudit()
    docs = []
    for path in expand_paths(paths):
        try:
            doc = parse_file(path)
        except LoadError as exc:
            result.failures.append((exc.file, exc.line, exc.reason))
            continue
        docs.append(doc)
        result.documents.append(doc.doc_id)
    result.findings = run_audit(docs, catalog) if docs else []
    return result
