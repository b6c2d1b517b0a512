"""Structure stage: numbered items, headings and paragraphs -> a section tree with stable paths.

Levels follow the genre: Phần > Điều > mục (I, II) > khoản (1., 2.1.) > điểm (a)) > bullets
(-, +). Text is hard-wrapped, so a line that does not open a new item continues the
previous one; a number at the start of a wrapped line ("4 được cung cấp", "4. Thực hiện"
after "mức độ 3,") is not a new khoản.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import Line, Paragraph
from .models import Dropped, Section, SectionKind, Span
from .text import slug

ROMAN = r"(?=[IVXLC])(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?<=[IVXLC])"
_MUC = re.compile(rf"^({ROMAN})\s*[.:]\s*(\S.*)?$")
_KHOAN = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\s*\.\s*(\S.*)?$")
_DIEM = re.compile(r"^([a-zđ])\s*\)\s*(\S.*)?$")
_BULLET = re.compile(r"^([-–—+•*])\s*(?![-–—=_]{2})(\S.*)$")
_ARTICLE = re.compile(r"^Điều\s+(\d{1,3})\s*[.:]?\s*(.*)$")
_PART = re.compile(r"^(?:PHẦN|Phần)\s+(THỨ\s+\S+|thứ\s+\S+|[IVX]+|\d+)\s*[.:]?\s*(.*)$")
_APPENDIX = re.compile(r"^(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:SỐ\s+|số\s+)?([IVX]+|\d{1,2}|[A-Z]))?\s*[.:]?\s*(.*)$")
_DECORATION = re.compile(r"^[-_=.*|\s]+$")
_TERMINAL = (".", ";", ":", "!", "?", ".)", ";)", "./.", "”.", '".')
_RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*:?", re.IGNORECASE)
_SIGNATURE = re.compile(r"^(?:KT\.|TM\.|Q\.|TL\.|KT\s|TM\s)?\s*(?:CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|BỘ TRƯỞNG|THỦ TƯỚNG)\b")
_DOC_TYPE_LINE = re.compile(r"^(KẾ HOẠCH|QUYẾT ĐỊNH|QUY CHẾ|QUY ĐỊNH|ĐỀ ÁN|CHƯƠNG TRÌNH|HƯỚNG DẪN|CHỈ THỊ|CÔNG VĂN|THÔNG BÁO|BÁO CÁO)\b")
_ATTACHED = re.compile(r"^\(?\s*(?:Ban hành|Kèm theo)\s+(?:kèm\s+theo\s+)?", re.IGNORECASE)

# Unnumbered headings of the genre (matched on the start of a short line).
_KNOWN_HEADINGS = re.compile(
    r"^(?:Mục tiêu|Mục đích|Yêu cầu|Nhiệm vụ|Giải pháp|Tổ chức thực hiện|Kinh phí|Phạm vi|Đối tượng|"
    r"Căn cứ|Quan điểm|Tầm nhìn|Định hướng|Trách nhiệm|Các mục tiêu|Các nhiệm vụ|Nội dung|Phân công)\b",
    re.IGNORECASE,
)

ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
VIETNAMESE_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()

LEVELS = {
    SectionKind.APPENDIX: 0,
    SectionKind.PART: 1,
    SectionKind.ARTICLE: 2,
    SectionKind.HEADING: 3,
    SectionKind.MUC: 3,
    SectionKind.KHOAN: 4,
    SectionKind.DIEM: 6,
}
BULLET_LEVEL = {"-": 7, "+": 8}
PARAGRAPH_LEVEL = 9


def roman_value(label: str) -> int:
    total, prev = 0, 0
    for ch in reversed(label):
        value = ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


@dataclass(slots=True)
class Marker:
    kind: SectionKind
    label: str
    rest: str          # text after the label on the same line
    level: float
    symbol: str = ""   # bullets: '-' or '+'


def classify(text: str) -> Marker | None:
    """What structural item, if any, a line opens (without looking at context)."""
    first = text[0]
    if first in "-–—+•*":
        if _DECORATION.match(text):
            return None
        m = _BULLET.match(text)
        if m:
            symbol = "+" if m.group(1) == "+" else "-"
            return Marker(SectionKind.BULLET, symbol, m.group(2), BULLET_LEVEL[symbol], symbol)
        return None
    if first.isdigit():
        m = _KHOAN.match(text)
        if m and (m.group(2) is None or not m.group(2)[0].isdigit()):
            label = m.group(1)
            return Marker(SectionKind.KHOAN, label, m.group(2) or "", LEVELS[SectionKind.KHOAN] + 0.1 * label.count("."))
        return None
    if first in "IVXLC":
        m = _MUC.match(text)
        if m and m.group(1):
            return Marker(SectionKind.MUC, m.group(1), m.group(2) or "", LEVELS[SectionKind.MUC])
        return None
    if first == "Đ":
        m = _ARTICLE.match(text)
        if m:
            return Marker(SectionKind.ARTICLE, m.group(1), m.group(2), LEVELS[SectionKind.ARTICLE])
        return None
    if first in "Pp":
        m = _APPENDIX.match(text)
        if m and (m.group(1) or text.isupper()):
            return Marker(SectionKind.APPENDIX, m.group(1) or "1", m.group(2), LEVELS[SectionKind.APPENDIX])
        m = _PART.match(text)
        if m and len(text) <= 100 and not text.endswith((".", ";", ",")):
            return Marker(SectionKind.PART, m.group(1), m.group(2), LEVELS[SectionKind.PART])
        return None
    if first.islower() or first == "đ":
        m = _DIEM.match(text)
        if m:
            return Marker(SectionKind.DIEM, m.group(1), m.group(2) or "", LEVELS[SectionKind.DIEM])
        return None
    return None


def ends_clause(text: str) -> bool:
    return text.endswith(_TERMINAL)


def _starts_upper(text: str) -> bool:
    ch = text[0]
    return ch.isupper() or ch.isdigit() or ch in "\"“'(«"


@dataclass(slots=True)
class Block:
    """A paragraph with the structural marker it opens (if any)."""

    paragraph: Paragraph
    marker: Marker | None
    heading: bool = False   # an unnumbered heading line


def build_blocks(lines: list[Line], prose: bool) -> list[Block]:
    """Join hard-wrapped lines into paragraphs, each tagged with its marker."""
    blocks: list[Block] = []
    current: list[Line] = []
    current_marker: Marker | None = None

    def flush() -> None:
        nonlocal current, current_marker
        if current:
            blocks.append(Block(Paragraph.of(current), current_marker))
        current, current_marker = [], None

    for i, line in enumerate(lines):
        text = line.text
        if not text or _DECORATION.match(text):
            flush()
            continue
        marker = classify(text)
        if marker is not None and current and not _accepts_marker(marker, current, current_marker):
            marker = None
        if marker is not None:
            flush()
            current, current_marker = [line], marker
            continue
        if not current:
            current = [line]
            continue
        if prose:
            # web prose: one paragraph per line, unless the line visibly continues a wrapped one
            if ends_clause(current[-1].text) or _starts_word(text) or len(current[-1].text) > 100:
                flush()
                current = [line]
            else:
                current.append(line)
            continue
        prev = current[-1].text
        if ends_clause(prev) and _starts_upper(text):
            flush()
            current = [line]
        elif current_marker is not None and current_marker.kind in _HEADING_KINDS and _starts_word(text) \
                and not prev.endswith(("-", "–", ",", " và", " của")) \
                and _heading_like(current) and not _continues_heading(lines, i, prev):
            flush()
            current = [line]
        else:
            current.append(line)
    flush()
    _mark_headings(blocks, prose)
    return blocks


def _accepts_marker(marker: Marker, current: list[Line], current_marker: Marker | None) -> bool:
    """A marker on a wrapped line is a real item only after a finished clause or a heading."""
    prev = current[-1].text
    if ends_clause(prev) or (prev.startswith("(") and prev.endswith(")")):
        return True
    if marker.kind in (SectionKind.APPENDIX, SectionKind.ARTICLE, SectionKind.PART):
        return True
    if marker.kind is SectionKind.MUC and marker.rest and marker.rest.isupper():
        return True     # "II. NHIỆM VỤ": a Roman numeral before a capitalised heading
    if prev.endswith((",", "-", "–", " và", " hoặc", " của", " tại", " theo")):
        return False
    if current_marker is not None and _heading_like(current):
        return True
    if current_marker is None and len(current) == 1 and len(prev) <= 90:
        return True   # a one-line unnumbered heading
    return marker.kind is SectionKind.BULLET and len(prev) < 40


# Words that open an assignment sentence, so they never continue a heading's name.
_SENTENCE_START = re.compile(
    r"^(?:Chủ trì|Phối hợp|Tham mưu|Thực hiện|Triển khai|Xây dựng|Tổ chức|Hướng dẫn|Căn cứ|Nghiên cứu|Đôn đốc|"
    r"Theo dõi|Tuyên truyền|Chịu trách nhiệm|Là cơ quan|Có trách nhiệm|Chủ động|Tham gia|Đẩy mạnh|Ưu tiên)\b")

_HEADING_KINDS = (SectionKind.MUC, SectionKind.KHOAN, SectionKind.DIEM, SectionKind.ARTICLE, SectionKind.PART)


def _starts_word(text: str) -> bool:
    """A capitalised word (not an acronym such as UBND that runs on mid-sentence)."""
    first = text.split(" ", 1)[0]
    return first[:1].isupper() and not (len(first) > 1 and first.isupper())


def _heading_like(current: list[Line]) -> bool:
    total = sum(len(line.text) for line in current)
    return total <= 160 and not ends_clause(current[-1].text)


def _continues_heading(lines: list[Line], i: int, prev: str) -> bool:
    """An upper-case wrap of a heading: a proper name running on, or a last heading line
    ("1. Ban Chỉ đạo" / "Xây dựng Chính quyền số tỉnh") right before the next item."""
    text = lines[i].text
    last_word = prev.rsplit(" ", 1)[-1]
    if last_word[:1].isupper() and not last_word.isupper() and text[:1].isupper() \
            and not text.split(" ", 1)[0].isupper() and not _SENTENCE_START.match(text):
        return True
    if ends_clause(text) or len(text) > 90:
        return False
    j = i + 1
    while j < len(lines) and not lines[j].text:
        j += 1
    return j < len(lines) and classify(lines[j].text) is not None


def _mark_headings(blocks: list[Block], prose: bool) -> None:
    for index, block in enumerate(blocks):
        if block.marker is not None:
            continue
        text = block.paragraph.text
        if len(text) > 100 or text.endswith((".", ";", ",")):
            continue
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        followed_by_item = nxt is not None and nxt.marker is not None and nxt.marker.kind in (
            SectionKind.KHOAN, SectionKind.MUC, SectionKind.DIEM)
        known = bool(_KNOWN_HEADINGS.match(text)) and len(text) <= 80 or (prose and text.endswith(":") and len(text) <= 60)
        if (followed_by_item and len(text) <= 80) or (known and (followed_by_item or prose or text.endswith(":"))):
            block.heading = True


@dataclass(slots=True)
class Tree:
    sections: dict[str, Section]
    dropped: list[Dropped]
    preamble_end: int          # offset where the body (first structural item) starts


class TreeBuilder:
    """Stack machine that places blocks (and appendix rows) into the tree with stable paths."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sections: dict[str, Section] = {}
        self.stack: list[tuple[float, Section]] = []
        self.order = 0
        self.counters: dict[tuple[str | None, str], int] = {}
        self.dropped: list[Dropped] = []
        self.preamble_end: int | None = None
        self.bodies: dict[str, list[str]] = {}
        self.paragraphs: list[tuple[str, Paragraph]] = []   # (section path, paragraph) in document order

    # -- tree plumbing -------------------------------------------------
    def _parent(self, level: float) -> Section | None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        return self.stack[-1][1] if self.stack else None

    def _next_index(self, parent: Section | None, key: str) -> int:
        k = (parent.path if parent else None, key)
        self.counters[k] = self.counters.get(k, 0) + 1
        return self.counters[k]

    def add(self, kind: SectionKind, label: str, segment: str, title: str, paragraph: Paragraph,
            level: float, parent: Section | None, cells: dict[str, str] | None = None) -> Section:
        path = f"{parent.path}.{segment}" if parent else segment
        if path in self.sections:
            n = 2
            while f"{path}({n})" in self.sections:
                n += 1
            path = f"{path}({n})"
        span = Span(paragraph.start, paragraph.end)
        section = Section(path, kind, label, title, "", span, span, parent.path if parent else None,
                          self.order, paragraph.line_no, cells=cells or {})
        self.order += 1
        self.sections[path] = section
        if parent:
            parent.children.append(path)
        self.stack.append((level, section))
        self._extend(section, paragraph.end)
        if paragraph.text:
            self.paragraphs.append((path, paragraph))
        return section

    def _extend(self, section: Section, end: int) -> None:
        """Stretch the section and its ancestors to `end`. Every stretch goes up the whole
        chain, so an ancestor that already reaches `end` has ancestors that do too: stop there."""
        node = section
        while True:
            if node.span.end < end:
                node.span = Span(node.span.start, end)
            elif node is not section:
                return
            if node.parent is None:
                return
            node = self.sections[node.parent]

    def body(self, section: Section, paragraph: Paragraph) -> None:
        self.bodies.setdefault(section.path, []).append(paragraph.text)
        self.paragraphs.append((section.path, paragraph))
        self._extend(section, paragraph.end)

    def finish(self) -> Tree:
        for path, parts in self.bodies.items():
            self.sections[path].body = "\n".join(parts)
        end = self.preamble_end if self.preamble_end is not None else len(self.text)
        return Tree(self.sections, self.dropped, end)


def build_body(builder: "TreeBuilder", blocks: list[Block], header_end: int) -> None:
    """Place body blocks (everything before the first appendix) into the tree."""
    skipping_signature = False
    for block in blocks:
        paragraph, marker = block.paragraph, block.marker
        if paragraph.end <= header_end:
            continue
        first = paragraph.lines[0].text
        if _RECIPIENTS.match(first) or _SIGNATURE.match(first):
            skipping_signature = True
        if skipping_signature:
            if _DOC_TYPE_LINE.match(first) and first.isupper() or _ATTACHED.match(first):
                skipping_signature = False
                builder.stack.clear()     # an attached plan starts its own tree
            builder.dropped.append(Dropped("line", "recipients / signature block", paragraph.text[:120], paragraph.line_no))
            continue
        if _ATTACHED.match(first) or (_DOC_TYPE_LINE.match(first) and first.isupper() and builder.sections):
            builder.stack.clear()
            builder.dropped.append(Dropped("line", "attachment header", paragraph.text[:120], paragraph.line_no))
            continue
        if marker is not None:
            if builder.preamble_end is None:
                builder.preamble_end = paragraph.start
            _add_item(builder, marker, paragraph)
            continue
        if block.heading:
            if builder.preamble_end is None:
                builder.preamble_end = paragraph.start
            parent = builder._parent(LEVELS[SectionKind.HEADING])
            title = paragraph.text.rstrip(":").strip()
            builder.add(SectionKind.HEADING, title, "-".join(slug(title).split("-")[:4]) or "heading", title, paragraph,
                        LEVELS[SectionKind.HEADING], parent)
            continue
        # a plain paragraph: body of the open item, or a paragraph section of its own
        top = builder.stack[-1][1] if builder.stack else None
        if top is not None and top.kind not in (SectionKind.HEADING, SectionKind.PARAGRAPH, SectionKind.PART):
            builder.body(top, paragraph)
            continue
        parent = builder._parent(PARAGRAPH_LEVEL)
        n = builder._next_index(parent, "p")
        builder.add(SectionKind.PARAGRAPH, str(n), f"p{n}", paragraph.text, paragraph, PARAGRAPH_LEVEL, parent)
        builder.stack.pop()


def _add_item(builder: TreeBuilder, marker: Marker, paragraph: Paragraph) -> None:
    kind = marker.kind
    title = _strip_label(paragraph.text, marker)
    parent = builder._parent(marker.level)
    if kind is SectionKind.BULLET:
        segment = f"{marker.symbol}{builder._next_index(parent, marker.symbol)}"
    elif kind is SectionKind.ARTICLE:
        segment = f"Art{marker.label}"
    elif kind is SectionKind.PART:
        segment = f"P{_part_number(marker.label)}"
    else:
        segment = marker.label
    builder.add(kind, marker.label, segment, title, paragraph, marker.level, parent)


def _strip_label(text: str, marker: Marker) -> str:
    if marker.kind is SectionKind.BULLET:
        return text[1:].lstrip()
    if marker.kind is SectionKind.ARTICLE:
        return re.sub(r"^Điều\s+\d+\s*[.:]?\s*", "", text)
    if marker.kind is SectionKind.PART:
        return _PART.sub(lambda m: m.group(2), text, count=1)
    if marker.kind is SectionKind.DIEM:
        return re.sub(r"^[a-zđ]\s*\)\s*", "", text)
    return re.sub(r"^[\dIVXLC.]+\s*[.:]\s*", "", text, count=1)


_ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8}


def _part_number(label: str) -> str:
    label = label.strip()
    if label.isdigit():
        return label
    if re.fullmatch(r"[IVX]+", label):
        return str(roman_value(label))
    word = label.split()[-1].lower()
    return str(_ORDINALS.get(word, label))
