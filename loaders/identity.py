"""Identity stage: number, type, issuer, jurisdiction, place, date and title.

Formal documents state these in the header (issuer lines, "Số: 119/KH-UBND",
"Quảng Ngãi, ngày 09 tháng 10 năm 2020", the type in capitals, the title). News
articles state them in prose ("Ngày 20/3/2023, Chủ tịch UBND huyện Quảng Xương đã ban
hành Kế hoạch số 80/KH-UBND về …"). A field the text does not state stays empty; the
jurisdiction may still come from the body ("trên địa bàn tỉnh Ninh Thuận").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .clean import Line
from .models import DocumentIdentity
from .text import literal_positions, matches_at

NAME = r"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:[ \-][A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3}"
DOC_NUMBER = r"\d{1,5}(?:/\d{4})?[/-][A-ZĐ][A-Za-zĐđ0-9&]*(?:[/-][A-ZĐ][A-Za-zĐđ0-9&]*)*"

_NUMBER_LINE = re.compile(rf"^Số\s*[:.]?\s*({DOC_NUMBER})")
_TYPE_LINE = re.compile(r"^(KẾ HOẠCH|QUYẾT ĐỊNH|CÔNG VĂN|NGHỊ QUYẾT|CHỈ THỊ|THÔNG BÁO|BÁO CÁO|ĐỀ ÁN|CHƯƠNG TRÌNH|HƯỚNG DẪN|"
                        r"QUY CHẾ|QUY ĐỊNH|TỜ TRÌNH|THÔNG TƯ|NGHỊ ĐỊNH)$")
_PROSE_ISSUE = re.compile(      # first letters of "Ngày", "Chủ tịch", "Ban", "UBND", "Ủy ban", "HĐND", "Tỉnh ủy"
    rf"(?=[NnCBUỦHT])(?:(?:Ngày|ngày)\s+(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}}),?\s+)?"
    rf"(?:(?:Chủ tịch|Ban Thường vụ)\s+)?((?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|HĐND|Tỉnh ủy)\s+(tỉnh|huyện|thành phố|thị xã|quận)\s+({NAME}))"
    rf"[^.;]{{0,40}}?(?:đã\s+)?(?:ban hành|phê duyệt|triển khai)\s+(Kế hoạch|Quyết định|Chỉ thị|Công văn|Nghị quyết|Đề án|Chương trình)"
    rf"(?:\s+số\s+({DOC_NUMBER}))?(?:\s+(?:về|triển khai|thực hiện)\s+([^.;]{{5,200}}))?")
# Both are tried only where one of their words starts (text.matches_at), not at every character.
_JURISDICTION_WORDS = ("tỉnh", "huyện", "thành phố", "thị xã")
_BODY_JURISDICTION = re.compile(rf"\b({'|'.join(_JURISDICTION_WORDS)})\s+({NAME})")
_SELF_TYPE_WORDS = ("Kế hoạch", "Quyết định", "Chỉ thị", "Đề án", "Chương trình", "Công văn")
_SELF_TYPE = re.compile(rf"\b({'|'.join(_SELF_TYPE_WORDS)}) này\b")

TYPE_NAMES = {
    "KẾ HOẠCH": "Kế hoạch", "QUYẾT ĐỊNH": "Quyết định", "CÔNG VĂN": "Công văn", "NGHỊ QUYẾT": "Nghị quyết",
    "CHỈ THỊ": "Chỉ thị", "THÔNG BÁO": "Thông báo", "BÁO CÁO": "Báo cáo", "ĐỀ ÁN": "Đề án",
    "CHƯƠNG TRÌNH": "Chương trình", "HƯỚNG DẪN": "Hướng dẫn", "QUY CHẾ": "Quy chế", "QUY ĐỊNH": "Quy định",
    "TỜ TRÌNH": "Tờ trình", "THÔNG TƯ": "Thông tư", "NGHỊ ĐỊNH": "Nghị định",
}
TYPE_CODES = {"KH": "Kế hoạch", "QĐ": "Quyết định", "NQ": "Nghị quyết", "CT": "Chỉ thị", "TB": "Thông báo",
              "BC": "Báo cáo", "HD": "Hướng dẫn", "TTr": "Tờ trình", "CTr": "Chương trình", "ĐA": "Đề án",
              "TT": "Thông tư", "NĐ": "Nghị định"}
LEVELS = {"tỉnh": "province", "thành phố": "province", "huyện": "district", "thị xã": "district",
          "quận": "district", "xã": "commune", "phường": "commune"}
# A name does not run on into these words ("tỉnh Quảng Ngãi Hệ thống" stops at "Quảng Ngãi").
_STOP_WORDS = {"Ủy", "Uỷ", "UBND", "Hệ", "Kế", "Sở", "Chủ", "Quyết", "Trung", "Ban", "Về", "Giai", "Năm", "Đến", "Theo",
               "Chương", "Phó", "Tổng", "Và", "Phòng", "Cổng", "Nghị", "Báo", "Đài", "Thành", "Tỉnh", "Huyện", "Bộ"}


@dataclass(slots=True)
class IdentityResult:
    identity: DocumentIdentity
    header_end: int     # offset after the header block (0 when none)


def _trim_name(name: str) -> str:
    words = name.split()
    kept = []
    for word in words:
        if (kept and word in _STOP_WORDS) or not word[:1].isupper():
            break
        kept.append(word)
    return " ".join(kept).strip(" -")


def _title_case(name: str) -> str:
    return " ".join(w[:1] + w[1:].lower() for w in name.split())


def _type_from_number(number: str) -> str | None:
    parts = re.split(r"[/-]", number)
    for part in parts[1:]:
        if part in TYPE_CODES:
            return TYPE_CODES[part]
    if len(parts) >= 2 and not any(p in TYPE_CODES for p in parts[1:]):
        return "Công văn"
    return None


def identify(text: str, lines: list[Line]) -> IdentityResult:
    ident = DocumentIdentity()
    header_end = 0
    head = [l for l in lines[:60] if l.text]
    # --- formal header -------------------------------------------------
    issuer_lines: list[str] = []
    for line in head[:4]:
        t = line.text
        if t.startswith("CỘNG") or t == "|" or _NUMBER_LINE.match(t) or _TYPE_LINE.match(t) or t[:2] in ("I.", "1."):
            break
        if not t.replace("-", "").strip():
            continue
        if t.upper() != t:
            break
        issuer_lines.append(t)
    issuer_text = " ".join(issuer_lines)
    m = re.search(r"(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND)\s+(TỈNH|THÀNH PHỐ|HUYỆN|THỊ XÃ|QUẬN)\s+([A-ZĐÀ-Ỹ \-]+)", issuer_text)
    if m:
        kind = m.group(2).lower()
        name = _title_case(m.group(3).strip())
        ident.issuer = f"UBND {kind} {name}"
        ident.jurisdiction = name
        ident.jurisdiction_level = LEVELS.get(kind)
    elif issuer_text:
        ident.issuer = _title_case(issuer_text)
    for i, line in enumerate(head):
        t = line.text
        nm = _NUMBER_LINE.match(t)
        if nm and ident.number is None:
            ident.number = nm.group(1)
            header_end = max(header_end, line.end)
            continue
        if ident.date is None and "ngày" in t and "tháng" in (t + " " + (head[i + 1].text if i + 1 < len(head) else "")):
            joined = " ".join(h.text for h in head[max(0, i - 1):i + 2])
            dm = re.search(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", joined)
            pm = re.search(r"([A-ZĐÀ-Ỹ][\wÀ-ỹ. \-]{1,40}?),\s*ngày\s+\d", joined)
            if dm and (ident.number or issuer_lines):
                ident.date = f"{int(dm.group(3)):04d}-{int(dm.group(2)):02d}-{int(dm.group(1)):02d}"
                if pm:
                    ident.place = pm.group(1).split("|")[-1].strip()
                header_end = max(header_end, head[min(i + 1, len(head) - 1)].end if "năm" not in t else line.end)
            continue
        if _TYPE_LINE.match(t) and ident.doc_type is None and (ident.number or issuer_lines):
            ident.doc_type = TYPE_NAMES[t]
            title_lines = []
            for nxt in head[i + 1:i + 8]:
                if nxt.text.upper() == nxt.text and not nxt.text.startswith(("I.", "1.", "|")) and len(nxt.text) > 2:
                    title_lines.append(nxt.text)
                    header_end = max(header_end, nxt.end)
                else:
                    break
            header_end = max(header_end, line.end)
            if title_lines:
                ident.title = " ".join(title_lines)
            break
    # --- prose (news articles) ------------------------------------------
    if ident.number is None and ident.issuer is None:
        window = text[:3000]
        pm = _PROSE_ISSUE.search(window)
        if pm:
            kind = pm.group(5).lower()
            ident.issuer = f"UBND {kind} {_trim_name(pm.group(6))}"
            ident.jurisdiction = _trim_name(pm.group(6))
            ident.jurisdiction_level = LEVELS.get(kind)
            ident.doc_type = pm.group(7)
            if pm.group(8):
                ident.number = pm.group(8)
            if pm.group(1):
                ident.date = f"{int(pm.group(3)):04d}-{int(pm.group(2)):02d}-{int(pm.group(1)):02d}"
            if pm.group(9) and ident.number:
                ident.title = pm.group(9).strip().rstrip(",")
    if ident.doc_type is None and ident.number:
        ident.doc_type = _type_from_number(ident.number)
    if ident.doc_type is None:
        sm = next(matches_at(_SELF_TYPE, text, literal_positions(text, _SELF_TYPE_WORDS)), None)
        if sm:
            ident.doc_type = sm.group(1)
    if ident.jurisdiction is None:
        _jurisdiction_from_body(text, ident)
    return IdentityResult(ident, header_end)


def _jurisdiction_from_body(text: str, ident: DocumentIdentity) -> None:
    """The most-mentioned province (or district) named in the body."""
    counts: Counter[tuple[str, str]] = Counter()
    for m in matches_at(_BODY_JURISDICTION, text, literal_positions(text, _JURISDICTION_WORDS)):
        name = _trim_name(m.group(2))
        if len(name) < 3:
            continue
        counts[(m.group(1).lower(), name)] += 1
    if not counts:
        return
    provinces = [(k, n) for (k, name), n in counts.items() if LEVELS.get(k[0]) == "province"]
    best = max(provinces or list(counts.items()), key=lambda kv: kv[1])[0]
    ident.jurisdiction = best[1]
    ident.jurisdiction_level = LEVELS.get(best[0])
