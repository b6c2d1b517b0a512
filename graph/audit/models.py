"""Audit results: one `Finding` per fault, with the clause it stands in and the likely fix.

Columns are stable (CSV, Markdown, HTML, table): kind, severity, document, path, quote,
target, suggestion, evidence. `line`, `agencies` and `about` are extra fields (JSON and
graph only): the 1-based source line, the agency keys the finding concerns (for the
agency filter) and the graph nodes it is ABOUT (`(label, id)` with ids per CONTRACTS.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

COLUMNS: tuple[str, ...] = ("kind", "severity", "document", "path", "quote", "target", "suggestion", "evidence")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe: error 3, warning 2, info 1."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        v = str(value).strip().lower()
        aliases = {"err": "error", "e": "error", "warn": "warning", "w": "warning", "i": "info"}
        return cls(aliases.get(v, v))


class Kind:
    """Finding kinds (stable strings; the CLI filters on them, prefix match allowed)."""

    BROKEN_REFERENCE = "broken_reference"
    AMBIGUOUS_REFERENCE = "ambiguous_reference"
    MISDIRECTED_REFERENCE = "misdirected_reference"
    NUMBERING_SKIPPED = "numbering_skipped"
    NUMBERING_SKIPPED_DD = "numbering_skipped_dd"          # a lone missing "đ" (telex "dd")
    NUMBERING_REPEATED = "numbering_repeated"
    NUMBERING_INVALID_LETTER = "numbering_invalid_letter"
    NUMBERING_REPEATED_IN_REFERENCE = "numbering_repeated_in_reference"
    TARGET_CONFLICT = "target_conflict"
    TARGET_BELOW_NATIONAL = "target_below_national"
    LEGAL_INCONSISTENT = "legal_inconsistent"
    LEGAL_UNRESOLVED = "legal_unresolved"
    TASK_NO_LEAD = "task_no_lead"
    TASK_MULTIPLE_LEADS = "task_multiple_leads"
    AGENCY_REORGANISED = "agency_reorganised"

    ALL: tuple[str, ...] = (
        BROKEN_REFERENCE, AMBIGUOUS_REFERENCE, MISDIRECTED_REFERENCE, NUMBERING_SKIPPED, NUMBERING_SKIPPED_DD,
        NUMBERING_REPEATED, NUMBERING_INVALID_LETTER, NUMBERING_REPEATED_IN_REFERENCE, TARGET_CONFLICT,
        TARGET_BELOW_NATIONAL, LEGAL_INCONSISTENT, LEGAL_UNRESOLVED, TASK_NO_LEAD, TASK_MULTIPLE_LEADS,
        AGENCY_REORGANISED,
    )


@dataclass(slots=True)
class Finding:
    kind: str
    severity: Severity
    document: str                   # doc_id
    path: str | None                # the clause it stands in
    quote: str                      # the clause's words (trimmed)
    target: str | None = None       # what it concerns: a path, "indicator year", a document number
    suggestion: str | None = None   # likely fix, when it can be inferred
    evidence: str = ""              # why: the words that matched or failed, the values compared
    line: int | None = None
    agencies: tuple[str, ...] = ()  # agency keys involved (filter by agency)
    about: tuple[tuple[str, str], ...] = field(default_factory=tuple)   # graph nodes: (label, id)

    def row(self) -> dict[str, Any]:
        """The stable columns, as plain strings (None -> "")."""
        return {
            "kind": self.kind, "severity": self.severity.value, "document": self.document,
            "path": self.path or "", "quote": self.quote or "", "target": self.target or "",
            "suggestion": self.suggestion or "", "evidence": self.evidence or "",
        }

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = dict(self.row())
        d["line"] = self.line
        d["agencies"] = list(self.agencies)
        return d


_WS = re.compile(r"\s+")


def squash(text: str | None, limit: int | None = 240) -> str:
    """One line, single spaces, cut at `limit` characters with an ellipsis."""
    s = _WS.sub(" ", text or "").strip()
    if limit is not None and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return s
