"""Clean stage: split the NFC text into lines with offsets and drop web boilerplate.

Nothing here rewrites the text: every `Line` keeps its offsets into the original, so
paragraphs re-joined later can map any character back to the source.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .models import Dropped


@dataclass(slots=True)
class Line:
    no: int          # 1-based line number
    start: int       # offset of the first non-space character
    end: int         # offset after the last non-space character
    text: str        # stripped text


@dataclass(slots=True)
class Paragraph:
    """Hard-wrapped lines joined with single spaces; `offset()` maps back to the source."""

    lines: list[Line]
    text: str = ""
    _starts: list[int] = field(default_factory=list)
    # copies of lines[0].start, lines[-1].end and lines[0].no, read often; set by `of()`
    start: int = field(default=0, compare=False, repr=False)
    end: int = field(default=0, compare=False, repr=False)
    line_no: int = field(default=0, compare=False, repr=False)

    @classmethod
    def of(cls, lines: list[Line]) -> "Paragraph":
        first, last = lines[0], lines[-1]
        if len(lines) == 1:   # the common one-line paragraph: " ".join of one part is the part
            return cls(lines, first.text, [0], first.start, last.end, first.no)
        starts, parts, pos = [], [], 0
        for line in lines:
            starts.append(pos)
            parts.append(line.text)
            pos += len(line.text) + 1
        return cls(lines, " ".join(parts), starts, first.start, last.end, first.no)

    def offset(self, index: int) -> int:
        """Source offset of character `index` of the joined text."""
        i = max(0, bisect_right(self._starts, index) - 1)
        line = self.lines[i]
        return min(line.start + (index - self._starts[i]), line.end)


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    append = lines.append
    pos = 0
    no = 0
    for raw in text.split("\n"):
        no += 1
        stripped = raw.strip()
        size = len(raw)
        if len(stripped) == size:   # nothing stripped (also the empty line): no leading space
            append(Line(no, pos, pos + size, stripped))
        elif stripped:
            lead = size - len(raw.lstrip())
            append(Line(no, pos + lead, pos + lead + len(stripped), stripped))
        else:
            append(Line(no, pos, pos, ""))
        pos += size + 1
    return lines


# Web boilerplate of news pages: photo captions, source credits, comment forms, share bars.
_CAPTION = re.compile(r"(?:^|[.!?]\s+|\s)Ảnh(?:\s+minh\s+họa)?\s*:\s*[^.!?]{1,60}$", re.IGNORECASE)
_CREDIT = re.compile(r"^(?:Theo|Nguồn)\s*:?\s*[A-ZĐ][\w.\- ]{1,40}$")
_COMMENT_FORM = re.compile(
    r"^(?:Gửi bình luận|Bình luận|Tối thiểu \d+ chữ.*|Viết bình luận.*|Chia sẻ(?: bài viết)?:?|Tin liên quan:?|"
    r"Bài liên quan:?|Xem thêm:?|Từ khóa:.*|Tags?:.*|In bài(?: viết)?|Quay lại|Đọc thêm:?|Bản in|Gửi email)$"
)
_FORM_FIRST = "GBTVCXIQĐ"   # first letters of the _COMMENT_FORM alternatives
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
_RELATED_LINK = re.compile(r"^[-–•]\s*[A-ZĐ][^:;.]{2,40}:\s+[A-ZĐ\"“][^;]{10,160}[^.;:]$")


def drop_boilerplate(lines: list[Line], prose: bool) -> tuple[list[Line], list[Dropped]]:
    """Blank out boilerplate lines (keeping line numbers) and say why each went."""
    dropped: list[Dropped] = []
    out = lines[:]
    credit_from = len(lines) - 6
    for index, line in enumerate(lines):
        text = line.text
        if not text or len(text) >= 200:   # boilerplate lines are short; skip the regexes on body text
            continue
        # each regex is tried only when the first character can start a match
        first = text[0]
        reason = None
        if first in _FORM_FIRST and _COMMENT_FORM.match(text):
            reason = "web comment form / share bar"
        elif first in "hw" and _URL_ONLY.match(text):
            reason = "bare link"
        elif index > credit_from and first in "TN" and _CREDIT.match(text):
            reason = "source credit"
        elif len(text) < 160 and ("Ảnh" in text or "ảnh" in text) and _CAPTION.search(text) \
                and not text.endswith((";", ":")):
            reason = "photo caption"
        elif prose and first in "-–•" and _RELATED_LINK.match(text) and _in_link_run(lines, index):
            reason = "related-article link"
        if reason:
            dropped.append(Dropped("line", reason, text, line.no))
            out[index] = Line(line.no, line.start, line.start, "")
    return out, dropped


def _in_link_run(lines: list[Line], index: int) -> bool:
    """Related links come in runs of headline-like dash lines."""
    def is_link(i: int) -> bool:
        return 0 <= i < len(lines) and bool(_RELATED_LINK.match(lines[i].text))

    return is_link(index - 1) or is_link(index + 1)


class JoinedParagraphs:
    """The texts of all paragraphs joined with NUL, so that one pass covers the document instead of
    a search per paragraph. NUL is neither a word character nor whitespace, and no pattern run on
    the joined text matches it, so no match spans two paragraphs and look-arounds at a paragraph's
    edge see a non-word, non-space character just as they see its end."""

    __slots__ = ("paragraphs", "text", "starts")

    def __init__(self, paragraphs: list[tuple[str | None, Paragraph]]) -> None:
        self.paragraphs = paragraphs     # (section path, paragraph) in document order
        self.text = "\0".join(para.text for _, para in paragraphs)
        starts, pos = [], 0
        for _, para in paragraphs:
            starts.append(pos)
            pos += len(para.text) + 1
        self.starts = starts

    def locate(self, pos: int) -> tuple[int, int]:
        """(index of the paragraph holding joined position `pos`, where that paragraph starts)."""
        index = bisect_right(self.starts, pos) - 1
        return index, self.starts[index]
