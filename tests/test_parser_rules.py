"""Each parser rule on small hand-written snippets, including the genre's hard cases."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from loaders.errors import LoadError
from loaders.models import RefStatus, SectionKind
from loaders.pipeline import parse_file, parse_text
from loaders.references import parse_mention

PLAN = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG
|
Số: 12/KH-UBND
|
An Giang, ngày 05 tháng 01 năm 2024
|
KẾ HOẠCH
CHUYỂN ĐỔI SỐ NĂM 2024
Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ, UBND tỉnh ban hành Kế hoạch như sau:
I. MỤC TIÊU
1. Mục tiêu chung
a) Phát triển chính quyền số.
b) Phát triển kinh tế số.
II. NHIỆM VỤ
1. Nhiệm vụ chung
a) Chuyển đổi số trong lĩnh vực y tế
Xây dựng nền tảng khám chữa bệnh từ xa.
b) Chuyển đổi số trong lĩnh vực giao thông
Phát triển giao thông thông minh.
2. Nhiệm vụ riêng
a) Đào tạo kỹ năng số.
III. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
Chủ trì triển khai các nhiệm vụ được nêu tại điểm a khoản 1 mục II Kế hoạch này.
2. Sở Giao thông vận tải
Chủ trì triển khai các nhiệm vụ tại điểm a, b khoản 1; điểm a khoản 2; điểm c khoản 1 mục II.
3. Sở Tài chính
a) Chủ trì nội dung tại khoản 2 Điều 5 Nghị định số 45/2020/NĐ-CP.
b) Phối hợp thực hiện khoản 2.
"""


@pytest.fixture(scope="module")
def plan():
    return parse_text(PLAN, "an-giang.txt")


def test_header_identity(plan):
    ident = plan.identity
    assert (ident.number, ident.doc_type, ident.jurisdiction, ident.date) == ("12/KH-UBND", "Kế hoạch", "An Giang",
                                                                              "2024-01-05")
    assert plan.doc_id == "12/KH-UBND@an-giang-2024"


@pytest.mark.parametrize("raw,chains", [
    ("điểm c, d, đ khoản 1 mục II", [[(1, ["c", "d", "đ"]), (2, ["1"]), (3, ["II"])]]),
    ("khoản 2", [[(2, ["2"])]]),
    ("các điểm a, b, c khoản 2 mục II", [[(1, ["a", "b", "c"]), (2, ["2"]), (3, ["II"])]]),
    ("điểm a, b khoản 3; điểm a, c, e khoản 4 mục III",
     [[(1, ["a", "b"]), (2, ["3"]), (3, ["III"])], [(1, ["a", "c", "e"]), (2, ["4"]), (3, ["III"])]]),
    ("điểm e, khoản 5 của mục III", [[(1, ["e"]), (2, ["5"]), (3, ["III"])]]),
    ("khoản 2 Điều 3", [[(2, ["2"]), (4, ["3"])]]),
    ("điểm c, d khoản 3 và điểm e, khoản 5 của mục III",
     [[(1, ["c", "d"]), (2, ["3"]), (3, ["III"])], [(1, ["e"]), (2, ["5"]), (3, ["III"])]]),
])
def test_reference_grammar_distributes_trailing_levels(raw, chains):
    got = [[(level.kw, level.labels) for level in chain] for chain in parse_mention(raw)]
    assert got == chains


def test_resolution_statuses(plan):
    refs = {(r.source, r.target_path): r for r in plan.references}
    assert refs[("III.1", "II.1.a")].status is RefStatus.RESOLVED
    assert refs[("III.2", "II.1.b")].targets == ["II.1.b"]
    assert refs[("III.2", "II.2.a")].status is RefStatus.RESOLVED
    assert refs[("III.2", "II.1.c")].status is RefStatus.BROKEN       # asked for, does not exist
    # a bare "khoản 2" resolves inside the clause's own mục
    assert refs[("III.3.b", "III.2")].status is RefStatus.RESOLVED


def test_reference_to_another_documents_clause_is_not_internal(plan):
    assert not [r for r in plan.references if r.source == "III.3.a"]
    assert any(c.number == "45/2020/NĐ-CP" for c in plan.legal)


def test_preamble_citation_is_implemented(plan):
    cite = [c for c in plan.legal if c.number == "749/QĐ-TTg"][0]
    assert cite.relation.value == "implements" and cite.date == "2020-06-03"
    assert cite.issuer == "Thủ tướng Chính phủ"


def test_decision_with_attached_plan_keeps_both_trees():
    text = """QUYẾT ĐỊNH
Về việc ban hành Kế hoạch chuyển đổi số
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Các sở thực hiện khoản 1 Điều này và Điều 1.
KẾ HOẠCH
(Ban hành kèm theo Quyết định số 15/QĐ-UBND)
I. MỤC TIÊU
1. Mục tiêu chung.
II. NHIỆM VỤ
1. Nhiệm vụ một.
"""
    doc = parse_text(text)
    kinds = {p: s.kind for p, s in doc.sections.items()}
    assert kinds["Art1"] is SectionKind.ARTICLE and kinds["Art3"] is SectionKind.ARTICLE
    assert kinds["I"] is SectionKind.MUC and kinds["II.1"] is SectionKind.KHOAN
    refs = {r.target_path: r.status for r in doc.references if r.source == "Art3"}
    assert refs["Art1"] is RefStatus.RESOLVED


def test_letters_outside_sequence_and_skips():
    text = "I. NHIỆM VỤ\n1. Một.\na) A.\nb) B.\nf) F.\nb) B lần hai.\n3. Ba.\n"
    doc = parse_text(text)
    kinds = {(a.kind, a.path) for a in doc.anomalies}
    assert ("invalid_letter", "I.1.f") in kinds
    assert ("repeated", "I.1.b(2)") in kinds
    assert ("skipped", "I.3") in kinds


def test_prose_news_roles_stay_in_paragraphs():
    text = ("Ngày 20/3/2023, Chủ tịch UBND huyện Quảng Xương đã ban hành Kế hoạch số 80/KH-UBND về chuyển đổi số.\n\n"
            "Chủ tịch UBND huyện giao:\n\nGiao phòng Văn hoá và Thông tin là cơ quan đầu mối tổng hợp.\n")
    doc = parse_text(text)
    assert doc.identity.number == "80/KH-UBND" and doc.identity.jurisdiction_level == "district"
    assert any(s.kind is SectionKind.HEADING and s.title == "Chủ tịch UBND huyện giao" for s in doc.sections.values())


def test_decomposed_unicode_is_normalised(tmp_path):
    decomposed = unicodedata.normalize("NFD", PLAN)
    doc = parse_text(decomposed)
    assert doc.identity.jurisdiction == "An Giang"
    assert len(doc.references) == len(parse_text(PLAN).references)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258_form(text: str) -> str:
    """CP1258 keeps circumflex/breve/horn letters precomposed but writes tone marks as combining characters."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in _TONES)
            out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1258", "utf-8-sig"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / "plan.txt"
    source = _cp1258_form(PLAN) if encoding == "cp1258" else PLAN
    path.write_bytes(source.encode(encoding))
    doc = parse_file(path)
    assert doc.identity.number == "12/KH-UBND"
    assert doc.sections["II.1.a"].title == "Chuyển đổi số trong lĩnh vực y tế"


def test_html_tables_become_appendix_rows(tmp_path):
    html = """<html><body><p>I. MỤC TIÊU</p><p>1. Mục tiêu chung.</p>
<p>PHỤ LỤC 1</p><p>DANH MỤC NHIỆM VỤ</p>
<table><tr><th>STT</th><th>Nội dung</th><th>Chủ trì</th><th>Phối hợp</th></tr>
<tr><td>1</td><td>Xây dựng kho dữ liệu</td><td>Sở Thông tin và Truyền thông</td><td>Sở Nội vụ</td></tr>
<tr><td>2</td><td>Đào tạo kỹ năng số</td><td>Sở Nội vụ</td><td>Các sở, ban, ngành</td></tr></table>
</body></html>"""
    path = tmp_path / "plan.html"
    path.write_text(html, encoding="utf-8")
    doc = parse_file(path)
    rows = [s for s in doc.sections.values() if s.kind is SectionKind.ROW]
    assert [r.path for r in rows] == ["PL1.1", "PL1.2"]
    assert rows[0].cells["Chủ trì"] == "Sở Thông tin và Truyền thông"


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    for line in ["I. MỤC TIÊU", "1. Mục tiêu chung.", "a) Phát triển chính quyền số.", "PHỤ LỤC 1", "DANH MỤC"]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for i, cells in enumerate([("STT", "Nội dung", "Chủ trì"), ("1", "Kho dữ liệu", "Sở Y tế")]):
        for j, value in enumerate(cells):
            table.cell(i, j).text = value
    path = tmp_path / "plan.docx"
    document.save(path)
    doc = parse_file(path)
    assert doc.sections["I.1.a"].title == "Phát triển chính quyền số."
    assert doc.sections["PL1.1"].cells["Chủ trì"] == "Sở Y tế"


@pytest.mark.parametrize("name,content,reason", [
    ("broken.docx", b"PK\x03\x04 not really a zip", "not a readable .docx"),
    ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary content"),
    ("scan.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
    ("empty.txt", b"   \n\n", "document is empty"),
    ("plan.xls", b"whatever", "unsupported file type"),
])
def test_unreadable_files_name_the_file_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as err:
        parse_file(path)
    assert name in str(err.value) and reason in str(err.value)


_ALPHABET = st.sampled_from(list("abcdđeghiIVX0123456789.,;:)(-+| \n\tSốđiểmkhoảnmụcĐiều PHỤLỤC") +
                            ["điểm ", "khoản ", "mục ", "Điều ", "\n1. ", "\na) ", "\nII. ", "\n- ", "\n|\n",
                             "Quyết định số 749/QĐ-TTg", "PHỤ LỤC 1\n", "STT\n|\n"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_random_input_never_crashes(text):
    doc = parse_text(text)
    assert doc.report.file == "<text>"
    assert doc.report.sections == len(doc.sections)
    for ref in doc.references:
        assert 0 <= ref.span.start <= ref.span.end <= len(doc.text)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(PLAN)))
def test_truncated_plan_never_crashes(cut):
    doc = parse_text(PLAN[:cut])
    assert doc.report is not None


def _minimal_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Helvetica, ASCII), built byte by byte."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        ops.append("(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(_minimal_pdf(["I. MUC TIEU", "1. Muc tieu chung.", "a) Phat trien chinh quyen so.",
                                   "II. NHIEM VU", "1. Thuc hien diem a khoan 1 muc I."]))
    doc = parse_file(path)
    assert doc.sections["I.1.a"].title == "Phat trien chinh quyen so."
    assert [(r.target_path, r.status) for r in doc.references] == [("I.1.a", RefStatus.RESOLVED)]


def test_one_line_issuer_header_with_blank_lines():
    doc = parse_text("ỦY BAN NHÂN DÂN TỈNH BÌNH AN\nSố: 5/KH-UBND\n\nKẾ HOẠCH\nCHUYỂN ĐỔI SỐ\nI. MỤC TIÊU\n1. Một.\n")
    ident = doc.identity
    assert (ident.issuer, ident.jurisdiction, ident.title) == ("UBND tỉnh Bình An", "Bình An", "CHUYỂN ĐỔI SỐ")
