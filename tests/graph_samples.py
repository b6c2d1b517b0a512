"""Hand-made ParsedDocuments for graph and store tests (independent of the parser)."""
from __future__ import annotations

from loaders.models import (
    AgencyRef,
    Assignment,
    DocumentIdentity,
    LegalCitation,
    LegalRelation,
    ParsedDocument,
    ParseReport,
    Reference,
    RefStatus,
    Role,
    Section,
    SectionKind,
    Span,
    Target,
    Task,
)
from loaders.text import slug

TEXT_LINES = [
    "KẾ HOẠCH Chuyển đổi số năm 2024",                                    # 1
    "Căn cứ Quyết định số 749/QĐ-TTg và Quyết định số 605/QĐ-UBND;",      # 2
    "I. MỤC TIÊU",                                                         # 3
    "1. Tỷ trọng kinh tế số đạt 20% GRDP năm 2025.",                       # 4
    "2. Hoàn thành nhiệm vụ tại điểm a khoản 1 Mục II.",                   # 5
    "II. NHIỆM VỤ",                                                        # 6
    "1. Phát triển hạ tầng số",                                            # 7
    "a) Sở Thông tin và Truyền thông chủ trì, phối hợp Sở Tài chính.",     # 8
    "b) Thực hiện như điểm đ khoản 1 Mục II; điểm c (trùng) mục này.",      # 9
    "c) Nội dung c thứ nhất",                                              # 10
    "c) Nội dung c thứ hai",                                               # 11
]
TEXT = "\n".join(TEXT_LINES) + "\n"


def _span_of_line(n: int) -> Span:
    start = sum(len(l) + 1 for l in TEXT_LINES[: n - 1])
    return Span(start, start + len(TEXT_LINES[n - 1]))


def _find(needle: str) -> Span:
    i = TEXT.index(needle)
    return Span(i, i + len(needle))


def sample_document(doc_id: str = "1/KH-UBND@tien-giang-2024", jurisdiction: str = "Tiền Giang",
                    title_suffix: str = "") -> ParsedDocument:
    """A small plan exercising every part of the graph: tree, task, resolved/broken/ambiguous
    references, roles (one via a broken task path), targets, national and local legal bases."""
    jk = slug(jurisdiction)
    S = SectionKind
    secs = [
        # path, kind, label, title, parent, line, children
        ("I", S.MUC, "I.", "MỤC TIÊU", None, 3, ["I.1", "I.2"]),
        ("I.1", S.KHOAN, "1.", "Tỷ trọng kinh tế số đạt 20% GRDP năm 2025.", "I", 4, []),
        ("I.2", S.KHOAN, "2.", "Hoàn thành nhiệm vụ tại điểm a khoản 1 Mục II.", "I", 5, []),
        ("II", S.MUC, "II.", "NHIỆM VỤ", None, 6, ["II.1"]),
        ("II.1", S.KHOAN, "1.", "Phát triển hạ tầng số", "II", 7, ["II.1.a", "II.1.b", "II.1.c", "II.1.c(2)"]),
        ("II.1.a", S.DIEM, "a)", "Sở Thông tin và Truyền thông chủ trì, phối hợp Sở Tài chính.", "II.1", 8, []),
        ("II.1.b", S.DIEM, "b)", "Thực hiện như điểm đ khoản 1 Mục II; điểm c (trùng) mục này.", "II.1", 9, []),
        ("II.1.c", S.DIEM, "c)", "Nội dung c thứ nhất", "II.1", 10, []),
        ("II.1.c(2)", S.DIEM, "c)", "Nội dung c thứ hai" + title_suffix, "II.1", 11, []),
    ]
    sections: dict[str, Section] = {}
    for order, (path, kind, label, title, parent, line, children) in enumerate(secs):
        span = _span_of_line(line)
        sections[path] = Section(path, kind, label, title, "", span, span, parent, order, line, list(children))
    sections["II.1.a"].cells = {"Nội dung": "hạ tầng", "Thời gian": "2024"}

    references = [
        Reference("I.2", "II.1.a", RefStatus.RESOLVED, ["II.1.a"], "điểm a khoản 1 Mục II",
                  _find("điểm a khoản 1 Mục II")),
        Reference("II.1.b", "II.1.đ", RefStatus.BROKEN, [], "điểm đ khoản 1 Mục II",
                  _find("điểm đ khoản 1 Mục II")),
        Reference("II.1.b", "II.1.c", RefStatus.AMBIGUOUS, ["II.1.c", "II.1.c(2)"], "điểm c (trùng) mục này",
                  _find("điểm c (trùng) mục này")),
    ]
    dic = AgencyRef(f"dic@{jk}", "dic", "Sở Thông tin và Truyền thông", "Sở Thông tin và Truyền thông",
                    jurisdiction, name_en="Department of Information and Communications", abbr="STTTT")
    dof = AgencyRef(f"dof@{jk}", "dof", "Sở Tài chính", "Sở Tài chính", jurisdiction, abbr="STC")
    quote = TEXT_LINES[7]
    assignments = [
        Assignment(dic, Role.LEAD, "II.1.a", "II.1.a", _span_of_line(8), quote),
        Assignment(dof, Role.COORDINATE, "II.1.a", "II.1.a", _span_of_line(8), quote),
        Assignment(dic, Role.LEAD, "II.1.đ", "II.1.b", _find("điểm đ khoản 1 Mục II"), TEXT_LINES[8],
                   via_reference=True, broken=True),
    ]
    tasks = [Task("II.1.a", "Sở Thông tin và Truyền thông chủ trì", deadline_text="2024", period_start=2024,
                  period_end=2024, source="assignment")]
    targets = [Target("Tỷ trọng kinh tế số", "digital_economy_share_grdp", ">=", 20.0, None, "%", 2025, None,
                      "I.1", _find("20% GRDP"), TEXT_LINES[3])]
    legal = [
        LegalCitation("749/QĐ-TTg", "Quyết định", "TTg", "Thủ tướng Chính phủ", None, LegalRelation.IMPLEMENTS,
                      "Quyết định số 749/QĐ-TTg", _find("Quyết định số 749/QĐ-TTg"), None),
        LegalCitation("605/QĐ-UBND", "Quyết định", "UBND", None, None, LegalRelation.MENTIONS,
                      "Quyết định số 605/QĐ-UBND", _find("Quyết định số 605/QĐ-UBND"), None),
    ]
    identity = DocumentIdentity(number=doc_id.split("@")[0], doc_type="Kế hoạch", issuer=f"UBND tỉnh {jurisdiction}",
                                jurisdiction=jurisdiction, jurisdiction_level="province", place=jurisdiction,
                                date="2024-01-15", title="Chuyển đổi số năm 2024")
    report = ParseReport(file=f"{doc_id}.txt", sections=len(sections), references_resolved=1,
                         references_broken=1, references_ambiguous=1, legal_bases=2, tasks=1, assignments=3,
                         targets=1)
    return ParsedDocument(doc_id, f"data/plans/{slug(doc_id)}.txt", TEXT, identity, sections, references, legal,
                          [], report, tasks, assignments, targets, {dic.key: dic, dof.key: dof})


# --- a catalog with the attributes graph.build uses (loaders.agencies.AgencyCatalog's shape) ---

from dataclasses import dataclass, field  # noqa: E402


@dataclass
class _Successor:
    type_key: str
    date: str | None = None
    note: str | None = None


@dataclass
class _AgencyType:
    key: str
    name: str
    name_en: str | None = None
    abbr: str | None = None
    level: str | None = "province"
    collective: bool = False
    successors: list = field(default_factory=list)


class SampleCatalog:
    """Three agency types; DIC merged into DOST on 2025-03-01."""

    def __init__(self) -> None:
        self.types = {
            "dic": _AgencyType("dic", "Sở Thông tin và Truyền thông", "Department of Information and Communications",
                               "STTTT", successors=[_Successor("dost", "2025-03-01", "merged")]),
            "dost": _AgencyType("dost", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "SKHCN"),
            "dof": _AgencyType("dof", "Sở Tài chính", "Department of Finance", "STC"),
            "ppc": _AgencyType("ppc", "Ủy ban nhân dân tỉnh", "Provincial People's Committee", "UBND"),
        }

    def resolve(self, mention: str, jurisdiction: str | None = None):
        from loaders.text import fold, slug
        if fold(mention).startswith("ubnd") and jurisdiction:
            t = self.types["ppc"]
            return AgencyRef(f"ppc@{slug(jurisdiction)}", "ppc", t.name, mention, jurisdiction, abbr=t.abbr,
                             name_en=t.name_en)
        return None
