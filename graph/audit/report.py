"""Run the audit and render its findings.

API for the CLI/API layers:
    run_audit(docs, catalog=None, national=None) -> list[Finding]
    filter_findings(findings, document=, kind=, agency=, min_severity=, catalog=)
    render_table(findings, console=None)   # Rich
    to_markdown / to_html / to_json / to_csv (findings) -> str

Tables, Markdown, HTML and CSV have the stable columns of `models.COLUMNS`
(kind, severity, document, path, quote, target, suggestion, evidence); JSON objects carry
the same keys plus `line` and `agencies`. Findings are sorted by document (input order),
severity (error first), line, kind.

Severity policy (see each check's module docstring):
  error   broken_reference, target_conflict
  warning ambiguous_reference, misdirected_reference, target_below_national,
          legal_inconsistent, legal_unresolved, task_no_lead
  info    numbering_*, task_multiple_leads, agency_reorganised, task_no_lead when the
          clause names the partner (lead implied), target_conflict within a single clause
"""
from __future__ import annotations

import csv
import html
import io
import json
import logging
from typing import Any, Iterable, Sequence

from loaders.models import ParsedDocument
from loaders.text import fold

from .legal import check_legal
from .models import COLUMNS, Finding, Severity
from .numbering import check_numbering
from .references import DomainIndex, check_references
from .responsibilities import check_responsibilities
from .targets import check_below_national, check_target_conflicts

log = logging.getLogger(__name__)


def _default_catalog():
    try:
        from loaders.agencies import AgencyCatalog
        return AgencyCatalog.load()
    except Exception:  # noqa: BLE001
        log.warning("agency catalog unavailable: misdirected-reference and reorganisation checks are skipped")
        return None


def run_audit(docs: Sequence[ParsedDocument] | ParsedDocument, catalog: Any | None = None,
              national: Iterable[Any] | None = None) -> list[Finding]:
    """Every finding on `docs` (cross-document legal checks compare the whole list).

    `catalog` defaults to `AgencyCatalog.load()`; `national` to
    `loaders.indicators.load_national_targets()`.
    """
    if isinstance(docs, ParsedDocument):
        docs = [docs]
    docs = list(docs)
    if catalog is None:
        catalog = _default_catalog()
    if national is not None:
        national = list(national)
    index = DomainIndex(catalog)
    findings: list[Finding] = []
    for doc in docs:
        for check in (lambda d: check_references(d, catalog, index), check_numbering,
                      lambda d: check_target_conflicts(d, national), lambda d: check_below_national(d, national),
                      lambda d: check_responsibilities(d, catalog)):
            try:
                findings.extend(check(doc))
            except Exception:  # noqa: BLE001 - one failing check must not hide the others
                log.exception("audit check failed on %s", doc.doc_id)
    try:
        findings.extend(check_legal(docs, catalog))
    except Exception:  # noqa: BLE001
        log.exception("legal audit failed")
    order = {d.doc_id: i for i, d in enumerate(docs)}
    findings.sort(key=lambda f: (order.get(f.document, len(order)), -f.severity.rank, f.line or 0, f.kind, f.path or ""))
    return findings


def _as_list(v: str | Iterable[str] | None) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [p.strip() for p in v.split(",") if p.strip()]
    return [str(x) for x in v]


def filter_findings(findings: Iterable[Finding], document: str | Iterable[str] | None = None,
                    kind: str | Iterable[str] | None = None, agency: str | None = None,
                    min_severity: str | Severity | None = None, catalog: Any | None = None) -> list[Finding]:
    """Keep the findings that match every filter given.

    document: doc_id, or a part of it (case and diacritics ignored); several comma-separated.
    kind: exact kind or prefix ("numbering" matches every numbering_* kind); several allowed.
    agency: agency key ("dic@quang-ngai"), type key ("dic"), abbreviation or name (resolved
      with `catalog.resolve_query` when a catalog is given).
    min_severity: "info" | "warning" | "error".
    """
    docs = [fold(d) for d in _as_list(document)]
    kinds = [k.strip().lower() for k in _as_list(kind)]
    floor = Severity.parse(min_severity).rank if min_severity else 0
    type_keys: set[str] = set()
    q = fold(agency) if agency else ""
    if agency and catalog is not None:
        try:
            type_keys = set(catalog.resolve_query(agency))
        except Exception:  # noqa: BLE001
            type_keys = set()
    out = []
    for f in findings:
        if f.severity.rank < floor:
            continue
        if docs and not any(d == fold(f.document) or d in fold(f.document) for d in docs):
            continue
        if kinds and not any(f.kind == k or f.kind.startswith(k.rstrip("_") + "_") or f.kind.startswith(k)
                             for k in kinds):
            continue
        if agency:
            keys = [fold(k) for k in f.agencies]
            types = {k.split("@", 1)[0] for k in f.agencies}
            if not (q in keys or any(k.startswith(q + "@") for k in keys) or types & type_keys):
                continue
        out.append(f)
    return out


# ------------------------------------------------------------------------------------ renderers

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_table(findings: Sequence[Finding], console: Any | None = None, title: str | None = "Audit findings"):
    """Print a Rich table (returns the Table)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=title, show_lines=True, expand=True)
    widths = {"kind": 14, "severity": 8, "document": 14, "path": 10, "quote": 30, "target": 12,
              "suggestion": 30, "evidence": 36}
    for c in COLUMNS:
        if c == "severity":
            table.add_column(c, no_wrap=True, min_width=7)
        else:
            table.add_column(c, overflow="fold", ratio=widths[c])
    for f in findings:
        row = f.row()
        cells = [row[c] for c in COLUMNS]
        cells[1] = f"[{_STYLE[f.severity.value]}]{row['severity']}[/]"
        table.add_row(*[cells[0]] + [cells[1]] + [_escape_rich(x) for x in cells[2:]])
    console.print(table)
    if not findings:
        console.print("No findings.")
    return table


def _escape_rich(s: str) -> str:
    from rich.markup import escape
    return escape(s)


def _md_cell(s: str) -> str:
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(findings: Sequence[Finding]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for f in findings:
        row = f.row()
        lines.append("| " + " | ".join(_md_cell(row[c]) for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def to_html(findings: Sequence[Finding], title: str = "PlanGraph audit") -> str:
    colour = {"error": "#b00020", "warning": "#a06000", "info": "#00607a"}
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    rows = []
    for f in findings:
        row = f.row()
        cells = "".join(f'<td class="{c}">{html.escape(row[c])}</td>' for c in COLUMNS)
        rows.append(f'<tr class="{f.severity.value}" style="color:{colour[f.severity.value]}">{cells}</tr>')
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title>"
            "<style>table{border-collapse:collapse;font:13px sans-serif}td,th{border:1px solid #ccc;"
            "padding:4px;vertical-align:top}td.quote{color:#333}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{len(findings)} finding(s)</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>\n")


def to_json(findings: Sequence[Finding], indent: int | None = 2) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=indent)


def to_csv(findings: Sequence[Finding]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for f in findings:
        w.writerow(f.row())
    return buf.getvalue()


def summary(findings: Sequence[Finding]) -> dict[str, int]:
    """Counts per severity and per kind (for a status line)."""
    out: dict[str, int] = {}
    for f in findings:
        out[f.severity.value] = out.get(f.severity.value, 0) + 1
        out[f.kind] = out.get(f.kind, 0) + 1
    return out
