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

    @classmethod
    def of(cls, lines: list[Line]) -> "Paragraph":
        starts, parts, pos = [], [], 0
        for line in lines:
            starts.append(pos)
            parts.append(line.text)
            pos += len(line.text) + 1
        return cls(lines, " ".join(parts), starts)

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @property
    def line_no(self) -> int:
        return self.lines[0].no

    def offset(self, index: int) -> int:
        """Source offset of character `index` of the joined text."""
        i = max(0, bisect_right(self._starts, index) - 1)
        line = self.lines[i]
        return min(line.start + (index - self._starts[i]), line.end)


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(no, pos + lead, pos + lead + len(stripped), stripped))
        else:
            lines.append(Line(no, pos, pos, ""))
        pos += len(raw) + 1
    return lines


# Web boilerplate of news pages: photo captions, source credits, comment forms, share bars.
_CAPTION = re.compile(r"(?:^|[.!?]\s+|\s)Ảnh(?:\s+minh\s+họa)?\s*:\s*[^.!?]{1,60}$", re.IGNORECASE)
_CREDIT = re.compile(r"^(?:Theo|Nguồn)\s*:?\s*[A-ZĐ][\w.\- ]{1,40}$")
_COMMENT_FORM = re.compile(
    r"^(?:Gửi bình luận|Bình luận|Tối thiểu \d+ chữ.*|Viết bình luận.*|Chia sẻ(?: bài viết)?:?|Tin liên quan:?|"
    r"Bài liên quan:?|Xem thêm:?|Từ khóa:.*|Tags?:.*|In bài(?: viết)?|Quay lại|Đọc thêm:?|Bản in|Gửi email)$"
)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$")
_RELATED_LINK = re.compile(r"^[-–•]\s*[A-ZĐ][^:;.]{2,40}:\s+[A-ZĐ\"“][^;]{10,160}[^.;:]$")


def drop_boilerplate(lines: list[Line], prose: bool) -> tuple[list[Line], list[Dropped]]:
    """Blank out boilerplate lines (keeping line numbers) and say why each went."""
    dropped: list[Dropped] = []
    out: list[Line] = []
    for index, line in enumerate(lines):
        text = line.text
        reason = None
        if text and len(text) < 200:   # boilerplate lines are short; skip the regexes on body text
            if _COMMENT_FORM.match(text):
                reason = "web comment form / share bar"
            elif _URL_ONLY.match(text):
                reason = "bare link"
            elif index > len(lines) - 6 and _CREDIT.match(text):
                reason = "source credit"
            elif len(text) < 160 and ("Ảnh" in text or "ảnh" in text) and _CAPTION.search(text) \
                    and not text.endswith((";", ":")):
                reason = "photo caption"
            elif prose and text[0] in "-–•" and _RELATED_LINK.match(text) and _in_link_run(lines, index):
                reason = "related-article link"
        if reason:
            dropped.append(Dropped("line", reason, text, line.no))
            out.append(Line(line.no, line.start, line.start, ""))
        else:
            out.append(line)
    return out, dropped


def _in_link_run(lines: list[Line], index: int) -> bool:
    """Related links come in runs of headline-like dash lines."""
    def is_link(i: int) -> bool:
        return 0 <= i < len(lines) and bool(_RELATED_LINK.match(lines[i].text))

    return is_link(index - 1) or is_link(index + 1)
