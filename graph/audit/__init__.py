"""The audit: faults a reader of a plan should know about, as findings and graph facts.

    from graph.audit import run_audit, to_markdown
    findings = run_audit([parse_file(p) for p in paths])

Checks (one module each): references (broken, ambiguous, misdirected), numbering,
targets (conflicts within a plan, weaker than the national programme it implements),
legal (inconsistent citations across the corpus, unresolved short forms),
responsibilities (no lead, several leads, reorganised agencies). `graph_facts` turns
findings into Finding nodes with ABOUT edges. Severity policy: see `report`.
"""
from .graph_facts import add_findings, finding_id, findings_batch
from .models import COLUMNS, Finding, Kind, Severity
from .report import filter_findings, render_table, run_audit, summary, to_csv, to_html, to_json, to_markdown

__all__ = [
    "COLUMNS", "Finding", "Kind", "Severity", "add_findings", "filter_findings", "finding_id", "findings_batch",
    "render_table", "run_audit", "summary", "to_csv", "to_html", "to_json", "to_markdown",
]
