"""Typed results of the loader pipeline.

Every extracted item carries a `Span` into the document's normalised (NFC) text,
so any node or edge in the graph can be traced back to the characters it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


@dataclass(slots=True, frozen=True)
class Span:
    """Half-open character range [start, end) in the document's NFC text."""

    start: int
    end: int


class SectionKind(str, Enum):
    PART = "part"            # Phần thứ nhất / PHẦN I
    ARTICLE = "article"      # Điều 1.
    MUC = "muc"              # I. II. (Roman numeral)
    KHOAN = "khoan"          # 1.  2.1.
    DIEM = "diem"            # a)  đ)
    BULLET = "bullet"        # -  +
    HEADING = "heading"      # unnumbered heading: Mục tiêu, Yêu cầu, Tổ chức thực hiện
    PARAGRAPH = "paragraph"  # a paragraph outside numbered items (preamble, news prose)
    APPENDIX = "appendix"    # PHỤ LỤC 1
    GROUP = "group"          # appendix group row: I, II / A, B
    ROW = "row"              # appendix data row


@dataclass(slots=True)
class Section:
    """One node of the document tree.

    `path` is the stable, readable id inside the document (`II.5.đ`, `PL3.11`).
    `title` is the text on the label line (a heading or the first sentence),
    `body` the paragraphs that belong to this section and not to a child.
    """

    path: str
    kind: SectionKind
    label: str
    title: str
    body: str
    span: Span                     # the whole subtree
    head_span: Span                # the label line (paragraph) only
    parent: str | None
    order: int                     # position in document order
    line: int                      # 1-based line of the label in the source
    children: list[str] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)   # appendix rows: header -> cell text

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}".strip()


@dataclass(slots=True)
class DocumentIdentity:
    number: str | None = None          # "119/KH-UBND"
    doc_type: str | None = None        # "Kế hoạch"
    issuer: str | None = None          # "UBND tỉnh Quảng Ngãi"
    jurisdiction: str | None = None    # "Quảng Ngãi"
    jurisdiction_level: str | None = None  # "province" | "district" | "national"
    place: str | None = None           # "Quảng Ngãi"
    date: str | None = None            # ISO "2020-10-09"
    title: str | None = None


class RefStatus(str, Enum):
    RESOLVED = "resolved"
    BROKEN = "broken"
    AMBIGUOUS = "ambiguous"


@dataclass(slots=True)
class Reference:
    """A mention of another clause of the same document."""

    source: str                 # path of the clause that says it
    target_path: str            # path it asks for, e.g. "II.1.e"
    status: RefStatus
    targets: list[str]          # resolved section paths (2+ when ambiguous, 0 when broken)
    raw: str                    # the whole mention as written
    span: Span
    group_index: int = 0        # position of the item in the mention's list ("c, d, d" -> 0,1,2)


class LegalRelation(str, Enum):
    IMPLEMENTS = "implements"   # Thực hiện / Triển khai / Căn cứ / theo ... in the preamble
    MENTIONS = "mentions"


@dataclass(slots=True)
class LegalCitation:
    number: str | None          # normalised "749/QĐ-TTg"; None when only a short form could not be resolved
    doc_type: str               # "Quyết định"
    issuer_code: str | None     # "TTg"
    issuer: str | None          # "Thủ tướng Chính phủ" when stated or known
    date: str | None            # ISO when stated
    relation: LegalRelation
    raw: str
    span: Span
    section: str | None         # path of the clause it stands in
    resolved_by_registry: bool = False
    title: str | None = None


class Role(str, Enum):
    LEAD = "lead"
    COORDINATE = "coordinate"
    FOCAL_POINT = "focal_point"
    ADVISE = "advise"
    STEER = "steer"


@dataclass(slots=True)
class AgencyRef:
    """An agency as resolved against the catalog, scoped to a jurisdiction."""

    key: str                    # jurisdiction-scoped id, e.g. "dic@quang-ngai"
    type_key: str               # catalog type, e.g. "dic"
    name: str                   # canonical Vietnamese name
    mention: str                # text as written
    jurisdiction: str | None
    collective: bool = False
    catalogued: bool = True
    name_en: str | None = None
    abbr: str | None = None


@dataclass(slots=True)
class Assignment:
    """Agency X has role R on task/section T, said by clause C."""

    agency: AgencyRef
    role: Role
    task: str                   # section path of the task, or a missing path for a broken reference
    clause: str                 # section path of the clause that assigns it
    span: Span
    quote: str
    via_reference: bool = False
    broken: bool = False        # the task path does not exist in the document


@dataclass(slots=True)
class Task:
    path: str                   # section path the task is anchored to
    title: str
    deadline_text: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    recurrence: str | None = None   # "annual" | "ongoing"
    source: str = "section"        # "section" | "assignment" | "appendix_row" | "task_block"


@dataclass(slots=True)
class Target:
    indicator: str              # indicator text as written (trimmed)
    indicator_key: str | None   # normalised key, e.g. "digital_economy_share_grdp"
    comparator: str             # ">=", ">", "=", "<=", "range"
    value: float
    value_max: float | None
    unit: str                   # "%", "points", "count", "VND"
    year: int | None
    baseline: str | None
    section: str                # section path it comes from
    span: Span
    quote: str
    baseline_value: float | None = None   # the value stated in the baseline (percent if given, else points)
    baseline_year: int | None = None      # "(Năm 2022: …)" -> 2022


@dataclass(slots=True)
class Dropped:
    """An item the parser saw but could not place, with the reason."""

    kind: str                   # "reference" | "legal" | "agency" | "role" | "target" | "line" | "table"
    reason: str
    text: str
    line: int | None = None
    section: str | None = None


@dataclass(slots=True)
class NumberingAnomaly:
    kind: str                   # "skipped" | "repeated" | "invalid_letter" | "repeated_in_reference"
    path: str                   # the section (or clause) where it shows
    detail: str
    line: int | None = None


@dataclass(slots=True)
class ParseReport:
    file: str
    sections: int = 0
    references_resolved: int = 0
    references_broken: int = 0
    references_ambiguous: int = 0
    legal_bases: int = 0
    tasks: int = 0
    assignments: int = 0
    targets: int = 0
    duplicate_labels: list[str] = field(default_factory=list)
    uncatalogued_agencies: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedDocument:
    doc_id: str                 # stable id: number qualified by issuer/date, or file stem
    source: str                 # file path as given
    text: str                   # NFC text all spans point into
    identity: DocumentIdentity
    sections: dict[str, Section]            # path -> section, in document order
    references: list[Reference]
    legal: list[LegalCitation]
    anomalies: list[NumberingAnomaly]
    report: ParseReport
    tasks: list[Task] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    agencies: dict[str, AgencyRef] = field(default_factory=dict)

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1
