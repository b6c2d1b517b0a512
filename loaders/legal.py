"""Legal-basis stage: citations of other documents, normalised by their number.

The number is the identity (`749/QĐ-TTg`, `45/2020/NĐ-CP`, `08-NQ/TU`); the type, date
("ngày 03/6/2020") and issuer ("của Thủ tướng Chính phủ") are read where stated. Short
forms ("Quyết định 749") resolve through the registry data file. A citation in the
preamble introduced by "Thực hiện / Triển khai / Căn cứ" is one the plan implements.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml

from .clean import JoinedParagraphs, Paragraph
from .identity import DOC_NUMBER
from .models import Dropped, LegalCitation, LegalRelation, Span
from .text import fold, fold_keep_offsets, literal_positions, matches_at

DATA = Path(__file__).parent / "data" / "legal_registry.yaml"

_TYPES = (r"Quyết định|Nghị định|Nghị quyết|Chỉ thị|Thông tư liên tịch|Thông tư|Công văn|Kế hoạch|"
          r"Chương trình hành động|Chương trình|Luật|Đề án|Hướng dẫn|Thông báo|Quy định|Pháp lệnh|Văn bản")
_CITATION = re.compile(
    rf"(?:(?P<type>{_TYPES})\s+(?:số\s*:?\s*)?(?P<number>{DOC_NUMBER})"
    rf"|(?P<stype>Quyết định|Nghị định|Nghị quyết|Chỉ thị|Thông tư)\s+(?:số\s+)?(?P<short>\d{{1,5}})(?![\d/\-\w]))",
)
# a digit first, then "not after a word character or /" as a look-behind over it: a pattern
# that opens with a class lets the engine skip ahead to the next digit
_BARE_NUMBER = re.compile(r"(?P<number>\d(?<![\w/]\d)(?:\d{0,4}(?:/\d{4})?/(?:QĐ|NĐ|CT|TT)-[A-ZĐ][A-Za-zĐ]*"
                          r"|\d{0,2}-(?:NQ|CT|KL)/[A-Z]+))")
# every _CITATION match starts with one of these words (a longer type word starts with a shorter)
_TYPE_WORDS = tuple(w for w in _TYPES.split("|") if not any(w != o and w.startswith(o) for o in _TYPES.split("|")))
# every _BARE_NUMBER match holds one of these code fragments
_CODE_FRAGMENTS = ("QĐ-", "NĐ-", "CT-", "TT-", "-NQ/", "-CT/", "-KL/")
_DATE_AFTER = re.compile(r"^\s*,?\s*(?:ban hành\s+)?ngày\s+(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})"
                         r"|^\s*,?\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_ISSUER_AFTER = re.compile(r"^\s*(?:,?\s*ngày\s+[\d/.\-]+|,?\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})?\s*của\s+"
                           r"([^,;.()]{3,80}?)(?=\s+(?:về|phê duyệt|ban hành|thực hiện|triển khai|đã|theo|tại|trong)\b"
                           rf"|\s+và\s+(?:{_TYPES}|nội dung|các)\b|[,;.()]|$)")
_IMPLEMENT_CUE = re.compile(r"\b(?:Thực hiện|thực hiện|Triển khai|triển khai|Căn cứ|căn cứ|Theo|Nhằm triển khai|cụ thể hóa)\b")


@dataclass(slots=True)
class RegistryDoc:
    number: str
    doc_type: str
    date: str | None
    issuer: str | None
    title: str | None
    programme: str | None


@dataclass(slots=True)
class LegalRegistry:
    type_codes: dict[str, str]
    issuers: dict[str, dict]
    documents: dict[str, RegistryDoc]
    code_table: dict[str, str] = field(default_factory=dict)   # folded code -> canonical spelling

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls, path: str | None = None) -> "LegalRegistry":
        data = yaml.safe_load(Path(path or DATA).read_text(encoding="utf-8"))
        docs = {}
        for d in data.get("documents", []):
            doc = RegistryDoc(d["number"], d["type"], str(d["date"]) if d.get("date") else None,
                              d.get("issuer"), d.get("title"), d.get("programme"))
            docs[doc.number] = doc
        return cls(data["type_codes"], data["issuers"], docs)

    def normalise(self, number: str) -> str:
        """Canonical spelling of the codes: 'QD-TTG' -> 'QĐ-TTg'."""
        parts = re.split(r"([/-])", number)
        out = []
        codes = self._codes()
        for part in parts:
            key = fold(part).upper()
            out.append(codes.get(key, part))
        return "".join(out)

    def _codes(self) -> dict[str, str]:
        if not self.code_table:
            self.code_table.update({fold(k).upper(): k for k in list(self.type_codes) + list(self.issuers)})
        return self.code_table

    def split(self, number: str) -> tuple[str | None, str | None]:
        """(type code, issuer code) of a number."""
        parts = [p for p in re.split(r"[/-]", number) if p and not p.isdigit()]
        type_code = next((p for p in parts if p in self.type_codes), None)
        if "-" in number.split("/", 1)[0]:            # 08-NQ/TU: type before the slash, issuer after
            issuer = number.rsplit("/", 1)[-1]
        elif type_code is not None:                    # 749/QĐ-TTg
            rest = [p for p in parts if p != type_code]
            issuer = rest[0] if rest else None
        else:                                          # 8908/UBND-CNTT (công văn)
            issuer = parts[0] if parts else None
        return type_code, issuer

    def short_form(self, doc_type: str, number: str) -> RegistryDoc | None:
        matches = [d for d in self.documents.values()
                   if d.doc_type == doc_type and d.number.split("/", 1)[0].split("-", 1)[0] == number]
        return matches[0] if len(matches) == 1 else None

    def by_programme(self, folded_text: str) -> list[RegistryDoc]:
        return [d for d in self.documents.values() if d.programme and d.programme in folded_text]


def find_legal(joined: JoinedParagraphs, own_number: str | None, preamble_end: int,
               structured: bool = True) -> tuple[list[LegalCitation], list[Dropped]]:
    """Citations in document order. In a structured plan the preamble ("Thực hiện A; B; C ...")
    is one list even across paragraphs, so a cue anywhere before a citation in it counts."""
    registry = LegalRegistry.load()
    citations: list[LegalCitation] = []
    dropped: list[Dropped] = []
    paragraphs = joined.paragraphs
    first_cue = _first_cue(paragraphs, preamble_end) if structured else None
    typed = _typed_citations(joined)
    coded = {joined.locate(pos)[0] for pos in literal_positions(joined.text, _CODE_FRAGMENTS)}
    for index in sorted(typed.keys() | coded):     # the paragraphs that can hold a citation
        section, para = paragraphs[index]
        text = para.text
        cue_seen = first_cue is not None and first_cue <= index
        seen_spans: list[tuple[int, int]] = []
        for m, base in typed.get(index, ()):
            start, end = m.start() - base, m.end() - base
            seen_spans.append((start, end))
            if m.group("number"):
                number = registry.normalise(m.group("number"))
                if own_number and number == own_number:
                    continue
                type_code, issuer_code = registry.split(number)
                doc_type = m.group("type")
                if doc_type in ("Văn bản",) and type_code:
                    doc_type = registry.type_codes[type_code]
                known = registry.documents.get(number)
                resolved = False
            else:
                known = registry.short_form(m.group("stype"), m.group("short"))
                if known is None:
                    dropped.append(Dropped("legal", "short form not in the legal registry; cannot resolve",
                                           m.group(0), para.line_no, section))
                    citations.append(_citation(None, m.group("stype"), None, None, None, start, end, text, para,
                                               section, preamble_end, False, None))
                    continue
                number, doc_type = known.number, known.doc_type
                type_code, issuer_code = registry.split(number)
                resolved = True
            after = text[end:end + 160]
            date = _date(after)
            im = _ISSUER_AFTER.match(after)
            issuer = im.group(1).strip() if im else None
            if issuer is None and issuer_code in registry.issuers and registry.issuers[issuer_code].get("national"):
                issuer = registry.issuers[issuer_code]["name"]
            citations.append(_citation(number, doc_type, issuer_code, issuer, date, start, end, text, para, section,
                                       preamble_end, resolved, known.title if known else None, cue_seen))
        if index not in coded:
            continue
        for m in _BARE_NUMBER.finditer(text):
            if any(a <= m.start() < b for a, b in seen_spans):
                continue
            number = registry.normalise(m.group("number"))
            if own_number and number == own_number:
                continue
            type_code, issuer_code = registry.split(number)
            doc_type = registry.type_codes.get(type_code or "", "Văn bản")
            known = registry.documents.get(number)
            after = text[m.end():m.end() + 160]
            im = _ISSUER_AFTER.match(after)
            citations.append(_citation(number, doc_type, issuer_code, im.group(1).strip() if im else None, _date(after),
                                       m.start(), m.end(), text, para, section, preamble_end, False,
                                       known.title if known else None, cue_seen))
    return citations, dropped


def _first_cue(paragraphs: list[tuple[str | None, Paragraph]], preamble_end: int) -> int | None:
    """Index of the first preamble paragraph that opens with a cue ("Thực hiện", "Căn cứ"): the
    citations from there on may be ones the plan implements."""
    for index, (_, para) in enumerate(paragraphs):
        if para.start < preamble_end and _IMPLEMENT_CUE.match(para.text):
            return index
    return None


def _typed_citations(joined: JoinedParagraphs) -> dict[int, list[tuple[re.Match[str], int]]]:
    """(match, paragraph start) of each _CITATION match by paragraph index: the matches finditer
    gives on each paragraph, found by trying the regex only where a type word starts."""
    found: dict[int, list[tuple[re.Match[str], int]]] = {}
    for m in matches_at(_CITATION, joined.text, literal_positions(joined.text, _TYPE_WORDS)):
        index, base = joined.locate(m.start())
        found.setdefault(index, []).append((m, base))
    return found


def _date(after: str) -> str | None:
    dm = _DATE_AFTER.match(after)
    if not dm:
        return None
    d, mo, y = (dm.group(1), dm.group(2), dm.group(3)) if dm.group(1) else (dm.group(4), dm.group(5), dm.group(6))
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def _citation(number, doc_type, issuer_code, issuer, date, start, end, text, para, section, preamble_end, resolved,
              title, cue_seen=False):
    """The citation text[start:end] of paragraph `para`."""
    span = Span(para.offset(start), para.offset(end - 1) + 1)
    implements = span.start < preamble_end and (cue_seen or bool(_IMPLEMENT_CUE.search(text, 0, start)))
    relation = LegalRelation.IMPLEMENTS if implements else LegalRelation.MENTIONS
    return LegalCitation(number, doc_type, issuer_code, issuer, date, relation, text[start:end], span, section,
                         resolved, title)


def implemented_programmes(text: str, preamble_end: int) -> list[tuple[RegistryDoc, Span]]:
    """National programmes a plan says it implements by name
    ("Kế hoạch triển khai Chương trình chuyển đổi số quốc gia"), with where it says so."""
    head = fold_keep_offsets(text[: max(preamble_end, 1500)])
    found = []
    for doc in LegalRegistry.load().documents.values():
        if not doc.programme or not all(w in head for w in doc.programme.split()):   # each word must occur
            continue
        m = _programme_regex(doc.programme).search(head)
        if m:
            found.append((doc, Span(m.start(1), m.end(1))))
    return found


@cache
def _programme_regex(programme: str) -> re.Pattern[str]:
    words = r"\s+".join(map(re.escape, programme.split()))
    return re.compile(rf"\b(?:trien khai|thuc hien)\b[^.;]{{0,40}}?\b({words})")
