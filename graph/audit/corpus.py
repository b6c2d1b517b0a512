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


_LAST: dict[tuple, CorpusAudit] = {}


def audit_files(paths: Iterable[str | Path], catalog: Any = None) -> CorpusAudit:
    """Parse each file (a bad one is reported, the rest audited) and audit them together.
    The last result is kept while no file changed, so repeated API calls do not re-parse."""
    from graph.ingest import expand_paths

    files = expand_paths(paths)
    key = (id(catalog), tuple((str(f), *_stamp(f)) for f in files))
    if key in _LAST:
        return _LAST[key]
    result = CorpusAudit()
    docs = []
    for path in files:
        try:
            doc = parse_file(path)
        except LoadError as exc:
            result.failures.append((exc.file, exc.line, exc.reason))
            continue
        docs.append(doc)
        result.documents.append(doc.doc_id)
    result.findings = run_audit(docs, catalog) if docs else []
    _LAST.clear()
    _LAST[key] = result
    return result


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_mtime_ns, st.st_size)
