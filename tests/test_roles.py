"""Roles: lead / coordinate / focal point / advise / steer, on snippets and on the seeds."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.agencies import AgencyCatalog
from loaders.models import (
    DocumentIdentity, ParsedDocument, ParseReport, Reference, RefStatus, Role, Section, SectionKind, Span,
)
from loaders.pipeline import parse_file, parse_text
from loaders.roles import assign_roles, parse_period

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "data" / "plans"
CAT = AgencyCatalog.load()

HEADER = """ỦY BAN NHÂN DÂN
TỈNH TIỀN GIANG
|
Số: 12/KH-UBND
|
Tiền Giang, ngày 08 tháng 12 năm 2021
|
KẾ HOẠCH
THỬ NGHIỆM
"""


def roles_of(doc, role=None, task=None):
    return sorted((a.agency.key, a.role.value, a.task) for a in doc.assignments
                  if (role is None or a.role.value == role) and (task is None or a.task == task))


def seed(prefix):
    return parse_file(next(PLANS.glob(f"{prefix}_*.txt")))


@pytest.fixture(scope="module")
def seeds():
    return {p: seed(p) for p in ("000", "001", "002", "003", "004")}


# ------------------------------------------------------------------ snippets through the parser

def test_lead_and_coordinators_in_one_clause():
    doc = parse_text(HEADER + """I. NHIỆM VỤ
1. Phát triển hạ tầng số
II. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông
a) Chủ trì, phối hợp với Sở Kế hoạch và Đầu tư, Sở Văn hóa, Thể thao và Du lịch xây dựng bộ tiêu chí.
b) Phối hợp với Sở Nội vụ tham mưu chính sách thu hút nhân lực.
c) Tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí.
""")
    assert roles_of(doc, task="II.1.a") == [
        ("dic@tien-giang", "lead", "II.1.a"),
        ("docst@tien-giang", "coordinate", "II.1.a"),
        ("dpi@tien-giang", "coordinate", "II.1.a"),
    ]
    # "X phối hợp với Y": X coordinates; Y is not labelled
    assert roles_of(doc, task="II.1.b") == [("dic@tien-giang", "coordinate", "II.1.b")]
    # "tham mưu UBND tỉnh": advise for the clause's agency, nothing for the PPC
    assert roles_of(doc, task="II.1.c") == [("dic@tien-giang", "advise", "II.1.c")]


def test_clause_pointing_at_plan_points_gives_role_on_each_target():
    doc = parse_text(HEADER + """I. NHIỆM VỤ, GIẢI PHÁP
1. Nền tảng
a) Chuyển đổi nhận thức
b) Hành lang pháp lý
2. Chính quyền số
a) Cổng dịch vụ công
II. TỔ CHỨC THỰC HIỆN
1. Sở Công thương
Chủ trì, phối hợp với các cơ quan liên quan triển khai các nhiệm vụ được nêu tại điểm a, b khoản 1 và điểm c khoản 2 mục I Kế hoạch này.
""")
    lead = roles_of(doc, "lead")
    assert ("doit@tien-giang", "lead", "I.1.a") in lead and ("doit@tien-giang", "lead", "I.1.b") in lead
    broken = [a for a in doc.assignments if a.task == "I.2.c"]
    assert broken and all(a.broken and a.via_reference for a in broken)       # missing point stays visible
    assert ("related_agencies@tien-giang", "coordinate", "I.1.a") in roles_of(doc, "coordinate")
    assert all(a.clause == "II.1" for a in doc.assignments)


def test_collective_heading_and_implicit_lead():
    doc = parse_text(HEADER + """I. TỔ CHỨC THỰC HIỆN
1. Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh; Ủy ban nhân dân các huyện, thị xã, thành phố:
a) Xây dựng kế hoạch thực hiện hàng năm.
b) Tham gia hoạt động tuyên truyền.
""")
    assert roles_of(doc, task="I.1.a") == [("departments@tien-giang", "lead", "I.1.a"),
                                           ("district_committees@tien-giang", "lead", "I.1.a")]
    assert {r for _, r, _ in roles_of(doc, task="I.1.b")} == {"coordinate"}
    assert not [a for a in doc.assignments if a.agency.type_key == "ppc"]     # "thuộc UBND tỉnh" qualifies
    task = next(t for t in doc.tasks if t.path == "I.1.a")
    assert task.recurrence == "annual"


def test_clause_without_agency_is_reported():
    doc = parse_text(HEADER + """I. TỔ CHỨC THỰC HIỆN
1. Định kỳ báo cáo kết quả thực hiện trước ngày 15/12.
""")
    assert doc.assignments == []
    assert any(d.kind == "role" and d.section == "I.1" for d in doc.report.dropped)


def test_news_prose_roles():
    doc = parse_text("""Tỉnh Điện Biên lên kế hoạch chuyển đổi số
UBND tỉnh Điện Biên mới đây đã ban hành Kế hoạch chuyển đổi số.
Ban chỉ đạo xây dựng Chính quyền điện tử của tỉnh có trách nhiệm đôn đốc, điều phối chung việc triển khai. Sở TT&TT Điện Biên được giao chủ trì, phối hợp với các cơ quan liên quan tham mưu UBND tỉnh ban hành danh sách sáng kiến.
Giao phòng Văn hoá và Thông tin là cơ quan đầu mối tổng hợp, đôn đốc các phòng, đơn vị.
""")
    got = {(a.agency.type_key, a.role.value) for a in doc.assignments}
    assert ("steering_committee", "steer") in got
    assert ("dic", "lead") in got and ("related_agencies", "coordinate") in got
    assert ("dcio", "focal_point") in got
    assert ("ppc", "advise") not in got and not any(t == "ppc" for t, _ in got)
    assert next(a for a in doc.assignments if a.agency.type_key == "dic").agency.key == "dic@dien-bien"


def _rows_doc(rows, headers=("STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian")):
    """A document of appendix rows built by hand (cells as the appendix stage gives them)."""
    text = "PHỤ LỤC 1\n"
    secs = {}
    children = []
    for n, cells in enumerate(rows, 1):
        start = len(text)
        text += " | ".join(cells) + "\n"
        path = f"PL1.{n}"
        children.append(path)
        secs[path] = Section(path, SectionKind.ROW, str(n), cells[1], "", Span(start, len(text)),
                             Span(start, len(text)), "PL1", n, n + 1, [], dict(zip(headers, cells)))
    secs = {"PL1": Section("PL1", SectionKind.APPENDIX, "1", "PHỤ LỤC 1", "", Span(0, len(text)), Span(0, 9),
                           None, 0, 1, children), **secs}
    return ParsedDocument("t", "t", text, DocumentIdentity(jurisdiction="Tiền Giang", jurisdiction_level="province"),
                          secs, [], [], [], ParseReport("t"))


def test_appendix_rows_with_nested_remark_and_lists():
    doc = _rows_doc([
        ("1", "Nâng cấp mạng LAN cấp xã",
         "UBND các huyện, thị xã, thành phố (Sở Thông tin và Truyền thông chủ trì, tổng hợp trình phê duyệt)",
         "Sở Văn hóa, Thể thao và Du lịch; Sở Lao động - Thương binh và Xã hội, Hội Tin học tỉnh", "2022-2023"),
        ("2", "Tập huấn kỹ năng số", "Sở Thông tin và Truyền thông", "Các sở, ban, ngành và UBND cấp huyện",
         "Hàng năm"),
        ("3", "Xây dựng cơ sở dữ liệu", "", "Sở Tư pháp", "2024"),
    ])
    assign_roles(doc, CAT)
    assert roles_of(doc, "lead", "PL1.1") == [("dic@tien-giang", "lead", "PL1.1"),
                                              ("district_committees@tien-giang", "lead", "PL1.1")]
    coords = {k for k, _, _ in roles_of(doc, "coordinate", "PL1.1")}
    assert {"docst@tien-giang", "dolisa@tien-giang"} <= coords
    assert any(k.startswith("x-hoi-tin-hoc") for k in coords)
    assert any(k.startswith("x-hoi-tin-hoc") for k in doc.report.uncatalogued_agencies)
    t1 = next(t for t in doc.tasks if t.path == "PL1.1")
    assert (t1.source, t1.period_start, t1.period_end) == ("appendix_row", 2022, 2023)
    t2 = next(t for t in doc.tasks if t.path == "PL1.2")
    assert t2.recurrence == "annual"
    assert {k for k, _, _ in roles_of(doc, "coordinate", "PL1.2")} == {"departments@tien-giang",
                                                                       "district_committees@tien-giang"}
    # a row with an empty Chủ trì cell: reported, its coordinator kept
    assert roles_of(doc, task="PL1.3") == [("doj@tien-giang", "coordinate", "PL1.3")]
    assert any(d.section == "PL1.3" and "no lead" in d.reason for d in doc.report.dropped)


def test_implementing_unit_column_is_lead():
    doc = _rows_doc([("1", "Số hóa hồ sơ", "Sở Nội vụ, Sở Tư pháp", "2025")],
                    headers=("TT", "Nhiệm vụ", "Đơn vị thực hiện", "Tiến độ"))
    assign_roles(doc, CAT)
    assert roles_of(doc) == [("doha@tien-giang", "lead", "PL1.1"), ("doj@tien-giang", "lead", "PL1.1")]


# ------------------------------------------------------------------ hand-built document (no parser)

def test_hand_built_document():
    text = ("III. TỔ CHỨC THỰC HIỆN\n3. Sở Thông tin và Truyền thông\n"
            "a) Chủ trì triển khai các nhiệm vụ được nêu tại điểm c khoản 1 mục II.\n")
    h = text.index("3.")
    a = text.index("a)")
    secs = {
        "III": Section("III", SectionKind.MUC, "III", "TỔ CHỨC THỰC HIỆN", "", Span(0, len(text)), Span(0, h - 1),
                       None, 0, 1, ["III.3"]),
        "III.3": Section("III.3", SectionKind.KHOAN, "3", "Sở Thông tin và Truyền thông", "", Span(h, len(text)),
                         Span(h, a - 1), "III", 1, 2, ["III.3.a"]),
        "III.3.a": Section("III.3.a", SectionKind.DIEM, "a", text[a + 3:].strip(), "", Span(a, len(text)),
                           Span(a, len(text)), "III.3", 2, 3),
    }
    r = text.index("điểm c")
    refs = [Reference("III.3.a", "II.1.c", RefStatus.AMBIGUOUS, ["II.1.c", "II.1.c(2)"], "điểm c khoản 1 mục II",
                      Span(r, r + 20))]
    doc = ParsedDocument("t", "t", text, DocumentIdentity(jurisdiction="Quảng Ngãi", jurisdiction_level="province"),
                         secs, refs, [], [], ParseReport("t"))
    assign_roles(doc, CAT)
    assert roles_of(doc) == [("dic@quang-ngai", "lead", "II.1.c"), ("dic@quang-ngai", "lead", "II.1.c(2)")]
    assert all(a.via_reference and not a.broken for a in doc.assignments)
    assert "dic@quang-ngai" in doc.agencies


# ------------------------------------------------------------------ periods

@pytest.mark.parametrize("text,expected", [
    ("2023-2024", (2023, 2024, None)),
    ("2026 - 2030", (2026, 2030, None)),
    ("Hàng năm", (None, None, "annual")),
    ("Năm 2023 và các năm tiếp theo", (2023, None, None)),
    ("Năm 2023 và hằng năm", (2023, None, "annual")),
    ("Thường xuyên", (None, None, "ongoing")),
    ("Năm 2023 và duy trì thường xuyên", (2023, None, "ongoing")),
    ("Năm 2022", (2022, 2022, None)),
    ("", (None, None, None)),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


# ------------------------------------------------------------------ seeds

def test_tien_giang(seeds):
    doc = seeds["002"]
    rows = {p for p, s in doc.sections.items() if s.kind is SectionKind.ROW}
    dic_lead_rows = {a.task for a in doc.assignments if a.agency.key == "dic@tien-giang"
                     and a.role is Role.LEAD and a.task in rows}
    # 63 rows whose Chủ trì cell is the DIC + PL3.11 where it leads in a nested remark
    assert len(dic_lead_rows) == 64
    via = {a.task for a in doc.assignments if a.clause == "V.3.b" and a.agency.type_key == "dic"}
    assert via == {"III.1.a", "III.1.b", "III.1.c", "III.1.d", "III.1.đ", "III.1.e", "III.2",
                   "III.3.a", "III.3.b", "III.4.a", "III.4.c", "III.4.e"}
    coord_rows = {a.task for a in doc.assignments if a.agency.key == "dic@tien-giang"
                  and a.role is Role.COORDINATE and a.task in rows}
    assert len(coord_rows) == 21
    assert any(a.agency.key == "dpc@my-tho" for a in doc.assignments)


def test_ninh_thuan(seeds):
    doc = seeds["003"]
    blocks = {t.path for t in doc.tasks if t.source == "task_block"}
    assert len(blocks) == 17
    lead = {a.task for a in doc.assignments if a.agency.type_key == "dic" and a.role is Role.LEAD} & blocks
    coord = {a.task for a in doc.assignments if a.agency.type_key == "dic" and a.role is Role.COORDINATE} & blocks
    assert len(lead) == 9 and len(coord) == 5
    # agencies named inside "Nội dung thực hiện" / "Mục tiêu" are not roles
    assert not any(a.agency.type_key == "ppc" for a in doc.assignments if a.task in blocks)
    t = next(t for t in doc.tasks if t.path == "nhiem-vu-giai-phap.2")
    assert (t.period_start, t.period_end) == (2023, None)


def test_quang_ngai(seeds):
    doc = seeds["000"]
    lead = {(a.agency.type_key, a.task, a.broken) for a in doc.assignments
            if a.role is Role.LEAD and a.via_reference}
    expected = {
        ("dost", "II.1.e", True), ("dot", "II.5.đ", True), ("dard", "II.5.d", False), ("dof", "II.5.c", False),
        ("doh", "II.5.a", False), ("doet", "II.5.b", False), ("donre", "II.5.f", False),
        ("doit", "II.3", False), ("doit", "II.5.e", False), ("dic", "II.1.c", False), ("dic", "II.1.c(2)", False),
        ("dic", "II.1.d", False), ("dic", "II.2.a", False), ("dic", "II.2.b", False), ("dic", "II.2.c", False),
        ("dolisa", "II.4", False), ("departments", "II", False), ("district_committees", "II", False),
    }
    assert lead == expected
    assert any(a.agency.type_key == "doha" and a.role is Role.COORDINATE and a.task == "II.4.a"
               for a in doc.assignments)
    assert any(a.agency.type_key == "steering_committee" and a.role is Role.STEER for a in doc.assignments)


def test_quang_xuong_and_dien_bien(seeds):
    qx = {(a.agency.key, a.role.value) for a in seeds["001"].assignments}
    assert ("dcio@quang-xuong", "focal_point") in qx
    assert ("steering_committee@quang-xuong", "steer") in qx
    assert ("dic@thanh-hoa", "coordinate") in qx          # a provincial body in a district plan
    db = {(a.agency.key, a.role.value) for a in seeds["004"].assignments}
    assert {("dic@dien-bien", "lead"), ("related_agencies@dien-bien", "coordinate"),
            ("steering_committee@dien-bien", "steer")} <= db


def test_query_dic_same_result_by_abbreviation_and_name(seeds):
    by_abbr = set(CAT.resolve_query("DIC"))
    by_name = set(CAT.resolve_query("Sở Thông tin và Truyền thông"))
    by_folded = set(CAT.resolve_query("so thong tin"))
    assert by_abbr == by_name == by_folded == {"dic"}
    led = {(d, a.task) for d, doc in seeds.items() for a in doc.assignments
           if a.agency.type_key in by_abbr and a.role is Role.LEAD}
    per_province = {d for d, _ in led}
    assert per_province == {"000", "002", "003", "004"}


def test_seed_report_is_consistent(seeds):
    for doc in seeds.values():
        assert not doc.report.errors
        assert doc.report.assignments == len(doc.assignments)
        keys = {a.agency.key for a in doc.assignments}
        assert keys == set(doc.agencies)
        for a in doc.assignments:
            assert 0 <= a.span.start <= a.span.end <= len(doc.text)
            if not a.broken:
                assert a.task in doc.sections
