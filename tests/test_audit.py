"""Audit (graph/audit): seeds, hand-written plans containing each fault, and clean plans.

Run: PYTHONPATH=. .venv/bin/python -m pytest tests/test_audit.py -q
"""
from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

import pytest

from graph.audit import (COLUMNS, Finding, Kind, Severity, add_findings, filter_findings, findings_batch,
                         render_table, run_audit, to_csv, to_html, to_json, to_markdown)
from loaders.agencies import AgencyCatalog
from loaders.pipeline import parse_file, parse_text

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
QUANG_NGAI = PLANS / "000_b31da89777f99463.txt"
TIEN_GIANG = PLANS / "002_8dead71a1713ec0c.txt"
ALL_SEEDS = sorted(PLANS.glob("*.txt"))

# A small plan with one of each fault: misdirected (Sở NN&PTNT -> transport point), broken with a
# fitting sibling (Sở GTVT -> đ), field not in the target (lĩnh vực tài chính), repeated label
# referenced (ambiguous), "f)", khoản 3 skipped, a task with coordinators only, a short-form
# citation that cannot be resolved, "a, b, b" in a reference, an e-payment target below QĐ 749.
FAULTY = """ỦY BAN NHÂN DÂN
TỈNH BÌNH AN
-------
|
Số: 12/KH-UBND
|
Bình An, ngày 05 tháng 3 năm 2021
|
KẾ HOẠCH
CHUYỂN ĐỔI SỐ TỈNH BÌNH AN NĂM 2021
Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030; Kế hoạch số 74/KH-UBND ngày 12/6/2020 của UBND tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. MỤC TIÊU
1. Mục tiêu cơ bản đến năm 2025
a) Phát triển kinh tế số
- Kinh tế số chiếm 20% GRDP.
- Tỷ lệ dân số có tài khoản thanh toán điện tử trên 30%.
II. NHIỆM VỤ, GIẢI PHÁP
1. Chuyển đổi số trong các lĩnh vực ưu tiên
a) Chuyển đổi số trong lĩnh vực y tế
Triển khai bệnh án điện tử tại các bệnh viện.
b) Chuyển đổi số trong lĩnh vực nông nghiệp
Xây dựng cơ sở dữ liệu cây trồng, vật nuôi.
c) Chuyển đổi số trong lĩnh vực giao thông vận tải
Quản lý phương tiện, giấy phép lái xe trên môi trường số.
d) Chuyển đổi số trong lĩnh vực giáo dục
Số hóa học liệu cho các trường học.
f) Chuyển đổi số trong lĩnh vực du lịch
Xây dựng bản đồ số các điểm du lịch.
2. Bảo đảm an toàn thông tin
a) Giám sát an toàn thông tin mạng
Triển khai giám sát tập trung.
a) Diễn tập an toàn thông tin
Tổ chức diễn tập hằng năm.
4. Nâng cao kỹ năng số
Đào tạo kỹ năng số cho cán bộ, công chức.
III. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm a khoản 1 mục II Kế hoạch này.
2. Sở Nông nghiệp và Phát triển nông thôn
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm c khoản 1 mục II Kế hoạch này.
3. Sở Giao thông vận tải
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm đ khoản 1 mục II Kế hoạch này.
4. Sở Tài chính
Chủ trì triển khai chuyển đổi số trong lĩnh vực tài chính được quy định tại điểm b khoản 1 mục II Kế hoạch này.
5. Sở Giáo dục và Đào tạo
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm d khoản 1 mục II Kế hoạch này.
6. Sở Nội vụ
Phối hợp triển khai đào tạo kỹ năng số cho cán bộ, công chức trên địa bàn tỉnh.
7. Sở Thông tin và Truyền thông
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm a khoản 2 mục II Kế hoạch này; hướng dẫn thực hiện Quyết định 9999 về an toàn thông tin.
8. Sở Văn hóa, Thể thao và Du lịch
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm f khoản 1 mục II Kế hoạch này.
9. Sở Kế hoạch và Đầu tư
Phối hợp với các sở, ngành triển khai các nhiệm vụ tại điểm a, b, b khoản 1 mục II Kế hoạch này.
"""

# The same plan with every fault repaired (and bodies renamed after the 2025 reorganisation).
CLEAN = """ỦY BAN NHÂN DÂN
TỈNH BÌNH AN
-------
|
Số: 13/KH-UBND
|
Bình An, ngày 05 tháng 3 năm 2021
|
KẾ HOẠCH
CHUYỂN ĐỔI SỐ TỈNH BÌNH AN NĂM 2021
Thực hiện Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ phê duyệt Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030; Kế hoạch số 74/KH-UBND ngày 12/6/2020 của UBND tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. MỤC TIÊU
1. Mục tiêu cơ bản đến năm 2025
a) Phát triển kinh tế số
- Kinh tế số chiếm 20% GRDP.
- Tỷ lệ dân số có tài khoản thanh toán điện tử trên 50%.
II. NHIỆM VỤ, GIẢI PHÁP
1. Chuyển đổi số trong các lĩnh vực ưu tiên
a) Chuyển đổi số trong lĩnh vực y tế
Triển khai bệnh án điện tử tại các bệnh viện.
b) Chuyển đổi số trong lĩnh vực nông nghiệp
Xây dựng cơ sở dữ liệu cây trồng, vật nuôi.
c) Chuyển đổi số trong lĩnh vực giao thông vận tải
Quản lý phương tiện, giấy phép lái xe trên môi trường số.
d) Chuyển đổi số trong lĩnh vực giáo dục
Số hóa học liệu cho các trường học.
đ) Chuyển đổi số trong lĩnh vực du lịch
Xây dựng bản đồ số các điểm du lịch.
e) Chuyển đổi số trong lĩnh vực tài chính
Số hóa quản lý ngân sách, kho bạc nhà nước.
2. Bảo đảm an toàn thông tin
a) Giám sát an toàn thông tin mạng
Triển khai giám sát tập trung.
b) Diễn tập an toàn thông tin
Tổ chức diễn tập hằng năm.
3. Nâng cao kỹ năng số
Đào tạo kỹ năng số cho cán bộ, công chức.
III. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm a khoản 1 mục II Kế hoạch này.
2. Sở Nông nghiệp và Môi trường
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm b khoản 1 mục II Kế hoạch này.
3. Sở Xây dựng
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm c khoản 1 mục II Kế hoạch này.
4. Sở Tài chính
Chủ trì triển khai chuyển đổi số trong lĩnh vực tài chính được quy định tại điểm e khoản 1 mục II Kế hoạch này.
5. Sở Giáo dục và Đào tạo
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm d khoản 1 mục II Kế hoạch này.
6. Sở Nội vụ
Chủ trì triển khai đào tạo kỹ năng số cho cán bộ, công chức trên địa bàn tỉnh.
7. Sở Khoa học và Công nghệ
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm a khoản 2 mục II Kế hoạch này.
8. Sở Văn hóa, Thể thao và Du lịch
Chủ trì triển khai các nhiệm vụ, giải pháp được nêu tại điểm đ khoản 1 mục II Kế hoạch này.
9. Sở Tài chính
Chủ trì, phối hợp với các sở, ngành theo dõi các nhiệm vụ tại điểm a, b, c khoản 1 mục II Kế hoạch này.
"""

# Body versus appendix: two conflicts (20% vs 25% GRDP; 80% vs 100% reports), one agreement
# (tối thiểu 10% vs 10%); QĐ 749 cited with a wrong date; a local plan with another date.
CONFLICT = """ỦY BAN NHÂN DÂN
TỈNH BÌNH AN
-------
|
Số: 20/KH-UBND
|
Bình An, ngày 10 tháng 5 năm 2022
|
KẾ HOẠCH
PHÁT TRIỂN KINH TẾ SỐ TỈNH BÌNH AN
Thực hiện Quyết định số 749/QĐ-TTg ngày 05/6/2020 của Thủ tướng Chính phủ; Kế hoạch số 74/KH-UBND ngày 15/7/2020 của UBND tỉnh, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. MỤC TIÊU
1. Mục tiêu cơ bản đến năm 2025
- Kinh tế số chiếm 20% GRDP.
- Tỷ trọng kinh tế số trong từng ngành, lĩnh vực đạt tối thiểu 10%.
- 80% chế độ báo cáo, chỉ tiêu tổng hợp báo cáo định kỳ và báo cáo thống kê về kinh tế - xã hội được kết nối, tích hợp, chia sẻ dữ liệu số trên Hệ thống thông tin báo cáo của tỉnh.
II. NHIỆM VỤ
1. Phát triển thương mại điện tử
Sở Công Thương chủ trì, phối hợp với Sở Thông tin và Truyền thông triển khai sàn thương mại điện tử của tỉnh.
PHỤ LỤC 1
PHÂN CÔNG THEO DÕI CÁC CHỈ TIÊU
STT
|
NỘI DUNG CHỈ TIÊU
|
CHỦ TRÌ
|
PHỐI HỢP
|
I
|
ĐẾN NĂM 2025
|
|
|
1
|
Kinh tế số chiếm 25% GRDP.
|
Sở Kế hoạch và Đầu tư
|
Các sở, ban, ngành
|
2
|
Tỷ trọng kinh tế số trong từng ngành, lĩnh vực đạt 10%.
|
Sở Kế hoạch và Đầu tư
|
Các sở, ban, ngành
|
3
|
100% chế độ báo cáo, chỉ tiêu tổng hợp báo cáo định kỳ và báo cáo thống kê về kinh tế - xã hội được kết nối, tích hợp, chia sẻ dữ liệu số trên Hệ thống thông tin báo cáo của tỉnh.
|
Văn phòng UBND tỉnh
|
Sở Thông tin và Truyền thông
|
"""


@lru_cache(maxsize=None)
def _parse_file(path: str):
    return parse_file(path)


@lru_cache(maxsize=None)
def _parse_text(name: str):
    return parse_text({"faulty": FAULTY, "clean": CLEAN, "conflict": CONFLICT}[name], f"{name}.txt")


@pytest.fixture(scope="module")
def catalog():
    return AgencyCatalog.load()


@pytest.fixture(scope="module")
def seeds():
    return [_parse_file(str(p)) for p in ALL_SEEDS]


@pytest.fixture(scope="module")
def seed_findings(seeds, catalog):
    return run_audit(seeds, catalog)


def of(findings, doc, kind=None):
    return [f for f in findings if f.document == doc.doc_id and (kind is None or f.kind == kind)]


def by_path(findings):
    return {f.path: f for f in findings}


# ---------------------------------------------------------------------------- Quảng Ngãi (000)

@pytest.fixture(scope="module")
def qn(seeds):
    return next(d for d in seeds if d.source.endswith(QUANG_NGAI.name))


def test_qn_broken_references_with_fitting_siblings(qn, seed_findings):
    broken = by_path(of(seed_findings, qn, Kind.BROKEN_REFERENCE))
    assert set(broken) == {"III.8.a", "III.12"}
    assert broken["III.8.a"].target == "II.1.e" and broken["III.12"].target == "II.5.đ"
    assert all(f.severity is Severity.ERROR for f in broken.values())
    # Department of Transport -> II.5.đ missing: the transport point is II.5.d
    assert "II.5.d" in broken["III.12"].suggestion and "giao thông" in broken["III.12"].evidence
    # Department of Science and Technology -> II.1.e missing: the research/innovation point
    assert "II.1.c(2)" in broken["III.8.a"].suggestion
    assert "nghiên cứu" in broken["III.8.a"].evidence
    assert ("Missing", f"{qn.doc_id}#missing:II.5.đ") in broken["III.12"].about


def test_qn_ambiguous_reference(qn, seed_findings):
    amb = of(seed_findings, qn, Kind.AMBIGUOUS_REFERENCE)
    assert [(f.path, f.target) for f in amb] == [("III.3.b", "II.1.c")]
    assert amb[0].severity is Severity.WARNING
    assert "II.1.c(2)" in amb[0].evidence
    assert "II.1.c “Phát triển hạ tầng số”" in amb[0].suggestion     # fits the DIC's domain


def test_qn_misdirected_references(qn, seed_findings):
    mis = by_path(of(seed_findings, qn, Kind.MISDIRECTED_REFERENCE))
    assert set(mis) == {"III.11", "III.7.a"}
    agri = mis["III.11"]
    assert agri.target == "II.5.d" and "II.5.c" in agri.suggestion
    assert "nông nghiệp" in agri.evidence and "giao thông" in agri.evidence    # words that failed / matched
    fin = mis["III.7.a"]
    assert fin.target == "II.5.c" and "orphaned" in fin.suggestion and "tài chính" in fin.suggestion
    assert "nông nghiệp" in fin.evidence                                    # II.5.c is about agriculture
    assert "dof@quang-ngai" in fin.agencies and "dard@quang-ngai" in agri.agencies
    # DOT's point (II.5.đ) is broken, not misdirected; the others fit
    assert all(f.severity is Severity.WARNING for f in mis.values())


def test_qn_numbering(qn, seed_findings):
    num = [(f.kind, f.path) for f in of(seed_findings, qn) if f.kind.startswith("numbering_")]
    assert (Kind.NUMBERING_SKIPPED, "III.17") in num                 # khoản 16 missing in mục III
    assert (Kind.NUMBERING_REPEATED, "II.1.c(2)") in num             # a second "c" in II.1
    assert (Kind.NUMBERING_INVALID_LETTER, "II.5.f") in num          # "f" in II.5
    assert (Kind.NUMBERING_REPEATED_IN_REFERENCE, "III.3.b") in num  # "c, d, d"
    assert (Kind.NUMBERING_SKIPPED_DD, "II.5.e") in num
    assert all(f.severity is Severity.INFO for f in of(seed_findings, qn) if f.kind.startswith("numbering_"))
    skipped = next(f for f in of(seed_findings, qn, Kind.NUMBERING_SKIPPED))
    assert "16" in skipped.evidence


def test_qn_e_payment_below_national(qn, seed_findings):
    below = {f.target: f for f in of(seed_findings, qn, Kind.TARGET_BELOW_NATIONAL)}
    f = below["e_payment_accounts 2025"]
    assert f.severity is Severity.WARNING and f.path == "I.1.c.-3"
    assert "30%" in f.evidence and "50%" in f.evidence and "749/QĐ-TTg" in f.evidence
    assert "Điều 1, mục II.1.c" in f.evidence                        # source clause of the national target
    assert any(label == "Target" for label, _ in f.about)


def test_qn_reorganised_agencies(qn, seed_findings):
    reorg = {f.target: f for f in of(seed_findings, qn, Kind.AGENCY_REORGANISED)}
    assert "Sở Xây dựng" in reorg["dot@quang-ngai"].suggestion
    assert "Sở Khoa học và Công nghệ" in reorg["dic@quang-ngai"].suggestion
    assert all(f.severity is Severity.INFO for f in reorg.values())


# ---------------------------------------------------------------------------- Tiền Giang (002)

@pytest.fixture(scope="module")
def tg(seeds):
    return next(d for d in seeds if d.source.endswith(TIEN_GIANG.name))


def test_tg_no_broken_ambiguous_or_misdirected_reference(tg, seed_findings):
    kinds = {f.kind for f in of(seed_findings, tg)}
    assert not kinds & {Kind.BROKEN_REFERENCE, Kind.AMBIGUOUS_REFERENCE, Kind.MISDIRECTED_REFERENCE}


def test_tg_exactly_the_five_body_appendix_conflicts(tg, seed_findings):
    conflicts = [f for f in of(seed_findings, tg, Kind.TARGET_CONFLICT) if f.severity is Severity.ERROR]
    got = {f.target: f for f in conflicts}
    assert set(got) == {
        "digital_economy_share_grdp 2025", "digital_economy_share_grdp 2030", "online_public_services_level4 2025",
        "reports_connected 2025", "sector_digital_economy_share 2030",
    }
    assert len(conflicts) == 5
    expect = {
        "digital_economy_share_grdp 2025": ("15%", "20%", "PL1."),
        "digital_economy_share_grdp 2030": ("25%", "30%", "PL1."),
        "online_public_services_level4 2025": ("90%", "80%", "PL1."),
        "reports_connected 2025": ("80%", "100%", "PL1."),
        "sector_digital_economy_share 2030": ("15%", "20%", "PL1."),
    }
    for key, (body, appendix, pl) in expect.items():
        ev = got[key].evidence
        assert body in ev and appendix in ev and pl in ev, (key, ev)
        assert not got[key].path.startswith("PL")                     # the finding stands on the body clause
    assert not of(seed_findings, tg, Kind.TARGET_CONFLICT)[0].severity is Severity.INFO


# ---------------------------------------------------------------------------- all seeds

def test_seeds_have_no_legal_false_alarms(seed_findings):
    assert not [f for f in seed_findings if f.kind == Kind.LEGAL_INCONSISTENT]


def test_every_finding_is_complete(seed_findings):
    assert seed_findings
    for f in seed_findings:
        assert f.kind in Kind.ALL and isinstance(f.severity, Severity)
        assert f.document and f.path and f.evidence, f
        assert f.about, f


# ---------------------------------------------------------------------------- hand-written plans

@pytest.fixture(scope="module")
def small(catalog):
    docs = [_parse_text("faulty"), _parse_text("clean"), _parse_text("conflict")]
    return docs, run_audit(docs, catalog)


def test_faulty_plan_has_each_fault(small):
    (faulty, _clean, _conflict), findings = small
    got = {(f.kind, f.path) for f in of(findings, faulty)}
    assert (Kind.BROKEN_REFERENCE, "III.3") in got
    assert (Kind.MISDIRECTED_REFERENCE, "III.2") in got
    assert (Kind.MISDIRECTED_REFERENCE, "III.4") in got
    assert (Kind.AMBIGUOUS_REFERENCE, "III.7") in got
    assert (Kind.NUMBERING_INVALID_LETTER, "II.1.f") in got
    assert (Kind.NUMBERING_REPEATED, "II.2.a(2)") in got
    assert (Kind.NUMBERING_SKIPPED, "II.4") in got
    assert (Kind.NUMBERING_REPEATED_IN_REFERENCE, "III.9") in got
    assert (Kind.TASK_NO_LEAD, "III.6") in got
    assert (Kind.LEGAL_UNRESOLVED, "III.7") in got
    assert (Kind.TARGET_BELOW_NATIONAL, "I.1.a.-2") in got
    assert (Kind.AGENCY_REORGANISED, "III.3") in got
    f = by_path(of(findings, faulty, Kind.MISDIRECTED_REFERENCE))
    assert "II.1.b" in f["III.2"].suggestion                           # agriculture point
    assert "orphaned" in f["III.4"].suggestion                          # no finance point
    broken = of(findings, faulty, Kind.BROKEN_REFERENCE)[0]
    assert "II.1.c" in broken.suggestion and "giao thông" in broken.evidence
    no_lead = of(findings, faulty, Kind.TASK_NO_LEAD)[0]
    assert no_lead.severity is Severity.WARNING and "doha@binh-an" in no_lead.agencies


def test_clean_plan_has_no_error_or_warning(small):
    (_faulty, clean, _conflict), findings = small
    bad = [f for f in of(findings, clean) if f.severity is not Severity.INFO]
    assert bad == []
    kinds = {f.kind for f in of(findings, clean)}
    assert not any(k.startswith("numbering_") for k in kinds)
    assert Kind.AGENCY_REORGANISED not in kinds                        # already the 2025 bodies


def test_list_clause_is_not_misdirected(small):
    """Sở Tài chính 'chủ trì ... theo dõi điểm a, b, c' (a cross-cutting role) is no misdirection."""
    (_faulty, clean, _conflict), findings = small
    assert not of(findings, clean, Kind.MISDIRECTED_REFERENCE)


def test_conflicts_body_versus_appendix(small):
    (_faulty, _clean, conflict), findings = small
    conflicts = {f.target: f for f in of(findings, conflict, Kind.TARGET_CONFLICT)}
    assert set(conflicts) == {"digital_economy_share_grdp 2025", "reports_connected 2025"}
    f = conflicts["digital_economy_share_grdp 2025"]
    assert f.severity is Severity.ERROR and "20%" in f.evidence and "25%" in f.evidence and "PL1.1" in f.evidence
    assert "749/QĐ-TTg" in f.suggestion                                 # the implemented national value
    assert sum(1 for label, _ in f.about if label == "Target") == 2
    # appendix says 100%: the plan's best value meets QĐ 749 -> not weaker than national
    assert not [x for x in of(findings, conflict, Kind.TARGET_BELOW_NATIONAL) if x.target == "reports_connected 2025"]


def test_same_clause_conflict_is_info():
    doc = parse_text(CLEAN.replace("- Kinh tế số chiếm 20% GRDP.",
                                   "- Kinh tế số chiếm 20% GRDP; kinh tế số chiếm 25% GRDP."), "same.txt")
    found = [f for f in run_audit([doc]) if f.kind == Kind.TARGET_CONFLICT]
    assert found and all(f.severity is Severity.INFO for f in found)
    assert "one clause" in found[0].evidence


def test_legal_dates_across_corpus(small, catalog):
    (faulty, _clean, conflict), findings = small
    legal = [(f.document, f.target) for f in findings if f.kind == Kind.LEGAL_INCONSISTENT]
    assert (conflict.doc_id, "749/QĐ-TTg") in legal                   # 05/6/2020 vs registry 03/6/2020
    assert (faulty.doc_id, "749/QĐ-TTg") not in legal                 # faulty cites the right date
    assert (conflict.doc_id, "74/KH-UBND") in legal                   # same province, other date
    f = next(f for f in findings if f.kind == Kind.LEGAL_INCONSISTENT and f.target == "749/QĐ-TTg")
    assert "03/06/2020" in f.suggestion


def test_local_numbers_compared_within_jurisdiction_only(catalog):
    other = parse_text(FAULTY.replace("TỈNH BÌNH AN", "TỈNH HÒA THUẬN").replace("Bình An,", "Hòa Thuận,")
                       .replace("ngày 12/6/2020", "ngày 01/02/2019"), "other.txt")
    assert other.identity.jurisdiction != _parse_text("faulty").identity.jurisdiction
    findings = run_audit([_parse_text("faulty"), other], catalog)
    assert not [f for f in findings if f.kind == Kind.LEGAL_INCONSISTENT and f.target == "74/KH-UBND"]


def test_issuer_inconsistency(catalog):
    doc = parse_text(CLEAN.replace("ngày 03/6/2020 của Thủ tướng Chính phủ", "ngày 03/6/2020 của Chính phủ"), "iss.txt")
    found = [f for f in run_audit([doc], catalog) if f.kind == Kind.LEGAL_INCONSISTENT]
    assert [f.target for f in found] == ["749/QĐ-TTg"] and "issuer" in found[0].evidence


def test_partner_named_no_lead_is_info(catalog):
    doc = parse_text(CLEAN.replace("Chủ trì triển khai đào tạo kỹ năng số",
                                   "Phối hợp với Sở Khoa học và Công nghệ triển khai đào tạo kỹ năng số"), "p.txt")
    f = [x for x in run_audit([doc], catalog) if x.kind == Kind.TASK_NO_LEAD]
    assert len(f) == 1 and f[0].severity is Severity.INFO and "Sở Khoa học và Công nghệ" in f[0].suggestion


# ---------------------------------------------------------------------------- filters and renderers

def test_filters(seed_findings, qn, catalog):
    only_qn = filter_findings(seed_findings, document="quang-ngai")
    assert only_qn and all(f.document == qn.doc_id for f in only_qn)
    assert all(f.kind.startswith("numbering_") for f in filter_findings(seed_findings, kind="numbering"))
    errors = filter_findings(seed_findings, min_severity="error")
    assert errors and all(f.severity is Severity.ERROR for f in errors)
    warn = filter_findings(seed_findings, min_severity=Severity.WARNING)
    assert {f.severity for f in warn} <= {Severity.ERROR, Severity.WARNING}
    dof = filter_findings(seed_findings, agency="DOF", catalog=catalog)
    assert any(f.kind == Kind.MISDIRECTED_REFERENCE and f.path == "III.7.a" for f in dof)
    assert filter_findings(seed_findings, agency="dot@quang-ngai")
    both = filter_findings(seed_findings, kind="broken_reference,ambiguous_reference", document=qn.doc_id)
    assert {f.kind for f in both} == {Kind.BROKEN_REFERENCE, Kind.AMBIGUOUS_REFERENCE}


def test_renderers_have_stable_columns(seed_findings):
    fs = seed_findings[:6]
    rows = list(csv.DictReader(io.StringIO(to_csv(fs))))
    assert tuple(rows[0].keys()) == COLUMNS == ("kind", "severity", "document", "path", "quote", "target",
                                                 "suggestion", "evidence")
    assert len(rows) == len(fs) and rows[0]["kind"] == fs[0].kind
    data = json.loads(to_json(fs))
    assert [d["kind"] for d in data] == [f.kind for f in fs] and set(COLUMNS) <= set(data[0])
    md = to_markdown(fs).splitlines()
    assert md[0] == "| " + " | ".join(COLUMNS) + " |" and len(md) == len(fs) + 2
    page = to_html(fs)
    assert page.startswith("<!DOCTYPE html>") and page.count("<tr") == len(fs) + 1
    from rich.console import Console
    console = Console(record=True, width=200)
    render_table(fs, console)
    assert fs[0].kind in console.export_text()


def test_markdown_escapes_pipes():
    f = Finding("target_conflict", Severity.ERROR, "d", "PL1.1", "a | b", None, None, "x")
    assert "a \\| b" in to_markdown([f])


# ---------------------------------------------------------------------------- graph facts

def test_findings_as_graph_facts(qn, seed_findings, catalog):
    from graph.build import build_batch

    batch = build_batch(qn, catalog)
    nodes_before = len(batch.nodes)
    mine = of(seed_findings, qn)
    added = add_findings(batch, seed_findings)
    assert added == len(mine)
    findings = [n for n in batch.nodes[nodes_before:]]
    assert all(n.labels == ("Finding",) for n in findings)
    ids = {n.id for n in findings}
    assert f"{qn.doc_id}#finding:broken_reference:III.12:1" in ids
    node_ids = {n.id for n in batch.nodes}
    about = [e for e in batch.edges if e.type == "ABOUT"]
    assert about and all(e.src in ids and (e.dst in node_ids or e.dst_label == "Document") for e in about)
    assert {e.dst_label for e in about} >= {"Section", "Missing", "Target"}
    broken = next(n for n in findings if n.id.endswith("broken_reference:III.12:1"))
    assert set(broken.props) >= {"id", "doc_id", "kind", "severity", "path", "quote", "target", "suggestion",
                                 "evidence", "line"}
    assert any(e.src == broken.id and e.dst == f"{qn.doc_id}#missing:II.5.đ" for e in about)
    # standalone rows, other documents' findings skipped
    rows = findings_batch(qn.doc_id, seed_findings)
    assert sum(1 for r in rows if hasattr(r, "labels")) == len(mine)


def test_findings_in_store(falkor_store, qn, seed_findings, catalog):
    from graph.build import build_batch

    batch = build_batch(qn, catalog)
    add_findings(batch, seed_findings)
    falkor_store.replace_document(batch)
    rows = falkor_store.run("MATCH (f:Finding {kind: 'misdirected_reference'})-[:ABOUT]->(s:Section) "
                            "RETURN f.path AS path, collect(s.path) AS about ORDER BY path")
    got = {r["path"]: set(r["about"]) for r in rows}
    assert got["III.11"] >= {"III.11", "II.5.d", "II.5.c"}
    n = falkor_store.run("MATCH (f:Finding) RETURN count(f) AS n")[0]["n"]
    assert n == len(of(seed_findings, qn))


def test_corpus_audit_is_reused_until_a_file_changes(tmp_path):
    from graph.audit.corpus import audit_files

    plan = tmp_path / "plan.txt"
    plan.write_text(FAULTY, encoding="utf-8")
    first = audit_files([plan])
    assert audit_files([plan]) is first                     # unchanged file: no re-parse
    plan.write_text(CLEAN + "\n", encoding="utf-8")
    second = audit_files([plan])
    assert second is not first
    assert {f.kind for f in second.findings} != {f.kind for f in first.findings}
