"""Targets (chỉ tiêu) and indicator keys: table-driven, on real sentences from the seed plans."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from loaders.indicators import indicator_key, load_indicators, load_national_targets
from loaders.text import fold_keep_offsets
from loaders.models import DocumentIdentity, ParsedDocument, ParseReport, Section, SectionKind, Span
from loaders.targets import extract_targets, find_targets, parse_number
from loaders.text import fold

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"

# ---------------------------------------------------------------------------------------
# Sentence level: one row per real sentence.
# expected: [(indicator_key, comparator, value, value_max, unit, year, baseline_value), ...]

SENTENCES = [
    ("- 90% hồ sơ công việc tại cấp tỉnh; 80% hồ sơ công việc tại cấp huyện và 60% hồ sơ công việc tại cấp xã "
     "được xử lý trên môi trường mạng (trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước);", 2025,
     [("work_records_online_province", "=", 90, None, "%", 2025, None),
      ("work_records_online_district", "=", 80, None, "%", 2025, None),
      ("work_records_online_commune", "=", 60, None, "%", 2025, None)]),
    ("- Kinh tế số chiếm 15% đến 20% GRDP;", 2030,
     [("digital_economy_share_grdp", "range", 15, 20, "%", 2030, None)]),
    ("Kinh tế số chiếm 15-20% GRDP.", 2030,
     [("digital_economy_share_grdp", "range", 15, 20, "%", 2030, None)]),
    ("- Tỷ lộ dân số có tài khoản thanh toán điện tử trên 30%.", 2025,
     [("e_payment_accounts", ">", 30, None, "%", 2025, None)]),
    ("- Ty le dan so co tai khoan thanh toan dien tu tren 50%.", 2025,     # typed without diacritics
     [("e_payment_accounts", ">", 50, None, "%", 2025, None)]),
    ("- 80% dịch vụ công trực tuyến mức độ 4 được cung cấp trên nhiều phương tiện truy cập khác nhau, "
     "bao gồm cả thiết bị di động;", 2025,
     [("online_public_services_level4", "=", 80, None, "%", 2025, None)]),
    ("- Hạ tầng mạng băng rộng cáp quang phủ trên 80% hộ gia đình, 100% xã, phường, thị trấn.", 2025,
     [("fibre_households", ">", 80, None, "%", 2025, None), ("fibre_communes", "=", 100, None, "%", 2025, None)]),
    ("- Hình thành nền tảng dữ liệu và hạ tầng Internet kết nối vạn vật (loT), kết nối, chia sẻ rộng khắp giữa "
     "các cơ quan nhà nước, giám 30% thủ tục hành chính; mở dữ liệu cho các tổ chức, doanh nghiệp, tăng 30% dịch "
     "vụ sáng tạo dựa trên dữ liệu phục vụ người dân, doanh nghiệp trên nền tảng kết hợp dữ liệu mở;", 2030,
     [("admin_procedures_reduction", "=", 30, None, "%", 2030, None),
      ("data_based_services_increase", "=", 30, None, "%", 2030, None)]),
    ("- Tỷ trọng kinh tế số trong từng ngành, lĩnh vực đạt tối thiểu 10%.", 2025,
     [("sector_digital_economy_share", ">=", 10, None, "%", 2025, None)]),
    ("- Năng suất lao động hàng năm tăng bình quân trên 7%.", 2025,
     [("labour_productivity_growth", ">", 7, None, "%", 2025, None)]),
    ("- Mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính đạt tối thiểu 90%. Trong đó, "
     "mức độ hài lòng về giải quyết các thủ tục hành chính thuộc lĩnh vực đất đai, xây dựng, đầu tư đạt tối thiểu 85%.",
     2025,
     [("admin_procedure_satisfaction", ">=", 90, None, "%", 2025, None),
      ("admin_procedure_satisfaction_land_construction_investment", ">=", 85, None, "%", 2025, None)]),
    ("- 90% người dân, doanh nghiệp hài lòng với các dịch vụ của Chính quyền số Tiền Giang cung cấp.", 2030,
     [("citizen_satisfaction_digital_government", "=", 90, None, "%", 2030, None)]),
    ("70% dịch vụ công trực tuyến có phát sinh hồ sơ.", 2025,
     [("online_services_with_records", "=", 70, None, "%", 2025, None)]),
    ("60% hồ sơ thủ tục hành chính được xử lý hoàn toàn trên môi trường mạng.", 2025,
     [("procedures_fully_online", "=", 60, None, "%", 2025, None)]),
    ("100% dịch vụ công trực tuyến có chức năng định danh, xác thực một lần và thanh toán trực tuyến; 80% dịch vụ "
     "công trực tuyến mức độ 4, được cung cấp trên nhiều phương tiện truy cập khác nhau.", 2025,
     [("online_services_identity_payment", "=", 100, None, "%", 2025, None),
      ("online_public_services_level4", "=", 80, None, "%", 2025, None)]),
    ("100% cán bộ, công chức, viên chức được tập huấn, bồi dưỡng về kỹ năng số; trong đó, 30% được tập huấn, "
     "bồi dưỡng về phân tích và xử lý dữ liệu.", 2025,
     [("officials_trained_digital_skills", "=", 100, None, "%", 2025, None),
      ("officials_trained_data_analysis", "=", 30, None, "%", 2025, None)]),
    # the year in the sentence wins over the context; "tỷ lệ là" refers back to the previous indicator
    ("b) Phối hợp với Sở Thông tin và Truyền thông xây dựng hệ thống thông tin báo cáo của tỉnh; triển khai lộ "
     "trình đến năm 2025 có ít nhất 80% dịch vụ công trực tuyến mức độ 4 và đến năm 2030 tỷ lệ là 100%.", None,
     [("online_public_services_level4", ">=", 80, None, "%", 2025, None),
      ("online_public_services_level4", "=", 100, None, "%", 2030, None)]),
    ("- Xây dựng và triển khai hệ thống hồ sơ sức khỏe cá nhân theo mẫu do Bộ Y tế ban hành; phấn đấu trong năm "
     "2022, tối thiểu 80% người dân được lập hồ sơ sức khỏe điện tử; đến năm 2025, 95% người dân trên địa bàn "
     "tỉnh có hồ sơ sức khỏe điện tử.", 2030,
     [("electronic_health_records", ">=", 80, None, "%", 2022, None),
      ("electronic_health_records", "=", 95, None, "%", 2025, None)]),
    # prose (news articles)
    ("Về phát triển kinh tế số, Điện Biên phấn đấu năm 2025 kinh tế số chiếm 10% GRDP, tỷ trọng kinh tế số trong "
     "từng ngành, lĩnh vực đạt tối thiểu 10% và năng suất lao động hàng năm tăng tối thiểu 7%.", None,
     [("digital_economy_share_grdp", "=", 10, None, "%", 2025, None),
      ("sector_digital_economy_share", ">=", 10, None, "%", 2025, None),
      ("labour_productivity_growth", ">=", 7, None, "%", 2025, None)]),
    ("Theo kế hoạch, về phát triển Chính quyền số, mục tiêu của Điện Biên đến năm 2025 là 80% dịch vụ công trực "
     "tuyến mức độ 4, được cung cấp trên nhiều phương tiện truy cập khác nhau; 90% hồ sơ công việc tại cấp bộ, "
     "tỉnh; 80% hồ sơ công việc tại cấp huyện và 60% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng;",
     None,
     [("online_public_services_level4", "=", 80, None, "%", 2025, None),
      ("work_records_online_province", "=", 90, None, "%", 2025, None),
      ("work_records_online_district", "=", 80, None, "%", 2025, None),
      ("work_records_online_commune", "=", 60, None, "%", 2025, None)]),
    ("Đối với phát triển xã hội số, thu hẹp khoảng cách số, các mục tiêu cơ bản được Điện Biên đặt ra đến năm 2025 "
     "gồm có: Hạ tầng mạng băng rộng cáp quang phủ trên 80% hộ gia đình, 100% xã; Phổ cập dịch vụ mạng di động "
     "4G/5G và điện thoại di động thông minh; Tỷ lệ dân số có tài khoản thanh toán điện tử trên 50%.", None,
     [("fibre_households", ">", 80, None, "%", 2025, None), ("fibre_communes", "=", 100, None, "%", 2025, None),
      ("e_payment_accounts", ">", 50, None, "%", 2025, None)]),
    ("Về Xã hội số: Tỷ lệ dân số từ 15 tuổi trở lên có tài khoản giao dịch thanh toán tại ngân hàng hoặc tổ chức "
     "được phép khác đạt 50%; Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân đạt trên 30%;Tỷ "
     "lệ người dân kết nối mạng được bảo vệ ở mức cơ bản đạt từ 50% trở lên; Tỷ lệ người dân có hồ sơ sức khỏe "
     "điện tử đạt 90% trở lên;", 2023,
     [("bank_accounts_15plus", "=", 50, None, "%", 2023, None),
      ("digital_signature_adults", ">", 30, None, "%", 2023, None),
      ("protected_network_users", ">=", 50, None, "%", 2023, None),
      ("electronic_health_records", ">=", 90, None, "%", 2023, None)]),
    ("Về Kinh tế số: Tỷ trọng thương mại điện tử trong tổng mức bán lẻ đạt trên 10%; Tỷ lệ doanh nghiệp sử dụng "
     "hợp đồng điện tử đạt trên 50%;", 2023,
     [("ecommerce_retail_share", ">", 10, None, "%", 2023, None),
      ("enterprises_e_contracts", ">", 50, None, "%", 2023, None)]),
    ("100% các hệ thống thông tin được triển khai đầy đủ phương án bảo đảm an toàn hệ thống thông tin theo cấp độ "
     "yêu cầu trước ngày 01/6/2023; Tham gia diễn tập đảm bảo an toàn thông tin theo kế hoạch của tỉnh.", None,
     [("information_systems_security_level", "=", 100, None, "%", 2023, None)]),
    ("Tối thiểu có 06 xã hoàn thành chuyển đổi số cấp xã; trong đó 06 xã gồm: Quảng Định, Quảng Ngọc, Quảng Đức "
     "hoàn thành chuyển đổi số theo Quyết định số 1533/QĐ-UBND ngày 22/4/2022 của UBND huyện Quảng Xương về việc "
     "giao chỉ tiêu giai đoạn 2022 – 2025;", 2023,
     [("communes_completing_digital_transformation", ">=", 6, None, "count", 2023, None)]),
    # task blocks with baselines (Ninh Thuận DTI plan)
    ("+ Phấn đấu 100% người dân trưởng thành và hộ gia đình có điện thoại thông minh; có kết nối Internet băng "
     "rộng cáp quang. (Năm 2022: Tỷ lệ dân số trưởng thành có điện thoại thông minh 6,03/10 điểm, đạt tỷ lệ "
     "60,29%; Tỷ lệ hộ gia đình có người có điện thoại thông minh 8,38/10 điểm đạt tỷ lệ 83,78%).", None,
     [("smartphone_adults", "=", 100, None, "%", None, 60.29)]),
    ("- Mục tiêu: tối thiểu 50% dân số trên địa bản tỉnh được tiếp cận tham gia lớp tập huấn kỹ năng số và 70% "
     "số lượng công chức, viên chức của tỉnh được bồi dưỡng, tập huấn về chuyển đổi số. (Năm 2022: 0,04/5 điểm, "
     "đạt tỷ lệ 2,4% và 4,21/10 điểm đạt tỷ lệ 42,09%).", 2023,
     [("citizens_trained_digital_skills", ">=", 50, None, "%", 2023, 2.4),
      ("officials_trained_digital_skills", "=", 70, None, "%", 2023, 42.09)]),
    ("- Mục tiêu: 100% các hệ thống được đánh giá, phê duyệt mức độ ATTT, tổ chức ít nhất 02 lần diễn tập; 100% "
     "các máy tính người dùng được cài đặt phần mềm phòng chống mã độc (Năm 2022: 12,14/25 điểm, đạt 48,56%).", 2023,
     [("information_systems_security_level", "=", 100, None, "%", 2023, 48.56),
      ("security_drills", ">=", 2, None, "count", 2023, 48.56),
      ("endpoints_protected", "=", 100, None, "%", 2023, 48.56)]),
    ("- Mục tiêu: chi cho hoạt động kinh tế số tối thiểu 0,25% tổng chi ngân sách tỉnh (Năm 2022: 1,35/10 điểm "
     "đạt 0,03%).", 2023,
     [("digital_economy_budget_share", ">=", 0.25, None, "%", 2023, 0.03)]),
    ("+ Thúc đẩy các doanh nghiệp nhỏ và vừa sử dụng nền tảng số và tiếp cận, tham gia chương trình SMEdx đảm bảo "
     "đạt tối thiểu đạt 1.000 doanh nghiệp vừa và nhỏ trên địa bàn tỉnh.", 2023,
     [("sme_digital_platforms", ">=", 1000, None, "count", 2023, None)]),
    ("- Mục tiêu: Tỷ lệ người dân trưởng thành có tỷ lệ cấp chữ ký số hoặc chữ ký điện tử cá nhân tối thiểu 50% "
     "(Năm 2022: đạt 0,42/20 điểm), trong đó:", 2023,
     [("digital_signature_adults", ">=", 50, None, "%", 2023, 0.42)]),
    # typed without diacritics
    ("- Ty le ho gia dinh ket noi Internet bang rong dat tren 80%;", 2023,
     [("broadband_households", ">", 80, None, "%", 2023, None)]),
    ("90% ho so cong viec tai cap tinh; 80% ho so cong viec tai cap huyen va 60% ho so cong viec tai cap xa", 2025,
     [("work_records_online_province", "=", 90, None, "%", 2025, None),
      ("work_records_online_district", "=", 80, None, "%", 2025, None),
      ("work_records_online_commune", "=", 60, None, "%", 2025, None)]),
    ("Chỉ số DTI của tỉnh đạt tối thiểu 6,5/10 điểm vào năm 2024.", None,
     [("dti_score", ">=", 6.5, None, "points", 2024, None)]),
    ("Phấn đấu chi tối đa 5% tổng ngân sách cho thuê dịch vụ.", 2025,
     [(None, "<=", 5, None, "%", 2025, None)]),
]


def _row(t):
    return (t.indicator_key, t.comparator, t.value, t.value_max, t.unit, t.year, t.baseline_value)


@pytest.mark.parametrize("text,year,expected", SENTENCES, ids=[s[0][:40] for s in SENTENCES])
def test_sentence(text, year, expected):
    found = find_targets(text, year)
    assert [_row(t) for t in found] == [tuple(e) for e in expected]
    for t in found:                         # the quote holds the value
        assert t.start <= t.value_start < t.value_end <= t.end
        assert t.indicator


def test_context_indicator_for_bare_value():
    """'Mục tiêu: Đạt tối thiểu 12%' takes its indicator from the task title."""
    found = find_targets("+ Đạt tối thiểu 12% vào năm 2023, mỗi năm tiếp tục tăng trưởng cao hơn ( Năm 2022: 6,75/20 "
                         "điểm đạt 6,75%).", None,
                         context="a) Nhiệm vụ: Nâng tỷ trọng kinh tế số trong GRDP; tăng số doanh nghiệp cung cấp dịch vụ")
    assert [_row(t) for t in found] == [("digital_economy_share_grdp", ">=", 12, None, "%", 2023, 6.75)]
    assert found[0].baseline == "Năm 2022: 6,75/20 điểm đạt 6,75%"


def test_baseline_text_is_kept_whole():
    text = ("+ 100% các nền tảng dùng chung của tỉnh đều ứng dụng công nghệ AI (Năm 2022: 5/10 điểm đạt tỷ lệ 50%).")
    (t,) = find_targets(text)
    assert t.baseline == "Năm 2022: 5/10 điểm đạt tỷ lệ 50%"
    assert (t.baseline_year, t.baseline_value, t.value) == (2022, 50.0, 100.0)


NOT_TARGETS = [
    "Cụ thể, 6 nhóm nhiệm vụ, giải pháp tạo nền móng cho chuyển đổi số sẽ được Điện Biên tập trung triển khai.",
    "Tối thiểu 10 chữ Tiếng việt có dấu Không chứa liên kết",
    "- Phổ cập dịch vụ mạng di động 4G/5G và điện thoại di động thông minh;",
    "cung cấp các dịch vụ công trực tuyến mức độ 4; đưa toàn bộ các dịch vụ công trực tuyến lên mức độ 3, 4.",
    "theo quy định tại Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ.",
    "Bộ TT&TT cho biết, trong 6 tháng cuối năm nay, Bộ sẽ tập trung với 3 trụ cột chính.",
    "Duy trì tỉ lệ 1 người/1 máy.",
    "+ Các đơn vị chưa có chuyên trách thì ban hành Quyết định phân công 01 người được cử đi tập huấn.",
    "Năm 2022, tỷ lệ hồ sơ trực tuyến đã đạt 45%.",
]


@pytest.mark.parametrize("text", NOT_TARGETS)
def test_not_a_target(text):
    assert find_targets(text, 2025) == []


@pytest.mark.parametrize("raw,value", [("60,29", 60.29), ("1.000", 1000), ("1.000,5", 1000.5), ("80", 80),
                                       ("0,25", 0.25), ("12.500.000", 12500000)])
def test_parse_number(raw, value):
    assert parse_number(raw) == value


# ---------------------------------------------------------------------------------------
# Indicator keys

KEYS = [
    ("Kinh tế số chiếm … GRDP", "digital_economy_share_grdp"),
    ("kinh te so chiem GDP", "digital_economy_share_grdp"),
    ("Tỷ trọng kinh tế số trong từng ngành, lĩnh vực", "sector_digital_economy_share"),
    ("dịch vụ công trực tuyến mức độ 4", "online_public_services_level4"),
    ("dịch vụ công trực tuyến mức độ 3 và 4", None),
    ("dịch vụ công trực tuyến có chức năng định danh, xác thực một lần và thanh toán trực tuyến",
     "online_services_identity_payment"),
    ("Tỷ lộ dân số có tài khoản thanh toán điện tử", "e_payment_accounts"),
    ("chế độ báo cáo, chỉ tiêu tổng hợp báo cáo định kỳ … được kết nối, tích hợp", "reports_connected"),
    ("hồ sơ công việc tại cấp tỉnh", "work_records_online_province"),
    ("hồ sơ công việc tại cấp bộ, tỉnh", "work_records_online_province"),
    ("hồ sơ công việc tại cấp huyện", "work_records_online_district"),
    ("hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng", "work_records_online_commune"),
    ("hoạt động kiểm tra của cơ quan quản lý nhà nước được thực hiện thông qua môi trường số", "inspections_digital"),
    ("Năng suất lao động hàng năm tăng", "labour_productivity_growth"),
    ("giám … thủ tục hành chính", "admin_procedures_reduction"),
    ("người dân, doanh nghiệp hài lòng với các dịch vụ của Chính quyền số", "citizen_satisfaction_digital_government"),
    ("Mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính", "admin_procedure_satisfaction"),
    ("dịch vụ công trực tuyến có phát sinh hồ sơ", "online_services_with_records"),
    ("hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến", "procedures_fully_online"),
    ("Tỷ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân", "digital_signature_adults"),
    ("Tỷ lệ người dân trong độ tuổi lao động có điện thoại thông minh", "smartphone_adults"),
    ("Tỷ lệ hộ gia đình kết nối Internet băng rộng", "broadband_households"),
    ("Chỉ số DTI của tỉnh", "dti_score"),
    ("Tỷ trọng thương mại điện tử trong tổng mức bán lẻ", "ecommerce_retail_share"),
    ("người dân có sử dụng điện thoại di động thông minh được cài ứng dụng TienGiangS", None),
    ("cuộc họp, văn bản về Chuyển đổi số được Chủ tịch UBND tỉnh chủ trì", None),
]


@pytest.mark.parametrize("text,key", KEYS)
def test_indicator_key(text, key):
    assert indicator_key(text) == key


def test_indicator_key_respects_units():
    assert indicator_key("tổ chức diễn tập", unit="count") == "security_drills"
    assert indicator_key("tổ chức diễn tập", unit="VND") is None


def test_catalogue_is_well_formed():
    keys = [i.key for i in load_indicators()]
    assert len(keys) == len(set(keys)) and len(keys) > 30


def test_fold_keep_offsets_keeps_offsets():
    s = "Tỷ lộ dân số ĐẠT 60,29% – Đồng"
    f = fold_keep_offsets(s)
    assert len(f) == len(s)
    assert f == "ty lo dan so dat 60,29% - dong"   # dashes fold to "-"
    assert fold(s) == f


# ---------------------------------------------------------------------------------------
# National targets

def test_national_targets_749():
    national = {(t.indicator_key, t.year): t for t in load_national_targets("749/QĐ-TTg")}
    expect = {
        ("online_public_services_level4", 2025): ("=", 80), ("online_public_services_level4", 2030): ("=", 100),
        ("work_records_online_province", 2025): ("=", 90), ("work_records_online_district", 2025): ("=", 80),
        ("work_records_online_commune", 2025): ("=", 60), ("work_records_online_province", 2030): ("=", 100),
        ("work_records_online_district", 2030): ("=", 90), ("work_records_online_commune", 2030): ("=", 70),
        ("reports_connected", 2025): ("=", 100), ("inspections_digital", 2025): ("=", 50),
        ("inspections_digital", 2030): ("=", 70), ("digital_economy_share_grdp", 2025): ("=", 20),
        ("digital_economy_share_grdp", 2030): ("=", 30), ("sector_digital_economy_share", 2025): (">=", 10),
        ("sector_digital_economy_share", 2030): (">=", 20), ("labour_productivity_growth", 2025): (">=", 7),
        ("labour_productivity_growth", 2030): (">=", 8), ("fibre_households", 2025): (">", 80),
        ("fibre_communes", 2025): ("=", 100), ("e_payment_accounts", 2025): (">", 50),
        ("e_payment_accounts", 2030): (">", 80),
    }
    for k, (comp, value) in expect.items():
        assert (national[k].comparator, national[k].value) == (comp, value), k
        assert national[k].source_clause.startswith("Điều 1, mục II.")
    assert all(t.document == "942/QĐ-TTg" for t in load_national_targets("942/QĐ-TTg"))


# ---------------------------------------------------------------------------------------
# Document level with hand-built sections

def _doc(text: str, sections: list[Section]) -> ParsedDocument:
    return ParsedDocument("x", "x.txt", text, DocumentIdentity(), {s.path: s for s in sections}, [], [], [],
                          ParseReport("x.txt"))


def test_years_from_headings_and_appendix_groups():
    text = ("1. Mục tiêu cơ bản\nđến năm 2025\n- Kinh tế số chiếm\n15% GRDP.\n"
            "PHỤ LỤC 1\nSTT | NỘI DUNG | CHỦ TRÌ\nII | ĐẾN NĂM 2030 | |\n1 | Kinh tế số chiếm 30% GRDP. | Sở KHĐT\n")
    i_head, i_b = text.index("1. Mục"), text.index("- Kinh")
    i_pl, i_grp, i_row = text.index("PHỤ LỤC"), text.index("II |"), text.index("1 | Kinh")
    sections = [
        Section("1", SectionKind.KHOAN, "1", "Mục tiêu cơ bản đến năm 2025", "", Span(i_head, i_pl),
                Span(i_head, i_b - 1), None, 0, 1, ["1.-1"]),
        Section("1.-1", SectionKind.BULLET, "-", "Kinh tế số chiếm 15% GRDP.", "", Span(i_b, i_pl - 1),
                Span(i_b, i_pl - 1), "1", 1, 3),
        Section("PL1", SectionKind.APPENDIX, "1", "", "", Span(i_pl, len(text)), Span(i_pl, i_grp), None, 2, 5,
                ["PL1.II"]),
        Section("PL1.II", SectionKind.GROUP, "II", "ĐẾN NĂM 2030", "", Span(i_grp, len(text)),
                Span(i_grp, i_row - 1), "PL1", 3, 7, ["PL1.1"]),
        Section("PL1.1", SectionKind.ROW, "1", "Kinh tế số chiếm 30% GRDP.", "", Span(i_row, len(text)),
                Span(i_row, len(text)), "PL1.II", 4, 8,
                cells={"NỘI DUNG": "Kinh tế số chiếm 30% GRDP.", "CHỦ TRÌ": "Sở KHĐT"}),
    ]
    doc = _doc(text, sections)
    extract_targets(doc)
    got = [(t.section, t.indicator_key, t.value, t.year, t.quote) for t in doc.targets]
    assert got == [("1.-1", "digital_economy_share_grdp", 15, 2025, "Kinh tế số chiếm\n15% GRDP"),
                   ("PL1.1", "digital_economy_share_grdp", 30, 2030, "Kinh tế số chiếm 30% GRDP")]
    assert doc.report.targets == 2


def test_task_block_deadline_gives_the_year():
    text = ("a) Nhiệm vụ: Tỷ lệ người lao động được bồi dưỡng kỹ năng số.\n- Mục tiêu: Mục tiêu đạt 50% "
            "(Năm 2022: 0,1/5 điểm đạt tỷ lệ 0,28%).\n- Thời gian hoàn thành: Năm 2023 và thường xuyên hằng năm.\n")
    a, g, d = text.index("a)"), text.index("- Mục"), text.index("- Thời")
    sections = [
        Section("4.a", SectionKind.DIEM, "a", text[3:g - 1], "", Span(a, len(text)), Span(a, g - 1), None, 0, 1,
                ["4.a.-1", "4.a.-2"]),
        Section("4.a.-1", SectionKind.BULLET, "-", text[g + 2:d - 1], "", Span(g, d - 1), Span(g, d - 1), "4.a",
                1, 2),
        Section("4.a.-2", SectionKind.BULLET, "-", text[d + 2:-1], "", Span(d, len(text) - 1),
                Span(d, len(text) - 1), "4.a", 2, 3),
    ]
    doc = _doc(text, sections)
    extract_targets(doc)
    (t,) = doc.targets
    assert (t.indicator_key, t.value, t.year, t.baseline_value, t.baseline_year) == \
        ("workers_trained_digital_skills", 50, 2023, 0.28, 2022)
    assert t.quote == "đạt 50%"


# ---------------------------------------------------------------------------------------
# Seed plans (end to end through the parser)

@pytest.fixture(scope="module")
def seeds():
    from loaders.pipeline import parse_file
    return {p.name[:3]: parse_file(p) for p in sorted(PLANS.glob("*.txt"))}


def _by(doc, key, year=None):
    return [t for t in doc.targets if t.indicator_key == key and (year is None or t.year == year)]


def test_seed_spans_point_at_the_quote(seeds):
    for doc in seeds.values():
        assert doc.targets and doc.report.targets == len(doc.targets)
        assert not [e for e in doc.report.errors if e.startswith("targets")]
        for t in doc.targets:
            assert doc.text[t.span.start:t.span.end] == t.quote
            if t.unit == "%":
                number = f"{t.value:g}".replace(".", ",")
                assert number in t.quote, (t.section, t.quote)


def test_quang_ngai(seeds):
    doc = seeds["000"]
    (rng,) = _by(doc, "digital_economy_share_grdp", 2030)
    assert (rng.comparator, rng.value, rng.value_max, rng.unit) == ("range", 15, 20, "%")
    (pay,) = _by(doc, "e_payment_accounts", 2025)
    assert (pay.comparator, pay.value) == (">", 30)
    assert [t.value for t in _by(doc, "e_payment_accounts", 2030)] == [60]
    assert {(t.indicator_key, t.value) for t in doc.targets if t.year == 2025 and t.indicator_key and
            t.indicator_key.startswith("work_records")} == {("work_records_online_province", 90),
                                                            ("work_records_online_district", 80),
                                                            ("work_records_online_commune", 60)}
    assert len([t for t in doc.targets if t.year == 2025]) == 12
    assert len([t for t in doc.targets if t.year == 2030]) == 11


def test_tien_giang_body_and_appendix_conflicts(seeds):
    doc = seeds["002"]
    body, appendix = defaultdict(set), defaultdict(set)
    for t in doc.targets:
        if t.indicator_key and t.year:
            (appendix if t.section.startswith("PL") else body)[(t.indicator_key, t.year)].add(t.value)
    conflicts = {k for k in set(body) & set(appendix) if body[k] != appendix[k]}
    assert conflicts == {("digital_economy_share_grdp", 2025), ("digital_economy_share_grdp", 2030),
                         ("online_public_services_level4", 2025), ("reports_connected", 2025),
                         ("sector_digital_economy_share", 2030)}
    assert body[("digital_economy_share_grdp", 2025)] == {15} and appendix[("digital_economy_share_grdp", 2025)] == {20}
    assert body[("digital_economy_share_grdp", 2030)] == {25} and appendix[("digital_economy_share_grdp", 2030)] == {30}
    assert 90 in body[("online_public_services_level4", 2025)] and appendix[("online_public_services_level4", 2025)] == {80}
    assert body[("reports_connected", 2025)] == {80} and appendix[("reports_connected", 2025)] == {100}
    assert body[("sector_digital_economy_share", 2030)] == {15} and appendix[("sector_digital_economy_share", 2030)] == {20}
    # the appendix rows carry the year of their group row
    assert {t.year for t in doc.targets if t.section.startswith("PL1.")} == {2025, 2030}


def test_ninh_thuan_baselines(seeds):
    doc = seeds["003"]
    (phone,) = _by(doc, "smartphone_adults")
    assert phone.value == 100 and phone.baseline.startswith("Năm 2022:") and "60,29%" in phone.baseline
    assert phone.baseline_value == 60.29
    (de,) = _by(doc, "digital_economy_share_grdp")
    assert (de.comparator, de.value, de.year, de.baseline_value) == (">=", 12, 2023, 6.75)
    with_baseline = [t for t in doc.targets if t.baseline]
    assert len(with_baseline) >= 12
    # baseline values are not targets of their own
    assert not [t for t in doc.targets if t.value in (60.29, 83.78, 77.13, 6.75)]


def test_news_articles(seeds):
    dien_bien = seeds["004"]
    assert {t.year for t in dien_bien.targets} == {2025}
    assert {t.indicator_key for t in dien_bien.targets} >= {
        "online_public_services_level4", "work_records_online_province", "work_records_online_district",
        "work_records_online_commune", "reports_connected", "inspections_digital", "digital_economy_share_grdp",
        "sector_digital_economy_share", "labour_productivity_growth", "fibre_households", "fibre_communes",
        "e_payment_accounts"}
    quang_xuong = seeds["001"]
    assert {t.year for t in quang_xuong.targets} == {2023}
    assert len(quang_xuong.targets) >= 30
    (sat,) = _by(quang_xuong, "admin_procedure_satisfaction")
    assert (sat.comparator, sat.value) == (">=", 90)
