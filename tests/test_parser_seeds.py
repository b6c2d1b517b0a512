"""Table-driven tests of the parser on the real seed plans (eyecite style)."""
from __future__ import annotations

from pathlib import Path

import pytest

from loaders.models import RefStatus, SectionKind
from loaders.pipeline import parse_file

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"
QUANG_NGAI = PLANS / "000_b31da89777f99463.txt"
QUANG_XUONG = PLANS / "001_453b5d16e12d12f6.txt"
TIEN_GIANG = PLANS / "002_8dead71a1713ec0c.txt"
NINH_THUAN = PLANS / "003_ff9fd696b770e550.txt"
DIEN_BIEN = PLANS / "004_ef6a8b9dc3eafaab.txt"


@pytest.fixture(scope="module")
def docs():
    return {p.name[:3]: parse_file(p) for p in sorted(PLANS.glob("*.txt"))}


def children(doc, path, kind=None):
    return [doc.sections[c].label for c in doc.sections[path].children
            if kind is None or doc.sections[c].kind is kind]


IDENTITY = [
    # file, number, type, issuer, jurisdiction, level, date, doc_id
    ("000", "119/KH-UBND", "Kế hoạch", "UBND tỉnh Quảng Ngãi", "Quảng Ngãi", "province", "2020-10-09",
     "119/KH-UBND@quang-ngai-2020"),
    ("001", "80/KH-UBND", "Kế hoạch", "UBND huyện Quảng Xương", "Quảng Xương", "district", "2023-03-20",
     "80/KH-UBND@quang-xuong-2023"),
    ("002", "370/KH-UBND", "Kế hoạch", "UBND tỉnh Tiền Giang", "Tiền Giang", "province", "2021-12-08",
     "370/KH-UBND@tien-giang-2021"),
    ("003", None, "Kế hoạch", None, "Ninh Thuận", "province", None, "003_ff9fd696b770e550"),
    ("004", None, "Kế hoạch", "UBND tỉnh Điện Biên", "Điện Biên", "province", None, "004_ef6a8b9dc3eafaab"),
]


@pytest.mark.parametrize("key,number,doc_type,issuer,jurisdiction,level,date,doc_id", IDENTITY)
def test_identity(docs, key, number, doc_type, issuer, jurisdiction, level, date, doc_id):
    ident = docs[key].identity
    assert (ident.number, ident.doc_type, ident.issuer, ident.jurisdiction, ident.jurisdiction_level, ident.date) == \
        (number, doc_type, issuer, jurisdiction, level, date)
    assert docs[key].doc_id == doc_id


def test_formal_titles_and_places(docs):
    assert docs["000"].identity.place == "Quảng Ngãi"
    assert docs["000"].identity.title.startswith("TRIỂN KHAI THỰC HIỆN CHƯƠNG TRÌNH CHUYỂN ĐỔI SỐ")
    assert docs["002"].identity.place == "Tiền Giang"
    assert docs["001"].identity.title == "chuyển đối số huyện Quảng Xương năm 2023"


STRUCTURE = [
    # file, parent path, kind, expected child labels in order
    ("000", None, SectionKind.MUC, ["I", "II", "III"]),
    ("000", "II.1", SectionKind.DIEM, ["a", "b", "c", "d", "đ", "c"]),
    ("000", "II.5", SectionKind.DIEM, ["a", "b", "c", "d", "e", "f"]),
    ("000", "III", SectionKind.KHOAN, [str(n) for n in range(1, 16)] + ["17", "18", "19"]),
    ("000", "I.1.a", SectionKind.BULLET, ["-"] * 5),
    ("002", None, SectionKind.MUC, ["I", "II", "III", "IV", "V"]),
    ("002", "III.1", SectionKind.DIEM, ["a", "b", "c", "d", "đ", "e", "g"]),
    ("002", "III.5", SectionKind.DIEM, ["a", "b", "c", "d", "đ", "e", "g", "h"]),
    ("002", "II.2", SectionKind.KHOAN, ["2.1", "2.2"]),
    ("002", "V", SectionKind.KHOAN, [str(n) for n in range(1, 24)]),
    ("003", "nhiem-vu-giai-phap", SectionKind.KHOAN, [str(n) for n in range(1, 9)]),
    ("003", "nhiem-vu-giai-phap.8", SectionKind.DIEM, ["a", "b", "c", "d", "đ"]),
]


@pytest.mark.parametrize("key,parent,kind,labels", STRUCTURE)
def test_structure(docs, key, parent, kind, labels):
    doc = docs[key]
    if parent is None:
        got = [s.label for s in doc.sections.values() if s.parent is None and s.kind is kind]
    else:
        got = children(doc, parent, kind)
    assert got == labels


def test_duplicate_point_keeps_both_nodes(docs):
    doc = docs["000"]
    assert doc.sections["II.1.c"].title == "Phát triển hạ tầng số"
    assert doc.sections["II.1.c(2)"].title.startswith("Hợp tác trong nghiên cứu")
    assert "II.1.c(2)" in doc.report.duplicate_labels


def test_nested_khoan_paths(docs):
    doc = docs["002"]
    assert doc.sections["II.2.2.1.a"].title.startswith("Phát triển Chính quyền số")
    assert doc.sections["II.2.2.2"].title == "Mục tiêu cơ bản đến năm 2030"


def test_wrapped_number_is_not_a_khoan(docs):
    doc = docs["000"]
    # "mức độ\n4 được cung cấp" and "mức độ 3,\n4. Thực hiện" continue the sentence
    assert "dịch vụ công trực tuyến mức độ 4 được cung cấp" in doc.sections["I.1.a.-2"].title
    assert "mức độ 3, 4. Thực hiện thủ tục hành chính" in doc.sections["II.2.a"].title
    assert [s for s in doc.sections.values() if s.kind is SectionKind.KHOAN and s.parent == "II"][-1].label == "6"


APPENDIX_ROWS = [("PL1", 31), ("PL2", 19), ("PL3", 68), ("PL4", 30)]


@pytest.mark.parametrize("appendix,rows", APPENDIX_ROWS)
def test_appendix_row_counts(docs, appendix, rows):
    doc = docs["002"]
    got = [s for s in doc.sections.values() if s.kind is SectionKind.ROW and s.path.startswith(appendix + ".")]
    assert len(got) == rows


def test_appendix_cells_groups_and_merged_rows(docs):
    doc = docs["002"]
    row = doc.sections["PL1.12"]
    assert row.title == "Kinh tế số chiếm 20% GRDP."
    assert row.cells["CHỦ TRÌ"] == "Sở Kế hoạch và Đầu tư"
    assert row.parent == "PL1.I" and doc.sections["PL1.I"].title == "ĐẾN NĂM 2025"
    assert doc.sections["PL3.11"].cells["Chủ trì"].startswith("UBND các huyện, thị xã, thành phố (Sở Thông tin")
    assert doc.sections["PL3.11"].parent == "PL3.A.II"
    # rows 62-68 share the merged Thời gian / Ghi chú cells of row 61
    assert doc.sections["PL3.65"].cells["Thời gian"] == "2021-2025"
    assert any("short row (merged cells)" in d.reason for d in doc.report.dropped)


def _refs(doc):
    return {(r.source, r.target_path): r for r in doc.references}


QUANG_NGAI_REFS = [
    ("III.2.a", "II", RefStatus.RESOLVED),
    ("III.3.b", "II.1.c", RefStatus.AMBIGUOUS),
    ("III.3.b", "II.1.d", RefStatus.RESOLVED),
    ("III.3.b", "II.2.a", RefStatus.RESOLVED),
    ("III.3.b", "II.2.b", RefStatus.RESOLVED),
    ("III.3.b", "II.2.c", RefStatus.RESOLVED),
    ("III.4.b", "II.3", RefStatus.RESOLVED),
    ("III.4.b", "II.5.e", RefStatus.RESOLVED),
    ("III.5.a", "II.4", RefStatus.RESOLVED),
    ("III.7.a", "II.5.c", RefStatus.RESOLVED),
    ("III.8.a", "II.1.e", RefStatus.BROKEN),
    ("III.9.a", "II.5.b", RefStatus.RESOLVED),
    ("III.10", "II.5.a", RefStatus.RESOLVED),
    ("III.11", "II.5.d", RefStatus.RESOLVED),
    ("III.12", "II.5.đ", RefStatus.BROKEN),
    ("III.13", "II.5.f", RefStatus.RESOLVED),
    ("III.14.a", "II.4.a", RefStatus.RESOLVED),
]


def test_quang_ngai_references_exact(docs):
    got = {(r.source, r.target_path, r.status) for r in docs["000"].references}
    assert got == set(QUANG_NGAI_REFS)
    broken = [r for r in docs["000"].references if r.status is RefStatus.BROKEN]
    assert {(r.source, r.target_path) for r in broken} == {("III.8.a", "II.1.e"), ("III.12", "II.5.đ")}
    ambiguous = _refs(docs["000"])[("III.3.b", "II.1.c")]
    assert ambiguous.targets == ["II.1.c", "II.1.c(2)"]


TIEN_GIANG_V3B = ["III.1.a", "III.1.b", "III.1.c", "III.1.d", "III.1.đ", "III.1.e", "III.2", "III.3.a", "III.3.b",
                  "III.4.a", "III.4.c", "III.4.e"]


def test_tien_giang_references_all_resolve(docs):
    refs = docs["002"].references
    assert refs and all(r.status is RefStatus.RESOLVED for r in refs)
    assert [r.target_path for r in refs if r.source == "V.3.b"] == TIEN_GIANG_V3B
    assert [r.target_path for r in refs if r.source == "V.7"] == ["III.3.c", "III.3.d", "III.5.e"]
    for r in refs:
        assert r.targets == [r.target_path]   # resolved to the node it names


def test_every_assignment_reference_points_at_the_right_node(docs):
    for key in ("000", "002"):
        doc = docs[key]
        for r in doc.references:
            for target in r.targets:
                assert doc.sections[target].path.split("(")[0] == r.target_path


LEGAL = [
    # file, number, type, date, relation
    ("000", "749/QĐ-TTg", "Quyết định", "2020-06-03", "implements"),
    ("000", "45/2020/NĐ-CP", "Nghị định", "2020-04-08", "mentions"),
    ("000", "74/KH-UBND", "Kế hoạch", "2020-06-12", "mentions"),
    ("001", "06-NQ/TU", "Nghị quyết", "2021-11-10", "implements"),
    ("001", "969/QĐ-UBND", "Quyết định", "2022-03-18", "mentions"),
    ("001", "1533/QĐ-UBND", "Quyết định", "2022-04-22", "mentions"),
    ("001", "8908/UBND-CNTT", "Công văn", "2022-06-21", "mentions"),
    ("002", "942/QĐ-TTg", "Quyết định", "2021-06-15", "implements"),
    ("002", "08-NQ/TU", "Nghị quyết", "2021-10-06", "implements"),
    ("002", "52-CTr/TU", "Chương trình hành động", "2020-01-22", "implements"),
    ("002", "605/QĐ-UBND", "Quyết định", "2021-03-16", "implements"),
    ("002", "14/CT-TTg", "Chỉ thị", "2019-06-07", "mentions"),
    ("002", "20/2020/QĐ-TTg", "Quyết định", None, "mentions"),
    ("003", "09-NQ/TU", "Nghị quyết", "2021-11-29", "mentions"),
    ("003", "922/QĐ-BTTTT", "Quyết định", None, "mentions"),
    ("003", "12/2022/TT-BTTTT", "Thông tư", "2022-08-12", "mentions"),
    ("003", "2224/BTTTT-THH", "Công văn", "2022-06-09", "mentions"),
    ("003", "956/KH-BĐHCĐS", "Kế hoạch", "2023-03-16", "mentions"),
    ("003", "3748/KH-UBND", "Kế hoạch", "2022-08-26", "mentions"),
    ("004", "749/QĐ-TTg", "Quyết định", None, "implements"),
]


@pytest.mark.parametrize("key,number,doc_type,date,relation", LEGAL)
def test_legal_bases(docs, key, number, doc_type, date, relation):
    cites = [c for c in docs[key].legal if c.number == number]
    assert cites, f"{number} not found in {key}"
    first = cites[0]
    assert first.doc_type == doc_type
    assert first.date == date
    assert relation in {c.relation.value for c in cites}


def test_own_number_is_not_a_citation(docs):
    assert all(c.number != "370/KH-UBND" for c in docs["002"].legal)


def test_short_form_resolved_by_registry(docs):
    cite = [c for c in docs["004"].legal if c.raw == "Quyết định 749"][0]
    assert cite.number == "749/QĐ-TTg" and cite.resolved_by_registry


ANOMALIES = [
    ("repeated", "II.1.c(2)"),
    ("invalid_letter", "II.5.f"),
    ("skipped", "III.17"),
    ("repeated_in_reference", "III.3.b"),
]


@pytest.mark.parametrize("kind,path", ANOMALIES)
def test_quang_ngai_numbering_anomalies(docs, kind, path):
    assert (kind, path) in {(a.kind, a.path) for a in docs["000"].anomalies}


def test_tien_giang_has_no_numbering_anomaly(docs):
    assert [a for a in docs["002"].anomalies if a.kind != "skipped_đ"] == []


def test_boilerplate_dropped_with_reason(docs):
    reasons = {(d.reason, d.text[:20]) for d in docs["004"].report.dropped}
    assert ("related-article link", "- Bắc Ninh: Tập huấn") in reasons
    assert ("source credit", "Theo ICTNews") in reasons
    assert ("web comment form / share bar", "Gửi bình luận") in reasons
    assert all("Ảnh" not in s.text for s in docs["003"].sections.values())


def test_spans_point_at_the_source(docs):
    for doc in docs.values():
        for section in doc.sections.values():
            head = doc.text[section.head_span.start:section.head_span.end]
            assert section.title.split(" ")[0] in head or section.kind is SectionKind.ROW
        for ref in doc.references:
            assert doc.text[ref.span.start:ref.span.end].replace("\n", " ").startswith(ref.raw.split()[0])


def test_report_counts(docs):
    report = docs["000"].report
    assert report.references_broken == 2 and report.references_ambiguous == 1
    assert report.references_resolved == 14
    assert report.sections == len(docs["000"].sections)
    assert report.legal_bases == 3
