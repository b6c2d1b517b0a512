"""Targets stage: quantified goals (chỉ tiêu) -> `Target` items with indicator keys.

Rules of the genre, not of one file:
- A value is a percentage ("80%", "60,29%"), a range ("15% đến 20%", "15-20%"), points
  ("6,03/10 điểm"), money ("2 tỷ đồng") or a count ("1.000 doanh nghiệp", "02 lần"); money
  and counts only when a goal word introduces them ("tối thiểu", "ít nhất", "đạt", "trên").
- The indicator is the phrase around the value inside its clause (clauses end at ";", ":",
  a sentence end or a line break): before it ("Tỷ lệ dân số có tài khoản … trên 50%"),
  after it ("90% hồ sơ công việc tại cấp tỉnh") or both ("Kinh tế số chiếm … GRDP").
  Several values in one clause are cut at "," / "và"; a value with no subject of its own
  shares the subject of the value before it ("cáp quang phủ trên 80% hộ gia đình, 100% xã").
- Comparator from the words next to the value: tối thiểu/ít nhất/từ … trở lên -> '>=',
  trên/hơn -> '>', dưới/không quá/tối đa -> '<=', a range -> 'range', else '='.
- Year: a year phrase in the clause or sentence ("đến năm 2025", "trước ngày 01/6/2023"),
  else the year of an earlier target of the same paragraph, else the context (enclosing
  headings such as "Mục tiêu cơ bản đến năm 2025" or appendix group "ĐẾN NĂM 2025", a row's
  time column, a task block's "Thời gian hoàn thành", a one-year plan's title).
- A parenthesis "(Năm 2022: …)" is the baseline of the targets before it, not a target.

All matching runs on a length-preserving folded copy of the text (no diacritics, lowercase),
so offsets found there are offsets in the original and text typed without diacritics works.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .indicators import indicator_key
from .text import find_words, fold_keep_offsets, nfc
from .models import Dropped, ParsedDocument, Section, SectionKind, Span, Target

# ---------------------------------------------------------------------------------------
# Patterns (all on folded text)

NUM = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_COUNT_NOUNS = (
    r"doanh nghiep|hop tac xa|xa|phuong|thi tran|huyen|lan|cuoc|nguoi|ho gia dinh|ho kinh doanh|ho|"
    r"san pham|mo hinh|lop|khoa|dich vu|nen tang|ung dung|co so du lieu|co so|he thong|tram|thon|"
    r"chuyen gia|can bo|hoc vien|diem phat song|km|truong|benh vien|sang kien|de tai|cong trinh"
)
_COUNT_NOUNS_X = _COUNT_NOUNS.replace(" ", "\\ ")   # verbose pattern: spaces must be escaped
_MENTION = re.compile(
    rf"""(?<![\w.,/])(?:
        (?P<ra>{NUM})\s*%?\s*(?:den|toi|-|–|—)\s*(?P<rb>{NUM})\s*%
      | (?P<pct>{NUM})\s*%
      | (?P<pt>{NUM})\s*/\s*(?P<ptmax>{NUM})\s*diem(?![a-z])
      | (?P<money>{NUM})\s*(?P<mu>nghin\ ty|ngan\ ty|ty|trieu)(?:\s*(?:dong|vnd))?(?![a-z])(?!\s+(?:le|trong)\b)
      | (?P<cnt>{NUM})\s+(?P<noun>{_COUNT_NOUNS_X})(?![a-z])
    )""",
    re.X,
)
_BASELINE = re.compile(r"\(\s*nam\s+((?:19|20)\d{2})\s*:[^()]*\)")
# "(?=x)" heads: a cheap first-letter test before the look-behinds at every position
_DATE = re.compile(r"(?=n)(?<!truoc )(?<!truoc)ngay\s+\d{1,2}\s*(?:/\s*\d{1,2}\s*/\s*\d{4}|thang\s+\d{1,2}\s+nam\s+\d{4})")
_YEAR = re.compile(     # every branch starts with one of t g d v c n: tested first, at every position
    r"""(?=[tgdvcn])(?:truoc\s+(?:ngay\s+)?(?:\d{1,2}\s*/\s*|\d{1,2}\s+thang\s+)?(?:thang\s+)?\d{1,2}\s*(?:/|nam)\s*(?P<dy>(?:19|20)\d{2})
      | giai\s+doan\s+(?:19|20)\d{2}\s*[-–—]\s*(?P<gy>(?:19|20)\d{2})
      | (?:(?P<prep>den|toi|trong|vao|cho|tu\ nay\ den|truoc|cuoi)\s+)?nam\s+(?P<y>(?:19|20)\d{2})(?!\s*[-–—/]\s*\d))""",
    re.X,
)
_QUOTED = re.compile(r"[“\"«][^”\"»\n]{0,300}[”\"»]")
_CITATION = re.compile(r"(?=s)(?<![a-z])so\s+\d+[\w.-]*/[^\s;.]*[^;\n]*?(?=[;\n]|\.(?:\s|$)|$)")
_GOAL_PREP = {"den", "toi", "trong", "vao", "tu nay den", "truoc", "cuoi"}
# clause boundaries: ';' ':' line breaks, sentence ends
_CLAUSE_END = re.compile(r"[;:\n!?]|\.(?=\s|$|[\"”)])")
_SENTENCE_END = re.compile(r"[\n!?]|\.(?=\s|$|[\"”)])")
_SEP = re.compile(r"(?=[,vht])(?:,|(?<![a-z])(?:va|hoac|trong do)(?![a-z]))")

_GE_TAIL = re.compile(r"(?<![a-z])(?P<w>toi thieu|it nhat|khong duoi|khong thap hon|tu)(?:\s+(?:dat duoc|dat|la|bang|co|o muc|len))?\s*$")
_GT_TAIL = re.compile(r"(?<![a-z])(?:tren|hon|vuot|cao hon|lon hon|vuot muc)\s*$")
_LE_TAIL = re.compile(r"(?<![a-z])(?:duoi|khong qua|toi da|khong vuot qua|thap hon|nho hon)\s*$")
_GE_HEAD = re.compile(r"^\s*tro len(?![a-z])")
_LE_HEAD = re.compile(r"^\s*tro xuong(?![a-z])")
_GOAL_WORD = re.compile(r"(?<![a-z])(?P<w>toi thieu|it nhat|khong duoi|dat|tren|hon|tu|phan dau|co|len|den|toi da|khong qua)\s*$")

# words stripped from the end of the left context (comparators and copulas, not verbs like chiếm/tăng)
_LEFT_TRAIL = re.compile(
    r"(?:(?<![a-z])(?P<w>toi thieu|it nhat|khong duoi|khong thap hon|khong qua|khong vuot qua|toi da|tren|hon|duoi|"
    r"tu|dat duoc|dat|la|bang|o muc|muc|len|den|co|khoang|xap xi|binh quan|vao|voi)|[\s,(:\-–])\s*$"
)
_LEFT_LEAD = re.compile(
    r"(?:[\s,;.\-–+•*)]+|(?P<w>va|hoac|trong do|dong thoi|phan dau|dam bao|bao dam|duy tri|muc tieu|chi tieu|cu the|"
    r"theo do|theo ke hoach|ngoai ra|tiep tuc|dat|nham|de|gom|gom co|bao gom|la|cung)(?![a-z])"
    r"|(?:(?:den|toi|trong|vao|cho|tu nay den|cuoi)\s+)?nam\s+(?:19|20)\d{2}"
    r"|giai\s+doan\s+(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2})"
)
_LEFT_INTRO = re.compile(
    r"^.*(?<![a-z])(?:phan dau|dam bao|bao dam|muc tieu[^,;]*?(?<![a-z])(?:la|gom co|gom|bao gom|dat))(?![a-z])"
)
_PAST = re.compile(r"(?<![a-z])(?:da dat|da co|da hoan thanh|hien nay|hien co|ket qua|nam qua|vua qua)(?![a-z])")
_RIGHT_LEAD = re.compile(
    r"(?:[\s)]+|tro len|tro xuong|(?:(?:den|toi|trong|vao|cho|cuoi)\s+)?nam\s+(?:19|20)\d{2})"
)
_RIGHT_STOP_B = re.compile(
    r"\s\(|,\s*(?=(?:duoc|bao gom|dam bao|trong do|nham|de|theo|nguoi dan chi|mo du lieu)(?![a-z]))"
    r"|(?<![a-z])truoc\s+(?:ngay|thang)\s|(?<![a-z])(?:vao|den|trong)\s+nam\s+(?:19|20)\d{2}"
)
# a long left context ending in ", <verb> …" keeps only that last clause ("…, giảm 30% thủ tục")
_ACTION = re.compile(r"\s*(?:giam|cat giam|tang|nang|dat|phan dau|hoan thanh|mo|chiem|phu|dua|ho tro|thu hut|"
                     r"phat trien|trien khai|dao tao|boi duong|tap huan)(?![a-z])")
_GENERIC = re.compile(r"^(?:ty l[eo](?: nay| la| do)?|muc tieu|chi tieu|con so|so luong|muc|dat|)$")
_LABEL = re.compile(r"^\s*(?:[-+•*]\s*)?(?:nhiem vu|muc tieu|noi dung(?: thuc hien)?|chi tieu)\s*:\s*")
_TIME_LABEL = re.compile(r"^\s*(?:[-+•*]\s*)?thoi (?:gian|han)(?: hoan thanh| thuc hien)?\s*:")
_WORD = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
_SPACES_OR_BARS = re.compile(r"[\s|]+")
_YEAR_DIGITS = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_MONEY_SCALE = {"ty": 1e9, "nghin ty": 1e12, "ngan ty": 1e12, "trieu": 1e6}


# folded words that are also the fold of other words: accept them only in their own spelling
_AMBIGUOUS = {
    "tu": ("từ",), "dat": ("đạt",), "la": ("là",), "den": ("đến",), "co": ("có",), "muc": ("mức",),
    "de": ("để",), "len": ("lên",), "hon": ("hơn",), "tren": ("trên",), "duoi": ("dưới",), "voi": ("với",),
    "vao": ("vào",), "bang": ("bằng",), "gom": ("gồm",), "cung": ("cũng",), "dat duoc": ("đạt được",),
}


def _spelled(text: str, m: re.Match, group: str = "w") -> bool:
    """Whether the folded word matched in `group` is written as the word the rule means."""
    word = m.group(group)
    if word is None or word not in _AMBIGUOUS:
        return True
    written = text[m.start(group):m.end(group)].lower()
    return written.isascii() or written in _AMBIGUOUS[word]   # text typed without diacritics is taken as meant


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))


def parse_number(raw: str) -> float:
    """Vietnamese number: '60,29' -> 60.29; '1.000' -> 1000; '1.000,5' -> 1000.5."""
    raw = raw.strip()
    if "." in raw and re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
        raw = raw.replace(".", "")
    return float(raw.replace(",", "."))


# ---------------------------------------------------------------------------------------
# Sentence-level extraction

@dataclass(slots=True)
class Found:
    """A target found in one string; offsets are into that (NFC) string."""

    indicator: str
    indicator_key: str | None
    comparator: str
    value: float
    value_max: float | None
    unit: str
    year: int | None
    baseline: str | None
    start: int                      # the clause piece holding indicator and value
    end: int
    value_start: int
    value_end: int
    baseline_value: float | None = None
    baseline_year: int | None = None
    year_source: str | None = None  # "sentence" | "carried" | "context" | None
    inherited: bool = False         # indicator taken from the context or an earlier target


@dataclass(slots=True)
class Rejected:
    reason: str
    start: int
    end: int


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    kind: str      # pct | range | points | money | count


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    m: _Mention
    left_core: tuple[int, int] = (0, 0)
    right_core: tuple[int, int] = (0, 0)
    subject: bool = False


def _mention_matches(f: str):
    """`_MENTION.finditer(f)`, tried only where a run of digits starts: every value starts
    with a digit not preceded by a word character, so no other position can match."""
    pos = 0
    for run in _DIGITS.finditer(f):
        if run.start() >= pos:
            m = _MENTION.match(f, run.start())
            if m:
                yield m
                pos = m.end()


def _mentions(f: str) -> list[_Mention]:
    out = []
    for m in _mention_matches(f):
        if m.group("ra") is not None:
            a, b = parse_number(m.group("ra")), parse_number(m.group("rb"))
            if b <= a:
                continue
            out.append(_Mention(m.start(), m.end(), a, b, "%", "range"))
        elif m.group("pct") is not None:
            out.append(_Mention(m.start(), m.end(), parse_number(m.group("pct")), None, "%", "pct"))
        elif m.group("pt") is not None:
            out.append(_Mention(m.start(), m.end(), parse_number(m.group("pt")), None, "points", "points"))
        elif m.group("money") is not None:
            value = parse_number(m.group("money")) * _MONEY_SCALE[m.group("mu")]
            out.append(_Mention(m.start(), m.end(), value, None, "VND", "money"))
        else:
            # a count: the noun is not part of the value
            end = m.start("cnt") + len(m.group("cnt"))
            out.append(_Mention(m.start(), end, parse_number(m.group("cnt")), None, "count", "count"))
    return out


def _strip_left(f: str, a: int, b: int, text: str) -> tuple[int, int]:
    """Trim the left context [a, b) to the indicator phrase (labels, lead-ins, comparators off)."""
    seg = f[a:b]
    colon = seg.rfind(":")
    if colon >= 0:
        a += colon + 1
    m = _LEFT_INTRO.match(f[a:b])
    if m:
        a += m.end()
    while a < b:
        m = _LEFT_LEAD.match(f, a, b)
        if not m or m.end() == a or not _spelled(text, m):
            break
        a = m.end()
    while b > a:
        m = _LEFT_TRAIL.search(f, a, b)
        if not m or m.start() == b or not _spelled(text, m):
            break
        b = m.start()
    while b > a and f[b - 1] in " ,;:(-–":
        b -= 1
    while a < b and f[a] in " ,;:)-–":
        a += 1
    return a, b


def _trail_start(f: str, a: int, b: int, text: str) -> int:
    """Where the comparator/copula words just before a value begin ("tối thiểu", "đạt")."""
    end = b
    while b > a:
        m = _LEFT_TRAIL.search(f, a, b)
        if not m or m.start() == b or not _spelled(text, m):
            break
        b = m.start()
    while b < end and f[b] in " ,;:(-–":
        b += 1
    return b


def _strip_right(f: str, a: int, b: int, pattern_b: bool) -> tuple[int, int, int]:
    """(start, display end, matching end) of the phrase after the value."""
    while a < b:
        m = _RIGHT_LEAD.match(f, a, b)
        if not m or m.end() == a:
            break
        a = m.end()
    if a < b and f[a] in ",;.":
        return a, a, a
    full = b
    if pattern_b:
        m = _RIGHT_STOP_B.search(f, a, b)
        if m:
            b = m.start()
    else:
        stop = re.compile(r"[,;.(]").search(f, a, b)
        if stop:
            b = stop.start()
    # bound the phrase: at most ~30 words
    words = list(_WORD.finditer(f, a, b))
    if len(words) > 30:
        b = words[29].end()
    while b > a and f[b - 1] in " ,;:.(-–":
        b -= 1
    while b > a:
        m = re.search(r"(?<![a-z])(?:va|hoac|trong do|voi)\s*$", f[a:b])
        if not m:
            break
        b = a + m.start()
        while b > a and f[b - 1] in " ,":
            b -= 1
    return a, b, max(b, full) if pattern_b else b


def _comparator(f: str, piece_start: int, m: _Mention, text: str) -> str:
    if m.kind == "range":
        return "range"
    head = f[m.end:m.end + 20]
    if m.kind == "count":
        head = f[m.end:m.end + 60]
    tail = f[max(piece_start, m.start - 40):m.start]
    if _GE_HEAD.match(head) or (m.kind == "count" and re.search(r"(?<![a-z])tro len(?![a-z])", head)):
        return ">="
    if _LE_HEAD.match(head):
        return "<="
    ge = _GE_TAIL.search(f, max(piece_start, m.start - 40), m.start)
    if ge and _spelled(text, ge):
        return ">="
    if _GT_TAIL.search(tail):
        return ">"
    if _LE_TAIL.search(tail):
        return "<="
    return "="


def _year_of(match: re.Match) -> tuple[int, str | None]:
    for g in ("dy", "gy", "y"):
        if match.group(g):
            prep = "truoc" if g == "dy" else ("giai doan" if g == "gy" else match.group("prep"))
            return int(match.group(g)), prep
    raise ValueError


def _split_baseline(content: str, count: int) -> list[str] | None:
    parts = [p.strip(" ;,") for p in re.split(r";|(?<![a-z])va(?=\s*\d)", content)]
    parts = [p for p in parts if p]
    return parts if len(parts) == count and count > 1 else None


def _first_value(f: str) -> float | None:
    m = re.search(rf"({NUM})\s*%", f)
    if m:
        return parse_number(m.group(1))
    m = re.search(rf"({NUM})\s*/\s*{NUM}\s*diem", f)
    return parse_number(m.group(1)) if m else None


@lru_cache(maxsize=8192)
def _context_key_text(text: str) -> str:
    """An indicator phrase from a heading/task title: labels off, first clause only."""
    t = re.sub(r"^\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.|[IVX]+\.|[-+•*])\s*", "", nfc(text)).strip()
    f = fold_keep_offsets(t)
    m = _LABEL.match(f)
    if m:
        t, f = t[m.end():], f[m.end():]
    m = re.search(r"[;:]|\.(?=\s|$)", f)
    if m:
        t = t[:m.start()]
    t = re.sub(r"^\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.|[IVX]+\.|[-+•*])\s*", "", t)
    t = re.sub(r"^(?:Nâng|Tăng|Tăng cường|Nâng cao|Đẩy mạnh|Thúc đẩy)\s+(?:các\s+)?", "", t).strip()
    return t.strip(" .;:,")


def find_targets(text: str, default_year: int | None = None, context: str | None = None,
                 rejected: list[Rejected] | None = None) -> list[Found]:
    """Targets stated in `text` (a sentence, paragraph or section text).

    `default_year` applies when the text states no year; `context` is an indicator phrase
    (e.g. the task title "Nhiệm vụ: Nâng tỷ trọng kinh tế số trong GRDP") used when a value
    has no indicator of its own ("Mục tiêu: Đạt tối thiểu 12%"). Values that look like
    targets but cannot be placed go to `rejected`.
    """
    text = nfc(text)
    if not _DIGIT.search(text):
        return []
    f = fold_keep_offsets(text)
    # baselines "(Năm 2022: ...)" are masked out of the working copy
    baselines = [(m.start(), m.end(), int(m.group(1))) for m in _BASELINE.finditer(f)]
    w = _BASELINE.sub(_blank, f) if baselines else f
    mentions = _mentions(w)
    if not mentions:
        return []
    ydoc = _DATE.sub(_blank, w)
    # years inside a cited document's number/title or a quoted name are not target years
    ydoc = _QUOTED.sub(_blank, ydoc)
    ydoc = _CITATION.sub(_blank, ydoc)
    years = [(m.start(), m.end(), *_year_of(m)) for m in _YEAR.finditer(ydoc)]
    year_starts = [y[0] for y in years]

    clause_ends = [m.start() for m in _CLAUSE_END.finditer(w)]
    sentence_ends = [m.start() for m in _SENTENCE_END.finditer(w)]

    def bounds(ends: list[int], pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(ends, pos - 1)
        start = ends[i - 1] + 1 if i > 0 else 0
        end = ends[i] if i < len(ends) else len(w)
        return start, end

    # group mentions into clauses
    clauses: dict[tuple[int, int], list[_Mention]] = {}
    for m in mentions:
        clauses.setdefault(bounds(clause_ends, m.start), []).append(m)

    found: list[Found] = []
    carried: int | None = None
    previous: Found | None = None
    for (c_start, c_end), ms in clauses.items():
        pieces: list[_Piece] = []
        start = c_start
        for i, m in enumerate(ms):
            if i + 1 < len(ms):
                nxt = ms[i + 1]
                seps = list(_SEP.finditer(w, m.end, nxt.start))
                if not seps:
                    tail = _GE_TAIL.search(w, m.end, nxt.start) or _GOAL_WORD.search(w, m.end, nxt.start)
                    cut = tail.start() if tail else nxt.start
                else:
                    a, b = _strip_left(w, seps[-1].end(), nxt.start, text)
                    if a >= b:
                        cut = seps[-1].start()
                    else:
                        own = _strip_left(w, start, m.start, text)
                        cut = seps[0].start() if own[0] < own[1] else seps[-1].start()
                end = cut
            else:
                end = c_end
            pieces.append(_Piece(start, end, m))
            start = end

        prev_piece: _Piece | None = None
        for piece in pieces:
            m = piece.m
            la, lb = _strip_left(w, piece.start, m.start, text)
            pattern_b = la >= lb
            ra, rb, rfull = _strip_right(w, m.end, piece.end, pattern_b)
            if m.kind == "count":
                # the count noun belongs to the indicator
                noun = re.match(r"\s+\S+", w[m.end:piece.end])
                ra = m.end
                if not pattern_b:
                    stop = re.compile(r"[,;.(]").search(w, m.end, piece.end)
                    rb = stop.start() if stop else rb
                rb = max(rb, m.end + (noun.end() if noun else 0))
                while rb > ra and w[rb - 1] in " ,;:.":
                    rb -= 1
            goal = _GOAL_WORD.search(w, piece.start, m.start)
            if m.kind in ("money", "count") and not (goal and _spelled(text, goal)):
                continue    # counts and amounts are targets only when a goal word introduces them
            if _PAST.search(w, max(piece.start, m.start - 60), m.start):
                if rejected is not None:
                    rejected.append(Rejected("achieved result, not a goal", piece.start, piece.end))
                continue
            # long left contexts: keep the part after the last comma for display
            la_disp = la
            if lb - la > 0 and len(_WORD.findall(w[la:lb])) > 12:
                comma = w.rfind(",", la, lb)
                if comma > la and _ACTION.match(w, comma + 1, lb):
                    la_disp = comma + 1
                    while la_disp < lb and w[la_disp] == " ":
                        la_disp += 1
            subject = not pattern_b
            inherited = False
            left_txt = text[la_disp:lb].strip()
            right_txt = text[ra:rb].strip()
            key_text = f"{w[la_disp:lb]} {w[ra:rb]}".strip()
            if pattern_b and prev_piece is not None and prev_piece.subject and prev_piece.end == piece.start:
                # "cáp quang phủ trên 80% hộ gia đình, 100% xã": shared subject
                pa, pb = prev_piece.left_core
                left_txt = text[pa:pb].strip()
                key_text = f"{w[pa:pb]} {w[ra:rb]}"
                piece.left_core = (pa, pb)
                subject = True
            else:
                piece.left_core = (la_disp, lb)
            piece.subject = subject
            prev_piece = piece

            key = indicator_key(key_text, folded=True, unit=m.unit)
            if key is None and (la_disp != la or rfull != rb):
                key = indicator_key(f"{w[la:lb]} {w[ra:rfull]}", folded=True, unit=m.unit)
            if key is None:
                key = indicator_key(f"{w[piece.start:m.start]} {w[m.end:piece.end]}", folded=True, unit=m.unit)
            generic = _GENERIC.match(_SPACES.sub(" ", key_text).strip()) is not None
            if generic:
                if callable(context):
                    context = context()
                if previous is not None and previous.start >= c_start - 400 and _GENERIC.match(w[la:lb].strip()):
                    left_txt, right_txt = previous.indicator, ""
                    key = previous.indicator_key
                    inherited = True
                elif context:
                    left_txt, right_txt = _context_key_text(context), ""
                    key = indicator_key(left_txt, unit=m.unit)
                    inherited = True
                if not (left_txt or right_txt):
                    if rejected is not None:
                        rejected.append(Rejected("value without an identifiable indicator", piece.start, piece.end))
                    continue
            if left_txt and right_txt:
                indicator = f"{left_txt} … {right_txt}"
            else:
                indicator = left_txt or right_txt
            indicator = _SPACES.sub(" ", indicator).strip(" ,;:.")

            # year
            year, source = None, None
            j = bisect.bisect_left(year_starts, m.start) - 1
            s_start, _ = bounds(sentence_ends, m.start)
            while j >= 0 and years[j][0] >= c_start and years[j][1] <= m.start:
                year, source = years[j][2], "sentence"
                break
            if year is None:
                k = bisect.bisect_left(year_starts, m.end)
                if k < len(years) and years[k][0] < piece.end and years[k][3] in _GOAL_PREP:
                    year, source = years[k][2], "sentence"
            if year is None:
                j = bisect.bisect_left(year_starts, m.start) - 1
                while j >= 0 and years[j][0] >= s_start:
                    if years[j][3] in _GOAL_PREP or years[j][3] == "giai doan":
                        year, source = years[j][2], "sentence"
                        break
                    j -= 1
            if year is None and carried is not None:
                year, source = carried, "carried"
            if year is None and callable(default_year):
                default_year = default_year()
            if year is None and default_year is not None:
                year, source = default_year, "context"
            if source == "sentence":
                carried = year

            start = la if not pattern_b else _trail_start(w, piece.start, m.start, text)
            end = max(rb, m.end) if rb > ra else m.end
            tgt = Found(
                indicator=indicator, indicator_key=key, comparator=_comparator(w, piece.start, m, text),
                value=m.value, value_max=m.value_max, unit=m.unit, year=year, baseline=None,
                start=start, end=end, value_start=m.start, value_end=m.end,
                year_source=source, inherited=inherited,
            )
            found.append(tgt)
            previous = tgt

    # baselines belong to the targets before them (since the previous baseline)
    last_end = 0
    for s, e, byear in baselines:
        owners = [t for t in found if last_end <= t.value_start < s and t.baseline is None]
        content = text[s + 1:e - 1].strip()
        fcontent = f[s + 1:e - 1].strip()
        head = re.match(r"\s*nam\s+\d{4}\s*:\s*", fcontent)
        body, fbody = (content[head.end():], fcontent[head.end():]) if head else (content, fcontent)
        prefix = content[:head.end()].strip() if head else ""
        parts = _split_baseline(fbody, len(owners))
        if parts is not None:
            # pair parts with targets in order (both in the folded body)
            pos = 0
            for t, part in zip(owners, parts):
                i = fbody.find(part, pos)
                pos = i + len(part)
                t.baseline = f"{prefix} {body[i:pos]}".strip()
                t.baseline_value, t.baseline_year = _first_value(part), byear
        else:
            for t in owners:
                t.baseline = content
                t.baseline_value, t.baseline_year = _first_value(fbody), byear
        last_end = e
    return found


# ---------------------------------------------------------------------------------------
# Document level

_SINGLE_YEAR_TITLE = re.compile(r"(?<![a-z])nam\s+((?:19|20)\d{2})(?![\d])")


def _document_year(doc: ParsedDocument) -> int | None:
    """The year of a one-year plan ("Kế hoạch chuyển đổi số … năm 2023"), from its title."""
    candidates = [doc.identity.title] if doc.identity and doc.identity.title else []
    first = next((ln for ln in doc.text.splitlines() if ln.strip()), "")
    candidates.append(first)
    for title in candidates:
        f = fold_keep_offsets(nfc(title))
        if re.search(r"(?<![a-z])(?:den|toi|giai doan|dinh huong|tam nhin)(?![a-z])", f):
            continue
        years = set(_SINGLE_YEAR_TITLE.findall(f))
        if len(years) == 1:
            return int(years.pop())
    return None


@lru_cache(maxsize=8192)
def _title_year(title: str) -> int | None:
    if not title:
        return None
    f = fold_keep_offsets(nfc(title))
    f = _BASELINE.sub(lambda m: " " * len(m.group(0)), f)
    f = _DATE.sub(lambda m: " " * len(m.group(0)), f)
    for m in _YEAR.finditer(f):
        year, prep = _year_of(m)
        if prep in _GOAL_PREP or prep == "giai doan" or re.match(r"\s*(?:[-+]\s*)?(?:thoi gian[^:]*:\s*)?nam", f):
            return year
    return None


@lru_cache(maxsize=1024)
def _is_time_header(header: str) -> bool:
    f = fold_keep_offsets(header)
    return "thoi gian" in f or "thoi han" in f


def _cell_year(section: Section) -> int | None:
    for header, value in section.cells.items():
        if _is_time_header(header):
            ys = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", value)
            if ys:
                return int(ys[-1])
    return None


def _task_year(doc: ParsedDocument, section: Section, memo: dict[str, tuple[bool, int | None]]) -> int | None:
    """A task block's "Thời gian hoàn thành: Năm 2023" (a sibling or an ancestor's child)."""
    node = section
    while node is not None:
        hit = memo.get(node.path)
        if hit is None:
            hit = (False, None)
            for child_path in node.children:
                child = doc.sections.get(child_path)
                if child is not None and _TIME_LABEL.match(fold_keep_offsets(child.title[:40])):
                    ys = _YEAR_DIGITS.findall(child.title)
                    hit = (True, int(ys[0]) if ys else None)
                    break
            memo[node.path] = hit
        if hit[0]:
            return hit[1]
        node = doc.sections.get(node.parent) if node.parent else None
    return None


def _context(doc: ParsedDocument, section: Section, in_body: bool, doc_year: int | None,
             memo: dict[str, tuple[bool, int | None]]) -> tuple[int | None, str | None]:
    """(year, indicator phrase) that a target of this section inherits when it states none."""
    year = _cell_year(section) if section.kind is SectionKind.ROW else None
    chain = []
    if in_body:
        chain.append(section)
    node = doc.sections.get(section.parent) if section.parent else None
    while node is not None:
        chain.append(node)
        node = doc.sections.get(node.parent) if node.parent else None
    if year is None:
        for node in chain:
            year = _title_year(node.title)
            if year is not None:
                break
    if year is None:
        year = _task_year(doc, section, memo)
    if year is None:
        year = doc_year
    indicator = None
    for node in chain:
        phrase = _context_key_text(node.title)
        if phrase and not _GENERIC.match(fold_keep_offsets(phrase)):
            indicator = node.title
            break
    return year, indicator


class _Aligner:
    """Maps offsets of a section string (paragraphs joined with single spaces) to doc.text."""

    def __init__(self, doc_text: str, s: str, lo: int, hi: int):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.dstarts: list[int] = []
        self.dends: list[int] = []
        cursor = lo
        limit = min(len(doc_text), hi + 200)
        for m in _WORD.finditer(s):
            tok = m.group(0)
            i = doc_text.find(tok, cursor, limit)
            if i < 0 or i - cursor > 400:
                continue
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.dstarts.append(i)
            self.dends.append(i + len(tok))
            cursor = i + len(tok)

    def span(self, a: int, b: int) -> Span | None:
        if not self.starts:
            return None
        i = bisect.bisect_right(self.starts, a) - 1
        if i < 0 or self.ends[i] <= a:
            i += 1
            if i >= len(self.starts):
                return None
            start = self.dstarts[i]
        else:
            start = self.dstarts[i] + (a - self.starts[i])
        j = bisect.bisect_left(self.ends, b)
        if j < len(self.ends) and self.starts[j] < b:
            end = self.dstarts[j] + (b - self.starts[j])
        else:
            j -= 1
            if j < 0:
                return None
            end = self.dends[j]
        if end <= start:
            return None
        return Span(start, end)


def _locate(doc_text: str, quote: str, lo: int, hi: int) -> Span | None:
    """Find a quote (built from paragraphs joined with single spaces) in doc.text[lo:hi]."""
    tokens = quote.split()
    if not tokens:
        return None
    hi = min(len(doc_text), hi)
    if "|" in quote:
        m = re.compile(r"[\s|]+".join(map(re.escape, tokens))).search(doc_text, lo, hi)
        return Span(m.start(), m.end()) if m else None
    found = find_words(doc_text, tokens, lo, hi, _SPACES_OR_BARS, quote.strip())
    return Span(*found) if found else None


def extract_targets(doc: ParsedDocument) -> None:
    """Fill doc.targets, doc.report.targets and doc.report.dropped (kind "target")."""
    doc_year = _document_year(doc)
    memo: dict[str, tuple[bool, int | None]] = {}
    carried_year: int | None = None
    carried_from: str | None = None
    for section in doc.sections.values():
        parts = [("title", section.title)]
        if section.kind is not SectionKind.ROW and section.body:
            parts.append(("body", section.body))
        for where, s in parts:
            if not s or not _DIGIT.search(s):
                continue
            ctx: dict[str, tuple[int | None, str | None]] = {}

            def context_of(where=where, section=section, ctx=ctx):
                if "c" not in ctx:
                    ctx["c"] = _context(doc, section, where == "body", doc_year, memo)
                return ctx["c"]

            def year_of(section=section, context_of=context_of):
                year = context_of()[0]
                # prose: a paragraph continuing a list (previous text ended with ';') keeps its year
                if year is None and carried_year is not None and carried_from == section.parent:
                    year = carried_year
                return year

            rejected: list[Rejected] = []
            found = find_targets(s, year_of, lambda context_of=context_of: context_of()[1], rejected)
            if not found and not rejected:
                continue
            if where == "title":
                lo, hi = section.head_span.start, max(section.head_span.end, section.span.end) + 200
            else:
                lo, hi = section.head_span.end, section.span.end + 200
            aligner: _Aligner | None = None
            cursor = lo
            for t in found:
                span = _locate(doc.text, s[t.start:t.end], cursor, hi)
                if span is None:
                    aligner = aligner or _Aligner(doc.text, s, lo, hi)
                    span = aligner.span(t.start, t.end) or section.head_span
                else:
                    cursor = span.start
                doc.targets.append(Target(
                    indicator=t.indicator, indicator_key=t.indicator_key, comparator=t.comparator,
                    value=t.value, value_max=t.value_max, unit=t.unit, year=t.year,
                    baseline=t.baseline, section=section.path, span=span,
                    quote=doc.text[span.start:span.end],
                    baseline_value=t.baseline_value, baseline_year=t.baseline_year,
                ))
            for r in rejected:
                span = _locate(doc.text, s[r.start:r.end], lo, hi)
                doc.report.dropped.append(Dropped(
                    "target", r.reason, s[r.start:r.end].strip(),
                    doc.line_of(span.start) if span else section.line, section.path))
            if found:
                last = found[-1]
                if s.rstrip().endswith((";", ",")) and last.year is not None:
                    carried_year, carried_from = last.year, section.parent
                else:
                    carried_year, carried_from = None, None
    doc.report.targets = len(doc.targets)
