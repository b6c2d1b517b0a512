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

# Attribute access on an Enum class is slow (EnumType.__getattr__): bind the kinds and levels
# read per line once.
_APPENDIX_KIND, _PART_KIND, _ARTICLE_KIND = SectionKind.APPENDIX, SectionKind.PART, SectionKind.ARTICLE
_MUC_KIND, _KHOAN_KIND, _DIEM_KIND = SectionKind.MUC, SectionKind.KHOAN, SectionKind.DIEM
_BULLET_KIND, _HEADING_KIND, _PARAGRAPH_KIND = SectionKind.BULLET, SectionKind.HEADING, SectionKind.PARAGRAPH
_APPENDIX_LEVEL, _PART_LEVEL, _ARTICLE_LEVEL = LEVELS[_APPENDIX_KIND], LEVELS[_PART_KIND], LEVELS[_ARTICLE_KIND]
_MUC_LEVEL, _KHOAN_LEVEL, _DIEM_LEVEL = LEVELS[_MUC_KIND], LEVELS[_KHOAN_KIND], LEVELS[_DIEM_KIND]
_HEADING_LEVEL = LEVELS[_HEADING_KIND]


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
            return Marker(_BULLET_KIND, symbol, m.group(2), BULLET_LEVEL[symbol], symbol)
        return None
    if first.isdigit():
        m = _KHOAN.match(text)
        if m:
            label, rest = m.groups()
            if rest is None or not rest[0].isdigit():
                return Marker(_KHOAN_KIND, label, rest or "", _KHOAN_LEVEL + 0.1 * label.count("."))
        return None
    # The second-character tests below only skip regexes that cannot match: the Roman numeral
    # runs on in [IVXLC] or reaches \s*[.:]; "Điều"; "PHỤ LỤC"/"Phụ lục"/"PHẦN"/"Phần"; "a)" / "a )".
    second = text[1:2]
    if first in "IVXLC":
        if second and (second in "IVXLC.:" or second.isspace()):
            m = _MUC.match(text)
            if m and m.group(1):
                return Marker(_MUC_KIND, m.group(1), m.group(2) or "", _MUC_LEVEL)
        return None
    if first == "Đ":
        if second == "i":
            m = _ARTICLE.match(text)
            if m:
                return Marker(_ARTICLE_KIND, m.group(1), m.group(2), _ARTICLE_LEVEL)
        return None
    if first in "Pp":
        if first == "P" and second in ("H", "h"):
            m = _APPENDIX.match(text)
            if m and (m.group(1) or text.isupper()):
                return Marker(_APPENDIX_KIND, m.group(1) or "1", m.group(2), _APPENDIX_LEVEL)
            m = _PART.match(text)
            if m and len(text) <= 100 and not text.endswith((".", ";", ",")):
                return Marker(_PART_KIND, m.group(1), m.group(2), _PART_LEVEL)
        return None
    if first.islower() or first == "đ":
        if second == ")" or second.isspace():
            m = _DIEM.match(text)
            if m:
                return Marker(_DIEM_KIND, m.group(1), m.group(2) or "", _DIEM_LEVEL)
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
        # _DECORATION can only match from one of its own characters
        if not text or (text[0] in "-_=.*|" or text[0].isspace()) and _DECORATION.match(text):
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
        prev = current[-1].text
        if prose:
            # web prose: one paragraph per line, unless the line visibly continues a wrapped one
            if prev.endswith(_TERMINAL) or _starts_word(text) or len(prev) > 100:
                flush()
                current = [line]
            else:
                current.append(line)
            continue
        if prev.endswith(_TERMINAL) and _starts_upper(text):
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
    if marker.kind in _OPENS_ANYWHERE:
        return True
    if marker.kind is _MUC_KIND and marker.rest and marker.rest.isupper():
        return True     # "II. NHIỆM VỤ": a Roman numeral before a capitalised heading
    if prev.endswith((",", "-", "–", " và", " hoặc", " của", " tại", " theo")):
        return False
    if current_marker is not None and _heading_like(current):
        return True
    if current_marker is None and len(current) == 1 and len(prev) <= 90:
        return True   # a one-line unnumbered heading
    return marker.kind is _BULLET_KIND and len(prev) < 40


_OPENS_ANYWHERE = (_APPENDIX_KIND, _ARTICLE_KIND, _PART_KIND)

# Words that open an assignment sentence, so they never continue a heading's name.
_SENTENCE_START = re.compile(
    r"^(?:Chủ trì|Phối hợp|Tham mưu|Thực hiện|Triển khai|Xây dựng|Tổ chức|Hướng dẫn|Căn cứ|Nghiên cứu|Đôn đốc|"
    r"Theo dõi|Tuyên truyền|Chịu trách nhiệm|Là cơ quan|Có trách nhiệm|Chủ động|Tham gia|Đẩy mạnh|Ưu tiên)\b")

_HEADING_KINDS = (_MUC_KIND, _KHOAN_KIND, _DIEM_KIND, _ARTICLE_KIND, _PART_KIND)


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
            _KHOAN_KIND, _MUC_KIND, _DIEM_KIND)
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
        # where each section's span ends so far: spans are immutable, so they are rebuilt once in finish()
        # instead of at every stretch
        self.ends: dict[str, int] = {}

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
        sections = self.sections
        path = f"{parent.path}.{segment}" if parent else segment
        if path in sections:
            n = 2
            while f"{path}({n})" in sections:
                n += 1
            path = f"{path}({n})"
        end = paragraph.end
        span = Span(paragraph.start, end)
        section = Section(path, kind, label, title, "", span, span, parent.path if parent else None,
                          self.order, paragraph.line_no, cells=cells or {})
        self.order += 1
        sections[path] = section
        self.ends[path] = end
        self.stack.append((level, section))
        if parent:
            parent.children.append(path)
            self._stretch(parent.path, end)   # the new section itself already ends at `end`
        if paragraph.text:
            self.paragraphs.append((path, paragraph))
        return section

    def _extend(self, section: Section, end: int) -> None:
        """Stretch the section and its ancestors to `end`."""
        ends = self.ends
        if ends[section.path] < end:
            ends[section.path] = end
        if section.parent is not None:
            self._stretch(section.parent, end)

    def _stretch(self, path: str, end: int) -> None:
        """Stretch section `path` and its ancestors to `end`. Every stretch goes up the whole
        chain, so an ancestor that already reaches `end` has ancestors that do too: stop there."""
        ends, sections = self.ends, self.sections
        while ends[path] < end:
            ends[path] = end
            path = sections[path].parent
            if path is None:
                return

    def body(self, section: Section, paragraph: Paragraph) -> None:
        self.bodies.setdefault(section.path, []).append(paragraph.text)
        self.paragraphs.append((section.path, paragraph))
        self._extend(section, paragraph.end)

    def finish(self) -> Tree:
        ends = self.ends
        for path, section in self.sections.items():
            span = section.span
            if span.end != ends[path]:
                section.span = Span(span.start, ends[path])
        for path, parts in self.bodies.items():
            self.sections[path].body = "\n".join(parts)
        end = self.preamble_end if self.preamble_end is not None else len(self.text)
        return Tree(self.sections, self.dropped, end)


def build_body(builder: "TreeBuilder", blocks: list[Block], header_end: int) -> None:
    """Place body blocks (everything before the first appendix) into the tree."""
    skipping_signature = False
    dropped, stack = builder.dropped, builder.stack
    for block in blocks:
        paragraph, marker = block.paragraph, block.marker
        if paragraph.end <= header_end:
            continue
        first = paragraph.lines[0].text
        # each regex is tried only when the first character can start a match (see _*_FIRST)
        c = first[0]
        space = c.isspace()
        attached = (c in _ATTACHED_FIRST or space) and _ATTACHED.match(first)
        if (c in "Nn" and _RECIPIENTS.match(first)) or ((c in _SIGNATURE_FIRST or space) and _SIGNATURE.match(first)):
            skipping_signature = True
        if skipping_signature:
            if c in _DOC_TYPE_FIRST and _DOC_TYPE_LINE.match(first) and first.isupper() or attached:
                skipping_signature = False
                stack.clear()     # an attached plan starts its own tree
            dropped.append(Dropped("line", "recipients / signature block", paragraph.text[:120], paragraph.line_no))
            continue
        if attached or (c in _DOC_TYPE_FIRST and _DOC_TYPE_LINE.match(first) and first.isupper() and builder.sections):
            stack.clear()
            dropped.append(Dropped("line", "attachment header", paragraph.text[:120], paragraph.line_no))
            continue
        if marker is not None:
            if builder.preamble_end is None:
                builder.preamble_end = paragraph.start
            _add_item(builder, marker, paragraph)
            continue
        if block.heading:
            if builder.preamble_end is None:
                builder.preamble_end = paragraph.start
            parent = builder._parent(_HEADING_LEVEL)
            title = paragraph.text.rstrip(":").strip()
            builder.add(_HEADING_KIND, title, "-".join(slug(title).split("-")[:4]) or "heading", title, paragraph,
                        _HEADING_LEVEL, parent)
            continue
        # a plain paragraph: body of the open item, or a paragraph section of its own
        top = stack[-1][1] if stack else None
        if top is not None and top.kind not in _OWNS_NO_BODY:
            builder.body(top, paragraph)
            continue
        parent = builder._parent(PARAGRAPH_LEVEL)
        n = builder._next_index(parent, "p")
        builder.add(_PARAGRAPH_KIND, str(n), f"p{n}", paragraph.text, paragraph, PARAGRAPH_LEVEL, parent)
        stack.pop()


_OWNS_NO_BODY = (_HEADING_KIND, _PARAGRAPH_KIND, _PART_KIND)
# Characters a match of each regex can start with (besides white space for the \s-led ones);
# _ATTACHED is case-insensitive, and "k" then also matches the Kelvin sign U+212A.
_ATTACHED_FIRST = "(BbKk\u212a"
_SIGNATURE_FIRST = "KTQCPGB"
_DOC_TYPE_FIRST = "KQĐCHTB"


def _add_item(builder: TreeBuilder, marker: Marker, paragraph: Paragraph) -> None:
    kind = marker.kind
    title = _strip_label(paragraph.text, marker)
    parent = builder._parent(marker.level)
    if kind is _BULLET_KIND:
        segment = f"{marker.symbol}{builder._next_index(parent, marker.symbol)}"
    elif kind is _ARTICLE_KIND:
        segment = f"Art{marker.label}"
    elif kind is _PART_KIND:
        segment = f"P{_part_number(marker.label)}"
    else:
        segment = marker.label
    builder.add(kind, marker.label, segment, title, paragraph, marker.level, parent)


_ARTICLE_LABEL = re.compile(r"^Điều\s+\d+\s*[.:]?\s*")
_DIEM_LABEL = re.compile(r"^[a-zđ]\s*\)\s*")
_NUMBER_LABEL = re.compile(r"^[\dIVXLC.]+\s*[.:]\s*")


def _strip_label(text: str, marker: Marker) -> str:
    kind = marker.kind
    if kind is _BULLET_KIND:
        return text[1:].lstrip()
    if kind is _ARTICLE_KIND:
        return _ARTICLE_LABEL.sub("", text)
    if kind is _PART_KIND:
        return _PART.sub(lambda m: m.group(2), text, count=1)
    if kind is _DIEM_KIND:
        return _DIEM_LABEL.sub("", text)
    return _NUMBER_LABEL.sub("", text, count=1)


_ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8}


def _part_number(label: str) -> str:
    label = label.strip()
    if label.isdigit():
        return label
    if re.fullmatch(r"[IVX]+", label):
        return str(roman_value(label))
    word = label.split()[-1].lower()
    return str(_ORDINALS.get(word, label))
