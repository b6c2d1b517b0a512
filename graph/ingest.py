"""Files -> graph: parse each file, build its batch, replace the document in the store.

A file that fails is reported as (file, line, reason) and the run goes on; every other
file is written atomically (`GraphStore.replace_document`).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from .audit.graph_facts import add_findings
from .audit.report import run_audit
from .build import build_batch, catalog_batch
from .store import GraphStore

log = logging.getLogger(__name__)

EXTENSIONS = (".txt", ".html", ".htm", ".docx", ".pdf")


@dataclass(slots=True)
class IngestRow:
    file: str
    doc_id: str
    sections: int
    references_resolved: int
    references_broken: int
    references_ambiguous: int
    assignments: int
    targets: int
    seconds: float
    nodes: int = 0
    edges: int = 0
    warnings: list[str] = field(default_factory=list)


class IngestFailure(NamedTuple):
    file: str
    line: int | None
    reason: str


@dataclass(slots=True)
class IngestSummary:
    rows: list[IngestRow] = field(default_factory=list)
    failures: list[IngestFailure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def expand_paths(paths: Iterable[str | Path], skipped: list[Path] | None = None) -> list[Path]:
    """Folders become their plan files (recursively, sorted); files are kept as given.
    Other (non-hidden) files found in folders are appended to `skipped` when given."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.suffix.lower() in EXTENSIONS:
                    out.append(f)
                elif skipped is not None:
                    skipped.append(f)
        else:
            out.append(p)
    seen: set[Path] = set()
    unique = []
    for p in out:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def _default_catalog() -> Any:
    try:
        from loaders.agencies import AgencyCatalog
    except ImportError:   # pragma: no cover - the catalog module is optional
        return None
    return AgencyCatalog.load()


def ingest_paths(paths: Iterable[str | Path], store: GraphStore, catalog: Any = None,
                 on_progress: Callable[[int, int, str], Any] | None = None) -> IngestSummary:
    """Ingest files and folders. `catalog`: an AgencyCatalog; None loads the packaged one
    (loaders/data/agencies.yaml); False ingests without a catalog. When there is a catalog,
    its agency types and successions are written once per run (`write_shared`).
    `on_progress(done, total, path)` is called after each file."""
    from loaders.errors import LoadError
    from loaders.pipeline import parse_file

    t_run = time.perf_counter()
    skipped: list[Path] = []
    files = expand_paths(paths, skipped)
    summary = IngestSummary()
    # Files in folders that are not plans are reported (not parsed), so nothing vanishes silently.
    for path in skipped:
        summary.failures.append(IngestFailure(str(path), None, "skipped: not a plan file ("
                                              + ", ".join(EXTENSIONS) + ")"))
    if catalog is None:
        catalog = _default_catalog()
    elif catalog is False:
        catalog = None
    store.ensure_schema()
    if catalog is not None:
        store.write_shared(catalog_batch(catalog))
    for done, path in enumerate(files, 1):
        t0 = time.perf_counter()
        try:
            doc = parse_file(path)
            batch = build_batch(doc, catalog)
            add_findings(batch, run_audit(doc, catalog))   # findings are graph facts too
            stats = store.replace_document(batch)
        except LoadError as exc:
            summary.failures.append(IngestFailure(str(exc.file or path), exc.line, exc.reason))
        except Exception as exc:  # one bad file must not stop the run
            log.debug("ingest of %s failed", path, exc_info=True)
            summary.failures.append(IngestFailure(str(path), getattr(exc, "line", None),
                                                  f"{type(exc).__name__}: {exc}"))
        else:
            rep = doc.report
            summary.rows.append(IngestRow(
                file=str(path), doc_id=doc.doc_id, sections=len(doc.sections),
                references_resolved=rep.references_resolved, references_broken=rep.references_broken,
                references_ambiguous=rep.references_ambiguous, assignments=len(doc.assignments),
                targets=len(doc.targets), seconds=round(time.perf_counter() - t0, 4),
                nodes=stats.nodes, edges=stats.edges, warnings=list(stats.warnings)))
        if on_progress is not None:
            on_progress(done, len(files), str(path))
    summary.seconds = time.perf_counter() - t_run
    return summary
